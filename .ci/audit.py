"""``make audit``: known vulnerabilities in the installed packages, or a plain NOT AUDITED.

pip-audit looks each package up in PyPI's advisory data, one release at a time
(``https://pypi.org/pypi/<name>/<version>/json``). Where that answers nothing, pip-audit
marks the package "could not be audited" and still prints "No known vulnerabilities
found": a check that looked like a pass while checking nothing. This script audits the
exact list of installed releases (``pip freeze``, the project itself left out: it is not on
PyPI), counts what was and was not audited, and says which.

Exit status (the rule is in README "Security"):

- 1: a known vulnerability, or packages unaudited although the advisory database answered;
- 1 outside CI whenever anything went unaudited, so nobody mistakes it for a pass;
- 0 in CI (``CI=true``) when the advisory database could not be reached at all: the run
  prints NOT AUDITED, since CI machines without that database must still be able to land;
- 0 when every package was audited and none has a known vulnerability.

Extra arguments (``--ignore-vuln ID``) go to pip-audit unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

RELEASE_URL = "https://pypi.org/pypi/{name}/{version}/json"


def installed_requirements(target: Path) -> int:
    """Write the installed releases as ``name==version`` lines; return how many."""
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line for line in frozen.splitlines() if line and not line.startswith("#")]
    target.write_text("\n".join(lines) + "\n")
    return len(lines)


def run_pip_audit(requirements: Path, extra: list[str]) -> tuple[dict | None, str]:
    """pip-audit's JSON report for ``requirements`` (None if it gave none) and its errors."""
    command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "--no-deps"]
    command += ["--disable-pip", "-f", "json", "--progress-spinner", "off", *extra]
    # The arguments are this script's own (make's AUDIT_IGNORE), never outside input.
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603
    try:
        return json.loads(done.stdout), done.stderr
    except ValueError:
        return None, done.stderr


def database_problem() -> str | None:
    """Why the advisory database cannot be used from here, or None if it answers.

    The probe asks for pip-audit's own installed release, which is certainly on PyPI: if
    even that is unknown, the index in reach carries no advisory data at all.
    """
    url = RELEASE_URL.format(name="pip-audit", version=version("pip-audit"))
    try:
        with urllib.request.urlopen(url, timeout=15) as answer:  # noqa: S310 (fixed https URL)
            json.load(answer)
    except urllib.error.HTTPError as error:
        return f"{url} answered HTTP {error.code}: the index here serves no advisory data"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"{url} could not be read ({getattr(error, 'reason', error)})"
    return None


def report(result: dict, listed: int) -> tuple[list[str], list[str]]:
    """Print the counts; return (unaudited package names, vulnerability lines)."""
    unaudited = [d["name"] for d in result["dependencies"] if "skip_reason" in d]
    found = [
        f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v['fix_versions']) or '-'})"
        for d in result["dependencies"]
        for v in d.get("vulns", [])
    ]
    audited = len(result["dependencies"]) - len(unaudited)
    print(f"audit: {listed} installed packages, {audited} audited, {len(unaudited)} NOT audited")
    for line in found:
        print(f"VULNERABLE: {line}")
    return unaudited, found


def main() -> int:
    """Audit, print what was checked, and return the exit status described above."""
    in_ci = os.environ.get("CI") == "true"
    with tempfile.TemporaryDirectory() as scratch:
        requirements = Path(scratch) / "installed.txt"
        listed = installed_requirements(requirements)
        result, errors = run_pip_audit(requirements, sys.argv[1:])
    if result is None:
        print(errors.strip().splitlines()[-1] if errors.strip() else "pip-audit gave no report")
        unaudited, found = ["every package"], []
    else:
        unaudited, found = report(result, listed)
    if found:
        return 1
    if not unaudited:
        print(f"audit: all {listed} packages audited, no known vulnerabilities")
        return 0
    problem = database_problem()
    if problem is None:
        print(
            f"NOT AUDITED: the advisory database answered, yet these were not found: "
            f"{', '.join(unaudited)}"
        )
        return 1
    print(f"NOT AUDITED: {problem}")
    print(
        f"NOT AUDITED: {len(unaudited)} of {listed} packages were not checked for known "
        "vulnerabilities"
    )
    return 0 if in_ci else 1


if __name__ == "__main__":
    sys.exit(main())
