"""Files on interactions: the upload form's target and the permission-checked
download (docs/architecture.md, Data rules: never served from the web root)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.collab.attachments import attachment_add, attachment_for_audience, is_inline
from liaison.collab.models import Attachment
from liaison.communication.selectors.interactions import interaction_get
from liaison.communication.views.interactions import interaction_page
from liaison.core.services import InvalidInput
from liaison.core.stored_files import file_response
from liaison.core.uploads import upload_refusal
from liaison.projects import access
from liaison.projects.access import Action


@login_required
@require_POST
def attachment_upload(request, code: str, key: str):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    interaction = interaction_get(
        project=project, audience=access.audience_of(request.user, project), key=key
    )
    try:
        if refusal := upload_refusal(request):
            raise InvalidInput(refusal, field="file")
        attachment = attachment_add(
            target=interaction,
            project=project,
            by=request.user,
            upload=request.FILES.get("file"),
        )
    except InvalidInput as error:
        # The page again, with the reason beside the file field.
        return interaction_page(request, project, interaction, upload_error=error.message)
    messages.success(request, _("%(name)s attached.") % {"name": attachment.name})
    response = redirect("communication:interaction", code=project.code, key=interaction.key)
    response["Location"] += "#attachments"
    return response


def serve_attachment(attachment: Attachment) -> HttpResponseBase:
    """The file with its stored type; images inline, everything else as a
    download (core.stored_files: streamed, or a pre-signed redirect)."""
    return file_response(
        attachment.file,
        name=attachment.name,
        content_type=attachment.content_type,
        inline=is_inline(attachment),
    )


@login_required
@require_GET
def attachment_download(request, code: str, attachment_id: int):
    project = access.get_project_for(request.user, code)
    attachment = attachment_for_audience(
        project=project,
        audience=access.audience_of(request.user, project),
        attachment_id=attachment_id,
    )
    return serve_attachment(attachment)
