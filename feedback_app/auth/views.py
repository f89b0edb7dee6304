"""Sign-in and sign-out."""

from __future__ import annotations

import hmac
import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from feedback_app.extensions import db, limiter, login_manager
from feedback_app.i18n import INTERFACE_LANGUAGES
from feedback_app.models import Account, Role
from feedback_app.services.people.accounts import authenticate, sign_out

bp = Blueprint("auth", __name__)

# A city sign-in (auth/oidc.py) keeps its ID token here until sign-out, which moves it to
# END_SESSION_KEY so the sign-in page can offer the provider's end-session once.
ID_TOKEN_KEY = "city_id_token"  # noqa: S105 (a session key name, not a secret)
END_SESSION_KEY = "city_end_session"

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")


@login_manager.user_loader
def load_account(session_id: str) -> Account | None:
    """Flask-Login, on every request: the account, if active and the session is current.

    ``session_id`` is ``get_id()`` as it was at sign-in (session or remember cookie); after
    a sign-out, deactivation or new password the account's session version has moved on.
    """
    account_id = session_id.partition(".")[0]
    account = db.session.get(Account, int(account_id)) if account_id.isdigit() else None
    if account is None or not account.active:
        return None
    if not hmac.compare_digest(account.get_id(), session_id):
        return None
    return account


class LoginForm(FlaskForm):
    """Email and password; CSRF protected like every staff form."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


# Where each role starts, best first; an area whose blueprint is not installed is skipped.
START_PAGES = {
    Role.ARTIST: ("studio.index",),
    Role.OFFICIAL: ("dashboard.index",),
    Role.ADMIN: ("admin.index", "dashboard.index"),
}

# Staff navigation: (endpoint, label, roles that may open it).
STAFF_AREAS = (
    ("studio.index", _l("Studio"), (Role.ARTIST, Role.OFFICIAL, Role.ADMIN)),
    ("dashboard.index", _l("Dashboard"), (Role.OFFICIAL, Role.ADMIN)),
    ("admin.index", _l("Administration"), (Role.ADMIN,)),
    ("account.settings", _l("E-mail settings"), (Role.ARTIST, Role.OFFICIAL, Role.ADMIN)),
)


@bp.app_template_global()
def staff_url(endpoint: str, **values) -> str:
    """``url_for`` that keeps an explicit ``?lang=`` choice from page to page.

    The interface language is never stored in a cookie, so staff links carry it along.
    """
    lang = request.args.get("lang")
    if lang in INTERFACE_LANGUAGES and "lang" not in values:
        values["lang"] = lang
    return url_for(endpoint, **values)


def home_for(account: Account) -> str:
    """Where ``account`` starts after signing in (the sign-in page if no area is installed)."""
    installed = current_app.view_functions
    for endpoint in START_PAGES[account.role]:
        if endpoint in installed:
            return staff_url(endpoint)
    return staff_url("auth.login")


@bp.app_template_global()
def staff_areas() -> list[tuple[str, str]]:
    """The areas the signed-in account may open, for ``auth/_staff_nav.html``.

    A template function rather than a context processor: only staff pages call it, so
    residents' pages never touch the session (which would add ``Vary: Cookie``).
    """
    if not current_user.is_authenticated:
        return []
    installed = current_app.view_functions
    return [
        (endpoint, label)
        for endpoint, label, roles in STAFF_AREAS
        if current_user.role in roles and endpoint in installed
    ]


# Whitespace and control characters: browsers drop tabs and newlines inside URLs (so
# "/\t/evil" becomes "//evil"), and CR/LF in a Location header would split the response.
_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a same-site path, else None (no open redirect, no header split).

    Browsers read "/\\host" like "//host", so backslashes are refused with the rest.
    """
    if not target or _UNSAFE_IN_NEXT.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
# Guessing passwords is slowed per sender; only failed attempts count, so an office signing
# in together from behind one address is never locked out by its own successes.
@limiter.limit(
    "10 per minute;50 per hour",
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,
)
def login():
    """Show the sign-in form and sign the person in."""
    form = LoginForm()
    if form.validate_on_submit():
        account = authenticate(form.email.data, form.password.data)
        if account:
            session.pop(ID_TOKEN_KEY, None)
            login_user(account)
            return redirect(safe_next(request.args.get("next")) or home_for(account))
        flash(_("Email or password is wrong."), "error")
        return render_template("auth/login.html", form=form), 401
    if current_user.is_authenticated and request.method == "GET":
        return render_template("auth/login.html", form=form, signed_in=True)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out on every device; a POST checked by CSRFProtect, so no other site can.

    Clearing the cookie alone would leave a copy of it (a shared computer's history, a
    proxy) signed in; raising the session version ends it on the server.
    """
    sign_out(current_user.id)
    logout_user()
    id_token = session.pop(ID_TOKEN_KEY, None)
    if id_token:
        session[END_SESSION_KEY] = id_token
    flash(_("You have signed out."), "info")
    return redirect(staff_url("auth.login"))
