"""The submission service: remembered survey facts checked by the write, tallies, write turn."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select, update

from feedback_app import sqlite_writes
from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Question, QuestionKind, Response, ScoreTally, Survey, SurveyStatus
from feedback_app.services.answers import submission_sql, submissions
from feedback_app.services.answers.submissions import survey_facts as open_target
from feedback_app.services.surveys.lifecycle import SurveyClosed, SurveyNotFound
from tests.conftest import new_client_id

URL = "/api/v1/surveys/test/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}


def _survey(app, code: str = "test") -> Survey:
    return db.session.scalar(select(Survey).where(Survey.code == code))


def test_target_carries_the_surveys_questions_in_order(app_context, make_survey):
    make_survey(languages=["sv", "fi"])
    target = open_target("test")
    survey = _survey(app_context)
    assert target.id == survey.id and target.languages == ["sv", "fi"]
    assert [q.key for q in target.questions] == [q.key for q in survey.questions]
    assert [q.id for q in target.questions] == [q.id for q in survey.questions]
    assert target.questions[0].kind == QuestionKind.FACE


def test_target_refuses_drafts_unknown_and_closed(app_context, make_survey):
    make_survey(code="draft", status=SurveyStatus.DRAFT)
    make_survey(code="shut", status=SurveyStatus.CLOSED)
    make_survey(code="late")
    _survey(app_context, "late").closes_at = utc_now() - timedelta(minutes=1)
    db.session.commit()
    for code, error in (("draft", SurveyNotFound), ("nope", SurveyNotFound)):
        try:
            open_target(code)
        except error:
            pass
        else:
            raise AssertionError(code)
    for code in ("shut", "late"):
        try:
            open_target(code)
        except SurveyClosed as closed:
            assert closed.survey.code == code
        else:
            raise AssertionError(code)


def test_closing_takes_effect_on_the_very_next_submission(app, client, make_survey):
    make_survey()
    body = {"client_id": new_client_id(), "answers": CORE}
    assert client.post(URL, json=body).status_code == 201
    with app.app_context():
        _survey(app).move_to(SurveyStatus.CLOSED)
        db.session.commit()
    refused = client.post(URL, json={"client_id": new_client_id(), "answers": CORE})
    assert refused.status_code == 410
    assert refused.json["error"] == "closed"
    with app.app_context():
        _survey(app).move_to(SurveyStatus.OPEN)
        db.session.commit()
    assert client.post(URL, json={"client_id": new_client_id(), "answers": CORE}).status_code == 201


def test_question_edits_before_the_first_answer_are_seen_at_once(app, client, make_survey):
    """An artist adds a choice question and an option: the next request validates with both."""
    make_survey()
    first = client.post(URL, json={"client_id": new_client_id(), "answers": {"mood": "a"}})
    assert first.status_code == 422 and first.json["field"] == "answers.mood"
    with app.app_context():
        survey = _survey(app)
        survey.questions.append(
            Question(
                key="mood",
                kind=QuestionKind.SINGLE,
                prompts={"fi": "Mieliala"},
                options=[{"key": "a", "labels": {"fi": "A"}}],
                position=50,
            )
        )
        db.session.commit()
    answers = dict(CORE, mood="a")
    assert (
        client.post(URL, json={"client_id": new_client_id(), "answers": answers}).status_code == 201
    )
    refused = client.post(URL, json={"client_id": new_client_id(), "answers": dict(CORE, mood="b")})
    assert refused.status_code == 422
    with app.app_context():
        mood = db.session.scalar(select(Question).where(Question.key == "mood"))
        mood.options = [*mood.options, {"key": "b", "labels": {"fi": "B"}}]
        db.session.commit()
    accepted = client.post(
        URL, json={"client_id": new_client_id(), "answers": dict(CORE, mood="b")}
    )
    assert accepted.status_code == 201


def test_tallies_follow_every_stored_response(app, client, make_survey):
    make_survey()
    for joy in (5, 5, 3):
        answers = dict(CORE, joy=joy)
        assert (
            client.post(URL, json={"client_id": new_client_id(), "answers": answers}).status_code
            == 201
        )
    replay_id = new_client_id()
    assert client.post(URL, json={"client_id": replay_id, "answers": CORE}).status_code == 201
    assert client.post(URL, json={"client_id": replay_id, "answers": CORE}).status_code == 200
    with app.app_context():
        tallies = {(t.indicator, t.score): t.n for t in db.session.scalars(select(ScoreTally))}
        assert tallies[("joy", 5)] == 2 and tallies[("joy", 3)] == 1 and tallies[("joy", 4)] == 1
        assert tallies[("belonging", 5)] == 4 and tallies[("safety", 3)] == 4
        assert db.session.scalar(select(func.count()).select_from(Response)) == 4


def test_write_turn_lock_file_is_reopened_after_fork(app_context, monkeypatch, tmp_path):
    path = str(tmp_path / "x.sqlite3")
    fd = sqlite_writes._lock_fd(path)
    assert sqlite_writes._lock_fd(path) == fd
    monkeypatch.setattr(sqlite_writes.os, "getpid", lambda: -1)
    assert sqlite_writes._lock_fd(path) != fd  # a forked worker must not share the flock


def test_write_turn_only_applies_to_sqlite_files(app_context):
    path = sqlite_writes._sqlite_file()
    if db.engine.dialect.name == "sqlite":
        assert path and path.endswith(".sqlite3")
    else:
        assert path is None
    with sqlite_writes.turn():
        db.session.execute(select(1))


def test_bump_tally_creates_then_adds(app_context, make_survey):
    from datetime import date

    from feedback_app.services.answers.responses import bump_tally

    make_survey()
    survey_id = _survey(app_context).id
    bump_tally(survey_id, "joy", date(2026, 11, 27), 4)
    bump_tally(survey_id, "joy", date(2026, 11, 27), 4, count=2)
    db.session.commit()
    cell = db.session.get(ScoreTally, (survey_id, "joy", date(2026, 11, 27), 4, 0, 2))
    assert cell.n == 3


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post(client, answers=CORE, client_id=None):
    return client.post(URL, json={"client_id": client_id or new_client_id(), "answers": answers})


def test_every_change_to_a_survey_or_its_questions_gives_a_new_revision(app_context, make_survey):
    make_survey(code="one")
    make_survey(code="two")
    one, two = _survey(app_context, "one"), _survey(app_context, "two")
    assert len(one.revision) == 16 and one.revision != two.revision
    seen = {one.revision}

    def changed() -> str:
        db.session.commit()
        revision = _survey(app_context, "one").revision
        assert revision not in seen
        seen.add(revision)
        return revision

    one.title = "Uusi nimi"
    changed()
    one.questions[0].options = [{"key": "x", "labels": {"fi": "X"}}]
    changed()
    one.questions.append(Question(key="extra", kind=QuestionKind.TEXT, prompts={"fi": "?"}))
    changed()
    db.session.delete(one.questions[-1])
    changed()
    one.questions.pop(0)  # removed from the collection: deleted as an orphan
    changed()
    one.move_to(SurveyStatus.CLOSED)
    changed()
    untouched = two.revision
    db.session.commit()
    assert _survey(app_context, "two").revision == untouched


def test_remembered_facts_spare_the_lookup(app, client, make_survey, monkeypatch):
    make_survey()
    assert _post(client).status_code == 201

    def no_lookup(code):
        raise AssertionError("the survey was read again")

    monkeypatch.setattr(submission_sql, "survey_rows", no_lookup)
    assert _post(client).status_code == 201
    replay = new_client_id()
    assert _post(client, client_id=replay).status_code == 201
    assert _post(client, client_id=replay).status_code == 200
    assert _post(client, CORE | {"joy": 2}, client_id=replay).status_code == 200
    with app.app_context():
        assert _count(Response) == 3


def test_a_survey_closed_behind_the_remembered_facts_takes_no_answer(app, client, make_survey):
    """Status and closing time are checked by the insert itself, even if set by plain SQL."""
    make_survey()
    replay = new_client_id()
    assert _post(client, client_id=replay).status_code == 201
    with app.app_context():
        db.session.execute(update(Survey).values(status=SurveyStatus.CLOSED))
        db.session.commit()
    assert _post(client).status_code == 410
    assert _post(client, client_id=replay).status_code == 410
    with app.app_context():
        db.session.execute(
            update(Survey).values(
                status=SurveyStatus.OPEN, closes_at=utc_now() + timedelta(minutes=5)
            )
        )
        db.session.commit()
    assert _post(client).status_code == 201
    with app.app_context():
        db.session.execute(update(Survey).values(closes_at=utc_now() - timedelta(seconds=1)))
        db.session.commit()
    refused = _post(client)
    assert refused.status_code == 410 and refused.json["error"] == "closed"
    with app.app_context():
        assert _count(Response) == 2


def test_facts_remembered_by_another_worker_are_read_again_after_an_edit(
    app, client, make_survey, monkeypatch
):
    """A changed revision, whoever made it, refuses the write; fresh facts decide."""
    make_survey()
    assert _post(client).status_code == 201
    with app.app_context():
        survey = _survey(app)
        # Another process renames a question key: the facts here are stale now.
        joy = next(q for q in survey.questions if q.key == "joy")
        joy.key = "ilo"
        db.session.commit()
    stale = _post(client)
    assert stale.status_code == 422 and stale.json["field"] == "answers.joy"
    answers = {"ilo": 4, "belonging": 5, "safety": 3}
    assert _post(client, answers).status_code == 201
    with app.app_context():
        assert _count(Response) == 2


def test_a_survey_that_keeps_changing_gets_409_and_nothing_is_stored(
    app, client, make_survey, monkeypatch
):
    make_survey()
    read = submissions.survey_facts

    def always_outdated(code, now=None):
        return replace(read(code, now), revision="outdated")

    monkeypatch.setattr(submissions, "survey_facts", always_outdated)
    refused = _post(client)
    assert refused.status_code == 409 and refused.json["error"] == "survey_changing"
    assert refused.headers["Retry-After"] == "1"
    with app.app_context():
        assert _count(Response) == 0 and _count(ScoreTally) == 0
    # The plain form: the current form again with the answers kept, never a server error.
    form = {"q_joy": "4", "client_id": new_client_id()}
    page = client.post("/s/test?lang=en", data=form)
    assert page.status_code == 409
    assert "The survey was just updated." in page.get_data(as_text=True)
    with app.app_context():
        assert _count(Response) == 0


def test_bad_body_for_an_unknown_or_closed_survey_names_the_survey_first(client, make_survey):
    make_survey(code="shut", status=SurveyStatus.CLOSED)
    garbage = {"data": b"{", "content_type": "application/json"}
    assert client.post("/api/v1/surveys/nope/responses", **garbage).status_code == 404
    assert client.post("/api/v1/surveys/shut/responses", **garbage).status_code == 410
    make_survey()
    assert client.post(URL, **garbage).status_code == 400
