"""Admin views for grant periods, districts and projects."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from feedback_app.admin import bp
from feedback_app.admin.forms import DistrictForm, PeriodForm, ProjectForm
from feedback_app.auth.views import staff_url
from feedback_app.extensions import db
from feedback_app.models import District, Project
from feedback_app.services import catalog_admin
from feedback_app.services.catalog_admin import CatalogError


@bp.route("/periods", methods=["GET", "POST"])
def periods():
    """List grant periods and add a new one."""
    form = PeriodForm()
    if form.validate_on_submit():
        try:
            catalog_admin.create_period(form.start_year.data, form.end_year.data)
        except CatalogError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Grant period saved."), "success")
            return redirect(staff_url("admin.periods"))
    form.suggest()
    status = 400 if form.errors else 200
    return render_template(
        "admin/periods.html", form=form, periods=catalog_admin.list_periods()
    ), status


def _district_form(district: District | None) -> DistrictForm:
    """The district form with the periods to choose from, pre-filled when editing."""
    form = DistrictForm(obj=district)
    form.periods.choices = [(p.id, p.label) for p in catalog_admin.list_periods()]
    if district is not None and not form.is_submitted():
        form.periods.data = [p.id for p in district.periods]
    return form


def _save_district(form: DistrictForm, district_id: int | None):
    """Validate and save; a redirect on success, else None with the reason on the form."""
    if not form.validate_on_submit():
        return None
    try:
        catalog_admin.save_district(
            district_id, form.name_fi.data, form.name_sv.data, form.periods.data or []
        )
    except CatalogError as error:
        form.form_errors.append(str(error))
        return None
    flash(_("District saved."), "success")
    return redirect(staff_url("admin.districts"))


@bp.route("/districts", methods=["GET", "POST"])
def districts():
    """List target districts and add a new one."""
    form = _district_form(None)
    done = _save_district(form, None)
    if done:
        return done
    return render_template(
        "admin/districts.html",
        form=form,
        districts=catalog_admin.list_districts(),
        lang=str(get_locale()),
    ), (400 if form.errors else 200)


@bp.route("/districts/<int:district_id>", methods=["GET", "POST"])
def district(district_id: int):
    """Edit a district's names and target periods."""
    area = db.session.get(District, district_id) or abort(404)
    form = _district_form(area)
    done = _save_district(form, district_id)
    if done:
        return done
    return render_template("admin/district.html", form=form, district=area), (
        400 if form.errors else 200
    )


def _project_form(project: Project | None) -> ProjectForm:
    """The project form with districts and periods to choose from."""
    form = ProjectForm(obj=project)
    lang = str(get_locale())
    form.district.choices = [(d.id, d.name(lang)) for d in catalog_admin.list_districts()]
    form.period.choices = [(p.id, p.label) for p in catalog_admin.list_periods()]
    if project is not None and not form.is_submitted():
        form.district.data, form.period.data = project.district_id, project.period_id
    return form


def _save_project(form: ProjectForm, project_id: int | None):
    """Validate and save; a redirect on success, else None with the reason on the form."""
    if not form.validate_on_submit():
        return None
    try:
        catalog_admin.save_project(
            project_id, form.name.data, form.institution.data, form.district.data, form.period.data
        )
    except CatalogError as error:
        form.form_errors.append(str(error))
        return None
    flash(_("Project saved."), "success")
    return redirect(staff_url("admin.projects"))


@bp.route("/projects", methods=["GET", "POST"])
def projects():
    """List grant projects and add a new one."""
    form = _project_form(None)
    done = _save_project(form, None)
    if done:
        return done
    return render_template(
        "admin/projects.html",
        form=form,
        projects=catalog_admin.list_projects(),
        survey_counts=catalog_admin.survey_counts(),
        lang=str(get_locale()),
    ), (400 if form.errors else 200)


@bp.route("/projects/<int:project_id>", methods=["GET", "POST"])
def project(project_id: int):
    """Edit a project's name, institution, district and period."""
    item = db.session.get(Project, project_id) or abort(404)
    form = _project_form(item)
    done = _save_project(form, project_id)
    if done:
        return done
    return render_template("admin/project.html", form=form, project=item), (
        400 if form.errors else 200
    )
