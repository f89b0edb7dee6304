"""Day windows in e-mails against the dashboard's month cells (differencing).

The alerts and the digest count the last 7 days and the 90 days before them; the dashboard
counts whole survey × month cells. A week holding 9 of a month cell's 12 answers would let
an official subtract the e-mail's figure from the dashboard's month figure and read the
other 3 answers (k = 5). A day window may therefore use a cell's days only when both the
part inside the window and the rest of the cell are empty or at least k answers.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from feedback_app.services.figures.district_filters import parse_filters
from feedback_app.services.figures.district_results import distributions, response_counts
from feedback_app.services.notifications.alerts import check_alerts
from feedback_app.services.notifications.digest import queue_digests
from feedback_app.services.notifications.mailer import deliver_pending
from feedback_app.services.notifications.windows import Windows, window_figures
from tests.district_support import answer
from tests.mail_support import body

TODAY = date(2026, 11, 20)  # the week is 14–20 November, the baseline 16 August–13 November
IN_WEEK, EARLIER_IN_MONTH = date(2026, 11, 17), date(2026, 11, 3)
CALM = [5, 4, 4, 5, 3, 4, 5, 4] * 5
K = 5


@pytest.fixture
def malmi(app, make_project, make_survey, make_account):
    """One Malmi survey with a calm October and an official following every district."""
    project = make_project(name="Malmin tarinat", district="malmi")
    make_survey(code="malmi-1", project_id=project, event_date=IN_WEEK)
    answer(app, "malmi-1", CALM, date(2026, 10, 10))
    make_account("official", email="virkailija@example.org")
    return project


def _dashboard(app, month_from: str, month_to: str) -> dict:
    """The dashboard's district figures (safety) and responses for whole months."""
    with app.app_context():
        filters, problems = parse_filters(
            {"period": "all", "from": month_from, "to": month_to}, TODAY
        )
        assert problems == []
        cells, _earlier = distributions(filters, "district", K, ("safety",))
        counts = response_counts(filters, "district", K)
    return {"n": sum(sum(c) for c in cells.values()), "responses": sum(counts.values())}


def _emails_figures(app) -> tuple[dict, dict, dict]:
    """The e-mails' week and baseline figures (safety) and the week's responses."""
    with app.app_context():
        windows = Windows.ending(TODAY)
        recent, baseline = window_figures(windows, "district", K, ("safety",))
        week = parse_filters({"period": "all"}, TODAY)[0].narrowed(
            date_from=windows.recent_first, date_to=windows.recent_last
        )
        responses = response_counts(week, "district", K)
    n = {key: figure["n"] for key, figure in recent.items()}
    before = {key: figure["n"] for key, figure in baseline.items()}
    return n, before, responses


def _readable(difference: int) -> bool:
    """A difference that singles out a group smaller than k."""
    return 0 < difference < K


def test_a_week_holding_most_of_a_month_cell_is_left_out_of_the_figures(app, malmi):
    answer(app, "malmi-1", [4] * 9, IN_WEEK)
    answer(app, "malmi-1", [1] * 3, EARLIER_IN_MONTH)
    november = _dashboard(app, "2026-11-01", "2026-11-30")
    october = _dashboard(app, "2026-10-01", "2026-10-31")
    assert november == {"n": 12, "responses": 12}
    assert october == {"n": 40, "responses": 40}
    week, baseline, responses = _emails_figures(app)
    week_n = sum(week.values())
    baseline_n = sum(baseline.values())
    week_responses = sum(responses.values())
    # Neither the e-mail's week nor its baseline, subtracted from a dashboard month, leaves
    # fewer than k answers (here: the November cell is left out of both windows).
    assert not _readable(november["n"] - week_n), week
    assert not _readable(november["responses"] - week_responses), responses
    assert not _readable(baseline_n - october["n"]), baseline
    assert (week_n, week_responses, baseline_n) == (0, 0, 40)


def test_a_split_with_k_answers_on_both_sides_keeps_its_days(app, malmi):
    answer(app, "malmi-1", [4] * 6, IN_WEEK)
    answer(app, "malmi-1", [3] * 6, EARLIER_IN_MONTH)
    week, baseline, responses = _emails_figures(app)
    assert sum(week.values()) == 6 and sum(responses.values()) == 6
    assert sum(baseline.values()) == 46  # October and the 6 earlier November answers


def test_a_month_answered_only_inside_the_week_keeps_its_days(app, malmi):
    answer(app, "malmi-1", [4] * 9, IN_WEEK)
    week, baseline, responses = _emails_figures(app)
    assert sum(week.values()) == 9 and sum(responses.values()) == 9
    assert sum(baseline.values()) == 40


def _mail(app, mailbox, send) -> str:
    with app.app_context():
        send(TODAY, K)
        assert deliver_pending().failed == 0
    return "\n".join(body(message) for message in mailbox.messages)


def test_the_digest_does_not_quote_most_of_a_month_cell(app, malmi, mailbox):
    answer(app, "malmi-1", [4] * 9, IN_WEEK)
    answer(app, "malmi-1", [1] * 3, EARLIER_IN_MONTH)
    text = _mail(app, mailbox, queue_digests)
    assert "Malmi" in text
    quoted = {int(n) for n in re.findall(r"(?:vastauksia: |n = )(\d+)", text)}
    week = text.split("Malmi", 1)[1]
    assert not any(_readable(12 - n) for n in quoted), quoted
    assert "vastauksia: 9" not in week and "n = 9" not in week


def test_an_alert_does_not_quote_most_of_a_month_cell(app, malmi, mailbox):
    answer(app, "malmi-1", [1] * 9, IN_WEEK)
    answer(app, "malmi-1", [5] * 3, EARLIER_IN_MONTH)
    text = _mail(app, mailbox, check_alerts)
    assert "n = 9" not in text


def test_an_alert_still_reports_a_week_that_holds_its_whole_month_cell(app, malmi, mailbox):
    answer(app, "malmi-1", [1] * 9, IN_WEEK)
    text = _mail(app, mailbox, check_alerts)
    assert "Turvallisuus" in text and "n = 9" in text


def test_an_alert_names_only_the_events_its_figure_counts(app, malmi, make_survey, mailbox):
    make_survey(code="malmi-2", project_id=malmi, title="Lauluilta", venue="Stoa")
    answer(app, "malmi-1", [1] * 9, IN_WEEK)
    answer(app, "malmi-2", [1] * 9, IN_WEEK)
    answer(app, "malmi-2", [5] * 3, EARLIER_IN_MONTH)
    text = _mail(app, mailbox, check_alerts)
    assert "n = 9" in text and "Tarinailta" in text
    assert "Lauluilta" not in text and "Stoa" not in text  # left out of the figure
