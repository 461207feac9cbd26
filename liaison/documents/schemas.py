"""The documents API's schemas (names start with Document, unique in the API)."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from liaison.core.schemas import OneOf
from liaison.documents.models import Document, Review

DocumentStatus = Annotated[str, OneOf(Document.Status)]
ReviewStatus = Annotated[str, OneOf(Review.Status)]
VERSION = Field(..., description="The version the edit started from; a stale one answers 409.")


class DocumentFolderOut(Schema):
    id: int
    name: str
    parent_id: int | None
    client_visible: bool = Field(..., description="New documents in it are client-visible.")
    client_uploads: bool = Field(..., description="The client may upload into it.")
    version: int


class DocumentFolderIn(Schema):
    name: str = Field(..., max_length=120)
    parent_id: int | None = None
    client_visible: bool = False
    client_uploads: bool = False


class DocumentVersionOut(Schema):
    id: int = Field(..., description="Names the version under document-versions/.")
    number: int
    name: str
    size: int
    content_type: str = Field(..., description="Read from the content, not the name.")
    sha256: str
    note: str
    client_visible: bool = Field(..., description="Shared with the client.")
    by_client: bool
    uploaded_at: dt.datetime
    download_url: str = Field(..., description="The file, after the same permission check.")


class DocumentOut(Schema):
    key: str = Field(..., description="DOC-1, DOC-2… per project.")
    title: str
    folder_id: int
    tags: list[str]
    status: DocumentStatus
    client_visible: bool
    from_client: bool
    owner_id: int | None
    latest_version: int | None = Field(..., description="The newest version's number.")
    version: int


class DocumentPatch(Schema):
    version: int = VERSION
    title: str | None = Field(None, max_length=200)
    tags: list[str] | None = None
    folder_id: int | None = None
    owner_id: int | None = None
    status: DocumentStatus | None = None


class DocumentReviewIn(Schema):
    number: int = Field(..., ge=1, description="The version to review.")
    message: str = Field("", max_length=5000)


class DocumentReviewOut(Schema):
    id: int
    number: int = Field(..., description="The version reviewed.")
    status: ReviewStatus
    message: str
    comment: str
    sha256: str = Field(..., description="The version's hash, recorded when decided.")
    requested_at: dt.datetime
    decided_at: dt.datetime | None


class DocumentDeliverableIn(Schema):
    document: str = Field(..., max_length=20, description="The document's key, DOC-n.")
    number: int | None = Field(None, ge=1, description="Its version; the latest when left out.")


class DocumentDeliverableOut(Schema):
    id: int
    document: str = Field(..., description="The document's key.")
    title: str
    number: int = Field(..., description="The version delivered.")
    version_id: int = Field(..., description="Names the version under document-versions/.")
    name: str
    size: int
    sha256: str = Field(..., description="The version's hash.")
    accepted_sha256: str | None = Field(
        ..., description="The hash recorded when the client accepted the milestone."
    )
    accepted_at: dt.datetime | None
    download_url: str


class DocumentReviewDecisionIn(Schema):
    decision: Literal["approve", "changes"]
    comment: str = Field("", max_length=5000, description="Needed to ask for changes.")
