"""Admin pages for grant periods, districts and projects."""

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import District, GrantPeriod, Project


@pytest.fixture
def admin(client, auth, make_account):
    """A signed-in admin; returns the ``auth`` helper for CSRF tokens."""
    auth.login(make_account("admin"))
    return auth


def post(client, admin, path, data, **kwargs):
    """POST a form with the CSRF token read from the same page."""
    return client.post(path, data={**data, "csrf_token": admin.csrf_token(path)}, **kwargs)


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("fi", ["Alueet", "Avustuskaudet", "Hankkeet", "Käyttäjätilit", "Kutsut"]),
        ("sv", ["Områden", "Bidragsperioder", "Projekt", "Konton", "Inbjudningar"]),
        ("en", ["Districts", "Grant periods", "Projects", "Accounts", "Invitations"]),
    ],
)
def test_admin_start_page_in_each_language(client, admin, lang, texts):
    """The admin area's navigation is translated."""
    html = client.get(f"/admin/?lang={lang}").get_data(as_text=True)
    for text in texts:
        assert text in html


def test_adds_a_grant_period(app, client, admin):
    """A period is stored; a reversed one is refused with 400 and a reason."""
    response = post(client, admin, "/admin/periods", {"start_year": 2028, "end_year": 2030})
    assert response.status_code == 302
    bad = post(client, admin, "/admin/periods?lang=en", {"start_year": 2031, "end_year": 2029})
    assert bad.status_code == 400
    assert "The period cannot end before it starts." in bad.get_data(as_text=True)
    twice = post(client, admin, "/admin/periods?lang=sv", {"start_year": 2028, "end_year": 2030})
    assert twice.status_code == 400
    assert "finns redan" in twice.get_data(as_text=True)
    with app.app_context():
        assert [p.label for p in db.session.scalars(select(GrantPeriod))] == ["2028–2030"]
    assert "2028–2030" in client.get("/admin/periods").get_data(as_text=True)


def test_adds_and_edits_a_district_with_both_names(app, client, admin):
    """Finnish and Swedish names are required; target periods are chosen by checkbox."""
    with app.app_context():
        period = GrantPeriod(start_year=2025, end_year=2027)
        db.session.add(period)
        db.session.commit()
        period_id = period.id
    data = {"name_fi": "Meri-Rastila", "name_sv": "Havsrastböle", "periods": [period_id]}
    assert post(client, admin, "/admin/districts", data).status_code == 302
    missing = post(client, admin, "/admin/districts", {"name_fi": "Vuosaari", "name_sv": ""})
    assert missing.status_code == 400
    with app.app_context():
        district = db.session.scalar(select(District))
        assert (district.slug, district.name_sv) == ("meri-rastila", "Havsrastböle")
        assert [p.id for p in district.periods] == [period_id]
        district_id = district.id
    path = f"/admin/districts/{district_id}"
    assert "Havsrastböle" in client.get(path).get_data(as_text=True)
    edit = post(client, admin, path, {"name_fi": "Meri-Rastila", "name_sv": "Havsrastbölen"})
    assert edit.status_code == 302
    with app.app_context():
        district = db.session.get(District, district_id)
        assert district.name_sv == "Havsrastbölen"
        assert district.periods == []
    assert client.get("/admin/districts/999999").status_code == 404


def test_adds_and_edits_a_project(app, client, admin, make_project):
    """A project has a name, institution, district and period; names are unique per period."""
    existing = make_project(name="Malmin tarinat", district="malmi")
    with app.app_context():
        old = db.session.get(Project, existing)
        district_id, period_id = old.district_id, old.period_id
    data = {
        "name": "Kontulan kuoro",
        "institution": "Savoy",
        "district": district_id,
        "period": period_id,
    }
    assert post(client, admin, "/admin/projects", data).status_code == 302
    clash = post(client, admin, "/admin/projects?lang=en", dict(data, name="Malmin tarinat"))
    assert clash.status_code == 400
    assert "already exists in that period" in clash.get_data(as_text=True)
    with app.app_context():
        new = db.session.scalar(select(Project).filter_by(name="Kontulan kuoro"))
        assert (new.institution, new.district_id, new.period_id) == (
            "Savoy",
            district_id,
            period_id,
        )
        new_id = new.id
    page = client.get("/admin/projects").get_data(as_text=True)
    assert "Kontulan kuoro" in page and "Savoy" in page
    edit = post(client, admin, f"/admin/projects/{new_id}", dict(data, institution="Stoa"))
    assert edit.status_code == 302
    with app.app_context():
        assert db.session.get(Project, new_id).institution == "Stoa"


def test_admin_form_without_csrf_token_is_refused(app, client, admin):
    """Every admin form is CSRF protected: a POST without the token is 400 and saves nothing."""
    response = client.post("/admin/periods", data={"start_year": 2028, "end_year": 2030})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(GrantPeriod)) is None


def test_links_and_redirects_keep_the_chosen_language(client, admin):
    """Without a language cookie, staff links and redirects carry ``?lang=`` along."""
    html = client.get("/admin/?lang=sv").get_data(as_text=True)
    assert 'href="/admin/districts?lang=sv"' in html
    assert 'action="/logout?lang=sv"' in html
    response = post(client, admin, "/admin/periods?lang=sv", {"start_year": 2028, "end_year": 2030})
    assert response.headers["Location"].endswith("/admin/periods?lang=sv")
    assert "Bidragsperioden har sparats." in client.get(response.headers["Location"]).text
