"""Signing in and out: languages, failures, rate limit, cookies and CSRF."""

import re

import pytest

from feedback_app import create_app
from feedback_app.services.accounts import create_account
from tests.conftest import STAFF_PASSWORD


@pytest.mark.parametrize(
    ("lang", "title", "email_label"),
    [
        ("fi", "Kirjaudu sisään", "Sähköposti"),
        ("sv", "Logga in", "E-post"),
        ("en", "Sign in", "Email"),
    ],
)
def test_login_page_in_each_interface_language(client, lang, title, email_label):
    """The sign-in form speaks Finnish, Swedish and English."""
    html = client.get(f"/login?lang={lang}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html
    assert email_label in html
    assert f'<html lang="{lang}"' in html


def test_artist_signs_in_and_lands_in_the_studio(client, auth, make_account, make_project):
    """A good password signs the artist in and sends them to their start page."""
    email = make_account("artist", projects=[make_project()])
    response = auth.login(email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/studio/")


@pytest.mark.parametrize("role", ["official", "admin"])
def test_officials_and_admins_land_on_the_dashboard(client, auth, make_account, role):
    """Officials and admins start on the district dashboard."""
    response = auth.login(make_account(role))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard/")


def test_login_keeps_the_chosen_language(client, auth, make_account, make_project):
    """Signing in on ``/login?lang=sv`` leads to a Swedish start page."""
    email = make_account("artist", projects=[make_project()])
    token = auth.csrf_token("/login?lang=sv")
    response = client.post(
        "/login?lang=sv", data={"email": email, "password": STAFF_PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"].endswith("/studio/?lang=sv")


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Sähköposti tai salasana on väärin."),
        ("sv", "E-postadressen eller lösenordet är fel."),
        ("en", "Email or password is wrong."),
    ],
)
def test_wrong_password_is_refused_in_each_language(client, auth, make_account, lang, message):
    """A wrong password or unknown email answers 401 with the same message (no enumeration)."""
    email = make_account("official")
    token = auth.csrf_token(f"/login?lang={lang}")
    for address in (email, "nobody@example.org"):
        response = client.post(
            f"/login?lang={lang}",
            data={"email": address, "password": "wrong password 123", "csrf_token": token},
        )
        assert response.status_code == 401
        assert message in response.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(app, client, auth, make_account):
    """An admin's deactivation stops sign-in, with the same message as a wrong password."""
    from feedback_app.services.accounts import find_account, set_active

    email = make_account("official")
    with app.app_context():
        set_active(find_account(email).id, False)
    assert auth.login(email).status_code == 401


@pytest.mark.parametrize(
    ("lang", "message"),
    [("fi", "Olet kirjautunut ulos."), ("sv", "Du har loggat ut."), ("en", "You have signed out.")],
)
def test_logout_signs_out_in_each_language(client, auth, make_account, lang, message):
    """POST /logout ends the session; staff pages then ask to sign in again."""
    auth.login(make_account("admin"))
    assert client.get("/admin/").status_code == 200
    token = auth.csrf_token("/admin/")
    response = client.post(
        "/logout",
        data={"csrf_token": token},
        follow_redirects=True,
        headers={"Accept-Language": lang},
    )
    assert message in response.get_data(as_text=True)
    after = client.get("/admin/")
    assert after.status_code == 302
    assert "/login" in after.headers["Location"]


def test_logout_without_csrf_token_is_refused(client, auth, make_account):
    """A cross-site form cannot sign anyone out: no token, 400, still signed in."""
    auth.login(make_account("admin"))
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200


def test_login_without_csrf_token_is_refused(client, make_account):
    """Login CSRF (signing a victim into the attacker's account) is refused with 400."""
    email = make_account("official")
    response = client.post("/login", data={"email": email, "password": STAFF_PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"]
)
def test_next_parameter_cannot_redirect_off_site(client, auth, make_account, target):
    """``?next=`` only follows same-site paths (no open redirect after sign-in)."""
    email = make_account("admin")
    token = auth.csrf_token()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": email, "password": STAFF_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert "javascript" not in response.headers["Location"]


def test_next_parameter_returns_to_the_page_asked_for(client, auth, make_account):
    """After being sent to sign in, the person returns to the page they wanted."""
    email = make_account("admin")
    first = client.get("/admin/projects")
    assert "/login?next=" in first.headers["Location"]
    token = auth.csrf_token()
    response = client.post(
        "/login?next=/admin/projects",
        data={"email": email, "password": STAFF_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/admin/projects")


def _session_cookie(response) -> str:
    """The Set-Cookie header of Flask's session cookie."""
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, auth, make_account):
    """Scripts cannot read the staff session and other sites' POSTs do not carry it."""
    cookie = _session_cookie(auth.login(make_account("official")))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # local development runs over plain http


@pytest.fixture
def fresh_app(make_app):
    """Factory for a separate app (own database) with one official account."""

    def make(**overrides):
        return make_app(
            lambda: create_account("staff@example.org", "official", STAFF_PASSWORD), **overrides
        )

    return make


def test_production_cookies_are_secure(fresh_app, monkeypatch):
    """``FIILIS_ENV=production`` selects ProductionConfig: cookies only over HTTPS."""
    monkeypatch.setenv("FIILIS_ENV", "production")
    prod = fresh_app()
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    assert prod.config["REMEMBER_COOKIE_SECURE"] is True
    client = prod.test_client()
    html = client.get("/login", base_url="https://fiilis.test").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = {"email": "staff@example.org", "password": STAFF_PASSWORD, "csrf_token": token}
    # Over HTTPS Flask-WTF also wants a same-origin Referer; staff pages allow browsers to send it.
    refused = client.post("/login", base_url="https://fiilis.test", data=data)
    assert refused.status_code == 400
    response = client.post(
        "/login",
        base_url="https://fiilis.test",
        data=data,
        headers={"Referer": "https://fiilis.test/login"},
    )
    assert response.status_code == 302
    cookie = _session_cookie(response)
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_staff_pages_send_referer_to_this_site_only(client):
    """Staff pages use ``same-origin`` (CSRF's Referer check); residents' pages send none."""
    assert client.get("/login").headers["Referrer-Policy"] == "same-origin"
    assert client.get("/").headers["Referrer-Policy"] == "no-referrer"


def test_failed_logins_are_rate_limited(fresh_app):
    """After 10 failed attempts in a minute the 11th answers 429, even with the right password."""
    limited = fresh_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    client = limited.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    wrong = {"email": "staff@example.org", "password": "guess number one", "csrf_token": token}
    statuses = [client.post("/login", data=wrong).status_code for _ in range(10)]
    assert statuses == [401] * 10
    right = dict(wrong, password=STAFF_PASSWORD)
    blocked = client.post("/login", data=right, headers={"Accept-Language": "fi"})
    assert blocked.status_code == 429
    assert "Liian monta yritystä" in blocked.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # the form itself stays reachable


def test_successful_logins_do_not_use_up_the_limit(fresh_app):
    """Only failures count: many colleagues signing in from one office are never blocked."""
    limited = fresh_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    for _ in range(12):
        client = limited.test_client()
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        data = {"email": "staff@example.org", "password": STAFF_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302


def test_start_page_falls_back_when_an_area_is_not_installed(app, monkeypatch):
    """Without studio or dashboard blueprints, sign-in still lands somewhere sensible."""
    from feedback_app.auth.views import home_for
    from feedback_app.models import Account, Role

    monkeypatch.delitem(app.view_functions, "studio.index", raising=False)
    monkeypatch.delitem(app.view_functions, "dashboard.index", raising=False)
    with app.test_request_context("/login"):
        assert home_for(Account(role=Role.ARTIST)) == "/login"
        assert home_for(Account(role=Role.OFFICIAL)) == "/login"
        assert home_for(Account(role=Role.ADMIN)) == "/admin/"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    """Production without SECRET_KEY is a configuration error, not a random key."""

    monkeypatch.setenv("FIILIS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
