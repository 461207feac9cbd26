"""Requirements in and out of spreadsheets: the list's export, the Excel
import page, its template workbook and the job's progress and report."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.core.forms import submit
from liaison.core.htmx import render_page
from liaison.core.uploads import upload_refusal
from liaison.projects import access
from liaison.projects.access import Action
from liaison.requirements import transfer
from liaison.requirements.forms import XLSX, ImportForm
from liaison.requirements.import_jobs import import_job_check_lease
from liaison.requirements.models import Requirement
from liaison.requirements.selectors import RequirementFilters, import_job_get, requirement_list
from liaison.requirements.services import requirement_import_start

CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}

# What each documented column accepts, shown on the import page. Keyed by the
# column's English name; the page shows its label in the reader's language.
COLUMN_HELP = {
    "Title": (_("Required. At most 300 characters."), None),
    "Kind": (_("One of these; empty means functional."), Requirement.Kind),
    "Description": (_("Free text."), None),
    "Acceptance criteria": (_("One criterion per line."), None),
    "Source": (_("One of these; empty means document."), Requirement.Source),
    "Priority": (_("MoSCoW, one of these; empty means should have."), Requirement.Priority),
    "Value": (_("A whole number from 1 to 5; empty means 3."), None),
    "Feasibility": (_("A whole number from 1 to 5; empty means 3."), None),
    "Cost": (_("A whole number from 1 to 5; empty means 3."), None),
    "Tags": (_("Separated by commas."), None),
    "Client visible": (_("yes or no (是 / 否); empty means yes."), None),
}


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@login_required
@require_GET
def export(request, code: str, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    project = access.get_project_for(request.user, code)
    # The export is the list the reader is looking at: same filters, same audience.
    rows = requirement_list(
        project=project,
        audience=access.audience_of(request.user, project),
        filters=RequirementFilters.from_query(request.GET),
    )
    content = transfer.export_xlsx(rows) if fmt == "xlsx" else transfer.export_csv(rows)
    return _attachment(content, CONTENT_TYPES[fmt], f"{project.code}-requirements.{fmt}")


def _columns() -> list[dict]:
    return [
        {
            "name": transfer.LABELS[name],
            "accepts": COLUMN_HELP[name][0],
            "choices": COLUMN_HELP[name][1],
        }
        for name in transfer.COLUMNS
    ]


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    # Bound on every POST, so a POST without a file says so beside the field.
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if refusal := upload_refusal(request):
        form.errors["file"] = form.error_class([refusal])  # not "choose a file": it was read
    elif (
        job := submit(
            form,
            lambda data: requirement_import_start(
                project=project, by=request.user, upload=data["file"]
            ),
        )
    ) is not None:
        return redirect("requirements:import-status", code=project.code, job_id=job.pk)
    return render(
        request,
        "requirements/import.html",
        {"project": project, "form": form, "columns": _columns()},
    )


@login_required
@require_GET
def import_template(request, code: str):
    project = access.get_project_for(request.user, code)
    return _attachment(transfer.template_workbook(), XLSX, f"{project.code}-import-template.xlsx")


@login_required
@require_GET
def import_status(request, code: str, job_id: int):
    project = access.get_project_for(request.user, code)
    # A job whose worker died shows as failed now, not at the next sweep.
    job = import_job_check_lease(job=import_job_get(project=project, job_id=job_id))
    return render_page(
        request,
        "requirements/import_status.html",
        {
            "project": project,
            "job": job,
            "finished": job.is_finished,
            "can_edit": access.can(request.user, Action.EDIT, project),
        },
        partial="progress",
    )
