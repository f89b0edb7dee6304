"""Standard questions: the three core indicators and the optional bank from DOMAIN.md.

Their wording is fixed so districts and projects stay comparable; artists pick them by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from feedback_app.questions import question_type

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
                "uk": "Захід приніс мені радість.",
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
                "uk": "Я відчував(ла), що я тут свій (своя).",
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
                "uk": "Я почувався(лася) тут у безпеці.",
            },
        ),
        StandardQuestion(
            "success",
            "face",
            {
                "fi": "Koin onnistumisen elämyksiä.",
                "sv": "Jag fick uppleva att jag lyckades.",
                "en": "I had a sense of achievement.",
                "ru": "Я почувствовал(а), что у меня получилось.",
                "et": "Tundsin, et mul õnnestus.",
                "so": "Waxaan dareemay inaan guuleystay.",
                "ar": "شعرت بالإنجاز.",
                "uk": "Я відчув(ла), що в мене вийшло.",
            },
        ),
        StandardQuestion(
            "empowerment",
            "face",
            {
                "fi": "Tunsin itseni vahvemmaksi.",
                "sv": "Jag kände mig stärkt.",
                "en": "I felt empowered.",
                "ru": "Я почувствовал(а) себя сильнее.",
                "et": "Tundsin end tugevamana.",
                "so": "Waxaan dareemay inaan xoog yeeshay.",
                "ar": "شعرت بأنني أصبحت أقوى.",
                "uk": "Це додало мені сил.",
            },
        ),
        StandardQuestion(
            "together",
            "face",
            {
                "fi": "Teimme yhdessä jotain merkityksellistä.",
                "sv": "Vi gjorde något meningsfullt tillsammans.",
                "en": "We did something meaningful together.",
                "ru": "Мы вместе сделали что-то значимое.",
                "et": "Tegime koos midagi tähendusrikast.",
                "so": "Waxaan si wadajir ah u samaynay wax macno leh.",
                "ar": "قمنا معًا بشيء ذي معنى.",
                "uk": "Ми разом зробили щось значуще.",
            },
        ),
        StandardQuestion(
            "own_voice",
            "face",
            {
                "fi": "Oma ääneni tuli kuulluksi.",
                "sv": "Min egen röst blev hörd.",
                "en": "My own voice was heard.",
                "ru": "Мой голос был услышан.",
                "et": "Minu häält kuulati.",
                "so": "Codkayga waa la maqlay.",
                "ar": "كان صوتي مسموعًا.",
                "uk": "Мій голос почули.",
            },
        ),
        StandardQuestion(
            "creativity",
            "face",
            {
                "fi": "Sain käyttää luovuuttani.",
                "sv": "Jag fick använda min kreativitet.",
                "en": "I could use my creativity.",
                "ru": "У меня была возможность проявить творческие способности.",
                "et": "Sain kasutada oma loovust.",
                "so": "Waxaan awooday inaan adeegsado hal-abuurkayga.",
                "ar": "تمكنت من استخدام إبداعي.",
                "uk": "У мене була змога проявити творчі здібності.",
            },
        ),
        StandardQuestion(
            "pride",
            "face",
            {
                "fi": "Olen ylpeä alueestani.",
                "sv": "Jag är stolt över mitt område.",
                "en": "I am proud of my area.",
                "ru": "Я горжусь своим районом.",
                "et": "Olen uhke oma piirkonna üle.",
                "so": "Waxaan ku faanaa xaafaddayda.",
                "ar": "أفتخر بمنطقتي.",
                "uk": "Я пишаюся своїм районом.",
            },
        ),
        StandardQuestion(
            "comfort",
            "face",
            {
                "fi": "Viihdyn tällä alueella.",
                "sv": "Jag trivs i det här området.",
                "en": "I enjoy being in this area.",
                "ru": "Мне нравится в этом районе.",
                "et": "Mulle meeldib selles piirkonnas olla.",
                "so": "Waan jeclahay inaan joogo xaafaddan.",
                "ar": "أحب أن أكون في هذه المنطقة.",
                "uk": "Мені подобається в цьому районі.",
            },
        ),
        StandardQuestion(
            "come_again",
            "face",
            {
                "fi": "Tulisin uudestaan.",
                "sv": "Jag skulle komma igen.",
                "en": "I would come again.",
                "ru": "Я бы пришёл (пришла) ещё раз.",
                "et": "Tuleksin uuesti.",
                "so": "Mar kale ayaan iman lahaa.",
                "ar": "أودّ أن آتي مرة أخرى.",
                "uk": "Я прийшов би (прийшла б) ще раз.",
            },
        ),
        StandardQuestion(
            "first_time",
            "single",
            {
                "fi": "Olitko ensimmäistä kertaa tällaisessa tapahtumassa?",
                "sv": "Var du på ett sådant här evenemang för första gången?",
                "en": "Was this your first time at an event like this?",
                "ru": "Вы впервые были на таком мероприятии?",
                "et": "Kas olite sellisel üritusel esimest korda?",
                "so": "Ma markii ugu horreysay ayaad timid munaasabad noocan ah?",
                "ar": "هل هذه أول مشاركة لك في فعالية كهذه؟",
                "uk": "Ви вперше були на такому заході?",
            },
            _options(
                (
                    "yes",
                    {
                        "fi": "Kyllä",
                        "sv": "Ja",
                        "en": "Yes",
                        "ru": "Да",
                        "et": "Jah",
                        "so": "Haa",
                        "ar": "نعم",
                        "uk": "Так",
                    },
                ),
                (
                    "no",
                    {
                        "fi": "En",
                        "sv": "Nej",
                        "en": "No",
                        "ru": "Нет",
                        "et": "Ei",
                        "so": "Maya",
                        "ar": "لا",
                        "uk": "Ні",
                    },
                ),
            ),
        ),
        StandardQuestion(
            "residency",
            "single",
            {
                "fi": "Asutko tällä alueella?",
                "sv": "Bor du i det här området?",
                "en": "Do you live in this district?",
                "ru": "Вы живёте в этом районе?",
                "et": "Kas elate selles piirkonnas?",
                "so": "Ma ku nooshahay xaafaddan?",
                "ar": "هل أنت من سكان هذا الحي؟",
                "uk": "Ви живете в цьому районі?",
            },
            _options(
                (
                    "resident",
                    {
                        "fi": "Asun täällä",
                        "sv": "Jag bor här",
                        "en": "I live here",
                        "ru": "Живу здесь",
                        "et": "Elan siin",
                        "so": "Halkan ayaan ku noolahay",
                        "ar": "أسكن هنا",
                        "uk": "Живу тут",
                    },
                ),
                (
                    "works_studies",
                    {
                        "fi": "Työskentelen tai opiskelen täällä",
                        "sv": "Jag arbetar eller studerar här",
                        "en": "I work or study here",
                        "ru": "Работаю или учусь здесь",
                        "et": "Töötan või õpin siin",
                        "so": "Halkan ayaan ka shaqeeyaa ama wax ka bartaa",
                        "ar": "أعمل أو أدرس هنا",
                        "uk": "Працюю або навчаюся тут",
                    },
                ),
                (
                    "visitor",
                    {
                        "fi": "Olen vierailulla",
                        "sv": "Jag är på besök",
                        "en": "I'm visiting",
                        "ru": "Я здесь в гостях",
                        "et": "Olen siin külas",
                        "so": "Booqasho ayaan u imid",
                        "ar": "أنا في زيارة",
                        "uk": "Я тут у гостях",
                    },
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
                "ru": "Ваш возраст",
                "et": "Teie vanus",
                "so": "Da'daada",
                "ar": "عمرك",
                "uk": "Ваш вік",
            },
            _options(
                (
                    "under_18",
                    {
                        "fi": "alle 18",
                        "sv": "under 18",
                        "en": "under 18",
                        "ru": "младше 18",
                        "et": "alla 18",
                        "so": "ka yar 18",
                        "ar": "أقل من 18",
                        "uk": "молодше 18",
                    },
                ),
                (
                    "18_29",
                    {
                        "fi": "18–29",
                        "sv": "18–29",
                        "en": "18–29",
                        "ru": "18–29",
                        "et": "18–29",
                        "so": "18–29",
                        "ar": "18–29",
                        "uk": "18–29",
                    },
                ),
                (
                    "30_44",
                    {
                        "fi": "30–44",
                        "sv": "30–44",
                        "en": "30–44",
                        "ru": "30–44",
                        "et": "30–44",
                        "so": "30–44",
                        "ar": "30–44",
                        "uk": "30–44",
                    },
                ),
                (
                    "45_64",
                    {
                        "fi": "45–64",
                        "sv": "45–64",
                        "en": "45–64",
                        "ru": "45–64",
                        "et": "45–64",
                        "so": "45–64",
                        "ar": "45–64",
                        "uk": "45–64",
                    },
                ),
                (
                    "65_plus",
                    {
                        "fi": "65 tai yli",
                        "sv": "65 eller äldre",
                        "en": "65 or over",
                        "ru": "65 и старше",
                        "et": "65 või vanem",
                        "so": "65 ama ka weyn",
                        "ar": "65 أو أكثر",
                        "uk": "65 і старше",
                    },
                ),
            ),
        ),
        StandardQuestion(
            COMMENT_KEY,
            "text",
            {
                "fi": "Haluatko sanoa vielä jotain? (vapaaehtoinen)",
                "sv": "Vill du säga något mer? (frivilligt)",
                "en": "Anything else you would like to say? (optional)",
                "ru": "Хотите что-нибудь добавить? (необязательно)",
                "et": "Kas soovite veel midagi öelda? (vabatahtlik)",
                "so": "Ma jiraa wax kale oo aad jeclaan lahayd inaad sheegto? (ikhtiyaari)",
                "ar": "هل لديك ما تودّ إضافته؟ (اختياري)",
                "uk": "Бажаєте ще щось додати? (необов’язково)",
            },
        ),
    ]
}

BANK_KEYS = tuple(k for k in STANDARD_QUESTIONS if k not in CORE_KEYS and k != COMMENT_KEY)
# The indicators: the standard questions whose answers are tallied scores (the face scale).
FACE_INDICATORS = tuple(k for k, q in STANDARD_QUESTIONS.items() if question_type(q.kind).tallied)
