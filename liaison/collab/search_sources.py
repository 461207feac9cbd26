"""What of comments the search finds (core/search.py): a comment leads where
its subject does and reads as its subject's key and title, so that it is
indexed after its subject (the source's order comes after every feature's).
The client finds a comment for them on a subject they may find themselves."""

from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.collab.models import Comment
from liaison.core.models import SearchEntry
from liaison.core.registry import SearchSource, registry
from liaison.core.search import SearchDoc

# (key, title, url, portal url, whether the client may find the subject, its
# (kind, object id) when it is an entry: the search checks it at query time)
Subject = tuple[str, str, str, str, bool, tuple[str, int] | None]
PROJECT = "projects.Project"


def _kind_of(target_type_id: int) -> str | None:
    model = ContentType.objects.get_for_id(target_type_id).model_class()
    label = model._meta.label if model else ""
    if label == PROJECT:
        return PROJECT
    return next((s.name for s in registry.search_sources if s.model == label), None)


def _project_subject(project: Any) -> Subject:
    overview = reverse("home:overview", args=[project.code])
    portal = reverse("portal:project", args=[project.code])
    return "", str(project.name), overview, portal, True, None


def _entry_subject(entry: SearchEntry) -> Subject:
    parent = (entry.kind, entry.object_id)
    return entry.key, entry.title, entry.url, entry.portal_url, entry.client_visible, parent


def _doc(comment: Comment, subject: Subject | None) -> SearchDoc | None:
    if subject is None or comment.deleted_at is not None:
        return None
    key, title, url, portal_url, subject_visible, parent = subject
    visible = comment.client_visible and subject_visible
    return SearchDoc(
        object_id=comment.pk,
        project_id=comment.project_id,
        key=key,
        title=title,
        body=comment.body,
        client_visible=visible,
        url=url,
        portal_url=portal_url if visible else "",
        updated_at=comment.updated_at,
        parent=parent,
    )


def comment_doc(comment: Comment) -> SearchDoc | None:
    kind = _kind_of(comment.target_type_id)
    if kind == PROJECT:
        return _doc(comment, _project_subject(comment.project))
    entry = SearchEntry.objects.filter(kind=kind, object_id=comment.target_id).order_by()[:1]
    return _doc(comment, _entry_subject(entry[0]) if entry else None)


def comment_docs(project: Any) -> Iterator[SearchDoc]:
    subjects = {
        (entry.kind, entry.object_id): _entry_subject(entry)
        for entry in SearchEntry.objects.filter(project=project).only(
            "kind", "object_id", "key", "title", "url", "portal_url", "client_visible"
        )
    }
    own = _project_subject(project)
    comments = Comment.objects.filter(project=project, deleted_at__isnull=True).order_by()
    for comment in comments.iterator(chunk_size=2000):
        kind = _kind_of(comment.target_type_id)
        subject = own if kind == PROJECT else subjects.get((kind or "", comment.target_id))
        doc = _doc(comment, subject)
        if doc is not None:
            yield doc


SOURCES = (
    SearchSource(
        name="comment",
        order=200,
        label=_("Comments"),
        model="collab.Comment",
        doc=comment_doc,
        docs=comment_docs,
    ),
)
