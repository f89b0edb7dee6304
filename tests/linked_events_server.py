"""A local stand-in for the Linked Events API, serving tests/fixtures/linked_events/.

The fixtures keep the API's real shapes (``meta``/``data`` lists, multilingual ``name``,
``location`` expanded by ``include=location`` with its ``divisions``); ``{base}`` in them
becomes this server's address, so ``meta.next`` and ``@id`` links lead back here. The first
path segment picks a behaviour: ``/v1/`` answers normally, ``/broken/v1/`` with 500,
``/garbled/v1/`` with invalid JSON, ``/slow/v1/`` only after ``SLOW_SECONDS``, and
``/flaky/v1/`` fails from the second page on.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "linked_events"
PORTS = range(8301, 8310)
SLOW_SECONDS = 8
EVENTS = {
    "helsinki:agf3tsnbzu": "event_malmi.json",
    "helsinki:agf3kannel": "event_kannelmaki.json",
    "helsinki:agf3nowher": "event_no_place.json",
    "helsinki:agf3bareplc": "event_bare_place.json",
    "helsinki:agf3placeref": "event_place_reference.json",
}
PLACES = {"tprek:8740": "malmitalo.json"}


class _Handler(BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, *_args) -> None:  # quiet test output
        pass

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # fails only when the client gave up waiting, as it should

    def _fixture(self, name: str, mode: str) -> bytes:
        base = f"{self.server.url}/{mode + '/' if mode else ''}v1/"
        return (FIXTURES / name).read_text().replace("{base}", base).encode()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        segments = parts.path.strip("/").split("/")
        mode = "" if segments[0] == "v1" else segments.pop(0)
        self.server.requests.append((mode, parts.path, query))
        second_page = query.get("page") == ["2"]
        if mode == "broken" or (mode == "flaky" and second_page):
            return self._send(500, b"<h1>Server Error (500)</h1>", "text/html")
        if mode == "garbled":
            return self._send(200, b'{"meta": {"count": 1}, "data": [')
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
        resource = segments[1:]
        if resource == ["event"]:
            text = query.get("text", [""])[0]
            name = "search_empty.json" if text == "nothing" else "search_page1.json"
            name = "search_page2.json" if second_page else name
            return self._send(200, self._fixture(name, mode))
        if len(resource) == 2 and resource[0] == "event" and resource[1] in EVENTS:
            return self._send(200, self._fixture(EVENTS[resource[1]], mode))
        if len(resource) == 2 and resource[0] == "place" and resource[1] in PLACES:
            return self._send(200, self._fixture(PLACES[resource[1]], mode))
        return self._send(404, b'{"detail": "Not found."}')


class FixtureServer(ThreadingHTTPServer):
    """The fixture API on the first free port of ``PORTS``, served from a thread."""

    daemon_threads = True

    def __init__(self) -> None:
        for port in PORTS:
            try:
                super().__init__(("127.0.0.1", port), _Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port for the Linked Events fixture server")
        self.requests: list[tuple[str, str, dict]] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def base(self, mode: str = "") -> str:
        """``LINKED_EVENTS_URL`` for a behaviour ("", "broken", "garbled", "slow", "flaky")."""
        return f"{self.url}/{mode + '/' if mode else ''}v1/"

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.shutdown()
        self.server_close()
