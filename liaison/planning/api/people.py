"""API: the people view's figures (GET /people): each person the caller may see
over eight weeks, across every project of the organization."""

import datetime
from typing import Literal

from ninja import Router
from ninja.pagination import paginate

from liaison.core.schemas import READ, Page
from liaison.planning.schemas import PeopleRowOut
from liaison.planning.selectors.people import PeopleFilters, people_figures
from liaison.projects.selectors import api_organization

router = Router(tags=["people"])


@router.get(
    "/people",
    response={200: list[PeopleRowOut], **READ},
    summary="People's capacity, allocated and free hours over eight weeks",
    description="`start`: a day of the first week (this week by default); `show`: everyone, "
    "who is over capacity in one of the weeks, or who is free next month.",
)
@paginate(Page)
def people_list(
    request,
    organization: str | None = None,
    start: datetime.date | None = None,
    show: Literal["all", "over", "free"] = "all",
):
    found = api_organization(user=request.user, slug=organization)
    filters = PeopleFilters.from_query({"from": str(start or ""), "show": show})
    return people_figures(user=request.user, organization=found, filters=filters)
