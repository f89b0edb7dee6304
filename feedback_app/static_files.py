"""Static files: content-hashed URLs, served by WhiteNoise, cached for a year where hashed.

``url_for('static', filename='css/app.css')`` gives ``/static/css/app.<hash>.css``, the hash
taken once per process from the file's bytes. A hashed URL names exactly one content, so
browsers (and the service worker's install) may keep it for a year without asking again;
a changed file gets a new URL. The plain name (``/static/css/app.css``) still works for
anything that cannot follow the hashes (old bookmarks, the worker's own scope) and is
revalidated on every use. WhiteNoise serves both from the same index, with a ``.gz`` or
``.br`` file beside the original sent to browsers that accept it.

A hashed URL whose hash is no longer current (a page loaded before a deploy) gets today's
file, revalidated, not an error: the page still works and nothing wrong is cached for long.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, abort, send_from_directory
from whitenoise import WhiteNoise

from feedback_app.security import set_static_file_headers

HASH_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSED_SUFFIXES = (".gz", ".br")
HASHED_NAME = re.compile(rf"^(?P<stem>.+)\.[0-9a-f]{{{HASH_LENGTH}}}(?P<suffix>\.[^./]+)$")


class StaticServer(WhiteNoise):
    """WhiteNoise for GET and HEAD; other methods go on to the app, which refuses them with
    the same error page and headers as any other URL."""

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        return super().__call__(environ, start_response)


def hashed_name(name: str, content: bytes) -> str:
    """``css/app.css`` → ``css/app.<first 12 hex digits of its SHA-256>.css``."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    folder, _, filename = name.rpartition("/")
    stem, dot, suffix = filename.rpartition(".")
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{filename}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


class StaticFiles:
    """The hashed name of every file under one folder, computed once from the bytes."""

    def __init__(self, folder: Path, url_path: str = "/static"):
        self.folder = folder
        self.url_path = url_path.rstrip("/")
        self.hashed: dict[str, str] = {}
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and path.suffix not in COMPRESSED_SUFFIXES:
                name = path.relative_to(folder).as_posix()
                self.hashed[name] = hashed_name(name, path.read_bytes())
        self.hashed_urls = {f"{self.url_path}/{name}" for name in self.hashed.values()}

    def is_hashed_url(self, url: str) -> bool:
        """Whether ``url`` is a current content-hashed URL (safe to cache forever)."""
        return url in self.hashed_urls

    def current_name(self, stale: str) -> str | None:
        """The plain name a hashed-looking name stands for, if such a file exists."""
        match = HASHED_NAME.match(stale)
        if match is None:
            return None
        name = match["stem"] + match["suffix"]
        return name if name in self.hashed else None

    def headers(self, headers, path: str, url: str) -> None:
        """WhiteNoise's hook: the caching rule, plus the headers every response carries."""
        headers["Cache-Control"] = IMMUTABLE if self.is_hashed_url(url) else REVALIDATE
        set_static_file_headers(headers)

    def middleware(self, application) -> StaticServer:
        """WhiteNoise over ``application`` serving every file by plain and by hashed URL."""
        server = StaticServer(
            application,
            allow_all_origins=False,
            add_headers_function=self.headers,
            immutable_file_test=lambda path, url: self.is_hashed_url(url),
        )
        server.add_files(str(self.folder), prefix=self.url_path + "/")
        for name, hashed in self.hashed.items():
            server.add_file_to_dictionary(f"{self.url_path}/{hashed}", str(self.folder / name))
        return server


def install(app: Flask) -> StaticFiles:
    """Serve ``app``'s static folder through WhiteNoise and hash its ``url_for`` URLs."""
    files = StaticFiles(Path(app.static_folder), app.static_url_path)

    @app.url_defaults
    def hash_static_urls(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = files.hashed.get(values["filename"], values["filename"])

    def stale_or_missing(filename: str):
        """What WhiteNoise did not have: an old hash gets today's file, anything else 404."""
        name = files.current_name(filename)
        if name is None:
            abort(404)
        response = send_from_directory(app.static_folder, name, max_age=None)
        response.headers["Cache-Control"] = REVALIDATE
        return response

    app.view_functions["static"] = stale_or_missing
    app.wsgi_app = files.middleware(app.wsgi_app)
    app.extensions["fiilis_static_files"] = files
    return files
