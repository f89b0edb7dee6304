"""Template globals shared by every blueprint."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Flask, has_request_context, request, url_for
from flask_babel import format_date, format_decimal, get_locale

from feedback_app import i18n
from feedback_app.questions import question_type
from feedback_app.scale import FACE_LABELS


def url_with_lang(lang: str) -> str:
    """The current page's URL with ``?lang=`` set, keeping other query arguments.

    A query argument named like a path part (``?code=``) or like one of ``url_for``'s own
    options (``?_external=1``, ``?_scheme=``) is dropped: passed on, it would break the page
    or build the links on the request's forgeable Host.
    """
    view_args = request.view_args or {}
    args = {
        key: value
        for key, value in request.args.items()
        if key not in view_args and not key.startswith("_")
    }
    args["lang"] = lang
    if request.endpoint is None:  # an unmatched URL's error page: the same path again
        # One leading slash, percent-encoded: ``//evil.example`` must not become a link to
        # another site on our own error page.
        path = quote("/" + request.path.lstrip("/"), safe="/")
        return f"{path}?{urlencode(args)}"
    return url_for(request.endpoint, **view_args, **args)


def register(app: Flask) -> None:
    """Expose language helpers, the locale-aware date filter and question kinds to templates.

    ``question_type(q.kind)`` lets a template show a question the way its kind says
    (its label, field and results templates) instead of branching on the kind.
    """
    app.add_template_filter(lambda day: format_date(day, "long"), "format_date")
    app.add_template_filter(format_decimal, "format_number")
    app.add_template_global(question_type, "question_type")

    @app.context_processor
    def language_context() -> dict:
        if not has_request_context():
            # E-mail rendered by a command: no page, the message's language is forced.
            return {"face_labels": FACE_LABELS, "plural_samples": i18n.plural_samples}
        lang = i18n.page_language()
        return {
            "interface_lang": str(get_locale()),
            "page_lang": lang,
            "page_dir": i18n.text_direction(lang),
            "interface_languages": i18n.interface_languages(),
            "language_names": i18n.LANGUAGE_NAMES,
            "url_with_lang": url_with_lang,
            "face_labels": FACE_LABELS,
            "plural_samples": i18n.plural_samples,
        }
