"""The staff session cookie is written on staff pages only.

Residents are promised pages that set no cookie. A signed-in staff member who opens a
survey, its thank-you page or the public summary would otherwise get one there: Flask
rewrites the session whenever something changes it (a flash message read by the page
layout, a CSRF token, Flask-Login's bookkeeping), and a cookie set on a resident page ties
that visit to a staff identity.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from feedback_app.security import STAFF_PREFIXES


class StaffOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, saved only on responses to staff paths."""

    def save_session(self, app: Flask, session, response) -> None:
        """Save as Flask does on staff paths; elsewhere leave the cookie as it is.

        Changes made on another page (a flash read there) stay unsaved, so they are still
        in the cookie for the next staff page.
        """
        if not request.path.startswith(STAFF_PREFIXES):
            return
        super().save_session(app, session, response)


def install(app: Flask) -> None:
    """Use the staff-only session for ``app``."""
    app.session_interface = StaffOnlySessionInterface()
