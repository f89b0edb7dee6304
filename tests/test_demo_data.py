"""Demo data: the districts, an open survey ``demo`` and plausible synthetic responses."""

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import District, Response, Survey, SurveyStatus, Tier

TARGET_2025 = {"malmi", "kontula", "meri-rastila", "kannelmaki-malminkartano"}


def counts(app) -> tuple[int, int, int]:
    """Districts, surveys and responses in the database."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (District, Survey, Response)
        )


def test_seed_demo_creates_districts_surveys_and_responses(app, runner):
    """The command loads the whole demo and says where the open survey is."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "/s/demo" in result.output
    with app.app_context():
        districts = db.session.scalars(select(District)).all()
        targets = {d.slug for d in districts if any(p.start_year == 2025 for p in d.periods)}
        assert targets == TARGET_2025
        assert {d.name_sv for d in districts} >= {"Malm", "Gårdsbacka", "Havsrastböle"}
        demo = db.session.scalar(select(Survey).where(Survey.code == "demo"))
        assert demo.status == SurveyStatus.OPEN
        assert [q.key for q in demo.questions][:3] == ["joy", "belonging", "safety"]
        assert demo.languages == ["fi", "sv", "en", "ru", "et", "so", "ar", "uk"]
        own = next(q for q in demo.questions if q.key == "custom_1")
        assert set(own.prompts) == set(demo.languages)
        closed = db.session.scalar(
            select(func.count()).select_from(Survey).where(Survey.status == SurveyStatus.CLOSED)
        )
        assert closed >= 3
        assert db.session.scalar(select(func.count()).where(Survey.tier != Tier.RESIDENT)) >= 1
        responses = db.session.scalars(select(Response)).all()
        assert len(responses) >= 300
        assert all(r.is_demo for r in responses)
        months = {(r.submitted_hour.year, r.submitted_hour.month) for r in responses}
        assert len(months) >= 6


def test_seed_demo_is_idempotent(app, runner):
    """Running it again adds nothing."""
    runner.invoke(args=["seed-demo"])
    first = counts(app)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert counts(app) == first


def test_demo_survey_is_served(app, runner, client):
    """After seeding, /s/demo answers in Finnish by default."""
    runner.invoke(args=["seed-demo"])
    response = client.get("/s/demo")
    assert response.status_code == 200
    assert "Tapahtuma toi minulle iloa." in response.get_data(as_text=True)


def test_demo_survey_offers_every_resident_language(app, runner, client):
    """/s/demo lists all eight languages, each named in its own script, and opens in each."""
    runner.invoke(args=["seed-demo"])
    html = client.get("/s/demo").get_data(as_text=True)
    for name in ("Suomi", "Svenska", "English", "Русский", "Eesti", "Soomaali", "العربية"):
        assert f">{name}</a>" in html
    assert ">Українська</a>" in html
    arabic = client.get("/s/demo?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "ماذا تحب أن تفعل في الفعالية القادمة؟" in arabic
