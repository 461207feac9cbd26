"""The bench project's documents: `count` documents (`Size.bench_documents`)
with `versions` versions in all, in forty folders, one of which holds 500
(the documents_list scenario reads it); every version names one stored
placeholder file with a realistic size, inserted in bulk. A third is shared
with the client; the client sent a few into "From the client"."""

import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery

from liaison.documents.models import Document, DocumentVersion, Folder
from liaison.projects.models import KeyCounter, Project

FOLDERS = 40
BIG_FOLDER = 500  # documents in "Specifications", the first folder
PLACEHOLDER = "documents/bench-placeholder.txt"


def _folders(bench: Project) -> list[Folder]:
    names = ["Specifications", "From the client"] + [f"Folder {n}" for n in range(3, FOLDERS + 1)]
    Folder.objects.bulk_create(
        Folder(project=bench, name=name, client_visible=n % 3 == 0, client_uploads=n == 1)
        for n, name in enumerate(names)
    )
    return list(Folder.objects.filter(project=bench).order_by("id"))


def _documents(bench: Project, folders: list[Folder], count: int, manager_id) -> list[Document]:
    rows = []
    for number in range(1, count + 1):
        folder = folders[0] if number <= min(BIG_FOLDER, count) else folders[number % len(folders)]
        rows.append(
            Document(project=bench, number=number, key=f"DOC-{number}", folder=folder,
                     title=f"Document {number:05d}", tags=["spec"] if number % 4 == 0 else [],
                     tag_text="|spec|" if number % 4 == 0 else "", client_visible=number % 3 == 0,
                     owner_id=manager_id, from_client=folder.client_uploads)
        )  # fmt: skip
    Document.objects.bulk_create(rows, batch_size=2000)
    KeyCounter.objects.update_or_create(project=bench, prefix="DOC", defaults={"last": count})
    return list(Document.objects.filter(project=bench).only("id", "client_visible"))


def build_documents(
    bench: Project, count: int, versions: int, rng: random.Random
) -> dict[str, int]:
    if not default_storage.exists(PLACEHOLDER):
        default_storage.save(PLACEHOLDER, ContentFile(b"bench"))
    documents = _documents(bench, _folders(bench), count, bench.manager_id)
    rows = []
    for index in range(versions):
        document, number = documents[index % len(documents)], index // len(documents) + 1
        rows.append(
            DocumentVersion(document_id=document.pk, project=bench, number=number,
                            file=PLACEHOLDER, name=f"file-{index}.pdf",
                            size=rng.randint(20_000, 5_000_000), content_type="application/pdf",
                            sha256=f"{index:064x}", client_visible=document.client_visible,
                            uploaded_by_id=bench.manager_id)
        )  # fmt: skip
    DocumentVersion.objects.bulk_create(rows, batch_size=5000)
    newest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    Document.objects.filter(project=bench).update(latest=Subquery(newest.values("pk")[:1]))
    Document.objects.filter(project=bench, client_visible=True).update(
        shared_version=Subquery(newest.filter(client_visible=True).values("pk")[:1])
    )
    return {"documents": count, "document versions": versions}
