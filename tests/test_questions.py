"""Question kinds, the 0–100 index and survey life cycle rules."""

import random
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

import feedback_app
from feedback_app.models import (
    InvalidTransition,
    Question,
    QuestionKind,
    Survey,
    SurveyStatus,
)
from feedback_app.questions import (
    QUESTION_TYPES,
    AnswerCounts,
    AnswerError,
    QuestionType,
    ci95,
    index_0_100,
    question_type,
    validate,
)


def question(kind, **fields):
    """An unsaved question of ``kind``."""
    options = [{"key": "a", "labels": {"fi": "A"}}, {"key": "b", "labels": {"fi": "B"}}]
    return Question(
        key="q", kind=QuestionKind(kind), options=options, prompts={"fi": "K"}, **fields
    )


@pytest.mark.parametrize(
    ("distribution", "index"),
    [
        ([0, 0, 0, 0, 4], 100.0),
        ([4, 0, 0, 0, 0], 0.0),
        ([1, 1, 1, 1, 1], 50.0),
        ([0, 0, 0, 0, 0], None),
    ],
)
def test_index_is_mean_of_answer_minus_one_times_25(distribution, index):
    """The core indicator scale."""
    assert index_0_100(distribution) == index


def test_confidence_interval_contains_index_and_narrows_with_n():
    """More answers → a narrower 95 % interval around the same index."""
    small = ci95([1, 1, 2, 3, 3])
    large = ci95([10, 10, 20, 30, 30])
    mean = index_0_100([1, 1, 2, 3, 3])
    assert small[0] < mean < small[1]
    assert (large[1] - large[0]) < (small[1] - small[0])
    assert ci95([0, 0, 0, 0, 1]) is None
    assert ci95([0, 0, 0, 0, 9]) == (100.0, 100.0)


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("face", 3, [(3, None, None)]),
        ("single", "b", [(None, "b", None)]),
        ("multi", ["a", "b"], [(None, "a", None), (None, "b", None)]),
        ("text", "  hei  ", [(None, None, "hei")]),
        ("text", "   ", []),
    ],
)
def test_valid_answers_become_rows(kind, value, stored):
    """Each kind turns a valid answer into the rows it stores."""
    rows = validate(question(kind), value)
    assert [(r.score, r.choice, r.text) for r in rows] == stored


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("face", 6),
        ("face", "3"),
        ("face", False),
        ("face", 2.0),
        ("single", "c"),
        ("single", 1),
        ("multi", "a"),
        ("multi", ["a", "a"]),
        ("multi", ["z"]),
        ("text", 5),
        ("text", "x" * 1001),
    ],
)
def test_invalid_answers_are_refused_with_the_field(kind, value):
    """Wrong types and values raise AnswerError naming the question."""
    with pytest.raises(AnswerError) as raised:
        validate(question(kind), value)
    assert raised.value.field == "answers.q"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (SurveyStatus.DRAFT, SurveyStatus.OPEN),
        (SurveyStatus.OPEN, SurveyStatus.CLOSED),
        (SurveyStatus.CLOSED, SurveyStatus.OPEN),
    ],
)
def test_allowed_transitions(start, target):
    """Publish, close and reopen are allowed."""
    survey = Survey(status=start)
    survey.move_to(target)
    assert survey.status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (SurveyStatus.OPEN, SurveyStatus.DRAFT),
        (SurveyStatus.CLOSED, SurveyStatus.DRAFT),
        (SurveyStatus.DRAFT, SurveyStatus.CLOSED),
        (SurveyStatus.OPEN, SurveyStatus.OPEN),
    ],
)
def test_forbidden_transitions(start, target):
    """A survey never goes back to draft or skips publishing."""
    with pytest.raises(InvalidTransition):
        Survey(status=start).move_to(target)


def test_prompt_falls_back_to_finnish():
    """A missing translation shows the Finnish text, never an empty question."""
    q = Question(key="own", kind=QuestionKind.FACE, prompts={"fi": "Suomeksi", "en": "In English"})
    assert q.prompt("sv") == "Suomeksi"
    assert q.prompt("en") == "In English"
    assert not q.has_prompt("sv")


def test_every_kind_is_one_class_that_validates_and_summarises():
    """One class per kind, each with its own validation, form reading and summary."""
    assert set(QUESTION_TYPES) == set(QuestionKind)
    for kind, handler in QUESTION_TYPES.items():
        assert handler.kind is kind and question_type(kind.value) is handler
        assert type(handler).validate is not QuestionType.validate
    face, single, text = question("face"), question("single", id=7), question("text")
    counts = AnswerCounts({"q": [0, 0, 0, 0, 5]}, {7: ({"a": 4, "b": 1}, 5)})
    assert question_type(face.kind).summarise(face, counts, 5)["index"] == 100.0
    assert question_type(face.kind).summarise(face, counts, 6)["suppressed"] is True
    assert question_type(single.kind).summarise(single, counts, 5)["counts"] == {"a": 4, "b": 1}
    assert question_type(text.kind).summarise(text, counts, 5) is None
    form = MultiDict([("q_q", "a"), ("q_q", "b")])
    assert question_type(QuestionKind.MULTI).from_form(form, "q_q") == ["a", "b"]
    assert question_type(QuestionKind.SINGLE).from_form(form, "q_q") == "a"
    assert question_type(QuestionKind.FACE).from_form(MultiDict({"q_q": "04"}), "q_q") == 4
    assert question_type(QuestionKind.TEXT).from_form(MultiDict(), "q_q") is None


def test_every_kind_says_how_it_is_shown_and_makes_its_demo_answers():
    """Each class names its label, field and results templates, and its demo answers are
    answers its own validation accepts."""
    templates = Path(feedback_app.__file__).parent.parent / "templates"
    rng = random.Random(1)
    for kind, handler in QUESTION_TYPES.items():
        assert str(handler.label)
        assert (templates / handler.field_template).is_file(), kind
        has_figures = handler.summarise(question(kind), AnswerCounts({}, {}), 1) is not None
        assert (handler.result_template is not None) is has_figures, kind
        if handler.result_template:
            assert (templates / handler.result_template).is_file(), kind
        for _ in range(20):
            value = handler.demo_answer(question(kind), rng, 4.5)
            assert value is None or validate(question(kind), value), kind
    assert QUESTION_TYPES[QuestionKind.SINGLE].input_type == "radio"
    assert QUESTION_TYPES[QuestionKind.MULTI].input_type == "checkbox"
    assert QUESTION_TYPES[QuestionKind.TEXT].demo_answer(question("text"), rng, 3) is None


# A comparison of a kind with a ``QuestionKind`` member or with a kind's value, in Python or
# Jinja: ``q.kind == QuestionKind.FACE``, ``q.kind.value in ("single", "multi")``,
# ``item.kind == "face"``. Model columns in SQL (``Question.kind == …``) filter rows, they do
# not branch, and other kinds (``report.kind == "period"``) have other values.
KIND_VALUES = "|".join(kind.value for kind in QuestionKind)
KIND_BRANCH = re.compile(
    r"(?:\b[a-z_]\w*\.|(?<![.\w]))kind(?:\.value)?\s*(?:==|!=|(?:not\s+)?in\b)\s*[(\[]?\s*"
    rf"(?:QuestionKind\.|[\"'](?:{KIND_VALUES})[\"'])"
)


@pytest.mark.parametrize(
    "line",
    [
        "if question.kind == QuestionKind.FACE:",
        "elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):",
        'if question.kind.value == "face":',
        '{% if q.kind.value == "face" %}',
        '{% elif q.kind.value in ("single", "multi") %}',
        "{{ 'radio' if q.kind.value == 'single' else 'checkbox' }}",
        '{% elif item.kind == "face" %}',
        '{% if kind != "text" %}',
    ],
)
def test_the_kind_scan_sees_a_branch(line):
    """The scan below would catch each way of branching on a question kind."""
    assert KIND_BRANCH.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "Question.kind == QuestionKind.FACE,",
        '{% if report.kind == "period" %}',
        '{% if kind == "project" %}',
        'return account.alert_mail if kind == "alerts" else account.digest_mail',
    ],
)
def test_the_kind_scan_leaves_other_kinds_alone(line):
    """SQL filters on the column and the kinds of reports or messages are not question kinds."""
    assert not KIND_BRANCH.search(line)


def test_no_module_or_template_branches_on_a_question_kind():
    """Behaviour and looks per kind live in its class (``questions.py``) and the templates it
    names, not in if/elif chains in modules or templates."""
    root = Path(feedback_app.__file__).parent
    sources = [p for p in sorted(root.rglob("*.py")) if p.name != "questions.py"]
    sources += sorted((root.parent / "templates").rglob("*.html"))
    found = [
        f"{path.relative_to(root.parent)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if KIND_BRANCH.search(line)
    ]
    assert found == []
