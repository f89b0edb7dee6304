"""``flask i18n-check``: a resident language lacking a resident-facing message fails."""

from pathlib import Path

from feedback_app.catalogue_check import catalogue_gaps
from feedback_app.i18n import RESIDENT_LANGUAGES

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
RESIDENT = '#: templates/survey/form.html:40\nmsgid "Send answers"\nmsgstr "{send}"\n\n'
STAFF = '#: templates/studio/survey.html:30\nmsgid "Publish"\nmsgstr "{publish}"\n\n'
FUZZY = '#: templates/survey/thanks.html:7\n#, fuzzy\nmsgid "Thank you!"\nmsgstr "Kiitos"\n\n'


def write_catalogues(folder: Path, texts: dict[str, str]) -> None:
    """One messages.po per resident language under ``folder``."""
    for language in RESIDENT_LANGUAGES:
        target = folder / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "messages.po").write_text(HEADER + texts.get(language, ""), encoding="utf-8")


def complete(send: str = "X", publish: str = "Y") -> str:
    """A catalogue with both messages translated."""
    return RESIDENT.format(send=send) + STAFF.format(publish=publish)


def test_complete_catalogues_pass(tmp_path):
    """Every language with every message it needs: no gaps."""
    write_catalogues(tmp_path, {lang: complete() for lang in RESIDENT_LANGUAGES})
    assert catalogue_gaps(tmp_path) == []


def test_untranslated_resident_message_is_a_gap_in_a_resident_language(tmp_path):
    """Somali without "Send answers" fails; its missing staff message does not."""
    texts = {lang: complete() for lang in RESIDENT_LANGUAGES}
    texts["so"] = RESIDENT.format(send="") + STAFF.format(publish="")
    write_catalogues(tmp_path, texts)
    gaps = catalogue_gaps(tmp_path)
    assert [(g.language, g.msgid, g.problem) for g in gaps] == [
        ("so", "Send answers", "untranslated")
    ]


def test_staff_message_is_needed_in_finnish_and_swedish(tmp_path):
    """Staff pages speak fi/sv/en: an untranslated staff message in Swedish fails."""
    texts = {lang: complete() for lang in RESIDENT_LANGUAGES}
    texts["sv"] = complete(publish="")
    write_catalogues(tmp_path, texts)
    assert [(g.language, g.msgid) for g in catalogue_gaps(tmp_path)] == [("sv", "Publish")]


def test_fuzzy_entry_and_missing_catalogue_are_gaps(tmp_path):
    """A fuzzy translation is not a translation; a language without a catalogue fails."""
    texts = {lang: complete() for lang in RESIDENT_LANGUAGES}
    texts["ar"] = complete() + FUZZY
    write_catalogues(tmp_path, texts)
    (tmp_path / "uk" / "LC_MESSAGES" / "messages.po").unlink()
    problems = {(g.language, g.problem) for g in catalogue_gaps(tmp_path)}
    assert problems == {("ar", "fuzzy"), ("uk", "no catalogue")}


def test_english_source_catalogue_may_leave_msgstr_empty(tmp_path):
    """English msgids are the English text: an empty English msgstr is no gap."""
    texts = {lang: complete() for lang in RESIDENT_LANGUAGES}
    texts["en"] = complete(send="", publish="")
    write_catalogues(tmp_path, texts)
    assert catalogue_gaps(tmp_path) == []


def test_cli_fails_with_the_list_of_gaps(app, monkeypatch, tmp_path):
    """The command prints each gap and exits non-zero."""
    texts = {lang: complete() for lang in RESIDENT_LANGUAGES}
    texts["et"] = complete(send="")
    write_catalogues(tmp_path, texts)
    monkeypatch.setattr("feedback_app.catalogue_check.TRANSLATIONS", tmp_path)
    result = app.test_cli_runner().invoke(args=["i18n-check"])
    assert result.exit_code == 1
    assert "et: untranslated: Send answers" in result.output
