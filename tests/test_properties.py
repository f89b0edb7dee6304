"""Property tests for answer validation and client ids (Hypothesis)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_app.models import QuestionKind
from feedback_app.questions import MAX_TEXT_LENGTH, AnswerError, validate
from feedback_app.services.submissions import (
    QuestionFacts,
    SurveyFacts,
    parse_client_id,
    validate_answers,
)

OPTIONS = [{"key": k, "labels": {"fi": k}} for k in ("a", "b", "c", "d")]
FACE = QuestionFacts(1, "joy", QuestionKind.FACE, [], True)
SINGLE = QuestionFacts(2, "role", QuestionKind.SINGLE, OPTIONS, False)
MULTI = QuestionFacts(3, "heard", QuestionKind.MULTI, OPTIONS, False)
TEXT = QuestionFacts(4, "comment", QuestionKind.TEXT, [], False)
SURVEY = SurveyFacts(1, "demo", "r1", ["fi"], (FACE, SINGLE, MULTI, TEXT))
KEYS = [o["key"] for o in OPTIONS]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
valid_answers = st.fixed_dictionaries(
    {"joy": st.integers(1, 5)},
    optional={
        "role": st.sampled_from(KEYS),
        "heard": st.lists(st.sampled_from(KEYS), unique=True),
        "comment": st.text(max_size=50),
    },
)

quick = settings(max_examples=200, derandomize=True, database=None, deadline=None)


@quick
@given(json_values)
def test_face_accepts_exactly_whole_numbers_one_to_five(value):
    ok = type(value) is int and 1 <= value <= 5
    if ok:
        assert validate(FACE, value)[0].score == value
    else:
        with pytest.raises(AnswerError) as error:
            validate(FACE, value)
        assert error.value.field == "answers.joy"


@quick
@given(json_values | st.sampled_from(KEYS))
def test_single_choice_accepts_exactly_its_option_keys(value):
    if isinstance(value, str) and value in KEYS:
        assert [v.choice for v in validate(SINGLE, value)] == [value]
    else:
        with pytest.raises(AnswerError):
            validate(SINGLE, value)


@quick
@given(st.lists(st.sampled_from([*KEYS, "x", ""]), max_size=6))
def test_multi_choice_stores_one_row_per_distinct_known_option(values):
    if len(set(values)) == len(values) and all(v in KEYS for v in values):
        assert [v.choice for v in validate(MULTI, values)] == values
    else:
        with pytest.raises(AnswerError):
            validate(MULTI, values)


@quick
@given(st.text(max_size=MAX_TEXT_LENGTH + 20))
def test_text_is_stripped_and_bounded(value):
    if len(value) > MAX_TEXT_LENGTH:
        with pytest.raises(AnswerError):
            validate(TEXT, value)
        return
    rows = validate(TEXT, value)
    assert len(rows) == (1 if value.strip() else 0)
    assert all(r.text == value.strip() for r in rows)


@quick
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6) | json_values)
def test_arbitrary_bodies_fail_only_with_answer_errors(answers):
    try:
        rows = validate_answers(SURVEY, answers)
    except AnswerError as error:
        assert error.field.startswith("answers")
    else:
        assert set(rows) <= {"joy", "role", "heard", "comment"} and "joy" in rows


@quick
@given(st.uuids())
def test_only_version_4_client_ids_are_accepted(value):
    text = str(value)
    if value.version == 4:
        assert parse_client_id(text) == text
        assert parse_client_id(text.upper()) == text
    else:
        with pytest.raises(AnswerError):
            parse_client_id(text)


def _reference_client_id(text: str) -> str | None:
    """The rule spelt out with the uuid module: canonical form of a version 4 UUID."""
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return None
    return str(parsed) if parsed.version == 4 and str(parsed) == text.lower() else None


@quick
@given(
    st.one_of(
        st.text(max_size=40),
        st.uuids().map(str),
        st.uuids(version=4).map(lambda u: str(u).upper()),
        st.uuids(version=4).map(lambda u: u.hex),
        st.uuids(version=4).map(lambda u: "{" + str(u) + "}"),
        st.uuids(version=4).map(lambda u: str(u) + "\n"),
    )
)
def test_client_id_check_agrees_with_the_uuid_definition(text):
    expected = _reference_client_id(text)
    if expected is None:
        with pytest.raises(AnswerError):
            parse_client_id(text)
    else:
        assert parse_client_id(text) == expected


def test_a_browser_made_client_id_round_trips():
    made = str(uuid.uuid4())
    assert parse_client_id(made) == made
