"""The team's documents pages: the list by folder, a document with its
versions and reviews, the forms that change them, and the permission-checked
download (docs/architecture.md, Documents)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.core.forms import add_service_error, submit
from liaison.core.locking import StaleEdit
from liaison.core.pagination import paginate
from liaison.core.params import positive_int
from liaison.core.services import InvalidInput
from liaison.core.uploads import size_label, upload_refusal
from liaison.documents import files, selectors
from liaison.documents.forms import (
    FILE_HELP,
    DocumentEditForm,
    DocumentForm,
    FolderEditForm,
    FolderForm,
    ReviewRequestForm,
    VersionForm,
)
from liaison.documents.models import Document
from liaison.documents.services import client as client_services
from liaison.documents.services import documents as services
from liaison.documents.services import folders as folder_services
from liaison.projects import access
from liaison.projects.access import TEAM, Action

PER_PAGE = 50


def file_help() -> str:
    return str(FILE_HELP) % {"limit": size_label(settings.DOCUMENT_MAX_BYTES)}


def _posted_version(request) -> int:
    return positive_int(request.POST.get("version")) or 0


def _list_page(request, project, *, folder_form=None, document_form=None):
    filters = selectors.DocumentFilters.from_query(request.GET)
    folder = selectors.folder_find(project=project, folder_id=filters.folder)
    page = paginate(
        selectors.document_rows(project=project, audience=TEAM, filters=filters),
        request,
        per_page=PER_PAGE,
    )
    initial = {"folder": folder} if folder else None
    return render(
        request,
        "documents/list.html",
        {
            "project": project,
            "page": page,
            "filters": filters,
            "current_folder": folder,
            "statuses": Document.Status.choices,
            "folders": selectors.folder_list(project=project, audience=TEAM),
            "usage": selectors.usage(project=project),
            "refused_types": files.refused_types_text(),
            "folder_form": folder_form or FolderForm(project=project),
            "document_form": document_form
            or DocumentForm(project=project, initial=initial, help_text=file_help()),
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_GET
def document_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return _list_page(request, project)


@login_required
@require_POST
def folder_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    form = FolderForm(request.POST, project=project)
    folder = submit(
        form,
        lambda data: folder_services.folder_create(project=project, by=request.user, **data),
    )
    if folder is None:
        return _list_page(request, project, folder_form=form)
    messages.success(request, _("Folder %(name)s made.") % {"name": folder.name})
    return redirect(f"{reverse('documents:list', args=[project.code])}?folder={folder.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def folder_edit(request, code: str, folder_id: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    folder = selectors.folder_get(project=project, folder_id=folder_id)
    initial = {
        "name": folder.name,
        "client_visible": folder.client_visible,
        "client_uploads": folder.client_uploads,
        "version": folder.version,
    }
    form = FolderEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: folder_services.folder_update(
                folder=folder, by=request.user, version=data.pop("version"), **data
            ),
        )
        if saved is not None:
            messages.success(request, _("Folder %(name)s saved.") % {"name": saved.name})
            return redirect("documents:list", code=project.code)
    return render(
        request,
        "documents/folder_form.html",
        {
            "project": project,
            "folder": folder,
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )


@login_required
@require_POST
def folder_delete(request, code: str, folder_id: int):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    folder = selectors.folder_get(project=project, folder_id=folder_id)
    try:
        folder_services.folder_delete(folder=folder, by=request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Folder %(name)s deleted.") % {"name": folder.name})
    return redirect("documents:list", code=project.code)


def _upload_refused(request, form, field: str = "upload") -> bool:
    if refusal := upload_refusal(request):
        form.add_error(field, refusal)
        return True
    return False


@login_required
@require_POST
def document_create(request, code: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    form = DocumentForm(request.POST, request.FILES, project=project, help_text=file_help())
    document = None
    if not _upload_refused(request, form):
        document = submit(
            form,
            lambda data: services.document_create(project=project, by=request.user, **data),
            fields={"file": "upload"},
        )
    if document is None:
        return _list_page(request, project, document_form=form)
    messages.success(request, _("%(key)s uploaded.") % {"key": document.key})
    return redirect("documents:document", code=project.code, key=document.key)


def _document_page(request, project, document, *, version_form=None, review_form=None):
    flags = access.permission_flags(request.user, project)
    return render(
        request,
        "documents/document.html",
        {
            "project": project,
            "document": document,
            "versions": list(selectors.version_list(document=document, audience=TEAM)),
            "reviews": list(selectors.review_list(document=document)),
            "pending_review": selectors.review_pending(document=document),
            "deliverables": selectors.deliveries_of(document=document),
            # The "Deliver with milestone…" menu: a manager's only.
            "open_milestones": selectors.milestones_open(project=project)
            if flags["can_manage"]
            else [],
            "version_form": version_form or VersionForm(initial={"version": document.version}),
            "review_form": review_form
            or ReviewRequestForm(
                initial={"number": document.latest.number if document.latest else 1}
            ),
            "file_help": file_help(),
            **flags,
        },
    )


def _document(request, code: str, key: str, need: Action = Action.VIEW):
    project = access.get_project_for(request.user, code, need=need)
    return project, selectors.document_get(project=project, audience=TEAM, key=key)


@login_required
@require_GET
def document_detail(request, code: str, key: str):
    project, document = _document(request, code, key)
    return _document_page(request, project, document)


@login_required
@require_POST
def version_upload(request, code: str, key: str):
    project, document = _document(request, code, key, need=Action.EDIT)
    form = VersionForm(request.POST, request.FILES)
    version = None
    if not _upload_refused(request, form):
        version = submit(
            form,
            lambda data: services.version_upload(document=document, by=request.user, **data),
            fields={"file": "upload"},
        )
    if version is None:
        return _document_page(request, project, document, version_form=form)
    messages.success(request, _("Version %(number)s uploaded.") % {"number": version.number})
    return redirect("documents:document", code=project.code, key=document.key)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, code: str, key: str):
    project, document = _document(request, code, key, need=Action.EDIT)
    initial = {
        "title": document.title,
        "tags": ", ".join(document.tags),
        "folder": document.folder,
        "status": document.status,
        "version": document.version,
    }
    form = DocumentEditForm(
        request.POST if request.method == "POST" else None, project=project, initial=initial
    )
    if request.method == "POST" and _save_edit(request, form, document):
        messages.success(request, _("%(key)s saved.") % {"key": document.key})
        return redirect("documents:document", code=project.code, key=document.key)
    return render(
        request,
        "documents/document_form.html",
        {
            "project": project,
            "document": document,
            "form": form,
            **access.permission_flags(request.user, project),
        },
    )


def _save_edit(request, form, document) -> bool:
    """Fields and status in one go: a refusal of either leaves the form shown."""

    def save(data):
        status = data.pop("status")
        saved = services.document_update(
            document=document, by=request.user, version=data.pop("version"), **data
        )
        return services.document_set_status(
            document=saved, by=request.user, version=saved.version, status=status
        )

    return submit(form, save) is not None


def report_outcome(request, act, done: str) -> None:
    """Run a one-button action's service; say what happened, or why it was refused."""
    try:
        act()
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


def _acted(request, project, document, act, done: str):
    """A one-button action: the message, then the document's page."""
    report_outcome(request, act, done)
    return redirect("documents:document", code=project.code, key=document.key)


@login_required
@require_POST
def document_visibility(request, code: str, key: str):
    project, document = _document(request, code, key, need=Action.MANAGE)
    visible = request.POST.get("client_visible") == "1"
    return _acted(
        request,
        project,
        document,
        lambda: services.document_set_visibility(
            document=document,
            by=request.user,
            version=_posted_version(request),
            client_visible=visible,
        ),
        _("Shared with the client.") if visible else _("No longer shared with the client."),
    )


@login_required
@require_POST
def version_share(request, code: str, key: str, number: int):
    project, document = _document(request, code, key, need=Action.MANAGE)
    version = selectors.version_get(document=document, audience=TEAM, number=number)
    return _acted(
        request,
        project,
        document,
        lambda: services.version_share(version=version, by=request.user),
        _("Version %(number)s shared with the client.") % {"number": number},
    )


@login_required
@require_POST
def document_delete(request, code: str, key: str):
    project, document = _document(request, code, key, need=Action.MANAGE)
    try:
        services.document_delete(
            document=document, by=request.user, version=_posted_version(request)
        )
    except (InvalidInput, StaleEdit) as error:
        messages.error(request, error.message)
        return redirect("documents:document", code=project.code, key=document.key)
    messages.success(request, _("%(key)s deleted.") % {"key": document.key})
    return redirect("documents:list", code=project.code)


@login_required
@require_POST
def review_request(request, code: str, key: str):
    project, document = _document(request, code, key, need=Action.MANAGE)
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        try:
            version = selectors.version_get(
                document=document, audience=TEAM, number=form.cleaned_data["number"]
            )
        except Http404:  # a number of no version: said beside the field
            form.add_error("number", _("No version has that number."))
        else:
            try:
                client_services.review_request(
                    document=document,
                    version=version,
                    by=request.user,
                    message=form.cleaned_data["message"],
                )
            except InvalidInput as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The client is asked to review it."))
                return redirect("documents:document", code=project.code, key=document.key)
    return _document_page(request, project, document, review_form=form)


@login_required
@require_POST
def review_withdraw(request, code: str, review_id: int):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    review = selectors.review_get(project=project, review_id=review_id, audience=TEAM)
    return _acted(
        request,
        project,
        review.document,
        lambda: client_services.review_withdraw(review=review, by=request.user),
        _("The review is withdrawn."),
    )


@login_required
@require_GET
def version_download(request, code: str, key: str, number: int):
    _, document = _document(request, code, key)
    version = selectors.version_get(document=document, audience=TEAM, number=number)
    return files.file_response(version.file, name=version.name, content_type=version.content_type)
