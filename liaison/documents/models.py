"""Documents (docs/architecture.md, Documents): a project's folders, its
documents with every version kept, and the client's reviews of a version.

What the client sees is decided twice: a document must be client-visible, and
each version must have been shared (`DocumentVersion.client_visible`, set when
it was uploaded to a client-visible document or shared by hand), so the old
versions of a document that was internal once stay internal."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.core.models import AudienceLike, VersionedModel


class Folder(VersionedModel):
    """A folder of a project's documents, one level under another at most.
    `client_visible` is the default of the documents made in it;
    `client_uploads` opens it to the client's uploads ("From the client")."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="document_folders"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("name"), max_length=120)
    client_visible = models.BooleanField(_("new documents visible to the client"), default=False)
    client_uploads = models.BooleanField(_("the client may upload here"), default=False)

    class Meta:
        ordering = ["project", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "parent", "name"], name="documents_folder_name"
            ),
            models.UniqueConstraint(
                fields=["project", "name"],
                condition=models.Q(parent=None),
                name="documents_top_folder_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(models.QuerySet["Document"]):
    def for_audience(self, audience: AudienceLike) -> "DocumentQuerySet":
        """The client sees a client-visible document with a version shared with them."""
        if audience.internal:
            return self
        return self.filter(client_visible=True, shared_version__isnull=False)


class Document(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FOR_REVIEW = "for_review", _("For review")
        APPROVED = "approved", _("Approved")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="documents"
    )
    number = models.PositiveIntegerField()  # DOC-n, from the project's counter
    key = models.CharField(max_length=20)
    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # "|tag|other|": the tags as text, so that every database filters by one.
    tag_text = models.CharField(max_length=500, default="", blank=True)
    client_visible = models.BooleanField(_("visible to the client"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Kept by the services so a list reads each document's versions in its one query.
    latest = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_client = models.BooleanField(default=False)  # uploaded by the client in the portal

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "title", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="documents_number"),
            models.UniqueConstraint(fields=["project", "key"], name="documents_key"),
        ]
        indexes = [
            models.Index(fields=["folder", "title"]),
            # The project's list (every folder) reads its first page in title
            # order from this index instead of sorting 20,000 rows.
            models.Index(fields=["project", "title", "number"], name="documents_project_title"),
            # The client's folder counts (selectors.folder_list) read this alone.
            models.Index(
                fields=["folder", "client_visible", "shared_version"],
                name="documents_folder_shared",
            ),
            # The overview's card: the project's documents changed last, read in
            # this order instead of sorting 20,000 rows (15 ms on SQLite). Partial,
            # so that only a query naming its condition uses it: SQLite, without
            # statistics, took it for the list too and sorted by title again.
            models.Index(
                fields=["project", "updated_at", "id"],
                condition=models.Q(updated_at__isnull=False),
                name="documents_project_updated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.tag_text = "".join(f"|{tag}" for tag in self.tags) + ("|" if self.tags else "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "tags" in update_fields:
            kwargs["update_fields"] = [*update_fields, "tag_text"]
        super().save(*args, **kwargs)

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    def get_absolute_url(self) -> str:
        return reverse("documents:document", args=[self.project.code, self.key])

    def portal_url(self) -> str:
        return reverse("portal:document", args=[self.project.code, self.key])


class DocumentVersion(models.Model):
    """One upload of a document, never changed (the note aside) nor removed
    while the document stands. `sha256` is what a review or an acceptance
    records; the file's type was read from its content."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    # The services name the file (documents/<random>.<ext>); the folder here is
    # what the nightly stray-files sweep (core/stored_files.py) reads.
    file = models.FileField(upload_to="documents/", max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    client_visible = models.BooleanField(default=False)
    by_client = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_number")
        ]
        # One index that starts with the project: SQLite, without statistics,
        # picks any such index for `project = ?` and may sort afterwards (a
        # (project, size) index for the storage used made the portal's
        # newest-first read of versions sort 50,000 rows: 2 -> 45 ms).
        indexes = [models.Index(fields=["project", "uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class Review(models.Model):
    """The manager asks the client to review one version; the client approves
    it or asks for changes. The version's hash is copied when they decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the client")
        APPROVED = "approved", _("Approved")
        CHANGES = "changes", _("Changes requested")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="reviews")
    message = models.TextField(_("message to the client"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    sha256 = models.CharField(max_length=64, blank=True)  # the version's, when decided
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status="pending"),
                name="documents_one_pending_review",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version_id} {self.status}"


class Deliverable(models.Model):
    """A document version a milestone delivers, beside the milestone's link-only
    deliverables. When the client accepts the milestone, the version's hash is
    recorded here (`accepted_sha256`), so what was accepted can be proven."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(
        "planning.Milestone", on_delete=models.CASCADE, related_name="document_deliverables"
    )
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="deliveries"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    accepted_sha256 = models.CharField(max_length=64, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["milestone", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "version"], name="documents_deliverable_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.version_id}"
