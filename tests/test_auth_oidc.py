"""Signing in with the city's identity provider, end to end against a real OpenID provider.

The provider is the certified ``oidc-provider`` npm package (tests/oidc_provider) on node;
the app is served over real HTTP, so discovery, the token exchange and the JWKS fetch all
cross a socket, and the browser is a ``requests`` session following the redirects.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account, Invitation, Role
from feedback_app.services.people.accounts import create_account
from feedback_app.services.people.invitations import create_invitation
from tests.conftest import STAFF_PASSWORD
from tests.oidc_support import (
    CLIENT_ID,
    CLIENT_SECRET,
    form_of,
    install_provider,
    live_app,
    provider,
    provider_callback,
)
from tests.servers import free_port

pytestmark = pytest.mark.slow


@dataclass
class City:
    """An app configured for a running provider, served at ``base``."""

    app: object
    base: str
    issuer: str

    def account(self, email: str) -> Account | None:
        with self.app.app_context():
            account = db.session.scalar(select(Account).where(Account.email == email))
            if account is not None:
                db.session.expunge(account)
            return account


@pytest.fixture(scope="module")
def node():
    """Debian's node with the provider installed (``npm ci`` once)."""
    return install_provider()


@pytest.fixture
def make_city(node, make_app):
    """Start a provider (its settings as keyword arguments) and an app that trusts it.

    ``announce`` makes the provider call itself by another host name than the app uses.
    """
    stack = ExitStack()

    def make(prepare=None, announce: str | None = None, **provider_settings) -> City:
        app_port, provider_port = free_port(), free_port()
        base = f"http://127.0.0.1:{app_port}"
        if announce:
            provider_settings["OIDC_PROVIDER_ISSUER"] = f"http://{announce}:{provider_port}"
        issuer = stack.enter_context(provider(node, provider_port, base, **provider_settings))
        app = make_app(
            prepare,
            SERVER_NAME=f"127.0.0.1:{app_port}",
            PUBLIC_BASE_URL=base,
            OIDC_ISSUER=f"http://127.0.0.1:{provider_port}",
            OIDC_CLIENT_ID=CLIENT_ID,
            OIDC_CLIENT_SECRET=CLIENT_SECRET,
        )
        stack.enter_context(live_app(app, app_port))
        return City(app, base, issuer)

    yield make
    stack.close()


def official_account():
    create_account("official@hel.fi", Role.OFFICIAL, STAFF_PASSWORD)


def signed_in_as(http: requests.Session, city: City) -> str | None:
    """The e-mail the session is signed in as, read from the sign-in page."""
    page = http.get(f"{city.base}/login", timeout=10)
    found = re.search(r"You are signed in as ([^<\s]+@[^<\s]+?)\.</p>", page.text)
    return found.group(1) if found else None


def test_existing_account_signs_in_and_lands_on_its_page(make_city):
    city = make_city(prepare=official_account)
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    callback = provider_callback(http, city.base, "official")

    query = parse_qs(urlsplit(callback).query)
    assert query["iss"] == [city.issuer] and "code" in query and "state" in query
    done = http.get(callback, allow_redirects=False, timeout=10)
    assert done.status_code == 302
    assert urlsplit(done.headers["Location"]).path == "/dashboard/"
    assert http.get(f"{city.base}/dashboard/", timeout=10).status_code == 200
    assert signed_in_as(http, city) == "official@hel.fi"


def test_the_request_to_the_provider_uses_pkce_state_and_nonce(make_city):
    city = make_city(prepare=official_account)
    start = requests.get(f"{city.base}/login/oidc", allow_redirects=False, timeout=10)
    location = start.headers["Location"]
    assert location.startswith(f"{city.issuer}/auth?")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == [f"{city.base}/login/oidc/callback"]
    assert "openid" in query["scope"][0].split()


def test_pending_invitation_is_accepted_by_a_verified_email(make_city):
    def invite():
        create_invitation("invited@hel.fi", Role.OFFICIAL, [])

    city = make_city(prepare=invite)
    http = requests.Session()
    done = http.get(provider_callback(http, city.base, "invited"), allow_redirects=False)

    assert done.status_code == 302
    assert urlsplit(done.headers["Location"]).path == "/dashboard/"
    account = city.account("invited@hel.fi")
    assert account is not None and account.role == Role.OFFICIAL
    with city.app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.used_at is not None
    # The made-up password is nobody's: password sign-in does not open the account.
    other = requests.Session()
    action, fields = form_of(other.get(f"{city.base}/login", timeout=10), 'name="password"')
    fields.update(email="invited@hel.fi", password=STAFF_PASSWORD)
    assert other.post(action, data=fields, allow_redirects=False).status_code == 401


def test_unknown_email_gets_no_account(make_city):
    city = make_city(prepare=official_account)
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    refused = http.get(provider_callback(http, city.base, "stranger"), allow_redirects=False)

    assert refused.status_code == 403
    assert "no Fiilis account or invitation for stranger@hel.fi" in refused.text
    assert city.account("stranger@hel.fi") is None
    assert signed_in_as(http, city) is None


def test_unverified_email_is_refused_even_when_an_account_has_it(make_city):
    city = make_city(prepare=official_account)
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    refused = http.get(provider_callback(http, city.base, "unverified"), allow_redirects=False)

    assert refused.status_code == 403
    assert "has not verified your e-mail address" in refused.text
    assert signed_in_as(http, city) is None
    assert http.get(f"{city.base}/dashboard/", allow_redirects=False).status_code == 302


def test_deactivated_account_is_refused(make_city):
    def deactivated():
        create_account("official@hel.fi", Role.OFFICIAL, STAFF_PASSWORD).active = False
        db.session.commit()

    city = make_city(prepare=deactivated)
    http = requests.Session()
    refused = http.get(provider_callback(http, city.base, "official"), allow_redirects=False)
    assert refused.status_code == 403
    assert signed_in_as(http, city) is None


def test_provider_announcing_another_issuer_is_refused(make_city):
    # The provider answers at 127.0.0.1 but calls itself localhost: not the configured one.
    city = make_city(prepare=official_account, announce="localhost")
    http = requests.Session()
    refused = http.get(f"{city.base}/login/oidc", allow_redirects=False, timeout=10)
    assert refused.status_code == 502
    assert "Location" not in refused.headers


def test_answer_from_another_provider_is_refused(make_city):
    """A mix-up: the browser comes back with a code and ``iss`` from a second provider."""
    city = make_city(prepare=official_account)
    other = make_city(prepare=official_account)
    http = requests.Session()
    callback = provider_callback(http, other.base, "official")
    # Sent to our app, with the state our app handed out: refused before any exchange.
    ours = requests.get(f"{city.base}/login/oidc", allow_redirects=False, timeout=10)
    state = parse_qs(urlsplit(ours.headers["Location"]).query)["state"][0]
    query = parse_qs(urlsplit(callback).query)
    forged = f"{city.base}/login/oidc/callback?code={query['code'][0]}&state={state}"
    refused = http.get(f"{forged}&iss={other.issuer}", allow_redirects=False, timeout=10)
    assert refused.status_code == 403
    assert signed_in_as(http, city) is None


def test_expired_id_token_is_refused(make_city, caplog):
    # The provider's clock runs 10 minutes behind: its ID tokens (60 s) expired long ago.
    city = make_city(
        prepare=official_account, OIDC_PROVIDER_CLOCK_SKEW="-600", OIDC_PROVIDER_ID_TOKEN_TTL="60"
    )
    http = requests.Session()
    with caplog.at_level("INFO", logger="feedback_app.auth.oidc"):
        refused = http.get(provider_callback(http, city.base, "official"), allow_redirects=False)
    assert refused.status_code == 403
    assert "ExpiredTokenError" in caplog.text
    assert signed_in_as(http, city) is None


def test_replayed_state_is_refused(make_city):
    city = make_city(prepare=official_account)
    http = requests.Session()
    callback = provider_callback(http, city.base, "official")
    before = http.cookies.copy()
    assert http.get(callback, allow_redirects=False, timeout=10).status_code == 302

    # The same answer again in the same browser: its state was used up.
    again = http.get(callback, allow_redirects=False, timeout=10)
    assert again.status_code == 400
    # In a browser that never started a sign-in.
    assert requests.get(callback, allow_redirects=False, timeout=10).status_code == 400
    # With a copy of the cookie taken before the answer: the provider refuses the used code.
    copied = requests.Session()
    copied.cookies.update(before)
    replay = copied.get(callback, allow_redirects=False, timeout=10)
    assert replay.status_code == 403
    assert signed_in_as(copied, city) is None


def test_sign_out_ends_the_session_and_offers_the_providers_end_session(make_city):
    city = make_city(prepare=official_account)
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    http.get(provider_callback(http, city.base, "official"), allow_redirects=False)
    signed_in_cookie = http.cookies.get("session")
    _, fields = form_of(http.get(f"{city.base}/login", timeout=10))

    out = http.post(f"{city.base}/logout", data=fields, allow_redirects=False, timeout=10)
    assert out.status_code == 302
    page = http.get(f"{city.base}/login", timeout=10)
    end = re.search(r'href="([^"]*/session/end[^"]*)"', page.text)
    assert end, page.text
    end_url = end.group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(end_url).query)
    assert end_url.startswith(f"{city.issuer}/session/end?")
    assert query["post_logout_redirect_uri"] == [f"{city.base}/login"]
    assert query["client_id"] == [CLIENT_ID] and query["id_token_hint"][0]
    # Offered once: the next visit to the sign-in page no longer carries it.
    assert "/session/end" not in http.get(f"{city.base}/login", timeout=10).text

    # The old Fiilis cookie no longer signs anyone in (session version moved on).
    stolen = requests.Session()
    stolen.cookies.set("session", signed_in_cookie)
    assert stolen.get(f"{city.base}/dashboard/", allow_redirects=False).status_code == 302

    # The provider ends its own session and sends the person back to the sign-in page.
    confirm = http.get(end_url, timeout=10)
    assert confirm.status_code == 200
    action, fields = form_of(confirm)
    fields["logout"] = "yes"
    back = http.post(action, data=fields, allow_redirects=False, timeout=10)
    location = back.headers["Location"]
    while not location.startswith(city.base):
        back = http.get(location, allow_redirects=False, timeout=10)
        location = back.headers["Location"]
    assert urlsplit(location).path == "/login"
    # Signing in again asks for the city login: the provider session is gone.
    start = http.get(f"{city.base}/login/oidc", allow_redirects=False, timeout=10)
    at_provider = http.get(start.headers["Location"], allow_redirects=True, timeout=10)
    assert 'name="login"' in at_provider.text


def test_button_shows_only_when_configured(make_city, client):
    assert "/login/oidc" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/oidc").status_code == 404
    city = make_city(prepare=official_account)
    page = requests.get(f"{city.base}/login", headers={"Accept-Language": "en"}, timeout=10)
    assert 'href="/login/oidc"' in page.text
    assert "Sign in with Helsinki account" in page.text
    # Password sign-in stays, on the same page.
    assert 'name="password"' in page.text


def test_the_chosen_language_survives_the_trip_to_the_provider(make_city):
    city = make_city(prepare=official_account)
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    refused = http.get(provider_callback(http, city.base, "stranger", lang="sv"))
    assert refused.status_code == 403 and '<html lang="sv"' in refused.text
    http = requests.Session()  # the provider would still know the stranger in the first one
    done = http.get(
        provider_callback(http, city.base, "official", lang="sv"), allow_redirects=False
    )
    assert done.headers["Location"].endswith("/dashboard/?lang=sv")


def test_provider_down_gets_a_clear_answer_and_passwords_still_work(make_app):
    # Nothing listens on this port: discovery fails at once.
    app = make_app(
        official_account,
        OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
    )
    client = app.test_client()
    down = client.get("/login/oidc?lang=en")
    assert down.status_code == 503
    assert "cannot be reached right now" in down.get_data(as_text=True)
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert 'href="/login/oidc?lang=en"' in page and 'name="password"' in page
