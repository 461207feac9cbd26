"""Writes of a project's glossary. Its managers and members keep it (the
project's work: `Action.EDIT`); every write is in the activity log, and a term
the client sees is logged as the client's to read."""

from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.rules import only_editable
from liaison.core.services import InvalidInput
from liaison.glossary.models import Term
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project

FIELDS = ("term", "term_zh", "definition", "definition_zh", "aliases", "client_visible")
MAX_NAME = 200
MAX_DEFINITION = 5_000
MAX_ALIASES = 500


def _one_line(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    for name in ("term", "term_zh"):
        if name in fields:
            fields[name] = _one_line(fields[name], MAX_NAME)
    for name in ("definition", "definition_zh"):
        if name in fields:
            fields[name] = str(fields[name] or "").strip()[:MAX_DEFINITION]
    if "aliases" in fields:
        fields["aliases"] = _one_line(fields["aliases"], MAX_ALIASES)
    if "client_visible" in fields:
        fields["client_visible"] = bool(fields["client_visible"])
    return fields


def _check(term: Term) -> None:
    """At least one name and one definition; each name once per project,
    whatever its case."""
    if not (term.term or term.term_zh):
        raise InvalidInput(
            _("Give the term in English or in Chinese."), field="term", code="term_required"
        )
    if not (term.definition or term.definition_zh):
        raise InvalidInput(
            _("Say what the term means, in English or in Chinese."),
            field="definition",
            code="definition_required",
        )
    others = Term.objects.filter(project_id=term.project_id).exclude(pk=term.pk)
    for name in ("term", "term_zh"):
        value = getattr(term, name)
        if value and others.annotate(low=Lower(name)).filter(low=value.lower()).exists():
            raise InvalidInput(
                _("The glossary has this term already."), field=name, code="term_exists"
            )


@transaction.atomic
def term_create(*, project: Project, by: User, **fields: Any) -> Term:
    access.require(by, Action.EDIT, project)
    only_editable(fields, FIELDS)
    term = Term(project=project, **_cleaned(fields))
    _check(term)
    term.save()
    activity_record(actor=by, verb="created", target=term, project=project)
    return term


def _locked(term: Term, version: int | None) -> Term:
    locked = Term.objects.select_for_update().get(pk=term.pk)
    locked.project = term.project
    if version is not None:
        check_version(locked, version)
    return locked


@transaction.atomic
def term_update(*, entry: Term, by: User, version: int, **fields: Any) -> Term:
    """Change a term (`entry`: its fields include `term`, the name)."""
    project = entry.project
    access.require(by, Action.EDIT, project)
    only_editable(fields, FIELDS)
    locked = _locked(entry, version)
    diff = apply_fields(locked, _cleaned(fields))
    if diff:
        _check(locked)
        save_changes(locked, diff)
        activity_record(actor=by, verb="updated", target=locked, project=project, diff=diff)
    return locked


@transaction.atomic
def term_delete(*, entry: Term, by: User, version: int | None) -> None:
    """Take a term out of the glossary (`version` None: whatever its version)."""
    project = entry.project
    access.require(by, Action.EDIT, project)
    locked = _locked(entry, version)
    activity_record(actor=by, verb="deleted", target=locked, project=project)
    locked.delete()
