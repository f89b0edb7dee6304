"""Admin views for accounts, invitation links and API tokens."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from feedback_app.admin import bp
from feedback_app.admin.forms import AccountForm, InvitationForm, TokenForm
from feedback_app.auth.views import staff_url
from feedback_app.links import public_url
from feedback_app.models import Role
from feedback_app.services import catalog_admin
from feedback_app.services.notifications.mailer import DeliveryFailed
from feedback_app.services.people import accounts, api_tokens, invitations
from feedback_app.services.people.accounts import AccountError


def _mail(invitation, link: str) -> str:
    """E-mail the link; ``"sent"``, or ``"failed"`` (the page then says so and shows it)."""
    try:
        invitations.mail_link(invitation, link)
    except DeliveryFailed:
        return "failed"
    return "sent"


def _project_choices() -> list[tuple[int, str]]:
    """Projects as checkbox choices: name, institution and period."""
    return [
        (p.id, f"{p.name} ({p.institution}, {p.period.label})")
        for p in catalog_admin.list_projects()
    ]


@bp.get("/accounts")
def account_list():
    """Every staff account with role, status and projects."""
    return render_template("admin/accounts.html", accounts=accounts.list_accounts())


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
def account(account_id: int):
    """Change an account's role and project membership."""
    person = accounts.get_account(account_id) or abort(404)
    form = AccountForm(obj=person)
    form.projects.choices = _project_choices()
    if not form.is_submitted():
        form.role.data = person.role.value
        form.projects.data = [p.id for p in person.projects]
    if form.validate_on_submit():
        try:
            accounts.update_account(
                account_id, form.role.data, form.projects.data or [], acting_id=current_user.id
            )
        except AccountError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Account saved."), "success")
            return redirect(staff_url("admin.account_list"))
    return render_template("admin/account.html", form=form, person=person), (
        400 if form.errors else 200
    )


@bp.post("/accounts/<int:account_id>/password-link")
def account_password_link(account_id: int):
    """A single-use link, shown once, with which the person sets a new password."""
    person = accounts.get_account(account_id) or abort(404)
    link = mailed = None
    try:
        invitation, token = invitations.create_password_link(account_id, current_user.id)
    except AccountError as error:
        flash(str(error), "error")
    else:
        link = public_url("auth.invitation", token=token)
        mailed = _mail(invitation, link)
    form = AccountForm(formdata=None, obj=person)
    form.projects.choices = _project_choices()
    form.role.data = person.role.value
    form.projects.data = [p.id for p in person.projects]
    return render_template(
        "admin/account.html", form=form, person=person, link=link, mailed=mailed, email=person.email
    )


@bp.post("/accounts/<int:account_id>/active")
def account_active(account_id: int):
    """Deactivate or reactivate an account (CSRF-checked POST)."""
    accounts.get_account(account_id) or abort(404)
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(account_id, active, acting_id=current_user.id)
    except AccountError as error:
        flash(str(error), "error")
    else:
        flash(_("Account activated.") if active else _("Account deactivated."), "success")
    return redirect(staff_url("admin.account_list"))


@bp.route("/invitations", methods=["GET", "POST"])
def invitation_list():
    """Pending invitations, and a form that creates a new link shown once to copy."""
    form = InvitationForm()
    form.projects.choices = _project_choices()
    link = mailed = email = None
    if form.validate_on_submit():
        try:
            invitation, token = invitations.create_invitation(
                form.email.data,
                form.role.data,
                form.projects.data or [],
                current_user.id,
                language=form.language.data,
            )
        except AccountError as error:
            form.form_errors.append(str(error))
        else:
            # Shown in this response only: the database keeps just the token's hash.
            link = public_url("auth.invitation", token=token)
            mailed, email = _mail(invitation, link), invitation.email
            # A fresh form, so a reload or a second click cannot repeat the invitation.
            form = InvitationForm(formdata=None)
            form.projects.choices = _project_choices()
    return render_template(
        "admin/invitations.html",
        form=form,
        link=link,
        mailed=mailed,
        email=email,
        pending=invitations.pending_invitations(),
        projects_of=invitations.projects_of,
    ), (400 if form.errors else 200)


@bp.post("/invitations/<int:invitation_id>/withdraw")
def invitation_withdraw(invitation_id: int):
    """Cancel an unused invitation so its link stops working."""
    if not invitations.withdraw_invitation(invitation_id):
        abort(404)
    flash(_("Invitation withdrawn."), "success")
    return redirect(staff_url("admin.invitation_list"))


def _token_form(**kwargs) -> TokenForm:
    """The token form listing the active officials."""
    form = TokenForm(**kwargs)
    form.account.choices = [
        (a.id, a.email) for a in accounts.list_accounts() if a.role == Role.OFFICIAL and a.active
    ]
    return form


@bp.route("/tokens", methods=["GET", "POST"])
def token_list():
    """API tokens; a new token's secret is shown once, in this response only."""
    form = _token_form()
    secret = None
    if form.validate_on_submit():
        try:
            _row, secret = api_tokens.issue_token(form.account.data, form.label.data)
        except AccountError as error:
            form.form_errors.append(str(error))
        else:
            form = _token_form(formdata=None)
    return render_template(
        "admin/tokens.html", form=form, secret=secret, tokens=api_tokens.list_tokens()
    ), (400 if form.errors else 200)


@bp.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int):
    """Revoke a token at once; tools using it get 401 from then on."""
    if not api_tokens.revoke_token(token_id):
        abort(404)
    flash(_("Token revoked."), "success")
    return redirect(staff_url("admin.token_list"))
