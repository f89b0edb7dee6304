"""The project's own checks say what they checked, or fail: translations and the audit."""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import ROOT, free_port

# The virtualenv running this suite; ``-o install`` keeps make from reinstalling into it.
VENV = Path(sys.executable).parent.parent


def compile_catalogues(catalogues: Path) -> subprocess.CompletedProcess:
    """``make compile-translations`` on the catalogues under ``catalogues``."""
    return subprocess.run(
        ["make", "-s", "-o", "install", "compile-translations"]
        + [f"VENV={VENV}", f"CATALOGUES={catalogues}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def catalogues(tmp_path) -> Path:
    """A copy of the app's catalogues that a test may break."""
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "feedback_app" / "translations", copy)
    return copy


def test_compile_translations_passes_on_the_real_catalogues(catalogues):
    done = compile_catalogues(catalogues)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (catalogues / "fi" / "LC_MESSAGES" / "messages.mo").exists()


def test_compile_translations_fails_on_a_wrong_placeholder(catalogues):
    po = catalogues / "fi" / "LC_MESSAGES" / "messages.po"
    text = po.read_text()
    assert "%(count)d merkkiä" in text
    po.write_text(text.replace("%(count)d merkkiä", "%(maara)d merkkiä"))
    done = compile_catalogues(catalogues)
    assert done.returncode != 0
    assert "unknown named placeholder 'maara'" in done.stdout
    assert "catalogue errors above must be fixed" in done.stdout


def test_compile_translations_fails_on_a_syntax_error(catalogues):
    po = catalogues / "sv" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text() + '\nmsgid "Trasig"\nmsgstr "Trasig\n\nmsgid ')
    done = compile_catalogues(catalogues)
    assert done.returncode != 0
    assert "Problem on line" in done.stdout


AUDIT = runpy.run_path(str(ROOT / ".ci" / "audit.py"))


def fake_audit(monkeypatch, dependencies: list[dict], problem: str | None, ci: bool):
    """Run the audit's ``main`` with pip-audit's report and the probe replaced."""
    main = AUDIT["main"]
    names = main.__globals__
    monkeypatch.setitem(names, "installed_requirements", lambda _path: len(dependencies))
    monkeypatch.setitem(
        names, "run_pip_audit", lambda _path, _extra: ({"dependencies": dependencies}, "")
    )
    monkeypatch.setitem(names, "database_problem", lambda: problem)
    monkeypatch.setattr(sys, "argv", ["audit.py"])
    monkeypatch.setenv("CI", "true" if ci else "false")
    return main()


SKIPPED = {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited"}
CLEAN = {"name": "qrcode", "version": "8.2", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
}
UNREACHABLE = "https://pypi.org/pypi/pip-audit/2.10.1/json answered HTTP 404"


@pytest.mark.parametrize("ci", [True, False])
def test_audit_with_unaudited_packages_and_a_reachable_database_fails(monkeypatch, capsys, ci):
    assert fake_audit(monkeypatch, [SKIPPED, CLEAN], problem=None, ci=ci) == 1
    out = capsys.readouterr().out
    assert "2 installed packages, 1 audited, 1 NOT audited" in out
    assert "NOT AUDITED" in out and "flask" in out
    assert "No known vulnerabilities" not in out


@pytest.mark.parametrize(("ci", "status"), [(True, 0), (False, 1)])
def test_audit_without_the_database_says_not_audited(monkeypatch, capsys, ci, status):
    """CI passes without the database (the rule in README "Security"), but says so loudly."""
    assert fake_audit(monkeypatch, [SKIPPED, SKIPPED], problem=UNREACHABLE, ci=ci) == status
    out = capsys.readouterr().out
    assert f"NOT AUDITED: {UNREACHABLE}" in out
    assert "2 of 2 packages were not checked" in out


def test_audit_reports_a_vulnerability_and_fails(monkeypatch, capsys):
    assert fake_audit(monkeypatch, [VULNERABLE, CLEAN], problem=None, ci=True) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE: jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in out


def test_audit_passes_only_when_every_package_was_audited(monkeypatch, capsys):
    assert fake_audit(monkeypatch, [CLEAN, CLEAN], problem=None, ci=True) == 0
    assert "all 2 packages audited, no known vulnerabilities" in capsys.readouterr().out


POSTGRES = runpy.run_path(str(ROOT / ".ci" / "postgres_status.py"))


def test_postgres_pass_names_a_server_that_is_not_running():
    unused_port = free_port()
    code, message = POSTGRES["status"](f"postgresql+psycopg://postgres@127.0.0.1:{unused_port}/t")
    assert code == 3
    assert f"PostgreSQL is not running on 127.0.0.1:{unused_port}" in message


def test_postgres_pass_names_a_refused_password(monkeypatch):
    """libpq's words for a wrong password (the local server trusts every login, so it cannot
    be asked to refuse one)."""
    import psycopg

    refusal = (
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        'FATAL:  password authentication failed for user "fiilis"'
    )

    def refuse(*_args, **_kwargs):
        raise psycopg.OperationalError(refusal)

    monkeypatch.setattr(psycopg, "connect", refuse)
    code, message = POSTGRES["status"]("postgresql+psycopg://fiilis:wrong@127.0.0.1:5432/t")
    assert code == 2
    assert message == (
        "PostgreSQL on 127.0.0.1:5432 is running but refused the login: "
        'password authentication failed for user "fiilis"'
    )
