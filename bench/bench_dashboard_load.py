"""First load of the officials' dashboard in Chromium: bytes transferred and time until drawn.

Serves the app as ``make serve`` does (gunicorn with gunicorn.conf.py, FIILIS_ENV=production,
no proxy in front) on a fresh SQLite database with the demo data, signs an official in, empties
the browser cache and opens ``/dashboard/?lang=fi`` at 390 × 844 px. Measured per run: bytes on
the wire (Chromium's encodedDataLength, headers included) and the time from navigation until
all four charts are drawn. Each run is made on loopback and on an emulated 10 Mbit/s line with
20 ms latency, and for both plotly.js files: the partial bundle ``make assets`` installs and
the Python package's full file. Budgets: ≤ 600 kB and ≤ 1.5 s (median, loopback) with the
partial bundle. Writes bench/results/dashboard_load.json and .md; exits 1 over budget.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
BYTES_BUDGET = 600_000
SECONDS_BUDGET = 1.5
RUNS = 5
PASSWORD = secrets.token_urlsafe(16)  # the bench's throw-away official
EMAIL = "bench-official@example.org"
LINES = {
    "loopback": None,
    "10 Mbit/s, 20 ms": {
        "latency": 20,
        "downloadThroughput": 10e6 / 8,
        "uploadThroughput": 5e6 / 8,
    },
}
PATH = "/dashboard/?lang=fi"


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(env: dict) -> None:
    """Migrate, seed the demo data and add an official (the same CLI as ``make run``)."""
    flask = [sys.executable, "-m", "flask", "--app", "feedback_app"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        flask + ["create-user", "--email", EMAIL, "--role", "official", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )


def serve(env: dict, port: int) -> subprocess.Popen:
    """gunicorn as ``make serve`` starts it, on ``port``; returns once it answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env
        | {
            "BIND": f"127.0.0.1:{port}",
            "ACCESS_LOG": "off",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def first_loads(base: str, line: dict | None) -> list[dict]:
    """``RUNS`` first loads of the dashboard, each with an empty cache."""
    from playwright.sync_api import sync_playwright

    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{base}/login?lang=fi")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if line:
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **line})
        for _ in range(RUNS):
            page.goto("about:blank")
            cdp.send("Network.clearBrowserCache")
            sizes: dict[str, float] = {}
            urls: dict[str, str] = {}
            encodings: dict[str, str] = {}

            def sent(event, urls=urls):
                urls[event["requestId"]] = event["request"]["url"]

            def received(event, encodings=encodings):
                headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
                encodings[event["requestId"]] = headers.get("content-encoding", "")

            def finished(event, sizes=sizes):
                sizes[event["requestId"]] = event["encodedDataLength"]

            cdp.on("Network.requestWillBeSent", sent)
            cdp.on("Network.responseReceived", received)
            cdp.on("Network.loadingFinished", finished)
            start = time.perf_counter()
            page.goto(base + PATH)
            # A locator, not a script: the page's CSP forbids evaluating strings.
            page.locator(".chart.drawn").nth(3).wait_for(timeout=60_000)
            seconds = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            for name in ("Network.requestWillBeSent", "Network.responseReceived"):
                cdp.remove_listener(name, sent if "Sent" in name else received)
            cdp.remove_listener("Network.loadingFinished", finished)
            files = {
                urls[key].replace(base, ""): {
                    "bytes": int(size),
                    "encoding": encodings.get(key, ""),
                }
                for key, size in sizes.items()
                if key in urls
            }
            loads.append(
                {"seconds": round(seconds, 3), "bytes": int(sum(sizes.values())), "files": files}
            )
        browser.close()
    return loads


def measure(env: dict, bundle_dir: str) -> dict:
    """First loads on each line, with the plotly.js found in ``bundle_dir``."""
    port = free_port()
    server = serve(env | {"PLOTLY_BUNDLE_DIR": bundle_dir}, port)
    try:
        base = f"http://127.0.0.1:{port}"
        by_line = {}
        for name, line in LINES.items():
            loads = first_loads(base, line)
            by_line[name] = {
                "median_seconds": round(statistics.median(x["seconds"] for x in loads), 3),
                "max_seconds": max(x["seconds"] for x in loads),
                "bytes": max(x["bytes"] for x in loads),
                "files": loads[-1]["files"],
            }
        return by_line
    finally:
        server.terminate()
        server.wait(timeout=20)


def write(results: dict) -> None:
    """bench/results/dashboard_load.json and .md."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboard_load.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Dashboard first load",
        "",
        f"`{PATH}` at 390 × 844 px in Chromium, empty cache, signed in as an official; the app "
        "under gunicorn (`gunicorn.conf.py`, `FIILIS_ENV=production`, one worker), no proxy, "
        "demo data. "
        f"Time: navigation until all four charts are drawn, median and slowest of {RUNS} runs. "
        "Bytes: everything transferred, headers included.",
        "",
        "| plotly.js | line | bytes transferred | median | slowest |",
        "|---|---|---|---|---|",
    ]
    for bundle, by_line in results["bundles"].items():
        for line, figures in by_line.items():
            lines.append(
                f"| {bundle} | {line} | {figures['bytes']:,} B | "
                f"{figures['median_seconds']:.2f} s | {figures['max_seconds']:.2f} s |"
            )
    lines += [
        "",
        f"Machine: {os.cpu_count()} cores, load average {results['load_before']:.1f} before and "
        f"{results['load_after']:.1f} after the runs (other work on the machine slows the "
        "browser's parsing and drawing as much as the server).",
        "",
        f"Budget (partial bundle, loopback): ≤ {BYTES_BUDGET:,} B and ≤ {SECONDS_BUDGET} s. "
        f"Result: **{'within budget' if results['within_budget'] else 'OVER BUDGET'}**.",
        "",
        "Files of one first load with the partial bundle on loopback:",
        "",
        "| file | encoding | bytes |",
        "|---|---|---|",
    ]
    files = results["bundles"]["partial (basic)"]["loopback"]["files"]
    for url, file in sorted(files.items(), key=lambda item: -item[1]["bytes"]):
        lines.append(f"| `{url}` | {file['encoding'] or '–'} | {file['bytes']:,} B |")
    (RESULTS / "dashboard_load.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    partial = ROOT / "vendor" / "plotly"
    if not (partial / "plotly-basic.min.js").is_file():
        print("run `make assets` first: vendor/plotly/plotly-basic.min.js is missing")
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="fiilis-dashboard-load-"))
    try:
        env = os.environ | {
            "FIILIS_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
            # One browser, one worker: the per-process limiter storage is then exact, and the
            # bench needs no Redis of its own.
            "RATELIMIT_STORAGE_URI": "memory://",
            "WEB_CONCURRENCY": "1",
        }
        env["PUBLIC_BASE_URL"] = "http://127.0.0.1"
        prepare(env)
        load_before = os.getloadavg()[0]
        bundles = {
            "partial (basic)": measure(env, str(partial)),
            "full (Python package)": measure(env, str(scratch / "no-bundle")),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    loopback = bundles["partial (basic)"]["loopback"]
    within = loopback["bytes"] <= BYTES_BUDGET and loopback["median_seconds"] <= SECONDS_BUDGET
    write(
        {
            "bundles": bundles,
            "within_budget": within,
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
        }
    )
    print((RESULTS / "dashboard_load.md").read_text())
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
