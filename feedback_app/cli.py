"""Flask CLI commands: ``seed-demo``, ``create-user``, ``purge-comments``, ``i18n-check``,
``alerts check``, ``digest send`` and ``mail retry``."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from feedback_app.models import Role


def register(app: Flask) -> None:
    """Attach the commands to ``flask --app feedback_app``."""

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load demo districts, projects, surveys and responses (idempotent)."""
        from feedback_app.services.demo import seed_demo

        counts = seed_demo()
        click.echo(
            f"Demo data ready: {counts['districts']} districts, {counts['projects']} projects, "
            f"{counts['surveys']} surveys. Open survey: /s/demo"
        )

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    @click.option("--project", "projects", multiple=True, help="Project name (artists).")
    def create_user_command(email: str, role: str, password_stdin: bool, projects) -> None:
        """Create a staff account; the password is read from standard input."""
        from feedback_app.services.people.accounts import AccountError, create_account

        if not password_stdin:
            raise click.UsageError("Pass --password-stdin and pipe the password in.")
        password = sys.stdin.readline().rstrip("\r\n")
        try:
            members_of = _projects_named(projects)
            account = create_account(email, role, password, projects=members_of)
        except AccountError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Created {account.role.value} {account.email}.")

    @app.cli.command("purge-comments")
    def purge_comments_command() -> None:
        """Delete free-text answers older than COMMENT_RETENTION_DAYS."""
        from feedback_app.services.answers.responses import delete_old_comments

        days = current_app.config["COMMENT_RETENTION_DAYS"]
        click.echo(f"Deleted {delete_old_comments(days)} comments older than {days} days.")

    @app.cli.command("i18n-check")
    def i18n_check_command() -> None:
        """Fail when a catalogue lacks a message its language needs (untranslated or fuzzy)."""
        from feedback_app.catalogue_check import catalogue_gaps

        gaps = catalogue_gaps()
        for gap in gaps:
            click.echo(f"{gap.language}: {gap.problem}: {gap.msgid}")
        if gaps:
            raise click.ClickException(f"{len(gaps)} messages to translate")
        click.echo("Every resident language is complete.")

    register_mail_commands(app)


def _finish_delivery(what: str, queued: int) -> None:
    """Send the outbox and report; a mail server that failed makes the command exit 1.

    The failed messages stay queued with their error; the next run (or ``mail retry``)
    sends them.
    """
    from feedback_app.services.notifications.mailer import deliver_pending

    delivery = deliver_pending()
    click.echo(f"{what}: {queued} queued, {delivery.sent} sent, {delivery.failed} failed.")
    for error in delivery.errors:
        click.echo(f"Not sent (kept for a retry): {error}", err=True)
    if delivery.failed:
        raise click.ClickException(f"{delivery.failed} e-mails could not be sent")


def _day_option(function):
    return click.option(
        "--date",
        "day",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Count as if today were this day (default: today in Helsinki).",
    )(function)


def register_mail_commands(app: Flask) -> None:
    """``flask alerts check``, ``flask digest send`` and ``flask mail retry``."""
    from flask.cli import AppGroup

    alerts = AppGroup("alerts", help="Drop alerts to officials.")
    digest = AppGroup("digest", help="The weekly digest.")
    mail = AppGroup("mail", help="The outbox of queued e-mail.")

    @alerts.command("check")
    @_day_option
    def alerts_check_command(day) -> None:
        """Compare the last 7 days with the 90 before and e-mail each new drop once."""
        from feedback_app.services.notifications.alerts import check_alerts
        from feedback_app.services.notifications.windows import helsinki_today

        today = day.date() if day else helsinki_today()
        run = check_alerts(today, current_app.config["MIN_GROUP_SIZE"])
        for drop in run.drops:
            click.echo(f"Drop: {drop.level} {drop.entity_id} {drop.indicator}")
        _finish_delivery(f"Alerts ({len(run.drops)} new drops)", run.queued)

    @digest.command("send")
    @_day_option
    def digest_send_command(day) -> None:
        """E-mail the week's digest to every subscribed official and artist (once a week)."""
        from feedback_app.services.notifications.digest import queue_digests
        from feedback_app.services.notifications.windows import helsinki_today

        today = day.date() if day else helsinki_today()
        queued = queue_digests(today, current_app.config["MIN_GROUP_SIZE"])
        _finish_delivery("Digest", queued)

    @mail.command("retry")
    def mail_retry_command() -> None:
        """Send the queued e-mails that earlier runs could not deliver."""
        _finish_delivery("Outbox", 0)

    for group in (alerts, digest, mail):
        app.cli.add_command(group)


def _projects_named(names) -> list:
    """The projects with these names; an unknown name is an error before anything is saved."""
    from sqlalchemy import select

    from feedback_app.extensions import db
    from feedback_app.models import Project
    from feedback_app.services.people.accounts import AccountError

    found = []
    for name in names:
        project = db.session.scalar(select(Project).where(Project.name == name))
        if project is None:
            raise AccountError(f"No project called {name!r}.")
        found.append(project)
    return found
