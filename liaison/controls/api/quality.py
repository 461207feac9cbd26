"""API: a project's quality plan (standards), its checks and the client's
acceptance-test rounds (UAT-n).

The plan's standards and the rounds are the manager's to write, checks the
team's (members and managers); observers read. Internal like every team
operation: a client user gets 404 there. The one operation of the client is
the submission of a round's results (`/results`), which the team gets 404 on,
as on the portal. Writes go through the same services as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from liaison.accounts.models import User
from liaison.controls.models import QualityCheck, QualityStandard, UatRound
from liaison.controls.quality_schemas import (
    QualityCheckIn,
    QualityCheckListItem,
    QualityCheckOut,
    QualityCheckPatch,
    QualityStandardIn,
    QualityStandardOut,
    QualityStandardPatch,
    UatResultsIn,
    UatRoundIn,
    UatRoundListItem,
    UatRoundOpenIn,
    UatRoundOut,
)
from liaison.controls.selectors import quality as selectors
from liaison.controls.services import quality as quality_services
from liaison.controls.services import uat as uat_services
from liaison.core.schemas import READ, WRITE, Conflict, Page, named_as_sent, not_null
from liaison.core.services import InvalidInput
from liaison.planning.models import Milestone
from liaison.projects import access
from liaison.projects.access import CLIENT, TEAM, Action
from liaison.projects.models import Project

router = Router(tags=["quality"])
STANDARDS = "/projects/{code}/quality/standards"
CHECKS = "/projects/{code}/quality/checks"
ROUNDS = "/projects/{code}/uat-rounds"


def _milestone(project: Project, key: str | None, field: str = "milestone") -> Milestone | None:
    if key is None:
        return None
    found = Milestone.objects.filter(project=project, key=key.strip().upper()[:20]).first()
    if found is None:
        raise InvalidInput(
            _("That is not part of this project."), field=field, code="not_in_project"
        )
    return found


def _check_refs(project: Project, fields: dict) -> dict:
    """Ids and keys into rows of the project; the service checks again."""
    if "milestone" in fields:
        fields["milestone"] = _milestone(project, fields["milestone"])
    if "standard_id" in fields:
        pk = fields.pop("standard_id")
        fields["standard"] = (
            None if pk is None else QualityStandard.objects.filter(project=project, pk=pk).first()
        )
        if pk is not None and fields["standard"] is None:
            raise InvalidInput(
                _("That is not part of this project."), field="standard_id", code="not_in_project"
            )
    if "checked_by_id" in fields:
        pk = fields.pop("checked_by_id")
        if pk is not None:
            fields["checked_by"] = User.objects.filter(pk=pk).first()
            if fields["checked_by"] is None:
                raise InvalidInput(
                    _("A check is made by a manager or member of the project."),
                    field="checked_by_id",
                    code="not_on_team",
                )
    return fields


# -- standards ----------------------------------------------------------------------


@router.get(
    STANDARDS,
    response={200: list[QualityStandardOut], **READ},
    summary="The quality plan's standards, in order",
)
@paginate(Page)
def standard_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.standard_list(project=project)


@router.post(
    STANDARDS,
    response={201: QualityStandardOut, **WRITE},
    summary="Add a standard to the quality plan (managers)",
    description="Placed last. An empty title answers 400 `title_required`.",
)
def standard_create(request, code: str, data: QualityStandardIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    standard = quality_services.quality_standard_create(
        project=project, by=request.user, **data.dict()
    )
    return Status(201, standard)


@router.patch(
    STANDARDS + "/{standard_id}",
    response={200: QualityStandardOut, **WRITE, 409: Conflict},
    summary="Change a standard (managers; send the version you read)",
)
def standard_update(request, code: str, standard_id: int, data: QualityStandardPatch):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    standard = selectors.standard_get(project=project, pk=standard_id)
    fields = not_null(data.dict(exclude_unset=True, exclude={"version"}), nullable=())
    return quality_services.quality_standard_update(
        standard=standard, by=request.user, version=data.version, **fields
    )


# -- checks -------------------------------------------------------------------------


def _check(request, code: str, number: int, need: Action = Action.VIEW) -> QualityCheck:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.check_get(project=project, audience=TEAM, number=number)


@router.get(
    CHECKS,
    response={200: list[QualityCheckListItem], **READ},
    summary="A project's quality checks, the latest first",
)
@paginate(Page)
def check_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.check_rows(project=project, audience=TEAM)


@router.post(
    CHECKS,
    response={201: QualityCheckOut, **WRITE},
    summary="Record a review, test run or audit (members and managers)",
    description="Against a standard (`standard_id`) or a milestone (its key), with its "
    "findings one per line. A row not of this project answers 400 `not_in_project`; "
    "a person who is no manager or member, 400 `not_on_team`. A failed check tells the manager.",
)
def check_create(request, code: str, data: QualityCheckIn):
    project = access.get_project_for(request.user, code, need=Action.EDIT)
    fields = _check_refs(project, data.dict())
    with named_as_sent(standard="standard_id", checked_by="checked_by_id"):
        check = quality_services.quality_check_create(project=project, by=request.user, **fields)
    return Status(201, selectors.check_get(project=project, audience=TEAM, number=check.number))


@router.get(
    CHECKS + "/{number}",
    response={200: QualityCheckOut, **READ},
    summary="One quality check with its findings",
)
def check_detail(request, code: str, number: int):
    return _check(request, code, number)


@router.patch(
    CHECKS + "/{number}",
    response={200: QualityCheckOut, **WRITE, 409: Conflict},
    summary="Change a quality check (send the version you read)",
)
def check_update(request, code: str, number: int, data: QualityCheckPatch):
    check = _check(request, code, number, need=Action.EDIT)
    fields = not_null(
        data.dict(exclude_unset=True, exclude={"version"}),
        nullable=("standard_id", "milestone", "checked_by_id"),
    )
    fields = _check_refs(check.project, fields)
    with named_as_sent(standard="standard_id", checked_by="checked_by_id"):
        saved = quality_services.quality_check_update(
            check=check, by=request.user, version=data.version, **fields
        )
    return selectors.check_get(project=saved.project, audience=TEAM, number=saved.number)


# -- UAT rounds ---------------------------------------------------------------------


def _round(request, code: str, key: str, need: Action = Action.VIEW) -> UatRound:
    project = access.get_project_for(request.user, code, need=need)
    return selectors.uat_round_get(project=project, audience=TEAM, key=key)


@router.get(
    ROUNDS,
    response={200: list[UatRoundListItem], **READ},
    summary="A project's acceptance-test rounds, the latest first",
)
@paginate(Page)
def round_list(request, code: str):
    project = access.get_project_for(request.user, code)
    return selectors.uat_round_list(project=project, audience=TEAM)


@router.post(
    ROUNDS,
    response={201: UatRoundOut, **WRITE},
    summary="Prepare a round for a milestone (managers)",
    description="Its cases come from the milestone's acceptance criteria and the criteria "
    "of the client-visible requirements its tasks deliver. A milestone the client does not "
    "see answers 400 `milestone_internal`; one not of this project, 400 `not_in_project`.",
)
def round_create(request, code: str, data: UatRoundIn):
    project = access.get_project_for(request.user, code, need=Action.MANAGE)
    milestone = _milestone(project, data.milestone)
    if milestone is None:  # the schema requires one: no key, no milestone
        raise InvalidInput(_("Choose a milestone."), field="milestone")
    round_ = uat_services.uat_round_create(milestone=milestone, by=request.user, title=data.title)
    return Status(
        201, selectors.uat_round_get(project=project, audience=TEAM, number=round_.number)
    )


@router.get(
    ROUNDS + "/{key}", response={200: UatRoundOut, **READ}, summary="One round with its cases"
)
def round_detail(request, code: str, key: str):
    return _round(request, code, key)


@router.post(
    ROUNDS + "/{key}/open",
    response={200: UatRoundOut, **WRITE, 409: Conflict},
    summary="Open a round to the client (managers)",
    description="The client is asked to run it. A round already opened answers 400 "
    "`round_not_draft`; one without cases, 400 `no_cases`.",
)
def round_open(request, code: str, key: str, data: UatRoundOpenIn):
    round_ = _round(request, code, key, need=Action.MANAGE)
    uat_services.uat_round_open(round=round_, by=request.user, version=data.version)
    return _round(request, code, key)


@router.post(
    ROUNDS + "/{key}/results",
    response={200: UatRoundOut, **WRITE, 409: Conflict},
    summary="Submit a round's results (the client's)",
    description="Every case once, passed or failed, in one request: all are recorded or "
    "none. A failed case raises a defect (severity major unless given). A case missing "
    "answers 400 `results_missing`; one not of the round, 400 `unknown_case`; a round not "
    "open, 400 `round_not_open`; a stale version, 409. The team gets 404, as in the portal.",
)
def round_results(request, code: str, key: str, data: UatResultsIn):
    project = access.get_portal_project(request.user, code)
    round_ = selectors.uat_round_get(project=project, audience=CLIENT, key=key)
    if not access.can(request.user, Action.APPROVE, project):
        raise Http404
    uat_services.uat_results_submit(
        round=round_,
        by=request.user,
        version=data.version,
        results=[item.dict() for item in data.results],
    )
    return selectors.uat_round_get(project=project, audience=CLIENT, key=key)
