"""The comment box every object's page carries."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from liaison.collab.services import comment_create
from liaison.core.services import InvalidInput


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    client_visible = forms.BooleanField(label=_("Visible to the client"), required=False)


def post_comment(
    request, *, target, project, url: str, portal_url: str = "", client: bool = False
) -> None:
    """A comment posted from any object's page. The team chooses whether the
    client sees it; a client's comment always is (and they are thanked, since
    the team hears of it). Refusals go to the page's messages."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write something before posting."))
        return
    try:
        comment_create(
            target=target,
            project=project,
            by=request.user,
            body=form.cleaned_data["body"],
            client_visible=client or form.cleaned_data["client_visible"],
            url=url,
            portal_url=portal_url,
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        if client:
            messages.success(request, _("Your comment is posted. The team has been notified."))
