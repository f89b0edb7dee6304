"""Links that cannot be forged: QR codes, posters and invitations use PUBLIC_BASE_URL.

A forged ``Host`` header used to be printed into the QR code (``/s/demo/qr.png``) and into
invitation links; in production an unknown Host is refused with 400.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image

from feedback_app import create_app
from feedback_app.config import LOCAL_BASE_URL
from feedback_app.models import SurveyStatus
from feedback_app.services.people.accounts import create_account
from feedback_app.services.surveys.lifecycle import create_survey
from tests.conftest import STAFF_PASSWORD, AuthActions, new_client_id
from tests.test_qr_poster import decode, pdf_page_image

FORGED = {"Host": "evil.example"}


def forged_with_session(client) -> dict[str, str]:
    """A forged Host with the signed-in session cookie sent along by hand.

    The test client keeps the cookie for the real host only, as a browser would; use these
    headers with a client that keeps no cookies (``test_client(use_cookies=False)``).
    """
    cookie = client.get_cookie("session", domain="fiilis.test")
    return {**FORGED, "Cookie": f"session={cookie.value}"}


def test_qr_code_ignores_a_forged_host_without_configuration(make_app, make_project):
    """No PUBLIC_BASE_URL outside production: the local address, never the request's Host."""
    local = make_app(PUBLIC_BASE_URL="")
    with local.app_context():
        project_id = make_project_in(local)
        create_survey(
            project_id=project_id,
            code="qrhost",
            title="Ilta",
            event_date=date(2026, 11, 20),
            status=SurveyStatus.OPEN,
        )
        from feedback_app.extensions import db

        db.session.commit()
    client = local.test_client()
    png = client.get("/s/qrhost/qr.png", headers=FORGED)
    assert png.status_code == 200
    assert [r.text for r in decode(Image.open(io.BytesIO(png.data)))] == [
        f"{LOCAL_BASE_URL}/s/qrhost"
    ]
    pdf = client.get("/s/qrhost/poster.pdf", headers=FORGED)
    assert [r.text for r in decode(pdf_page_image(pdf.data))] == [f"{LOCAL_BASE_URL}/s/qrhost"]


def make_project_in(app) -> int:
    """A project in ``app``'s own database (the shared factory writes to the session app)."""
    from feedback_app.extensions import db
    from feedback_app.models import District, GrantPeriod, Project

    period = GrantPeriod(start_year=2025, end_year=2027)
    area = District(slug="malmi", name_fi="Malmi", name_sv="Malm")
    area.periods.append(period)
    project = Project(name="Malmin tarinat", institution="HAM", district=area, period=period)
    db.session.add_all([period, area, project])
    db.session.commit()
    return project.id


def test_studio_link_and_invitation_link_ignore_a_forged_host(app, client, make_account):
    """The admin's invitation link is on PUBLIC_BASE_URL even when Host is forged."""
    auth = AuthActions(client)
    auth.login(make_account("admin", email="admin@example.org"))
    token = auth.csrf_token("/admin/invitations")
    response = app.test_client(use_cookies=False).post(
        "/admin/invitations?lang=en",
        data={"email": "new@example.org", "role": "official", "csrf_token": token},
        headers=forged_with_session(client),
    )
    link = re.search(r'id="invitation-link" type="text" readonly value="([^"]+)"', response.text)
    assert link and link.group(1).startswith("http://fiilis.test/invite/")
    assert "evil.example" not in response.text


def test_survey_page_in_the_studio_shows_the_public_link(app, client, make_account, make_survey):
    """The artist copies the link from the studio: it is PUBLIC_BASE_URL + /s/<code>."""
    from tests.studio_support import survey_id

    code = make_survey(code="studiolink")
    auth = AuthActions(client)
    auth.login(make_account("admin", email="admin@example.org"))
    page = app.test_client(use_cookies=False).get(
        f"/studio/surveys/{survey_id(app, code)}", headers=forged_with_session(client)
    )
    assert page.status_code == 200
    assert "http://fiilis.test/s/studiolink" in page.text
    assert "evil.example" not in page.text


def production_app(monkeypatch, database_url: str, **config):
    """An app as ``FIILIS_ENV=production`` builds it."""
    monkeypatch.setenv("FIILIS_ENV", "production")
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "s" * 32}
    settings.update(config)
    return create_app(settings)


def test_production_refuses_to_start_without_public_base_url(monkeypatch):
    """Without the public address production would have to guess it from requests."""
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        production_app(monkeypatch, "sqlite://", PUBLIC_BASE_URL="")


@pytest.mark.parametrize("base", ["fiilis.hel.fi", "ftp://fiilis.hel.fi", "https://x.fi/s?a=1"])
def test_a_malformed_public_base_url_is_refused(monkeypatch, base):
    """A typo in the address would print unusable QR codes on every poster."""
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        production_app(monkeypatch, "sqlite://", PUBLIC_BASE_URL=base)


def test_production_refuses_an_unknown_host(monkeypatch, make_database, app):
    """Only the public address's host is served; any other Host gets a 400 page."""
    from feedback_app.extensions import db, limiter

    prod = production_app(monkeypatch, make_database(), PUBLIC_BASE_URL="https://fiilis.hel.fi/")
    try:
        with prod.app_context():
            db.create_all()
            create_account("staff@example.org", "official", STAFF_PASSWORD)
            make_project_in(prod)
            create_survey(
                project_id=1,
                code="tuotanto",
                title="Ilta",
                event_date=date(2026, 11, 20),
                status=SurveyStatus.OPEN,
            )
            db.session.commit()
        client = prod.test_client()
        good = client.get("/s/tuotanto", base_url="https://fiilis.hel.fi")
        assert good.status_code == 200
        assert prod.config["PUBLIC_BASE_URL"] == "https://fiilis.hel.fi"
        for path in ("/s/tuotanto", "/s/tuotanto/qr.png", "/nope"):
            bad = client.get(path, base_url="https://evil.example")
            assert bad.status_code == 400
            assert "frame-ancestors 'none'" in bad.headers["Content-Security-Policy"]
        answer = {
            "client_id": new_client_id(),
            "locale": "fi",
            "answers": {"joy": 5, "belonging": 4, "safety": 4},
        }
        forged = client.post(
            "/api/v1/surveys/tuotanto/responses", json=answer, base_url="https://evil.example"
        )
        assert forged.status_code == 400 and forged.is_json
        stored = client.post(
            "/api/v1/surveys/tuotanto/responses", json=answer, base_url="https://fiilis.hel.fi"
        )
        assert stored.status_code == 201, stored.get_json()
    finally:
        with prod.app_context():
            db.session.remove()
            db.engine.dispose()
        limiter.init_app(app)
