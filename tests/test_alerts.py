"""``flask alerts check``: one e-mail per real drop, none for noise or small groups."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account, AlertState
from feedback_app.services.notifications.alerts import check_alerts, find_drops
from feedback_app.services.notifications.mailer import deliver_pending
from tests.alert_support import baseline, recent, run_flask, today
from tests.mail_support import body

LOW = [1, 2, 1, 1, 2, 1, 1, 2]


@pytest.fixture
def malmi(app, make_project, make_survey, make_account):
    """Malmi with a calm baseline, two officials (one following only Kontula) and an artist."""
    project = make_project(name="Malmin tarinat", district="malmi")
    other = make_project(name="Kontulan kaiku", district="kontula")
    make_survey(code="malmi-1", project_id=project, venue="Malmitalo")
    make_survey(code="kontula-1", project_id=other)
    baseline(app, "malmi-1")
    baseline(app, "kontula-1")
    make_account("official", email="virkailija@example.org")
    make_account("official", email="kontula@example.org")
    make_account("artist", email="taiteilija@example.org", projects=[project])
    with app.app_context():
        from feedback_app.models import District
        from feedback_app.services.notifications.subscriptions import Choices, save_choices

        kontula = db.session.scalar(select(District).filter_by(slug="kontula"))
        account = db.session.scalar(select(Account).filter_by(email="kontula@example.org"))
        save_choices(account.id, Choices("fi", True, True, True, (kontula.id,)))
    return project


def _check(app):
    with app.app_context():
        run = check_alerts(today(), app.config["MIN_GROUP_SIZE"])
        delivery = deliver_pending()
        return run, delivery


def test_a_clear_drop_alerts_each_subscribed_official_once(app, malmi, mailbox):
    recent(app, "malmi-1", LOW * 5)
    run, delivery = _check(app)
    assert {(d.level, d.indicator) for d in run.drops} == {
        ("district", "safety"),
        ("district", "belonging"),
        ("project", "safety"),
        ("project", "belonging"),
    }
    assert delivery.failed == 0
    (message,) = mailbox.to("virkailija@example.org")
    assert mailbox.to("kontula@example.org") == []  # follows Kontula only
    assert len(mailbox.to("taiteilija@example.org")) == 1  # the artist's own project
    text, html = body(message), body(message, "html")
    assert "Malmi" in message["Subject"]
    assert "Turvallisuus" in text and "Yhteenkuuluvuus" in text
    assert "n = 40" in text and "95 %" in text  # the figure, its interval and n
    assert "Tarinailta" in text and "Malmitalo" in text  # the event behind the figure
    link = re.search(r"http://fiilis\.test/dashboard/\?\S+", text).group(0)
    assert "district=malmi" in link and "from=" in link and "to=" in link
    assert link.replace("&", "&amp;") in html
    assert "<img" not in html
    assert message["List-Unsubscribe"].strip().startswith("<http://fiilis.test/unsubscribe/")


def test_the_same_drop_is_not_sent_again_until_it_recovers(app, malmi, mailbox):
    recent(app, "malmi-1", LOW * 5)
    _check(app)
    _check(app)
    assert len(mailbox.to("virkailija@example.org")) == 1
    # The figure recovers (many good answers in the same week), then drops again.
    recent(app, "malmi-1", [5] * 120)
    run, _ = _check(app)
    assert run.drops == [] and run.recovered >= 1
    with app.app_context():
        states = db.session.scalars(select(AlertState)).all()
        assert states and not any(state.dropped for state in states)


def test_noise_within_the_intervals_does_not_alert(app, malmi, mailbox):
    # Slightly lower than the baseline, but well within the noise.
    recent(app, "malmi-1", [4, 3, 4, 5, 3, 4, 4, 3])
    run, _ = _check(app)
    assert run.drops == []
    assert mailbox.messages == []


def test_a_group_smaller_than_k_does_not_alert(app, malmi, mailbox):
    recent(app, "malmi-1", [1, 1, 1, 1])  # k = 5
    run, _ = _check(app)
    assert run.drops == []
    assert mailbox.messages == []


def test_no_baseline_no_alert(app, make_project, make_survey, make_account, mailbox):
    project = make_project(name="Uusi", district="vuosaari")
    make_survey(code="uusi-1", project_id=project)
    make_account("official", email="virkailija@example.org")
    recent(app, "uusi-1", LOW * 5)
    run, _ = _check(app)
    assert run.drops == [] and mailbox.messages == []


def test_an_official_who_switched_alerts_off_gets_none(app, malmi, mailbox):
    with app.app_context():
        account = db.session.scalar(select(Account).filter_by(email="virkailija@example.org"))
        account.alert_mail = False
        db.session.commit()
    recent(app, "malmi-1", LOW * 5)
    _check(app)
    assert mailbox.to("virkailija@example.org") == []


def test_two_checks_started_at_once_send_each_alert_once(app, malmi, smtp_server, database_url):
    """Two processes (two machines' cron) against the same database and mail server."""
    box, port = smtp_server
    box.clear()
    recent(app, "malmi-1", LOW * 5)
    runs = [run_flask(database_url, port, "alerts", "check") for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert len(box.to("virkailija@example.org")) == 1
    assert len(box.to("taiteilija@example.org")) == 1
    with app.app_context():
        assert len(find_drops(today(), 5).drops) == 0  # claimed once, still dropped


def test_check_exits_non_zero_and_keeps_the_alert_when_mail_is_down(app, malmi, database_url):
    from tests.mail_support import Mailbox, free_port, start_server

    recent(app, "malmi-1", LOW * 5)
    port = free_port()
    failed = run_flask(database_url, port, "alerts", "check")
    out, err = failed.communicate(timeout=120)
    assert failed.returncode == 1, (out, err)
    assert "kept for a retry" in err
    box = Mailbox()
    controller, new_port = start_server(box)
    try:
        retry = run_flask(database_url, new_port, "mail", "retry")
        out, err = retry.communicate(timeout=120)
        assert retry.returncode == 0, (out, err)
    finally:
        controller.stop()
    assert len(box.to("virkailija@example.org")) == 1
