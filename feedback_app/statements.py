"""Public statements required of a city service: the privacy notice and the accessibility
statement (saavutettavuusseloste), in Finnish, Swedish and English."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("statements", __name__)

# Requests about personal data go to the city's registry office unless the operator says
# otherwise; the address is configuration, not code, so another city can run the app.
DEFAULT_CONTACT_EMAIL = "helsinki.kirjaamo@hel.fi"
# Finland's supervisor for the accessibility requirements (act 306/2019).
SUPERVISOR = {
    "name": "Liikenne- ja viestintävirasto Traficom, Digitaalisen esteettömyyden valvonta",
    "url": "https://www.saavutettavuusvaatimukset.fi",
    "email": "saavutettavuus@traficom.fi",
}
STATEMENT_DATE = "2026-11-27"


def contact_email() -> str:
    """Where residents send questions about their data and accessibility feedback."""
    return current_app.config.get("CONTACT_EMAIL") or DEFAULT_CONTACT_EMAIL


@bp.get("/privacy")
def privacy():
    """What the service stores, what it never stores, and how long comments are kept."""
    return render_template(
        "statements/privacy.html",
        contact=contact_email(),
        retention_days=current_app.config["COMMENT_RETENTION_DAYS"],
        min_group=current_app.config["MIN_GROUP_SIZE"],
    )


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement: conformance, known gaps, feedback and enforcement."""
    return render_template(
        "statements/accessibility.html",
        contact=contact_email(),
        supervisor=SUPERVISOR,
        statement_date=STATEMENT_DATE,
    )
