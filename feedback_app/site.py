"""Public pages that belong to no survey: the front page."""

from flask import Blueprint, render_template

bp = Blueprint("site", __name__)


@bp.get("/")
def index():
    """A short explanation for people who arrive without a survey link."""
    return render_template("site/index.html")
