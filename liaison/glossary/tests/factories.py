"""Glossary terms for tests: make_term(project, term="WMS", definition="…")."""

from liaison.glossary.models import Term
from liaison.glossary.services import term_create


def make_term(project, *, by=None, **fields) -> Term:
    """A term written through the services by `by` (the manager unless given)."""
    fields = {"term": "WMS", "definition": "Warehouse management system.", **fields}
    return term_create(project=project, by=by or project.manager, **fields)


def many_terms(project, count: int) -> list[Term]:
    """`count` terms made directly (no audit trail): for query counts."""
    start = Term.objects.filter(project=project).count()
    return Term.objects.bulk_create(
        Term(project=project, term=f"Term {n}", definition=f"What term {n} means.")
        for n in range(start, start + count)
    )
