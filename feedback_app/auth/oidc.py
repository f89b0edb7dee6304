"""``/login/oidc``: staff sign in with the city's identity provider (OpenID Connect).

Authlib's Flask client does the protocol: discovery from ``OIDC_ISSUER``, the authorization
code flow with PKCE (S256), ``state`` and ``nonce`` kept in the staff session and checked
on return (each state works once), and the ID token's signature (the provider's JWKS),
issuer, audience, expiry and nonce verified. The issuer must be exactly the configured one,
in the discovery document as in the token, so another provider cannot stand in for it.

Who the person is in Fiilis is decided by ``services.people.city_sign_in`` from the
verified e-mail alone.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, g, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import login_user
from joserfc.errors import JoseError

from feedback_app.auth.views import END_SESSION_KEY, ID_TOKEN_KEY, bp, home_for, safe_next
from feedback_app.extensions import limiter
from feedback_app.i18n import INTERFACE_LANGUAGES
from feedback_app.links import public_url
from feedback_app.services.people.city_sign_in import CitySignInRefused, account_for_city_sign_in

log = logging.getLogger(__name__)

CLIENT_NAME = "city"
EXTENSION = "fiilis.city_sign_in"
NEXT_KEY = "city_next"
# The ``?lang=`` chosen on the sign-in page; the provider's answer comes back without it.
LANG_KEY = "city_lang"
# Failures reaching the provider: down, slow, or answering something that is not JSON.
UNREACHABLE = (requests.RequestException, ValueError)
PROVIDER_TIMEOUT = 5  # seconds for each request to the provider


class IssuerMismatch(Exception):
    """The discovery document names another issuer than ``OIDC_ISSUER``."""


def install(app: Flask) -> None:
    """Register the city's provider on ``app`` when ``OIDC_ISSUER`` is set."""
    issuer = app.config.get("OIDC_ISSUER", "").rstrip("/")
    if not issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            # A slow provider gets a clear "cannot be reached" instead of a hung page.
            "default_timeout": PROVIDER_TIMEOUT,
        },
    )
    app.extensions[EXTENSION] = oauth


def is_configured() -> bool:
    """Whether this app offers the city sign-in."""
    return EXTENSION in current_app.extensions


@bp.app_template_global()
def city_sign_in_offered() -> bool:
    """For the sign-in page: show the "Sign in with Helsinki account" button."""
    return is_configured()


def _client():
    """The registered Authlib client, its discovery document checked against the issuer."""
    if not is_configured():
        abort(404)
    client = current_app.extensions[EXTENSION].create_client(CLIENT_NAME)
    issuer = current_app.config["OIDC_ISSUER"].rstrip("/")
    metadata = client.load_server_metadata()
    if metadata.get("issuer") != issuer:
        client.server_metadata = {}  # look again next time; it may be a passing mistake
        raise IssuerMismatch(metadata.get("issuer"))
    return client


def _refused(message: str, status: int):
    """The sign-in page's sibling that says why the city sign-in did not work."""
    return render_template("auth/city_refused.html", message=message), status


@bp.get("/login/oidc")
@limiter.limit("30 per minute")
def city_login():
    """Send the person to the city's provider, with a fresh state, nonce and PKCE verifier."""
    try:
        client = _client()
    except IssuerMismatch:
        log.warning("OIDC discovery names another issuer than OIDC_ISSUER")
        return _refused(_("The city's sign-in service did not identify itself correctly."), 502)
    except UNREACHABLE:
        log.warning("OIDC provider unreachable at sign-in")
        return _refused(_("The city's sign-in service cannot be reached right now."), 503)
    for key, value in (
        (NEXT_KEY, safe_next(request.args.get("next"))),
        (
            LANG_KEY,
            request.args.get("lang") if request.args.get("lang") in INTERFACE_LANGUAGES else None,
        ),
    ):
        if value:
            session[key] = value
        else:
            session.pop(key, None)
    return client.authorize_redirect(public_url("auth.city_callback"))


@bp.get("/login/oidc/callback")
@limiter.limit("30 per minute")
def city_callback():
    """Check the provider's answer and sign in the account its verified e-mail belongs to."""
    lang = session.pop(LANG_KEY, None)
    if lang in INTERFACE_LANGUAGES:
        g.page_language = lang  # the language the person chose before leaving for the provider
    issuer = current_app.config.get("OIDC_ISSUER", "").rstrip("/")
    if request.args.get("iss", issuer) != issuer:
        # RFC 9207: an answer from another provider (a mix-up attack) is never exchanged.
        return _refused(_("The city's sign-in service did not confirm who you are."), 403)
    try:
        client = _client()
        token = client.authorize_access_token(
            claims_options={"iss": {"essential": True, "value": issuer}}
        )
    except MismatchingStateError:
        return _refused(_("This sign-in has already been used or has expired. Start again."), 400)
    except IssuerMismatch:
        log.warning("OIDC discovery names another issuer than OIDC_ISSUER")
        return _refused(_("The city's sign-in service did not identify itself correctly."), 502)
    except (AuthlibBaseError, JoseError) as error:
        log.info("OIDC sign-in refused: %s", type(error).__name__)
        return _refused(_("The city's sign-in service did not confirm who you are."), 403)
    except UNREACHABLE:
        log.warning("OIDC provider unreachable at the token exchange")
        return _refused(_("The city's sign-in service cannot be reached right now."), 503)
    claims = token.get("userinfo")
    if not claims:  # no ID token, or none bound to our nonce: nothing was verified
        return _refused(_("The city's sign-in service did not confirm who you are."), 403)
    try:
        account = account_for_city_sign_in(claims.get("email"), claims.get("email_verified"))
    except CitySignInRefused as refused:
        return _refused(_refusal_message(refused), 403)
    login_user(account)
    session[ID_TOKEN_KEY] = token.get("id_token")
    target = session.pop(NEXT_KEY, None) or home_for(account)
    if lang in INTERFACE_LANGUAGES and "lang=" not in target:
        target += ("&" if "?" in target else "?") + f"lang={lang}"
    return redirect(target)


def _refusal_message(refused: CitySignInRefused) -> str:
    """What the person reads when their city login opens no account."""
    if refused.reason == "unverified":
        return _(
            "The city's sign-in service has not verified your e-mail address, so Fiilis "
            "cannot tell which account is yours."
        )
    if refused.reason == "inactive":
        return _("Your Fiilis account has been deactivated. Ask an administrator.")
    return _(
        "There is no Fiilis account or invitation for %(email)s. Ask an administrator to "
        "invite you.",
        email=refused.email,
    )


@bp.app_template_global()
def city_end_session_url() -> str | None:
    """Once, right after signing out of a city sign-in: the provider's end-session address.

    Signing out of Fiilis ends the Fiilis session; the person may also want to end their
    city session on a shared computer, which only the provider can do.
    """
    id_token = session.pop(END_SESSION_KEY, None)
    if not id_token or not is_configured():
        return None
    try:
        client = _client()
        return client.create_logout_url(
            post_logout_redirect_uri=public_url("auth.login"),
            id_token_hint=id_token,
            client_id=current_app.config["OIDC_CLIENT_ID"],
        )["url"]
    except (IssuerMismatch, RuntimeError, *UNREACHABLE):
        return None
