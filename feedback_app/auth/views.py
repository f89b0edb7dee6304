"""Sign-in and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from feedback_app.extensions import db, limiter, login_manager
from feedback_app.models import Account, Role
from feedback_app.services.accounts import authenticate

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")


@login_manager.user_loader
def load_account(account_id: str) -> Account | None:
    """Flask-Login: the signed-in account, if it still exists."""
    return db.session.get(Account, int(account_id)) if account_id.isdigit() else None


class LoginForm(FlaskForm):
    """Email and password; CSRF protected like every staff form."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def home_for(account: Account) -> str:
    """Where each role starts after signing in."""
    if account.role == Role.ARTIST and "studio.index" in _endpoints():
        return url_for("studio.index")
    if "dashboard.index" in _endpoints() and account.role != Role.ARTIST:
        return url_for("dashboard.index")
    return url_for("auth.login")


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)


def _safe_next(target: str | None) -> str | None:
    """Only follow same-site relative ``next`` links (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def login():
    """Show the sign-in form and sign the person in."""
    form = LoginForm()
    if form.validate_on_submit():
        account = authenticate(form.email.data, form.password.data)
        if account:
            login_user(account)
            return redirect(_safe_next(request.args.get("next")) or home_for(account))
        flash(_("Email or password is wrong."), "error")
        return render_template("auth/login.html", form=form), 401
    if current_user.is_authenticated and request.method == "GET":
        return render_template("auth/login.html", form=form, signed_in=True)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out; a POST checked by CSRFProtect, so a link elsewhere cannot sign anyone out."""
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
