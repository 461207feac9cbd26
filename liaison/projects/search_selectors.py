"""The search's read for a person (core/search_query.py does the searching):
the projects and the audience their access gives (access.search_scope), the
kind and project they filter by, and the choices of both filters. Three
queries whatever the data: the person's organizations, their projects, the
search."""

from dataclasses import dataclass, field

from django.http import QueryDict

from liaison.accounts.models import User
from liaison.core.search_query import LIMIT, SearchHit, kind_labels, search_entries
from liaison.projects import access

QUERY_LIMIT = 200


@dataclass(frozen=True)
class SearchResults:
    query: str
    kind: str
    project: str
    hits: list[SearchHit] = field(default_factory=list)
    # (name, label) of each kind, (code, name) of each project, for the filters.
    kinds: list[tuple[str, str]] = field(default_factory=list)
    projects: list[tuple[str, str]] = field(default_factory=list)

    @property
    def limited(self) -> bool:
        """As many hits as a search shows: there may be more."""
        return len(self.hits) >= LIMIT


def search_of_request(user: User, params: QueryDict) -> SearchResults:
    """`search_for` with what the search's form sent (q, kind, project): the
    team's page and the portal's."""
    return search_for(
        user,
        query=params.get("q", ""),
        kind=params.get("kind", ""),
        project=params.get("project", ""),
    )


def search_for(user: User, *, query: str, kind: str = "", project: str = "") -> SearchResults:
    """What `user` finds for `query`: as the team in the projects they see, as
    the client in the portal's (client-visible rows only). An unknown kind or
    project filters nothing out."""
    projects, audience = access.search_scope(user)
    # Read once: the project menu's choices, and the ids the entries are
    # searched in (a list, so PostgreSQL scans the trigram index once rather
    # than once per project of a subquery).
    scope = list(projects.order_by("code").values_list("pk", "code", "name"))
    choices = [(code, name) for _pk, code, name in scope]
    labels = kind_labels()
    kind = kind if kind in labels else ""
    project = project if project in dict(choices) else ""
    hits = search_entries(
        query=query[:QUERY_LIMIT],
        project_ids=[pk for pk, code, _name in scope if not project or code == project],
        client=not audience.internal,
        kinds=[kind] if kind else None,
    )
    return SearchResults(
        query=query[:QUERY_LIMIT],
        kind=kind,
        project=project,
        hits=hits,
        kinds=list(labels.items()),
        projects=choices,
    )
