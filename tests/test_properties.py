"""Property tests (Hypothesis) for every parser of outside input."""

from __future__ import annotations

import unicodedata
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_app.input_rules import date_range, parse_date, parse_local_datetime, whole_number
from feedback_app.models import QuestionKind
from feedback_app.questions import MAX_TEXT_LENGTH, AnswerError, score_from_text, validate
from feedback_app.services.answers.submissions import (
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
        "comment": st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=50),
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


def _reference_text(value: str) -> str | None:
    """The text rule spelt out: CRLF/CR as LF, no other control or surrogate, NFC, stripped."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n" for c in text):
        return None
    cleaned = unicodedata.normalize("NFC", text).strip()
    return cleaned if len(cleaned) <= MAX_TEXT_LENGTH else None


@quick
@given(
    st.text(max_size=MAX_TEXT_LENGTH + 20)
    | st.text(st.sampled_from("e\u0301\r\n\t \x00\x1f\x7f\x85\ud800a"), max_size=40)
    | st.text(
        st.sampled_from("e\u0301"), min_size=MAX_TEXT_LENGTH - 5, max_size=2 * MAX_TEXT_LENGTH
    )
)
def test_text_is_normalised_bounded_and_free_of_controls(value):
    expected = _reference_text(value)
    if expected is None:
        with pytest.raises(AnswerError) as error:
            validate(TEXT, value)
        assert error.value.field == "answers.comment"
        assert error.value.reason in {"characters", "length"}
        return
    rows = validate(TEXT, value)
    assert [r.text for r in rows] == ([expected] if expected else [])
    assert all(r.text.encode("utf-8") for r in rows)  # storable on every database


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


@quick
@given(
    st.text(max_size=6)
    | st.integers(-1000, 1000).map(str)
    | st.sampled_from(["²", "٣", "３", "1_0", " 3", "3 ", "+3", "05", "5" * 5000])
)
def test_form_scores_are_read_from_ascii_digits_only(text):
    value = score_from_text(text)
    if 1 <= len(text) <= 2 and all(c in "0123456789" for c in text):
        assert value == int(text)
    else:
        assert value == text  # handed on unchanged: validate refuses it
    if value not in range(1, 6) or type(value) is not int:
        with pytest.raises(AnswerError):
            validate(FACE, value)


@quick
@given(st.text(max_size=12), st.integers(1, 9))
def test_whole_numbers_are_ascii_digits_of_bounded_length(text, max_digits):
    expected = int(text) if 0 < len(text) <= max_digits and set(text) <= set("0123456789") else None
    assert whole_number(text, max_digits) == expected


@quick
@given(st.dates())
def test_dates_are_accepted_exactly_within_the_service_years(day):
    parsed = parse_date(day.isoformat())
    assert parsed == (day if 2000 <= day.year <= 2099 else None)


@quick
@given(st.text(max_size=12) | st.dates().map(lambda d: d.isoformat().replace("-", "")))
def test_date_text_never_raises_and_round_trips(text):
    parsed = parse_date(text)
    assert parsed is None or (parsed.isoformat() == text and 2000 <= parsed.year <= 2099)


@quick
@given(st.datetimes(), st.booleans())
def test_closing_times_are_accepted_exactly_within_the_service_years(moment, seconds):
    text = moment.strftime("%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M")
    parsed = parse_local_datetime(f"{moment.year:04d}{text[4:]}")
    if 2000 <= moment.year <= 2099:
        assert parsed == moment.replace(second=moment.second if seconds else 0, microsecond=0)
    else:
        assert parsed is None


@quick
@given(st.text(max_size=20))
def test_closing_time_text_never_raises(text):
    parsed = parse_local_datetime(text)
    assert parsed is None or parsed.isoformat().startswith(text[:16])


@quick
@given(st.none() | st.dates(), st.none() | st.dates())
def test_date_ranges_are_ordered_and_within_the_service_years(start, end):
    ok = start is not None and end is not None and start <= end
    ok = ok and all(2000 <= d.year <= 2099 for d in (start, end))
    assert date_range(start, end) == ((start, end) if ok else None)
