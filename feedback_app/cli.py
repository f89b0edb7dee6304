"""Flask CLI commands: ``seed-demo``, ``create-user``, ``purge-comments``, ``i18n-check``."""

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
