"""``flask digest send``, the unsubscribe link and the account page's e-mail choices."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account, Answer, Question
from feedback_app.services.notifications.digest import queue_digests
from feedback_app.services.notifications.mailer import deliver_pending
from tests.alert_support import baseline, days_ago, recent, run_flask, today
from tests.mail_support import body

UNSUBSCRIBE = re.compile(r"http://fiilis\.test/unsubscribe/[\w.-]+")


@pytest.fixture
def week(app, make_project, make_survey, make_account):
    """Malmi answered this week, Kontula only 3 times; an official and Malmi's artist."""
    malmi = make_project(name="Malmin tarinat", district="malmi")
    kontula = make_project(name="Kontulan kaiku", district="kontula")
    make_survey(code="malmi-1", project_id=malmi, event_date=days_ago(2), title="Tarinailta")
    make_survey(code="kontula-1", project_id=kontula, title="Kaikuilta")
    baseline(app, "malmi-1")
    recent(app, "malmi-1", [5, 4, 4, 5, 3, 4, 5, 4, 4, 5])
    recent(app, "kontula-1", [1, 1, 1])
    make_account("official", email="virkailija@example.org")
    make_account("artist", email="taiteilija@example.org", projects=[malmi])
    with app.app_context():
        account = db.session.scalar(select(Account).filter_by(email="virkailija@example.org"))
        account.language = "sv"
        db.session.commit()
    return {"malmi": malmi, "kontula": kontula}


def _send(app):
    with app.app_context():
        queued = queue_digests(today(), app.config["MIN_GROUP_SIZE"])
        return queued, deliver_pending()


def test_the_official_gets_the_weeks_figures_of_their_districts(app, week, mailbox):
    _send(app)
    (message,) = mailbox.to("virkailija@example.org")
    text, html = body(message), body(message, "html")
    assert message["Subject"].strip().startswith("Fiilis vecka")  # the account's language
    assert "svar: 10" in text  # n of the week
    assert "Trygghet" in text and "Samhörighet" in text
    assert "ingen tydlig förändring" in text  # the change's significance in words
    assert "Tarinailta" in text  # the week's new event
    # Kontula had 3 answers (k = 5): no figure at all, only "too few".
    kontula = text.split("Kontula", 1)[1]
    assert "för få svar" in kontula and "95 %" not in kontula.split("Malmi")[0]
    assert UNSUBSCRIBE.search(text) and UNSUBSCRIBE.search(html)
    assert "<img" not in html


def test_the_artist_gets_their_own_surveys_week_only(app, week, mailbox):
    _send(app)
    (message,) = mailbox.to("taiteilija@example.org")
    text = body(message)
    assert "Tarinailta" in text and "vastauksia: 10" in text
    assert "Kaikuilta" not in text  # another project's survey


def test_comments_never_reach_a_digest(app, week, mailbox, make_survey):
    from tests.district_support import answer

    with app.app_context():
        survey_question = db.session.scalar(select(Question).where(Question.kind == "text"))
    if survey_question is None:
        pytest.skip("the standard survey has no comment question")
    answer(app, "malmi-1", [4] * 6, days_ago(1), comment="Nimeni on Maija Meikäläinen")
    _send(app)
    with app.app_context():
        assert db.session.scalar(select(Answer).where(Answer.text.is_not(None))) is not None
    for message in mailbox.messages:
        assert "Maija" not in message.as_string()


def test_the_digest_goes_out_once_a_week(app, week, mailbox):
    first, _ = _send(app)
    second, _ = _send(app)
    assert first == 2 and second == 0
    assert len(mailbox.to("virkailija@example.org")) == 1


def test_one_click_unsubscribe_needs_no_sign_in(app, week, mailbox):
    _send(app)
    link = UNSUBSCRIBE.search(body(mailbox.to("virkailija@example.org")[0])).group(0)
    path = link.removeprefix("http://fiilis.test")
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200 and "<form" in page.text  # a GET changes nothing
    with app.app_context():
        account = db.session.scalar(select(Account).filter_by(email="virkailija@example.org"))
        assert account.digest_mail
    done = client.post(path)  # the page's button, or a mail client's RFC 8058 POST
    assert done.status_code == 200
    assert "Set-Cookie" not in done.headers
    with app.app_context():
        account = db.session.scalar(select(Account).filter_by(email="virkailija@example.org"))
        assert not account.digest_mail and account.alert_mail
    mailbox.clear()
    _send(app)
    assert mailbox.to("virkailija@example.org") == []


def test_a_forged_unsubscribe_token_changes_nothing(app, week):
    client = app.test_client()
    assert client.post("/unsubscribe/eyJhIjoxLCJrIjoiZGlnZXN0In0.forged").status_code == 400
    assert client.get("/unsubscribe/nonsense").status_code == 400
    with app.app_context():
        assert all(a.digest_mail for a in db.session.scalars(select(Account)))


def test_the_account_page_saves_the_same_choices(app, client, auth, week, mailbox):
    auth.login("virkailija@example.org")
    page = client.get("/account?lang=en")
    assert page.status_code == 200
    assert '<input checked id="scope-0" name="scope" type="radio" value="all">' in page.text
    with app.app_context():
        from feedback_app.models import District

        kontula = db.session.scalar(select(District).filter_by(slug="kontula")).id
    token = auth.csrf_token("/account")
    saved = client.post(
        "/account",
        data={
            "csrf_token": token,
            "language": "en",
            "alerts": "y",
            "digest": "y",
            "scope": "chosen",
            "districts": [str(kontula)],
        },
    )
    assert saved.status_code == 302
    assert client.post("/account", data={"language": "en"}).status_code == 400  # no CSRF
    mailbox.clear()
    _send(app)
    text = body(mailbox.to("virkailija@example.org")[0])
    assert text.startswith("Fiilis week") and "Kontula" in text and "Malmi" not in text
    # Bad input: an unknown language is refused and changes nothing.
    bad = client.post("/account", data={"csrf_token": token, "language": "xx"})
    assert bad.status_code == 400
    with app.app_context():
        account = db.session.scalar(select(Account).filter_by(email="virkailija@example.org"))
        assert account.language == "en" and account.chosen_districts


def test_digest_send_exits_non_zero_when_the_mail_server_is_down(app, week, database_url):
    from tests.mail_support import free_port

    failed = run_flask(database_url, free_port(), "digest", "send")
    out, err = failed.communicate(timeout=120)
    assert failed.returncode == 1, (out, err)
    assert "2 queued, 0 sent, 2 failed" in out
