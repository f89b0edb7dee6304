"""Each question kind shows itself: its field for residents, its figures and its name for artists.

The pages include the templates named by the kind's class (``questions.py``), so these tests
hold the markup that the browser and accessibility tests rely on: ids, names, types,
``required`` and ``aria-describedby``.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Survey
from feedback_app.services.surveys.survey_editing import add_custom_question
from tests.studio_support import add_responses, project_of, survey_id

OPTIONS = {"fi": ["Yksi", "Kaksi", "Kolme"], "en": ["One", "Two", "Three"]}


class FormControls(HTMLParser):
    """The attributes of every input and textarea of a page, and the ids of its fieldsets."""

    def __init__(self, html: str):
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.groups: dict[str, dict[str, str | None]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        """Keep form controls and the question wrappers (fieldset or div) with an id."""
        found = dict(attrs)
        if tag in ("input", "textarea"):
            self.controls.append({"tag": tag, **found})
        elif tag in ("fieldset", "div") and "question" in (found.get("class") or "").split():
            self.groups[found["id"]] = {"tag": tag, **found}

    def named(self, name: str) -> list[dict[str, str | None]]:
        """The controls that send ``name``."""
        return [c for c in self.controls if c.get("name") == name]


@pytest.fixture
def every_kind(app, make_survey):
    """An open survey with the core faces and one required question of each other kind.

    custom_1 single choice, custom_2 multiple choice, custom_3 short text.
    """
    code = make_survey(code="kinds")
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        for kind in (QuestionKind.SINGLE, QuestionKind.MULTI, QuestionKind.TEXT):
            add_custom_question(
                survey,
                kind=kind,
                prompts={"fi": f"Oma {kind.value}", "en": f"Own {kind.value}"},
                option_labels=OPTIONS,
                required=True,
            )
    return code


@pytest.mark.parametrize("path", ["/s/kinds?lang=en", "/s/kinds/kiosk?lang=en"])
def test_each_kind_renders_its_own_field(client, every_kind, path):
    """Faces and single choice are radio groups, multiple choice checkboxes, text a textarea."""
    page = FormControls(client.get(path).get_data(as_text=True))
    assert page.groups["q-joy"]["tag"] == "fieldset"
    assert "face-scale" in page.groups["q-joy"]["class"]
    faces = page.named("q_joy")
    assert [(c["type"], c["id"], c["value"]) for c in faces] == [
        ("radio", f"q-joy-{score}", str(score)) for score in range(1, 6)
    ]
    assert all("required" not in c for c in faces)  # core questions may be skipped

    assert "choices" in page.groups["q-custom_1"]["class"]
    single = page.named("q_custom_1")
    assert [(c["type"], c["id"], c["value"]) for c in single] == [
        ("radio", f"q-custom_1-o{n}", f"o{n}") for n in (1, 2, 3)
    ]
    assert all("required" in c for c in single)

    assert "choices" in page.groups["q-custom_2"]["class"]
    multi = page.named("q_custom_2")
    assert [(c["type"], c["id"]) for c in multi] == [
        ("checkbox", f"q-custom_2-o{n}") for n in (1, 2, 3)
    ]
    # A required checkbox would have to be ticked itself: the server checks this one.
    assert all("required" not in c for c in multi)

    assert page.groups["q-custom_3"]["tag"] == "div"
    [text] = page.named("q_custom_3")
    assert text["tag"] == "textarea" and text["id"] == "q-custom_3-input"
    assert text["maxlength"] == "1000" and "required" in text
    assert text["aria-describedby"] == "hint-custom_3"


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"q_joy": "9"}, "joy", "Please choose one of the faces."),
        ({"q_custom_1": "zz"}, "custom_1", "Please check this answer."),
        ({"q_custom_2": ["o1", "zz"]}, "custom_2", "Please check this answer."),
        ({"q_custom_3": "a\x01b"}, "custom_3", "Please remove control characters from your text."),
    ],
)
def test_each_kind_points_to_its_own_error(client, every_kind, answers, key, message):
    """The refused field says why and is tied to the message for screen readers."""
    complete = {"q_joy": "3", "q_custom_1": "o1", "q_custom_2": ["o2"], "q_custom_3": "Hei"}
    response = client.post("/s/kinds?lang=en", data=complete | answers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="field-error" id="err-{key}">{message}</p>' in html
    page = FormControls(html)
    assert "has-error" in page.groups[f"q-{key}"]["class"]
    described = page.groups[f"q-{key}"].get("aria-describedby") or page.named(f"q_{key}")[0].get(
        "aria-describedby"
    )
    assert f"err-{key}" in described


def test_each_kind_shows_its_own_results(app, client, every_kind, make_account, auth):
    """Faces as index and faces, choices as counts per option; text only as comments."""
    add_responses(app, every_kind, 5, custom_1="o2", custom_2=["o1", "o3"], custom_3="Kiva")
    auth.login(make_account("artist", projects=[project_of(app, every_kind)]))
    sid = survey_id(app, every_kind)
    html = client.get(f"/studio/surveys/{sid}/results?lang=en").get_data(as_text=True)
    joy = html.split('id="r-joy"', 1)[1].split("</section>", 1)[0]
    assert '<span class="index-value">100.0</span>' in joy
    assert "Answers per face" in joy and joy.count('<progress max="5"') == 5
    single = html.split('id="r-custom_1"', 1)[1].split("</section>", 1)[0]
    assert "5 people answered" in single and "Answers per option" in single
    assert single.count('<progress max="5" value="5">') == 1  # everyone picked "Two"
    multi = html.split('id="r-custom_2"', 1)[1].split("</section>", 1)[0]
    assert multi.count('<progress max="5" value="5">') == 2  # "One" and "Three"
    assert 'id="r-custom_3"' not in html  # free text has no figures
    assert "<blockquote" in html.split('id="comments"', 1)[1]


def test_the_question_list_names_each_kind(app, client, every_kind, make_account, auth):
    """The studio's question list says each question's kind in the interface language."""
    auth.login(make_account("artist", projects=[project_of(app, every_kind)]))
    sid = survey_id(app, every_kind)
    english = client.get(f"/studio/surveys/{sid}?lang=en").get_data(as_text=True)
    for label in ("Face scale (1–5)", "Single choice", "Multiple choice", "Short text"):
        assert f"· {label}</span>" in english
    finnish = client.get(f"/studio/surveys/{sid}?lang=fi").get_data(as_text=True)
    assert "· Kasvoasteikko (1–5)</span>" in finnish and "· Monivalinta</span>" in finnish
