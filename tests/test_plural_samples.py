"""One sample count per plural category, so a live count can be worded as the server would."""

from __future__ import annotations

from feedback_app.i18n import plural_samples


def test_russian_samples_cover_one_few_many():
    """Russian has no whole number in "other": three categories, each its smallest integer."""
    assert plural_samples("ru") == {"one": 1, "few": 2, "many": 0}


def test_arabic_samples_cover_all_six_categories():
    """Arabic uses every CLDR category for whole numbers."""
    assert plural_samples("ar") == {
        "zero": 0,
        "one": 1,
        "two": 2,
        "few": 3,
        "many": 11,
        "other": 100,
    }


def test_finnish_samples_are_one_and_other():
    """Finnish words a count one way for 1 and another for everything else."""
    assert plural_samples("fi") == {"one": 1, "other": 0}
