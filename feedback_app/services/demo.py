"""Demo data: districts, projects, surveys and synthetic responses, created idempotently.

Everything made here is marked ``is_demo`` so it can be told apart from real answers.
Random choices use a fixed seed, so running the command twice creates nothing new.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.i18n import RESIDENT_LANGUAGES
from feedback_app.models import (
    District,
    GrantPeriod,
    Project,
    Question,
    QuestionKind,
    Survey,
    SurveyStatus,
    Tier,
)
from feedback_app.questions import question_type
from feedback_app.services.answers.responses import submit_response
from feedback_app.services.surveys.lifecycle import create_survey

PERIODS = [(2016, 2018), (2019, 2021), (2022, 2024), (2025, 2027)]

# slug, Finnish name, Swedish name, start years of the periods it is a target area in
DISTRICTS = [
    ("malmi", "Malmi", "Malm", [2022, 2025]),
    ("kontula", "Kontula", "Gårdsbacka", [2022, 2025]),
    ("meri-rastila", "Meri-Rastila", "Havsrastböle", [2025]),
    ("kannelmaki-malminkartano", "Kannelmäki-Malminkartano", "Gamlas-Malmgård", [2019, 2025]),
    (
        "tapulikaupunki-suutarila",
        "Tapulikaupunki-Suutarila",
        "Stapelstaden-Skomakarböle",
        [2019, 2022],
    ),
    ("pihlajamaki-pihlajisto", "Pihlajamäki-Pihlajisto", "Rönnbacka-Rönninge", [2022]),
    ("vuosaari", "Vuosaari", "Nordsjö", [2016, 2019]),
    ("kaarela", "Kaarela", "Kårböle", [2016]),
    ("maunula", "Maunula", "Månsas", [2016]),
    ("jakomaki-kivikko", "Jakomäki-Kivikko", "Jakobacka-Stenböle", [2016]),
]

# project name, art institution, district slug, period start, how residents tend to feel
PROJECTS = [
    ("Malmin tarinat", "Helsingin kaupunginteatteri", "malmi", 2025, 3.9),
    ("Kontulan kaikupohja", "Helsingin kaupunginorkesteri", "kontula", 2025, 4.1),
    ("Rannan valot", "HAM Helsingin taidemuseo", "meri-rastila", 2025, 3.7),
    (
        "Kanneltalon yhteislaulu",
        "Suomen Kansallisooppera ja -baletti",
        "kannelmaki-malminkartano",
        2025,
        4.3,
    ),
    ("Malmin muisti", "Helsingin kaupunginteatteri", "malmi", 2022, 3.6),
    ("Kontula tanssii", "Tanssin talo", "kontula", 2022, 3.8),
]

# event title, venue, project index, months before today, responses, bank questions
PAST_EVENTS = [
    ("Tarinailta Malmitalolla", "Malmitalo", 0, 14, 46, ("success", "residency")),
    ("Kesäteatteri Malmin puistossa", "Ala-Malmin puisto", 0, 8, 58, ("come_again",)),
    ("Naapurustolavastus", "Malmin kirjasto", 0, 3, 31, ("together", "age_band")),
    ("Ostarikonsertti", "Kontulan ostoskeskus", 1, 13, 62, ("first_time",)),
    ("Lasten soitinpaja", "Kontulan kirjasto", 1, 6, 37, ("creativity",)),
    ("Talvikonsertti", "Kontulan kirkko", 1, 2, 54, ("come_again", "residency")),
    ("Valoteokset rannassa", "Meri-Rastilan ranta", 2, 11, 41, ("pride",)),
    ("Maalauspaja", "Meri-Rastilan nuorisotalo", 2, 5, 28, ("own_voice",)),
    ("Valokävely", "Meri-Rastilan metsä", 2, 1, 44, ("comfort", "first_time")),
    ("Yhteislauluilta", "Kanneltalo", 3, 12, 70, ("together",)),
    ("Oopperapaja nuorille", "Malminkartanon nuorisotalo", 3, 7, 33, ("empowerment",)),
    ("Joululaulut", "Kanneltalo", 3, 1, 51, ("come_again",)),
    ("Muistojen kahvila", "Malmin kirjasto", 4, 26, 40, ()),
    ("Tanssi-ilta", "Kontulan ostoskeskus", 5, 28, 45, ()),
]

DEMO_CODE = "demo"
# The demo's title in every resident language: a resident reads the event's name in theirs.
DEMO_TITLES = {
    "fi": "Fiilis-esittely: Malmin tarinat",
    "sv": "Fiilis-demo: Malms berättelser",
    "en": "Fiilis demo: Stories of Malmi",
    "ru": "Демонстрация Fiilis: истории Мальми",
    "et": "Fiilise tutvustus: Malmi lood",
    "so": "Bandhigga Fiilis: Sheekooyinka Malmi",
    "ar": "عرض فيليس: حكايات مالمي",
    "uk": "Демонстрація Fiilis: історії Мальмі",
}
# The demo's own question, in every resident language, so /s/demo can offer all eight.
DEMO_QUESTION = {
    "fi": "Mitä haluaisit tehdä seuraavassa tapahtumassa?",
    "sv": "Vad skulle du vilja göra vid nästa evenemang?",
    "en": "What would you like to do at the next event?",
    "ru": "Чем бы вы хотели заняться на следующем мероприятии?",
    "et": "Mida sa tahaksid järgmisel üritusel teha?",
    "so": "Maxaad jeclaan lahayd inaad samayso munaasabadda xigta?",
    "ar": "ماذا تحب أن تفعل في الفعالية القادمة؟",
    "uk": "Чим би ви хотіли зайнятися на наступному заході?",
}
LANGUAGE_MIX = ["fi"] * 7 + ["sv"] * 2 + ["en"]


def _get_or_create(model, defaults: dict | None = None, **keys):
    """The row matching ``keys``, created with ``defaults`` when missing."""
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def seed_catalogue() -> dict[str, District]:
    """Grant periods, districts and their target periods."""
    periods = {
        start: _get_or_create(GrantPeriod, {"end_year": end}, start_year=start)
        for start, end in PERIODS
    }
    districts = {}
    for slug, fi, sv, starts in DISTRICTS:
        district = _get_or_create(District, {"name_fi": fi, "name_sv": sv}, slug=slug)
        for start in starts:
            if periods[start] not in district.periods:
                district.periods.append(periods[start])
        districts[slug] = district
    db.session.commit()
    return districts


def seed_projects(districts: dict[str, District]) -> list[Project]:
    """The demo grant projects."""
    projects = []
    for name, institution, slug, start, _mood in PROJECTS:
        period = db.session.scalar(select(GrantPeriod).filter_by(start_year=start))
        projects.append(
            _get_or_create(
                Project,
                {"institution": institution, "district_id": districts[slug].id},
                name=name,
                period_id=period.id,
            )
        )
    db.session.commit()
    return projects


def _synthetic_answers(rng: random.Random, mood: float, survey: Survey) -> dict[str, object]:
    """Plausible answers around a project's typical mood, each made by its question's kind."""
    answers: dict[str, object] = {}
    for question in survey.questions:
        lift = 0.2 if question.key == "joy" else 0
        value = question_type(question.kind).demo_answer(question, rng, mood + lift)
        if value is not None:
            answers[question.key] = value
    return answers


def _fill(survey: Survey, rng: random.Random, mood: float, count: int, day: date) -> None:
    """Add ``count`` synthetic responses on ``day`` (replays add nothing)."""
    for _ in range(count):
        client_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        moment = datetime(day.year, day.month, day.day, rng.randint(15, 19))
        submit_response(
            survey,
            client_id=client_id,
            locale=rng.choice([lang for lang in LANGUAGE_MIX if lang in survey.languages]),
            answers=_synthetic_answers(rng, mood, survey),
            now=moment,
            is_demo=True,
        )


def _survey(code: str, **fields) -> Survey:
    """The demo survey with ``code``, created once."""
    existing = db.session.scalar(select(Survey).where(Survey.code == code))
    return existing or create_survey(code=code, is_demo=True, **fields)


def _demo_survey(project: Project, today: date) -> Survey:
    """The open demo survey ``/s/demo``: every resident language and a question of its own."""
    demo = db.session.scalar(select(Survey).where(Survey.code == DEMO_CODE))
    if demo is None:
        demo = create_survey(
            code=DEMO_CODE,
            is_demo=True,
            project_id=project.id,
            title=DEMO_TITLES["fi"],
            titles=DEMO_TITLES,
            event_date=today,
            venue="Malmitalo",
            languages=list(RESIDENT_LANGUAGES),
            status=SurveyStatus.OPEN,
        )
        demo.questions.append(
            Question(key="custom_1", kind=QuestionKind.TEXT, prompts=DEMO_QUESTION, position=900)
        )
    demo.languages = list(RESIDENT_LANGUAGES)  # also for a demo seeded before uk existed
    demo.titles = dict(DEMO_TITLES)  # also for a demo seeded before titles had languages
    db.session.commit()
    return demo


def seed_demo(today: date | None = None) -> dict[str, int]:
    """Create all demo data; safe to run again. Returns what exists afterwards."""
    today = today or date(2026, 11, 27)
    rng = random.Random(2025)
    districts = seed_catalogue()
    projects = seed_projects(districts)
    demo = _demo_survey(projects[0], today)
    _fill(demo, rng, PROJECTS[0][4], 12, today)
    for i, (title, venue, p, months_ago, count, bank) in enumerate(PAST_EVENTS):
        day = today - timedelta(days=30 * months_ago + 3 * i)
        survey = _survey(
            f"demo-{i + 1:02d}",
            project_id=projects[p].id,
            title=title,
            event_date=day,
            venue=venue,
            bank_keys=bank,
            status=SurveyStatus.CLOSED,
        )
        db.session.commit()
        _fill(survey, rng, PROJECTS[p][4], count, day)
    actors = _survey(
        "demo-aa",
        project_id=projects[1].id,
        title="Alueen toimijoiden kysely",
        event_date=today - timedelta(days=40),
        venue="Kontulan kirjasto",
        tier=Tier.AREA_ACTOR,
        status=SurveyStatus.CLOSED,
    )
    db.session.commit()
    _fill(actors, rng, 3.5, 12, actors.event_date)
    return {
        "districts": len(districts),
        "projects": len(projects),
        "surveys": db.session.query(Survey).filter_by(is_demo=True).count(),
    }
