"""Admins' pages at ``/admin``: districts, grant periods, projects, accounts, invitations, tokens.

Every route of the blueprint is admin-only through one ``before_request`` check, so a view
added later cannot forget its guard.
"""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from feedback_app.extensions import login_manager
from feedback_app.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin():
    """Anonymous visitors go to the sign-in page; other roles get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != Role.ADMIN:
        abort(403)
    return None


@bp.context_processor
def admin_context() -> dict:
    """Translated role names for every admin template."""
    from feedback_app.services.people.accounts import ROLE_LABELS

    return {"role_labels": ROLE_LABELS}


@bp.get("/")
def index():
    """The admin's start page: counts and links to each area."""
    from feedback_app.services.catalog_admin import overview

    return render_template("admin/index.html", counts=overview())


from feedback_app.admin import catalog, people  # noqa: E402, F401  (routes register on bp)
