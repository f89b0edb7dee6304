"""``/account``: e-mail language and subscriptions; ``/unsubscribe/<signed>``: no sign-in.

The unsubscribe link carries a signed token (``services.notifications.unsubscribe``) and
is its own authority, so its POST needs no CSRF token: mail clients send it as the
RFC 8058 one-click POST. Opening the link shows one button; link scanners that fetch
every link in a message therefore unsubscribe nobody.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField

from feedback_app.admin.forms import CheckboxListField, mail_language_choices
from feedback_app.auth.views import staff_url
from feedback_app.extensions import csrf
from feedback_app.models import Role
from feedback_app.services.notifications import subscriptions
from feedback_app.services.notifications.unsubscribe import read_token

bp = Blueprint("account", __name__)


SCOPES = [("all", _l("Every target district")), ("chosen", _l("Only the districts I choose"))]


class MailForm(FlaskForm):
    """What e-mail the person receives, and in which language."""

    language = SelectField(_l("Language of e-mails"), choices=mail_language_choices)
    alerts = BooleanField(_l("Alerts when residents' safety or belonging clearly drops"))
    digest = BooleanField(_l("The weekly digest"))
    scope = RadioField(_l("Districts"), choices=lambda: SCOPES, default="all")
    districts = CheckboxListField(_l("Districts I follow"), coerce=int)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    """The signed-in person's e-mail choices."""
    form = MailForm()
    official = current_user.role == Role.OFFICIAL
    form.districts.choices = [(d.id, d.name_fi) for d in subscriptions.all_districts()]
    if not form.is_submitted():
        form.language.data = current_user.language
        form.alerts.data = current_user.alert_mail
        form.digest.data = current_user.digest_mail
        form.scope.data = "chosen" if current_user.chosen_districts else "all"
        form.districts.data = sorted(subscriptions.followed_district_ids(current_user))
    if form.validate_on_submit():
        subscriptions.save_choices(
            current_user.id,
            subscriptions.Choices(
                language=form.language.data,
                alerts=form.alerts.data,
                digest=form.digest.data,
                chosen_districts=official and form.scope.data == "chosen",
                district_ids=tuple(form.districts.data or ()),
            ),
        )
        flash(_("E-mail settings saved."), "success")
        return redirect(staff_url("account.settings"))
    return render_template(
        "account/settings.html",
        form=form,
        official=official,
        projects=current_user.projects,
    ), (400 if form.errors else 200)


@bp.route("/unsubscribe/<signed>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(signed: str):
    """GET: a page with one button; POST (that button or a mail client): unsubscribe."""
    from flask import request

    found = read_token(signed)
    if found is None:
        abort(400)
    account_id, kind = found
    if request.method == "POST":
        if not subscriptions.unsubscribe(account_id, kind):
            abort(404)
        return render_template("account/unsubscribed.html", kind=kind, done=True)
    return render_template("account/unsubscribed.html", kind=kind, done=False, signed=signed)
