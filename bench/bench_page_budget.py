"""Size budget of the resident survey page.

The survey HTML must fit the first round trip (≤ 14.6 kB gzipped) and everything the page
loads (styles, scripts, icons, manifest) must stay ≤ 50 kB gzipped, with no web fonts, no
framework and no Plotly. Writes bench/results/page_budget.json and .md; exits 1 over budget.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HTML_BUDGET = 14_600
TOTAL_BUDGET = 50_000
FORBIDDEN = ("plotly", ".woff", ".woff2", ".ttf", "react", "vue", "jquery")


class AssetCollector(HTMLParser):
    """Collects same-origin URLs that a browser fetches while loading the page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Stylesheets, icons, the manifest, scripts and images."""
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") in {
            "stylesheet",
            "manifest",
            "icon",
            "apple-touch-icon",
        }:
            self.urls.append(attributes["href"])
        elif tag in {"script", "img"} and attributes.get("src"):
            self.urls.append(attributes["src"])


def gzipped_size(body: bytes) -> int:
    """Bytes on the wire with gzip at the level servers typically use."""
    return len(gzip.compress(body, compresslevel=6))


def measure(client, path: str) -> dict:
    """Fetch the page and everything it references; return sizes."""
    page = client.get(path, headers={"Accept-Language": "fi"})
    assert page.status_code == 200, page.status_code
    collector = AssetCollector()
    collector.feed(page.get_data(as_text=True))
    assets = {}
    for url in dict.fromkeys(collector.urls):
        body = client.get(url).data
        assets[url] = {"raw": len(body), "gzip": gzipped_size(body)}
        # CSS may reference further files (icons); count those too.
        if url.endswith(".css"):
            for ref in _css_urls(body.decode()):
                assets.setdefault(ref, {"raw": 0, "gzip": gzipped_size(client.get(ref).data)})
    html_gzip = gzipped_size(page.data)
    total = html_gzip + sum(a["gzip"] for a in assets.values())
    return {
        "path": path,
        "html_raw": len(page.data),
        "html_gzip": html_gzip,
        "assets": assets,
        "total_gzip": total,
    }


def _css_urls(css: str) -> list[str]:
    import re

    return [m for m in re.findall(r"url\(['\"]?(/[^)'\"]+)", css)]


def main() -> int:
    """Seed a throw-away database, measure /s/demo in three languages, write results."""
    from feedback_app import create_app
    from feedback_app.extensions import db
    from feedback_app.services.demo import seed_demo

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/budget.sqlite3",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            seed_demo()
        client = app.test_client()
        results = [measure(client, f"/s/demo?lang={lang}") for lang in ("fi", "sv", "en")]
        with app.app_context():
            db.engine.dispose()
    worst = max(results, key=lambda r: r["total_gzip"])
    urls = " ".join(u for r in results for u in r["assets"]).lower()
    forbidden = [word for word in FORBIDDEN if word in urls]
    ok = (
        max(r["html_gzip"] for r in results) <= HTML_BUDGET
        and worst["total_gzip"] <= TOTAL_BUDGET
        and not forbidden
    )
    summary = {
        "html_budget": HTML_BUDGET,
        "total_budget": TOTAL_BUDGET,
        "pages": results,
        "forbidden_found": forbidden,
        "within_budget": ok,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "page_budget.json").write_text(json.dumps(summary, indent=2))
    lines = [
        "# Resident page budget",
        "",
        "| page | HTML gzip | everything gzip |",
        "|---|---|---|",
    ]
    lines += [f"| `{r['path']}` | {r['html_gzip']:,} B | {r['total_gzip']:,} B |" for r in results]
    lines += [
        "",
        f"Budget: HTML ≤ {HTML_BUDGET:,} B, everything ≤ {TOTAL_BUDGET:,} B gzipped. "
        f"Web fonts, frameworks, Plotly: {forbidden or 'none'}.",
        "",
        "| asset | gzip |",
        "|---|---|",
    ]
    lines += [f"| `{url}` | {a['gzip']:,} B |" for url, a in worst["assets"].items()]
    (out / "page_budget.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
