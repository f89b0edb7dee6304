"""The privacy notice and accessibility statement, in fi/sv/en, linked from resident pages."""

from __future__ import annotations

import pytest

PRIVACY = {
    "fi": ("Tietosuojaseloste", "poistetaan automaattisesti 30 päivän kuluttua"),
    "sv": ("Dataskyddsbeskrivning", "raderas automatiskt 30 dagar efter"),
    "en": ("Privacy notice", "deleted automatically 30 days after"),
}
ACCESSIBILITY = {
    "fi": ("Saavutettavuusseloste", "WCAG) 2.1 AA-tason"),
    "sv": ("Tillgänglighetsutlåtande", "nivå AA i riktlinjerna"),
    "en": ("Accessibility statement", "AA level of the Web Content Accessibility"),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_privacy_notice_tells_what_is_stored_and_for_how_long(client, app, lang):
    """Retention comes from COMMENT_RETENTION_DAYS; the contact address is shown."""
    app.config["COMMENT_RETENTION_DAYS"] = 30
    try:
        response = client.get(f"/privacy?lang={lang}")
    finally:
        app.config["COMMENT_RETENTION_DAYS"] = 365
    html = response.get_data(as_text=True)
    title, retention = PRIVACY[lang]
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert retention in html
    assert 'href="mailto:helsinki.kirjaamo@hel.fi"' in html
    assert f'<html lang="{lang}"' in html
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_accessibility_statement(client, lang):
    """Conformance target, feedback contact and the supervisory authority."""
    response = client.get(f"/accessibility?lang={lang}")
    html = response.get_data(as_text=True)
    title, conformance = ACCESSIBILITY[lang]
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert conformance in html
    assert "saavutettavuus@traficom.fi" in html


def test_contact_address_is_configurable(client, app):
    """Another operator sets CONTACT_EMAIL instead of editing code."""
    app.config["CONTACT_EMAIL"] = "palaute@example.org"
    try:
        html = client.get("/privacy").get_data(as_text=True)
    finally:
        app.config.pop("CONTACT_EMAIL")
    assert "mailto:palaute@example.org" in html


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("path", ["/s/test", "/s/test/thanks", "/s/closed", "/s/missing"])
def test_resident_pages_link_both_statements(client, make_survey, lang, path):
    """Every resident page's footer links the notice and the statement in its language."""
    from feedback_app.models import SurveyStatus

    make_survey(code="test")
    make_survey(code="closed", status=SurveyStatus.CLOSED)
    html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
    assert f'href="/privacy?lang={lang}">{PRIVACY[lang][0]}</a>' in html
    assert f'href="/accessibility?lang={lang}">{ACCESSIBILITY[lang][0]}</a>' in html
