"""Signing in and out: languages, failures, rate limit, cookies and CSRF."""

import re

import pytest

from feedback_app import create_app
from feedback_app.services.people.accounts import create_account
from tests.conftest import STAFF_PASSWORD
from tests.limit_windows import start_in_one_window


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


@pytest.mark.parametrize(("role", "start"), [("official", "/dashboard/"), ("admin", "/admin/")])
def test_officials_and_admins_land_where_they_work(client, auth, make_account, role, start):
    """Officials start on the district dashboard, admins in administration."""
    response = auth.login(make_account(role))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(start)


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
    from feedback_app.services.people.accounts import find_account, set_active

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
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "javascript:x",
        "/\r\nLocation: https://evil.example/",
        "/admin/\r\nSet-Cookie: evil=1",
        "/\t/evil.example/",
        "/\n/evil.example/",
        " //evil.example/",
        "/\x00/evil.example/",
    ],
)
def test_next_parameter_cannot_redirect_off_site(client, auth, make_account, target):
    """``?next=`` only follows same-site paths: no open redirect, no split header, no 500."""
    email = make_account("official")
    token = auth.csrf_token()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": email, "password": STAFF_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard/")
    assert "evil" not in str(response.headers)


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
    start_in_one_window()
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
        monkeypatch.delitem(app.view_functions, "admin.index")
        assert home_for(Account(role=Role.ADMIN)) == "/login"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    """Production without SECRET_KEY is a configuration error, not a random key."""

    monkeypatch.setenv("FIILIS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _staff_cookie(client) -> str:
    """The value of the client's session cookie."""
    return client.get_cookie("session", domain="fiilis.test").value


def _replay(app, cookie: str, name: str = "session"):
    """A new browser that presents only ``cookie``: what does the dashboard answer?"""
    other = app.test_client()
    other.set_cookie(name, cookie, domain="fiilis.test")
    return other.get("/dashboard/")


def test_session_cookie_stops_working_after_logout(app, client, auth, make_account):
    """A copy of the cookie taken before signing out (shared computer, proxy) is worthless.

    Before, sign-out only deleted the cookie in the browser; a copy kept signing in.
    """
    auth.login(make_account("official"))
    cookie = _staff_cookie(client)
    assert _replay(app, cookie).status_code == 200
    client.post("/logout", data={"csrf_token": auth.csrf_token("/dashboard/")})
    replayed = _replay(app, cookie)
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def test_logout_ends_the_sessions_on_other_devices_too(app, auth, make_account):
    """Signing out on one device ends the account's other sessions as well."""
    from tests.conftest import AuthActions

    email = make_account("official")
    phone, laptop = app.test_client(), app.test_client()
    AuthActions(phone).login(email)
    AuthActions(laptop).login(email)
    phone.post("/logout", data={"csrf_token": AuthActions(phone).csrf_token("/dashboard/")})
    assert laptop.get("/dashboard/").status_code == 302
    assert AuthActions(laptop).login(email).status_code == 302  # signing in again works


def test_remember_cookie_from_before_logout_is_refused(app, client, auth, make_account):
    """Flask-Login's remember cookie carries the same versioned id and dies with it."""
    from flask_login.utils import encode_cookie

    from feedback_app.services.people.accounts import find_account

    email = make_account("official")
    with app.app_context():
        old_id = find_account(email).get_id()
    with app.test_request_context():
        remember = encode_cookie(old_id)
    assert _replay(app, remember, "remember_token").status_code == 200
    auth.login(email)
    client.post("/logout", data={"csrf_token": auth.csrf_token("/dashboard/")})
    assert _replay(app, remember, "remember_token").status_code == 302


def test_deactivation_ends_a_copied_session(app, client, auth, make_account):
    """A deactivated account's cookie stops working, and reactivation does not revive it."""
    from feedback_app.services.people.accounts import find_account, set_active

    email = make_account("official")
    auth.login(email)
    cookie = _staff_cookie(client)
    with app.app_context():
        set_active(find_account(email).id, False)
    assert _replay(app, cookie).status_code == 302
    with app.app_context():
        set_active(find_account(email).id, True)
    assert _replay(app, cookie).status_code == 302


def test_failed_logins_are_limited_per_ipv6_64(fresh_app):
    """A guesser with a whole IPv6 /64 gets 10 tries in all, not 10 per address."""
    limited = fresh_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    client = limited.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    wrong = {"email": "staff@example.org", "password": "guess number one", "csrf_token": token}

    def attempt(address: str) -> int:
        return client.post("/login", data=wrong, environ_base={"REMOTE_ADDR": address}).status_code

    statuses = [attempt(f"2001:db8:0:1::{n:x}") for n in range(1, 11)]
    assert statuses == [401] * 10
    assert attempt("2001:db8:0:1:ffff:ffff:ffff:ffff") == 429
    assert attempt("2001:db8:0:2::1") == 401  # the next /64 is someone else
    assert attempt("198.51.100.7") == 401  # so is every IPv4 address
    assert attempt("198.51.100.8") == 401
