"""Reads of documents for the team's pages, the portal and the API: a fixed
number of queries whatever the number of documents (one per kind of row)."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.urls import reverse

from liaison.accounts.models import User
from liaison.core.models import AudienceLike
from liaison.core.params import positive_int
from liaison.documents.models import Deliverable, Document, DocumentVersion, Folder, Review
from liaison.documents.services.documents import used_bytes
from liaison.planning.models import Milestone, MilestoneReview
from liaison.projects import access
from liaison.projects.access import CLIENT, Action
from liaison.projects.models import Project

RECENT = 5
DELIVERY_CHOICES = 100
ACCEPTED = MilestoneReview.Verdict.ACCEPTED


def folder_list(*, project: Project, audience: AudienceLike) -> list[Folder]:
    """The project's folders with how many documents the audience sees in each
    (`shown`), parents first, each followed by its children; one query. The
    client sees the folders holding something shared and those open to them."""
    visible = Q(documents__client_visible=True, documents__shared_version__isnull=False)
    folders = list(
        Folder.objects.filter(project=project)
        .annotate(shown=Count("documents", filter=None if audience.internal else visible))
        .order_by("name", "id")
    )
    if not audience.internal:
        folders = [f for f in folders if f.shown or f.client_uploads]
    top = [f for f in folders if f.parent_id is None or f.parent_id not in {x.pk for x in folders}]
    ordered: list[Folder] = []
    for folder in top:
        ordered.append(folder)
        ordered.extend(f for f in folders if f.parent_id == folder.pk)
    return ordered


def folder_find(*, project: Project, folder_id: int | None) -> Folder | None:
    """The project's folder of that id, or None."""
    return Folder.objects.filter(project=project, pk=folder_id).first() if folder_id else None


def folder_get(*, project: Project, folder_id: int | None) -> Folder:
    folder = Folder.objects.filter(project=project, pk=folder_id).first() if folder_id else None
    if folder is None:
        raise Http404
    return folder


@dataclass(frozen=True)
class DocumentFilters:
    """A list's filters as the query string gives them: `folder` is a folder's
    id, looked up in the list's project only (another project's shows nothing)."""

    folder: int | None = None
    q: str = ""
    tag: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "DocumentFilters":
        return cls(
            folder=positive_int(query.get("folder")),
            q=query.get("q", "").strip()[:200],
            tag=query.get("tag", "").strip()[:40],
            status=query.get("status", ""),
        )


def document_rows(
    *, project: Project, audience: AudienceLike, filters: DocumentFilters | None = None
) -> QuerySet[Document]:
    """The documents the audience sees, by title: hand it to the paginator.
    Each row brings its folder, owner and latest (or, for the client, latest
    shared) version by joins: one query for a page."""
    filters = filters or DocumentFilters()
    rows = Document.objects.for_audience(audience).filter(project=project)
    if filters.folder is not None:
        rows = rows.filter(folder_id=filters.folder)
    if filters.q:
        rows = rows.filter(Q(title__icontains=filters.q) | Q(key__iexact=filters.q))
    if filters.tag:
        rows = rows.filter(tag_text__contains=f"|{filters.tag}|")
    if filters.status in Document.Status.values:
        rows = rows.filter(status=filters.status)
    shown = "latest" if audience.internal else "shared_version"
    return rows.select_related("folder", "owner", shown).order_by("title", "number")


def document_get(*, project: Project, audience: AudienceLike, key: str) -> Document:
    document = (
        Document.objects.for_audience(audience)
        .filter(project=project, key=key)
        .select_related("folder", "owner", "latest", "shared_version", "project")
        .first()
    )
    if document is None:
        raise Http404
    return document


def version_list(*, document: Document, audience: AudienceLike) -> QuerySet[DocumentVersion]:
    """Newest first; the client's only those shared with them."""
    rows = document.versions.select_related("uploaded_by").order_by("-number")
    return rows if audience.internal else rows.filter(client_visible=True)


def version_get(*, document: Document, audience: AudienceLike, number: int) -> DocumentVersion:
    version = version_list(document=document, audience=audience).filter(number=number).first()
    if version is None:
        raise Http404
    return version


def version_find(*, project: Project, version_id: int) -> DocumentVersion | None:
    """The project's version of that id with its document (the team's view), or None."""
    return (
        DocumentVersion.objects.filter(project=project, pk=version_id)
        .select_related("document")
        .first()
    )


def review_list(*, document: Document) -> QuerySet[Review]:
    return document.reviews.select_related("version", "requested_by", "decided_by")


def review_pending(*, document: Document) -> Review | None:
    return review_list(document=document).filter(status=Review.Status.PENDING).first()


def review_get(*, project: Project, review_id: int, audience: AudienceLike) -> Review:
    """A review of a document the audience sees, else 404."""
    documents = Document.objects.for_audience(audience).filter(project=project)
    review = (
        Review.objects.filter(project=project, pk=review_id, document__in=documents)
        .select_related("version", "document", "document__project", "project")
        .first()
    )
    if review is None:
        raise Http404
    return review


@dataclass(frozen=True)
class Usage:
    used: int
    quota: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.quota)) if self.quota else 100


def usage(*, project: Project) -> Usage:
    return Usage(used=used_bytes(project=project), quota=settings.DOCUMENT_QUOTA_BYTES)


def deliverables_of(*, milestone: Any, audience: AudienceLike) -> list[Deliverable]:
    """The document versions a milestone delivers, in the order they were added,
    with their documents, in one query; the client's only those shared."""
    rows = (
        Deliverable.objects.filter(milestone=milestone)
        .select_related("version", "version__document")
        .order_by("id")
    )
    if not audience.internal:
        rows = rows.filter(version__client_visible=True, version__document__client_visible=True)
    return list(rows)


def deliverable_get(*, project: Project, deliverable_id: int) -> Deliverable:
    """A deliverable of the project with its milestone (the team's), else 404."""
    deliverable = (
        Deliverable.objects.filter(project=project, pk=deliverable_id)
        .select_related("milestone", "milestone__project", "version", "version__document")
        .first()
    )
    if deliverable is None:
        raise Http404
    return deliverable


def version_by_key(*, project: Project, key: str, number: int | None) -> DocumentVersion | None:
    """The team's version `number` of the project's document `key` (None: its
    latest), or None when there is no such document or version."""
    document = (
        Document.objects.filter(project=project, key=key.strip().upper())
        .select_related("latest", "project")
        .first()
    )
    if document is None:
        return None
    version = document.latest if number is None else document.versions.filter(number=number).first()
    if version is not None:
        version.document = document
    return version


def milestone_acceptance(*, milestone: Any) -> MilestoneReview | None:
    """The round in which the client accepted the milestone, with who decided."""
    return (
        MilestoneReview.objects.filter(
            milestone=milestone, verdict=MilestoneReview.Verdict.ACCEPTED
        )
        .select_related("decided_by")
        .order_by("-round")
        .first()
    )


def milestone_find(*, project: Project, key: str) -> Milestone | None:
    """The project's milestone of that key with its project (the team's), or None."""
    return Milestone.objects.filter(project=project, key=key).select_related("project").first()


def milestones_open(*, project: Project) -> list[Milestone]:
    """The milestones a document may still be delivered with, by due date: what
    the menu shows of them (not their criteria and description)."""
    return list(
        Milestone.objects.filter(project=project)
        .exclude(status__in=(Milestone.Status.SUBMITTED, Milestone.Status.ACCEPTED))
        .only("key", "name", "due_date")
        .order_by("due_date", "id")
    )


def delivery_choices(*, project: Project) -> list[Document]:
    """The documents a manager picks from to deliver (the most recently changed
    first, at most DELIVERY_CHOICES; any other is typed by its key)."""
    return list(
        Document.objects.filter(project=project, latest__isnull=False)
        .select_related("latest")
        .order_by("-updated_at", "-id")[:DELIVERY_CHOICES]
    )


def deliveries_of(*, document: Document) -> list[Deliverable]:
    """The milestones the document's versions deliver (the team's page)."""
    return list(
        Deliverable.objects.filter(version__document=document).select_related(
            "milestone", "version"
        )
    )


# -- what the registry shows -------------------------------------------------------------


def overview_context(
    request: HttpRequest, project: Project, audience: AudienceLike
) -> dict[str, Any]:
    """The overview's card: the documents changed last and the reviews waiting."""
    recent = (
        # The condition of the partial index that holds this order (models.py).
        Document.objects.filter(project=project, updated_at__isnull=False)
        .select_related("latest")
        .order_by("-updated_at", "-id")[:RECENT]
    )
    waiting = Review.objects.filter(project=project, status=Review.Status.PENDING).count()
    return {"recent_documents": list(recent), "reviews_waiting": waiting}


def portal_card_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The portal's card: the documents shared with the client most recently."""
    # Read from the newest versions back (their (project, uploaded_at) index),
    # each kept if a client-visible document shares it: sorting the project's
    # 20,000 documents by their shared version's date took 15 ms, this 2.
    shared = Document.objects.for_audience(CLIENT).filter(shared_version=OuterRef("pk"))
    versions = (
        DocumentVersion.objects.filter(project=project)
        .filter(Exists(shared))
        .select_related("document")
        .order_by("-uploaded_at", "-id")[:RECENT]
    )
    documents = []
    for version in versions:
        version.document.shared_version = version  # the version shared is this one
        documents.append(version.document)
    return {"shared_documents": documents}


def reviews_waiting(projects: list[int]) -> QuerySet[Review]:
    """ClientDecision: the versions waiting for the client's review."""
    return (
        Review.objects.filter(
            project__in=projects,
            status=Review.Status.PENDING,
            document__client_visible=True,
        )
        .select_related("project", "document", "version")
        .order_by("requested_at", "id")
    )


def milestone_section(
    request: HttpRequest, project: Project, milestone: Milestone, audience: AudienceLike
) -> dict[str, Any]:
    """The registry's `MilestoneSection`: the versions the milestone delivers
    (with their download links for this audience), what the client accepted
    (the hashes recorded then, who and when), and for a manager while the
    milestone is open, the documents to choose from. At most three queries."""
    delivered = deliverables_of(milestone=milestone, audience=audience)
    download = "documents:download" if audience.internal else "portal:document-download"
    for row in delivered:
        row.download_url = reverse(  # type: ignore[attr-defined]
            download, args=[project.code, row.version.document.key, row.version.number]
        )
    accepted = [row for row in delivered if row.accepted_at]
    is_open = milestone.status not in (Milestone.Status.SUBMITTED, Milestone.Status.ACCEPTED)
    user = request.user  # signed in on every milestone page; the type says maybe not
    may_deliver = (
        audience.internal
        and is_open
        and isinstance(user, User)
        and access.can(user, Action.MANAGE, project)
    )
    return {
        "delivered": delivered,
        "accepted": accepted,
        "acceptance": milestone_acceptance(milestone=milestone) if accepted else None,
        "is_open": is_open,
        "may_deliver": may_deliver,
        "choices": delivery_choices(project=project) if may_deliver else [],
    }
