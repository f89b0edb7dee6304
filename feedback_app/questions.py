"""Question kinds as classes: each validates, summarises and shows its questions itself.

``question_type(kind)`` gives the one ``QuestionType`` subclass per ``QuestionKind``
(face, single, multi, text); the form parser, the answer path, the results, the templates
(through the ``question_type`` template global) and the demo data ask it instead of
branching on the kind.
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from feedback_app.input_rules import TextProblem, clean_text, whole_number
from feedback_app.models import QuestionKind

MAX_TEXT_LENGTH = 1000
SCALE = (1, 2, 3, 4, 5)


class AnswerError(ValueError):
    """An answer that does not fit its question; ``field`` names it for the resident.

    ``reason`` lets the plain form say what to fix (``"characters"``, ``"length"``).
    """

    def __init__(self, field: str, message: str, reason: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class StoredValue:
    """What one answer becomes in the ``answers`` table (one row each)."""

    score: int | None = None
    choice: str | None = None
    text: str | None = None


def index_0_100(distribution: Sequence[int]) -> float | None:
    """Mean of (answer − 1) × 25 over a five-count distribution; None without answers."""
    n = sum(distribution)
    if n == 0:
        return None
    total = sum(count * (score - 1) * 25 for score, count in zip(SCALE, distribution, strict=True))
    return total / n


def ci95(distribution: Sequence[int]) -> tuple[float, float] | None:
    """Normal-approximation 95 % interval for the index, clipped to 0–100."""
    n = sum(distribution)
    if n < 2:
        return None
    mean = index_0_100(distribution)
    squares = sum(c * ((s - 1) * 25 - mean) ** 2 for s, c in zip(SCALE, distribution, strict=True))
    half = 1.96 * math.sqrt(squares / (n - 1)) / math.sqrt(n)
    return max(0.0, mean - half), min(100.0, mean + half)


def option_keys(question) -> list[str]:
    """The keys of a choice question's options, in order."""
    return [option["key"] for option in question.options or []]


def score_from_text(text: str) -> int | str:
    """A face answer typed as text (the plain form): an int for ASCII digits, else the text.

    The text is handed on unchanged so ``validate`` refuses it with the usual message;
    at most two digits are ever converted ("05" is 5, "²", "٣", "３" and 5,000 digits are
    not numbers at all).
    """
    number = whole_number(text, max_digits=2)
    return text if number is None else number


def check_score(field: str, value: object) -> int:
    """The one rule for a face answer, from JSON or the form: a whole number 1–5.

    JSON booleans are not numbers (``True == 1`` in Python) and floats are refused even
    when integral: ``3.0`` is not an answer any client of ours sends, and accepting it
    would make two spellings of one answer.
    """
    if type(value) is not int or value not in SCALE:
        raise AnswerError(field, "must be a whole number from 1 to 5")
    return value


def check_text(field: str, value: object) -> str:
    """Free text as stored (NFC, LF line breaks, stripped), or ``AnswerError`` naming why."""
    if not isinstance(value, str):
        raise AnswerError(field, "must be text")
    try:
        return clean_text(value, MAX_TEXT_LENGTH)
    except TextProblem as problem:
        if problem.reason == "length":
            message = f"must be at most {MAX_TEXT_LENGTH} characters"
        else:
            message = "must not contain control characters or unpaired surrogates"
        raise AnswerError(field, message, problem.reason) from None


@dataclass(frozen=True)
class AnswerCounts:
    """A survey's answers counted once for every question's summary."""

    distributions: dict[str, list[int]]  # face question key → count per score 1–5
    choices: dict[int, tuple[dict[str, int], int]]  # question id → (per option, people)


class QuestionType(ABC):
    """One kind of question: how the plain form sends it, how an answer is checked and
    stored, how the answers of a survey are summarised and how the pages show it. One
    subclass per kind.

    ``question`` is anything with ``key``, ``kind`` and ``options`` (a ``Question`` row or
    the answer path's ``QuestionFacts``).
    """

    kind: QuestionKind
    #: How the studio names the kind (the question list and the new-question form).
    label: LazyString
    #: The resident's field on the survey page and the kiosk, included by the
    #: ``question_field`` macro of ``survey/_macros.html``.
    field_template: str
    #: The artist's figures for one question on the results page; None without figures.
    result_template: str | None = None
    #: Whether its answers are scores counted in the daily tallies (the face scale).
    tallied = False
    #: Whether the question offers options that staff write (the choice kinds).
    has_options = False

    def from_form(self, form, name: str) -> object:
        """The answer as the plain form sent it, in the JSON API's shape."""
        return form.get(name) or None

    @abstractmethod
    def validate(self, question, value: object) -> list[StoredValue]:
        """Check one given answer and return the rows to store, or ``AnswerError``."""

    def summarise(self, question, counts: AnswerCounts, min_group: int) -> dict | None:
        """The survey's figures for this question, withheld below ``min_group``; None when
        the kind has no figures (free text is read as comments instead)."""
        return None

    def demo_answer(self, question, rng: random.Random, mood: float) -> object | None:
        """A plausible answer for the demo data, around ``mood`` on the 1–5 scale.

        None leaves the question unanswered, as the demo does with free text.
        """
        return None


class FaceQuestion(QuestionType):
    """The five-face scale: a whole number 1–5, summarised as index and distribution."""

    kind = QuestionKind.FACE
    label = _l("Face scale (1–5)")
    field_template = "survey/fields/face.html"
    result_template = "studio/results/face.html"
    tallied = True

    def from_form(self, form, name: str) -> object:
        raw = form.get(name, "")
        return score_from_text(raw) if raw else None

    def validate(self, question, value: object) -> list[StoredValue]:
        return [StoredValue(score=check_score(f"answers.{question.key}", value))]

    def summarise(self, question, counts: AnswerCounts, min_group: int) -> dict | None:
        # The dashboard's own figure: the same index and 95 % interval as officials see.
        distribution = counts.distributions.get(question.key, [0] * len(SCALE))
        return score_figure(distribution, min_group)

    def demo_answer(self, question, rng: random.Random, mood: float) -> object | None:
        return min(SCALE[-1], max(SCALE[0], round(rng.gauss(mood, 0.9))))


class SingleChoiceQuestion(QuestionType):
    """One option key, summarised as how often each option was picked."""

    kind = QuestionKind.SINGLE
    label = _l("Single choice")
    field_template = "survey/fields/choices.html"
    result_template = "studio/results/choices.html"
    has_options = True
    #: The form control of one option: a radio group lets one option be picked.
    input_type = "radio"

    def validate(self, question, value: object) -> list[StoredValue]:
        keys = option_keys(question)
        if not isinstance(value, str) or value not in keys:
            raise AnswerError(f"answers.{question.key}", f"must be one of: {', '.join(keys)}")
        return [StoredValue(choice=value)]

    def summarise(self, question, counts: AnswerCounts, min_group: int) -> dict | None:
        picked, people = counts.choices.get(question.id, ({}, 0))
        return summarise_choices(question, picked, people, min_group)

    def demo_answer(self, question, rng: random.Random, mood: float) -> object | None:
        return rng.choice(option_keys(question))


class MultipleChoiceQuestion(SingleChoiceQuestion):
    """A list of distinct option keys, one stored row each; summarised like single choice."""

    kind = QuestionKind.MULTI
    label = _l("Multiple choice")
    input_type = "checkbox"

    def from_form(self, form, name: str) -> object:
        return form.getlist(name)

    def validate(self, question, value: object) -> list[StoredValue]:
        field, keys = f"answers.{question.key}", option_keys(question)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnswerError(field, "must be a list of option keys")
        if len(set(value)) != len(value) or any(v not in keys for v in value):
            raise AnswerError(field, f"must list distinct options from: {', '.join(keys)}")
        return [StoredValue(choice=v) for v in value]

    def demo_answer(self, question, rng: random.Random, mood: float) -> object | None:
        keys = option_keys(question)
        picked = set(rng.sample(keys, rng.randint(1, min(2, len(keys)))))
        return [key for key in keys if key in picked]


class TextQuestion(QuestionType):
    """Short free text, cleaned; blank text stores nothing. No figures: read as comments."""

    kind = QuestionKind.TEXT
    label = _l("Short text")
    field_template = "survey/fields/text.html"

    def validate(self, question, value: object) -> list[StoredValue]:
        text = check_text(f"answers.{question.key}", value)
        return [StoredValue(text=text)] if text else []


QUESTION_TYPES: dict[QuestionKind, QuestionType] = {
    kind.kind: kind
    for kind in (FaceQuestion(), SingleChoiceQuestion(), MultipleChoiceQuestion(), TextQuestion())
}


def question_type(kind: QuestionKind | str) -> QuestionType:
    """The class that handles questions of ``kind`` (the enum or its value)."""
    return QUESTION_TYPES[QuestionKind(kind)]


def validate(question, value: object) -> list[StoredValue]:
    """Check one answer against its question and return the rows to store.

    ``None`` means "not answered"; whether that is allowed is the caller's concern.
    JSON types are checked strictly (``"4"`` is not a face answer) so API clients learn
    about their mistakes instead of having values silently coerced.
    """
    return question_type(question.kind).validate(question, value)


def is_blank(value: object) -> bool:
    """Whether an answer counts as not given (missing, empty text or empty choice list)."""
    return value is None or value == "" or value == []


def score_figure(distribution: Sequence[int], min_group: int) -> dict:
    """n, index, 95 % interval and distribution of one cell; withheld below ``min_group``.

    The one figure of a face question that officials (dashboard) and artists (results) see.
    """
    n = sum(distribution)
    if n < min_group or n == 0:
        return {"n": n, "index": None, "ci95": None, "distribution": None, "suppressed": True}
    interval = ci95(distribution)
    return {
        "n": n,
        "index": round(index_0_100(distribution), 1),
        "ci95": [round(interval[0], 1), round(interval[1], 1)] if interval else None,
        "distribution": list(distribution),
        "suppressed": False,
    }


def summarise_scores(distribution: Sequence[int], min_group: int) -> dict:
    """Summary of a face question: n, index and distribution, withheld below ``min_group``."""
    n = sum(distribution)
    if n < min_group:
        return {"n": n, "index": None, "distribution": None, "suppressed": True}
    return {
        "n": n,
        "index": round(index_0_100(distribution), 1),
        "distribution": list(distribution),
        "suppressed": False,
    }


def summarise_choices(question, counts: dict[str, int], n: int, min_group: int) -> dict:
    """Summary of a choice question: how often each option was picked."""
    if n < min_group:
        return {"n": n, "counts": None, "suppressed": True}
    return {
        "n": n,
        "counts": {key: counts.get(key, 0) for key in option_keys(question)},
        "suppressed": False,
    }
