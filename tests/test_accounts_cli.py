"""``flask create-user``: password from standard input, clear refusals, non-zero exit codes."""

from sqlalchemy import select
from werkzeug.security import check_password_hash

from feedback_app.extensions import db
from feedback_app.models import Account, Role
from feedback_app.services.people.accounts import authenticate
from tests.conftest import STAFF_PASSWORD


def create_user(runner, *args: str, password: str = STAFF_PASSWORD):
    """Run ``create-user`` with ``password`` piped in."""
    return runner.invoke(args=["create-user", *args], input=password + "\n")


def test_creates_account_with_hashed_password_read_from_stdin(app, runner):
    """The password comes from standard input and is stored only as a scrypt hash."""
    result = create_user(
        runner, "--email", "Aino@Example.org", "--role", "official", "--password-stdin"
    )
    assert result.exit_code == 0, result.output
    assert "Created official aino@example.org." in result.output
    with app.app_context():
        account = db.session.scalar(select(Account))
        assert account.email == "aino@example.org"
        assert account.role == Role.OFFICIAL
        assert account.password_hash.startswith("scrypt:")
        assert STAFF_PASSWORD not in account.password_hash
        assert check_password_hash(account.password_hash, STAFF_PASSWORD)
        assert authenticate("aino@example.org", STAFF_PASSWORD) is not None


def test_artist_joins_named_projects(app, runner, make_project):
    """``--project`` names the projects an artist belongs to."""
    make_project(name="Malmin tarinat")
    result = create_user(
        runner,
        "--email",
        "a@example.org",
        "--role",
        "artist",
        "--password-stdin",
        "--project",
        "Malmin tarinat",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        account = db.session.scalar(select(Account))
        assert [p.name for p in account.projects] == ["Malmin tarinat"]


def test_refuses_duplicate_email(app, runner, make_account):
    """A second account for the same address (any case) is refused, exit code 1."""
    make_account("artist", email="dup@example.org")
    result = create_user(
        runner, "--email", "DUP@example.org", "--role", "admin", "--password-stdin"
    )
    assert result.exit_code == 1
    assert "An account for dup@example.org already exists." in result.output
    with app.app_context():
        assert len(db.session.scalars(select(Account)).all()) == 1


def test_refuses_weak_passwords_with_a_clear_message(app, runner):
    """Short, common, guessable or email-derived passwords are refused; nothing is stored."""
    guessable = "This password is too common or too easy to guess."
    cases = {
        "short": "Password must be at least 12 characters long.",
        "aaaaaaaaaaaaaaaa": guessable,
        "password1234": guessable,
        "qwertyuiop123": guessable,
        "Helsinki2026!": guessable,
        "virtanenmaija": guessable,
        "maija.virtanen-2026!": "Password must not contain your email address.",
    }
    for password, message in cases.items():
        result = create_user(
            runner,
            "--email",
            "maija.virtanen@example.org",
            "--role",
            "artist",
            "--password-stdin",
            password=password,
        )
        assert result.exit_code == 1, password
        assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(Account)) is None


def test_refuses_unknown_project_and_missing_stdin_flag(app, runner):
    """An unknown project name or a missing ``--password-stdin`` fails before anything is saved."""
    unknown = create_user(
        runner,
        "--email",
        "b@example.org",
        "--role",
        "artist",
        "--password-stdin",
        "--project",
        "Nope",
    )
    assert unknown.exit_code == 1
    assert "No project called 'Nope'." in unknown.output
    no_flag = create_user(runner, "--email", "b@example.org", "--role", "artist")
    assert no_flag.exit_code == 2
    assert "--password-stdin" in no_flag.output
    with app.app_context():
        assert db.session.scalar(select(Account)) is None


def test_refuses_unknown_role(app, runner):
    """The role must be artist, official or admin."""
    result = create_user(runner, "--email", "c@example.org", "--role", "boss", "--password-stdin")
    assert result.exit_code == 2
    assert "boss" in result.output
