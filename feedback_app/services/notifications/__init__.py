"""E-mail to staff: the mailer and outbox, drop alerts, weekly digests and unsubscribe links.

Nothing here carries resident data beyond the suppressed aggregates the dashboard shows.
"""
