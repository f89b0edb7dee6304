"""Standard questions: the three core indicators and the optional bank from DOMAIN.md.

Their wording is fixed so districts and projects stay comparable; artists pick them by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CORE_KEYS = ("joy", "belonging", "safety")
COMMENT_KEY = "comment"


@dataclass(frozen=True)
class StandardQuestion:
    """A question whose key, kind and texts are the same in every survey."""

    key: str
    kind: str
    prompts: dict[str, str]
    options: list[dict] = field(default_factory=list)
    required: bool = False


def _options(*pairs: tuple[str, dict[str, str]]) -> list[dict]:
    return [{"key": key, "labels": labels} for key, labels in pairs]


STANDARD_QUESTIONS: dict[str, StandardQuestion] = {
    q.key: q
    for q in [
        StandardQuestion(
            "joy",
            "face",
            {
                "fi": "Tapahtuma toi minulle iloa.",
                "sv": "Evenemanget gav mig glädje.",
                "en": "The event brought me joy.",
                "ru": "Мероприятие принесло мне радость.",
                "et": "Üritus tõi mulle rõõmu.",
                "so": "Munaasabaddu waxay i siisay farxad.",
                "ar": "جلبت لي هذه الفعالية الفرح.",
            },
        ),
        StandardQuestion(
            "belonging",
            "face",
            {
                "fi": "Tunsin kuuluvani joukkoon.",
                "sv": "Jag kände att jag hörde till.",
                "en": "I felt I belonged here.",
                "ru": "Я чувствовал(а), что я здесь свой (своя).",
                "et": "Tundsin, et kuulun siia.",
                "so": "Waxaan dareemay inaan halkan ka tirsanahay.",
                "ar": "شعرت بأنني أنتمي إلى هنا.",
            },
        ),
        StandardQuestion(
            "safety",
            "face",
            {
                "fi": "Tunsin oloni turvalliseksi.",
                "sv": "Jag kände mig trygg.",
                "en": "I felt safe here.",
                "ru": "Я чувствовал(а) себя здесь в безопасности.",
                "et": "Tundsin end siin turvaliselt.",
                "so": "Waxaan halkan ku dareemay nabadgelyo.",
                "ar": "شعرت بالأمان هنا.",
            },
        ),
        StandardQuestion(
            "success",
            "face",
            {
                "fi": "Koin onnistumisen elämyksiä.",
                "sv": "Jag fick uppleva att jag lyckades.",
                "en": "I had a sense of achievement.",
            },
        ),
        StandardQuestion(
            "empowerment",
            "face",
            {
                "fi": "Tunsin itseni vahvemmaksi.",
                "sv": "Jag kände mig stärkt.",
                "en": "I felt empowered.",
            },
        ),
        StandardQuestion(
            "together",
            "face",
            {
                "fi": "Teimme yhdessä jotain merkityksellistä.",
                "sv": "Vi gjorde något meningsfullt tillsammans.",
                "en": "We did something meaningful together.",
            },
        ),
        StandardQuestion(
            "own_voice",
            "face",
            {
                "fi": "Oma ääneni tuli kuulluksi.",
                "sv": "Min egen röst blev hörd.",
                "en": "My own voice was heard.",
            },
        ),
        StandardQuestion(
            "creativity",
            "face",
            {
                "fi": "Sain käyttää luovuuttani.",
                "sv": "Jag fick använda min kreativitet.",
                "en": "I could use my creativity.",
            },
        ),
        StandardQuestion(
            "pride",
            "face",
            {
                "fi": "Olen ylpeä alueestani.",
                "sv": "Jag är stolt över mitt område.",
                "en": "I am proud of my area.",
            },
        ),
        StandardQuestion(
            "comfort",
            "face",
            {
                "fi": "Viihdyn tällä alueella.",
                "sv": "Jag trivs i det här området.",
                "en": "I enjoy being in this area.",
            },
        ),
        StandardQuestion(
            "come_again",
            "face",
            {
                "fi": "Tulisin uudestaan.",
                "sv": "Jag skulle komma igen.",
                "en": "I would come again.",
            },
        ),
        StandardQuestion(
            "first_time",
            "single",
            {
                "fi": "Olitko ensimmäistä kertaa tällaisessa tapahtumassa?",
                "sv": "Var du på ett sådant här evenemang för första gången?",
                "en": "Was this your first time at an event like this?",
            },
            _options(
                ("yes", {"fi": "Kyllä", "sv": "Ja", "en": "Yes"}),
                ("no", {"fi": "En", "sv": "Nej", "en": "No"}),
            ),
        ),
        StandardQuestion(
            "residency",
            "single",
            {
                "fi": "Asutko tällä alueella?",
                "sv": "Bor du i det här området?",
                "en": "Do you live in this district?",
            },
            _options(
                ("resident", {"fi": "Asun täällä", "sv": "Jag bor här", "en": "I live here"}),
                (
                    "works_studies",
                    {
                        "fi": "Työskentelen tai opiskelen täällä",
                        "sv": "Jag arbetar eller studerar här",
                        "en": "I work or study here",
                    },
                ),
                (
                    "visitor",
                    {"fi": "Olen vierailulla", "sv": "Jag är på besök", "en": "I'm visiting"},
                ),
            ),
        ),
        StandardQuestion(
            "age_band",
            "single",
            {
                "fi": "Ikäsi",
                "sv": "Din ålder",
                "en": "Your age",
            },
            _options(
                ("under_18", {"fi": "alle 18", "sv": "under 18", "en": "under 18"}),
                ("18_29", {"fi": "18–29", "sv": "18–29", "en": "18–29"}),
                ("30_44", {"fi": "30–44", "sv": "30–44", "en": "30–44"}),
                ("45_64", {"fi": "45–64", "sv": "45–64", "en": "45–64"}),
                ("65_plus", {"fi": "65 tai yli", "sv": "65 eller äldre", "en": "65 or over"}),
            ),
        ),
        StandardQuestion(
            COMMENT_KEY,
            "text",
            {
                "fi": "Haluatko sanoa vielä jotain? (vapaaehtoinen)",
                "sv": "Vill du säga något mer? (frivilligt)",
                "en": "Anything else you would like to say? (optional)",
            },
        ),
    ]
}

BANK_KEYS = tuple(k for k in STANDARD_QUESTIONS if k not in CORE_KEYS and k != COMMENT_KEY)
FACE_INDICATORS = tuple(k for k, q in STANDARD_QUESTIONS.items() if q.kind == "face")
