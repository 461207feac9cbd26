"""The client's documents in the portal: what is shared with them, each
document's shared versions and its download, their uploads into the folders
open to them, and their review of a version. Client audience only: anything
internal is 404 here. Mounted by `portal_urls.py` (registered in `apps.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.core.forms import submit
from liaison.core.pagination import paginate
from liaison.core.uploads import upload_refusal
from liaison.documents import files, selectors
from liaison.documents.forms import ClientUploadForm, ReviewDecisionForm
from liaison.documents.services import client as client_services
from liaison.documents.views import PER_PAGE, file_help
from liaison.projects import access
from liaison.projects.access import CLIENT, Action


def _list_page(request, project, upload_form=None):
    folders = selectors.folder_list(project=project, audience=CLIENT)
    page = paginate(
        selectors.document_rows(project=project, audience=CLIENT), request, per_page=PER_PAGE
    )
    open_folders = [folder for folder in folders if folder.client_uploads]
    form = upload_form or ClientUploadForm(
        project=project,
        help_text=file_help(),
        initial={"folder": open_folders[0].pk} if open_folders else None,
    )
    return render(
        request,
        "documents/portal/list.html",
        {
            "project": project,
            "page": page,
            "open_folders": open_folders,
            "upload_form": form,
        },
    )


@login_required
@require_GET
def document_list(request, code: str):
    project = access.get_portal_project(request.user, code)
    return _list_page(request, project)


@login_required
@require_POST
def document_upload(request, code: str):
    project = access.get_portal_project(request.user, code, need=Action.APPROVE)
    form = ClientUploadForm(request.POST, request.FILES, project=project, help_text=file_help())
    document = None
    if refusal := upload_refusal(request):
        form.add_error("upload", refusal)
    else:
        document = submit(
            form,
            lambda data: client_services.client_upload(
                project=project,
                by=request.user,
                **{
                    **data,
                    "folder": selectors.folder_get(project=project, folder_id=int(data["folder"])),
                },
            ),
            fields={"file": "upload"},
        )
    if document is None:
        return _list_page(request, project, upload_form=form)
    messages.success(request, _("Thank you: the team has your file."))
    return redirect("portal:document", code=project.code, key=document.key)


def _document(request, code: str, key: str, need: Action = Action.VIEW):
    project = access.get_portal_project(request.user, code, need=need)
    return project, selectors.document_get(project=project, audience=CLIENT, key=key)


def _document_page(request, project, document, decision_form=None):
    pending = selectors.review_pending(document=document)
    return render(
        request,
        "documents/portal/document.html",
        {
            "project": project,
            "document": document,
            "versions": list(selectors.version_list(document=document, audience=CLIENT)),
            "pending_review": pending,
            "decided_reviews": [
                review
                for review in selectors.review_list(document=document)
                if review.status in ("approved", "changes")
            ],
            "decision_form": decision_form or ReviewDecisionForm(),
        },
    )


@login_required
@require_GET
def document_detail(request, code: str, key: str):
    project, document = _document(request, code, key)
    return _document_page(request, project, document)


@login_required
@require_GET
def version_download(request, code: str, key: str, number: int):
    _, document = _document(request, code, key)
    version = selectors.version_get(document=document, audience=CLIENT, number=number)
    return files.file_response(version.file, name=version.name, content_type=version.content_type)


@login_required
@require_POST
def review_decide(request, code: str, review_id: int):
    project = access.get_portal_project(request.user, code, need=Action.APPROVE)
    review = selectors.review_get(project=project, review_id=review_id, audience=CLIENT)
    document = selectors.document_get(project=project, audience=CLIENT, key=review.document.key)
    form = ReviewDecisionForm(request.POST)
    decided = submit(
        form,
        lambda data: client_services.review_decide(
            review=review,
            by=request.user,
            approve=data["decision"] == "approve",
            comment=data["comment"],
        ),
    )
    if decided is None:
        return _document_page(request, project, document, decision_form=form)
    messages.success(request, _("Thank you: your decision is recorded."))
    return redirect("portal:document", code=project.code, key=document.key)
