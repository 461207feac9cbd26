"""API: search across everything a person may see (projects.search_selectors):
the team's view for staff, the portal's for a client user (client-visible rows,
portal links), as the pages give it."""

import datetime as dt
from dataclasses import asdict

from ninja import Router, Schema

from liaison.core.schemas import SIGNED_IN
from liaison.projects.search_selectors import search_for

router = Router(tags=["search"])


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    key: str
    title: str
    snippet: str
    project_code: str
    project_name: str
    url: str
    updated_at: dt.datetime


class SearchOut(Schema):
    query: str
    kind: str
    project: str
    # True when as many results came as a search gives: there may be more.
    limited: bool
    results: list[SearchHitOut]


@router.get(
    "/search",
    response={200: SearchOut, **SIGNED_IN},
    summary="Search requirements, tasks, changes, minutes… in every project you see",
)
def search(request, q: str = "", kind: str = "", project: str = ""):
    """`title` and `snippet` are HTML: the text escaped, each matched word in
    `<mark>`. An unknown `kind` or `project` filters nothing out."""
    results = search_for(request.user, query=q, kind=kind, project=project)
    return {
        "query": results.query,
        "kind": results.kind,
        "project": results.project,
        "limited": results.limited,
        "results": [
            {**asdict(hit), "title": str(hit.title), "snippet": str(hit.snippet)}
            for hit in results.hits
        ],
    }
