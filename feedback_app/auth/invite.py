"""``/invite/<token>``: an invited person sets their own password and gets their account."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from feedback_app.auth.views import bp, home_for
from feedback_app.extensions import limiter
from feedback_app.services.people.accounts import ROLE_LABELS, AccountError
from feedback_app.services.people.invitations import (
    InvitationGone,
    InvitationNotFound,
    accept_invitation,
    invitation_for_token,
    is_password_link,
)


class SetPasswordForm(FlaskForm):
    """The invited person's own password, typed twice."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def invitation(token: str):
    """Show who is invited and as what; on a good password create the account and sign in."""
    try:
        invited = invitation_for_token(token)
    except InvitationNotFound:
        abort(404)
    except InvitationGone as gone:
        return render_template("auth/invitation_gone.html", reason=gone.reason), 410
    new_password = is_password_link(invited)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            account = accept_invitation(token, form.password.data)
        except AccountError as error:  # a weak password: the link stays usable
            form.password.errors = [*form.password.errors, str(error)]
        except InvitationGone as gone:  # used in another tab a moment ago
            return render_template("auth/invitation_gone.html", reason=gone.reason), 410
        else:
            login_user(account)
            if new_password:
                flash(_("Your new password is saved."), "success")
            else:
                flash(_("Welcome! Your account is ready."), "success")
            return redirect(home_for(account))
    status = 400 if form.errors else 200
    return render_template(
        "auth/invitation.html",
        form=form,
        invited=invited,
        role_label=ROLE_LABELS[invited.role],
        new_password=new_password,
    ), status
