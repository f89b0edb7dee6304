"""Editing a survey's questions in the studio: bank questions and the artist's own."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from feedback_app.models import QuestionKind
from feedback_app.question_bank import CORE_KEYS
from feedback_app.services.surveys import survey_editing as editing
from feedback_app.studio import access
from feedback_app.studio.forms import (
    ActionForm,
    BankForm,
    QuestionForm,
    bank_choices,
    fill_question_form,
    question_texts,
)
from feedback_app.studio.views import bp, staff_only, to


def _locked_message() -> str:
    """Why questions cannot change after the first answer."""
    return _(
        "The questions are locked because the survey already has answers: changing them "
        "would make the answers impossible to compare. Duplicate the survey to make a "
        "changed version for your next event."
    )


def _back(survey_id: int):
    """Return to the survey page."""
    return redirect(to("studio.survey", survey_id=survey_id))


@bp.post("/surveys/<int:survey_id>/bank")
@staff_only
def bank(survey_id: int):
    """Choose the optional standard questions."""
    survey = access.load_survey(survey_id, write=True)
    form = BankForm()
    form.bank.choices = bank_choices(str(get_locale()))
    if form.validate_on_submit():
        try:
            editing.set_bank_questions(survey, form.bank.data or [])
        except editing.QuestionsLocked:
            flash(_locked_message(), "error")
        else:
            flash(_("Saved."), "info")
    return _back(survey.id)


@bp.route("/surveys/<int:survey_id>/questions/new", methods=["GET", "POST"])
@staff_only
def new_question(survey_id: int):
    """Add the artist's own question with its texts per language."""
    survey = access.load_survey(survey_id, write=True)
    if editing.has_responses(survey):
        flash(_locked_message(), "error")
        return _back(survey.id)
    form = QuestionForm()
    if form.validate_on_submit():
        prompts, options = question_texts(form)
        editing.add_custom_question(
            survey,
            kind=QuestionKind(form.kind.data),
            prompts=prompts,
            option_labels=options,
            required=form.required.data,
        )
        flash(_("Question added."), "info")
        return _back(survey.id)
    status = 400 if form.is_submitted() else 200
    return render_template("studio/question.html", survey=survey, form=form, question=None), status


def _custom_question(survey, question_id: int):
    """One of the survey's questions, or 404."""
    for question in survey.questions:
        if question.id == question_id:
            return question
    abort(404)


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@staff_only
def edit_question(survey_id: int, question_id: int):
    """Change an artist's own question; standard questions keep their fixed wording."""
    survey = access.load_survey(survey_id, write=True)
    question = _custom_question(survey, question_id)
    if not question.key.startswith("custom_"):
        abort(404)
    if editing.has_responses(survey):
        flash(_locked_message(), "error")
        return _back(survey.id)
    form = QuestionForm()
    if not form.is_submitted():
        fill_question_form(form, question)
    # The kind is fixed once created: options and answers depend on it.
    form.kind.data = question.kind.value
    if form.validate_on_submit():
        prompts, options = question_texts(form)
        editing.update_custom_question(
            question, prompts=prompts, option_labels=options, required=form.required.data
        )
        flash(_("Saved."), "info")
        return _back(survey.id)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "studio/question.html", survey=survey, form=form, question=question
    ), status


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/delete")
@staff_only
def delete_question(survey_id: int, question_id: int):
    """Remove a bank or custom question (never a core one)."""
    survey = access.load_survey(survey_id, write=True)
    question = _custom_question(survey, question_id)
    if question.key in CORE_KEYS or not ActionForm().validate_on_submit():
        abort(400)
    try:
        editing.remove_question(question)
    except editing.QuestionsLocked:
        flash(_locked_message(), "error")
    else:
        flash(_("Question removed."), "info")
    return _back(survey.id)
