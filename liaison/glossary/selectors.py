"""Reads of a project's glossary: the team's list (searched), one term, the
client's glossary in their language, and the terms the text marker explains."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import get_language

from liaison.core.glossing import Gloss
from liaison.glossary.models import Term, alias_split
from liaison.projects.access import CLIENT, Audience
from liaison.projects.models import Project

MAX_QUERY = 100
ENTRY_FIELDS = ("pk", "term", "term_zh", "definition", "definition_zh", "aliases")


def _ordered(terms: QuerySet[Term]) -> QuerySet[Term]:
    return terms.order_by(Lower("term"), Lower("term_zh"), "id")


def term_list(*, project: Project, audience: Audience, q: str = "") -> QuerySet[Term]:
    """The project's terms the audience sees, A to Z, those matching `q` in a
    name, another name or a definition when given."""
    terms = Term.objects.filter(project=project).for_audience(audience)
    q = " ".join(q.split())[:MAX_QUERY]
    if q:
        terms = terms.filter(
            Q(term__icontains=q)
            | Q(term_zh__icontains=q)
            | Q(aliases__icontains=q)
            | Q(definition__icontains=q)
            | Q(definition_zh__icontains=q)
        )
    return _ordered(terms)


def term_get(*, project: Project, audience: Audience, pk: int) -> Term:
    """One term of the project the audience sees, else 404."""
    found = list(Term.objects.filter(project=project, pk=pk).for_audience(audience).order_by()[:1])
    if not found:
        raise Http404
    term = found[0]
    term.project = project
    return term


def _chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def _in_language(english: str, chinese: str) -> tuple[str, str]:
    """(the reader's, the other): the reader's language first, else the other."""
    first, second = (chinese, english) if _chinese() else (english, chinese)
    return (first or second), (second if first else "")


@dataclass(frozen=True, slots=True)
class Entry:
    """A term as the client reads it: its name and definition in their language
    (the other language's when theirs is not given), the name in the other
    language and its other names."""

    pk: int
    name: str
    other_name: str
    definition: str
    aliases: list[str]


def glossary_entries(*, project: Project, audience: Audience = CLIENT, q: str = "") -> list[Entry]:
    """The glossary in the reader's language, in one query."""
    entries = []
    for row in term_list(project=project, audience=audience, q=q).values(*ENTRY_FIELDS):
        name, other = _in_language(row["term"], row["term_zh"])
        definition, _other = _in_language(row["definition"], row["definition_zh"])
        entries.append(Entry(row["pk"], name, other, definition, alias_split(row["aliases"])))
    return sorted(entries, key=lambda entry: entry.name.lower())


def term_glosses(project: Project) -> list[Gloss]:
    """The terms the client sees, as the text marker explains them (the
    registry's `TermSource`): in one query, in the reader's language."""
    rows = Term.objects.filter(project=project, client_visible=True).order_by("id")
    glosses = []
    for row in rows.values(*ENTRY_FIELDS):
        name, other = _in_language(row["term"], row["term_zh"])
        definition, _other = _in_language(row["definition"], row["definition_zh"])
        words = (row["term"], row["term_zh"], *alias_split(row["aliases"]))
        shown = f"{name} ({other})" if other else name
        glosses.append(Gloss(words=tuple(w for w in words if w), name=shown, definition=definition))
    return glosses
