"""One answer per form: Back and Send again, or a bare thank-you link, count nobody twice.

The plain form carries a one-time ``client_id``; the redirect to the thank-you page carries
a signed note saying whether this sending stored an answer or repeated one. Neither page may
be restored from a cache with the previous person's answers or id, and cross-site posts are
refused.
"""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.test_survey_page import form_answers, stored_responses

CLIENT_ID = "0b6f7c55-3d0c-4d6e-9a51-0d8d9b6c2f11"
TEXTS = {
    "fi": {
        "stored": "Kiitos!",
        "repeat": "Vastauksesi oli jo lähetetty",
        "nothing": "Tältä sivulta ei lähetetty mitään",
        "again": "Vastaa uudelleen",
        "refused": "Tätä vastausta ei voitu ottaa vastaan",
    },
    "sv": {
        "stored": "Tack!",
        "repeat": "Dina svar var redan skickade",
        "nothing": "Inget skickades från den här sidan",
        "again": "Svara igen",
        "refused": "Det här svaret kunde inte tas emot",
    },
}


def thanks_after(client, response):
    """Follow the 303 from the form to the thank-you page."""
    assert response.status_code == 303
    return client.get(response.headers["Location"])


def heading(page) -> str:
    """The page's ``<h1>`` text."""
    return re.search(r"<h1[^>]*>([^<]*)</h1>", page.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_sending_thanks_once_then_a_repeat_is_called_a_repeat(app, client, make_survey, lang):
    """Back, then Send: stored once, and the page says the answers were already sent."""
    make_survey()
    data = form_answers(client_id=CLIENT_ID)
    first = thanks_after(client, client.post(f"/s/test?lang={lang}", data=data))
    assert heading(first) == TEXTS[lang]["stored"]
    assert first.headers["Cache-Control"] == "no-store"
    again = thanks_after(client, client.post(f"/s/test?lang={lang}", data=data))
    assert heading(again) == TEXTS[lang]["repeat"]
    assert stored_responses(app) == 1
    link = re.search(
        r'<p class="answer-again"[^>]*>.*?<a href="([^"]+)">([^<]+)</a>', again.text, re.S
    )
    assert link.group(1) == f"/s/test?lang={lang}" and link.group(2) == TEXTS[lang]["again"]


def test_a_changed_repeat_gets_the_same_answer_and_changes_nothing(app, client, make_survey):
    """Same one-time id, other answers: the same "already sent" page; the first answer stays."""
    make_survey()
    client.post("/s/test?lang=fi", data=form_answers(client_id=CLIENT_ID))
    changed = form_answers(client_id=CLIENT_ID, q_joy="1", q_safety="1")
    repeat = thanks_after(client, client.post("/s/test?lang=fi", data=changed))
    assert heading(repeat) == TEXTS["fi"]["repeat"]
    assert stored_responses(app) == 1
    identical = thanks_after(
        client, client.post("/s/test?lang=fi", data=form_answers(client_id=CLIENT_ID))
    )
    # Word for word the same page (the signed note in its links aside: it carries a time).
    unsigned = [re.sub(r"sent=[^\"&]+", "", page.text) for page in (identical, repeat)]
    assert unsigned[0] == unsigned[1]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_thanks_page_without_answering_claims_nothing(client, make_survey, lang):
    """Opened directly, the page says nothing was sent and offers the survey."""
    make_survey()
    page = client.get(f"/s/test/thanks?lang={lang}")
    assert page.status_code == 200
    assert heading(page) == TEXTS[lang]["nothing"]
    assert "Your answers were saved" not in page.text and "tallennettiin" not in page.text
    assert f'href="/s/test?lang={lang}"' in page.text


def old_note(app, code: str, outcome: str, age_seconds: int) -> str:
    """A correctly signed note made ``age_seconds`` ago."""

    class EarlierSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            """The signing time, moved back."""
            return int(time.time()) - age_seconds

    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt="survey-receipt", signer=EarlierSigner
    )
    return serializer.dumps([code, outcome])


def test_a_forged_old_or_foreign_note_claims_nothing(app, client, make_survey):
    """Only a fresh note signed for this survey makes the page say "thank you"."""
    make_survey()
    make_survey(code="toinen")
    forged = URLSafeTimedSerializer("not-the-key", salt="survey-receipt").dumps(["test", "stored"])
    notes = [
        forged,
        old_note(app, "test", "stored", 3 * 3600),
        old_note(app, "toinen", "stored", 0),
        old_note(app, "test", "something", 0),
        "x" * 500,
    ]
    for note in notes:
        page = client.get(f"/s/test/thanks?lang=fi&sent={note}")
        assert heading(page) == TEXTS["fi"]["nothing"]
    assert (
        heading(client.get(f"/s/test/thanks?sent={old_note(app, 'test', 'stored', 60)}"))
        == (TEXTS["fi"]["stored"])
    )


def test_the_form_is_never_restored_for_the_next_person(client, make_survey):
    """No cache keeps the form; every visit gets a fresh id; nothing echoes it afterwards."""
    make_survey()
    first, second = client.get("/s/test"), client.get("/s/test")
    assert first.headers["Cache-Control"] == "no-store"
    assert '<form method="post"' in first.text and 'autocomplete="off"' in first.text
    ids = [re.search(r'name="client_id" value="([^"]+)"', p.text).group(1) for p in (first, second)]
    assert ids[0] != ids[1]
    sent = client.post("/s/test", data=form_answers(client_id=ids[0]))
    assert ids[0] not in sent.headers["Location"]
    thanks = client.get(sent.headers["Location"])
    assert ids[0] not in thanks.text
    again = client.get("/s/test")
    assert ids[0] not in again.text


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    ],
)
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_cross_site_posts_are_refused_in_the_residents_language(
    app, client, make_survey, headers, lang
):
    """Another site's page cannot post answers through its visitors' browsers."""
    make_survey()
    response = client.post(f"/s/test?lang={lang}", data=form_answers(), headers=headers)
    assert response.status_code == 403
    assert heading(response) == TEXTS[lang]["refused"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert stored_responses(app) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "null"},
        {"Origin": "http://fiilis.test"},
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    ],
)
def test_own_pages_and_header_less_clients_still_post(app, client, make_survey, headers):
    """Our own page (which sends ``Origin: null``: no Referer) and no-JS clients are fine."""
    make_survey()
    response = client.post("/s/test", data=form_answers(), headers=headers)
    assert response.status_code == 303
    assert stored_responses(app) == 1
    assert response.headers.get("Set-Cookie") is None
