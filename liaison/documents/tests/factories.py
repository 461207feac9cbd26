"""Documents for tests, made through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.documents.models import Document, Folder
from liaison.documents.services.documents import document_create
from liaison.documents.services.folders import folder_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "spec.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def text(name: str = "notes.txt", body: str = "hello") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(), content_type="text/plain")


def make_folder(project, by, name: str = "Specs", **fields) -> Folder:
    return folder_create(project=project, by=by, name=name, **fields)


def make_document(
    project, by, *, folder=None, title: str = "Spec", upload=None, **fields
) -> Document:
    folder = folder or Folder.objects.filter(project=project).first() or make_folder(project, by)
    return document_create(
        project=project, by=by, folder=folder, title=title, upload=upload or pdf(), **fields
    )
