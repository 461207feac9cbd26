"""What people type on the documents pages, turned into the services' values
(the rules stay in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import UploadField, VersionedForm
from liaison.documents.models import Document, DocumentVersion, Folder

FILE_FIELD = DocumentVersion._meta.get_field("file")
FILE_HELP = _("Up to %(limit)s. Not accepted: web pages, SVG, programs and macros.")


def _file(label, help_text="", required=True) -> UploadField:
    return UploadField(
        label=label,
        required=required,
        model_field=FILE_FIELD,
        help_text=help_text,
    )


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    parent = forms.ModelChoiceField(
        label=_("Inside"), queryset=Folder.objects.none(), required=False, empty_label=_("(top)")
    )
    client_visible = forms.BooleanField(
        label=_("New documents are visible to the client"), required=False
    )
    client_uploads = forms.BooleanField(label=_("The client may upload here"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Folder.objects.filter(project=project, parent=None)


class FolderEditForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    client_visible = forms.BooleanField(
        label=_("New documents are visible to the client"), required=False
    )
    client_uploads = forms.BooleanField(label=_("The client may upload here"), required=False)


class DocumentForm(forms.Form):
    folder = forms.ModelChoiceField(label=_("Folder"), queryset=Folder.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    upload = _file(_("File"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, project, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["folder"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Folder.objects.filter(project=project)
        self.fields["upload"].help_text = help_text


class VersionForm(VersionedForm):
    upload = _file(_("New version"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class DocumentEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    folder = forms.ModelChoiceField(label=_("Folder"), queryset=Folder.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=Document.Status.choices)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["folder"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Folder.objects.filter(project=project)


class ReviewRequestForm(forms.Form):
    number = forms.IntegerField(label=_("Version"), min_value=1, max_value=1_000_000)
    message = forms.CharField(
        label=_("Message to the client"), max_length=5000, required=False, widget=forms.Textarea
    )


class ClientUploadForm(forms.Form):
    # The folders open to the client's uploads, by id (the view reads the row back
    # within its project): only the project's own can be chosen.
    folder = forms.ChoiceField(label=_("Folder"), choices=())
    upload = _file(_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    note = forms.CharField(label=_("Note for the team"), max_length=300, required=False)

    def __init__(self, *args, project, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["folder"]
        assert isinstance(field, forms.ChoiceField)
        open_folders = Folder.objects.filter(project=project, client_uploads=True)
        field.choices = [(folder.pk, folder.name) for folder in open_folders]
        self.fields["upload"].help_text = help_text


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=5000, required=False, widget=forms.Textarea
    )
