"""Controls rows for tests.

Risks (functions named make_risk…):
make_risk(project, manager, probability=4, impact=5)   # RISK-n through the service
make_risk_row(project, status="closed", score=...)    # straight to the table, next free key

Issues (functions named make_issue…):
make_issue(project, by)                                # ISS-n through the services
make_issue_raised_by_client(project, client_user)      # from the portal
make_issue_resolved(project, by)                       # resolved with a root cause and solution
make_issue_row(project, status="closed")               # straight to the table, any state
make_issue_path(project, [pm, head, sponsor])          # the escalation path
"""

from liaison.controls.models import EscalationLevel, Issue, Risk
from liaison.controls.services.issue_lifecycle import issue_transition
from liaison.controls.services.issues import issue_create, issue_raise_from_client
from liaison.controls.services.risks import risk_create
from liaison.projects.keys import next_number

# -- Risks


def make_risk(project, by, **fields) -> Risk:
    """A risk recorded by `by` (a manager or member); fields as risk_create takes."""
    return risk_create(project=project, by=by, **{"title": "RF scanners arrive late", **fields})


def make_risk_row(project, **fields) -> Risk:
    """A risk written to the table, in any state: "Risk n"; its score from its
    probability and impact unless given."""
    number = next_number(project=project, prefix="RISK")
    probability, impact = fields.pop("probability", 3), fields.pop("impact", 3)
    return Risk.objects.create(
        project=project,
        key=f"RISK-{number}",
        number=number,
        probability=probability,
        impact=impact,
        **{"title": f"Risk {number}", "score": probability * impact, **fields},
    )


# -- Issues

LEVEL_TITLES = ("Project manager", "Delivery head", "Sponsor", "Board", "Owner")


def make_issue(project, by, **fields) -> Issue:
    """An open issue raised by `by` (a manager or member); fields as issue_create takes."""
    return issue_create(project=project, by=by, **{"title": "Pick list sorted by SKU", **fields})


def make_issue_raised_by_client(project, client, **fields) -> Issue:
    """A defect the client raised in the portal; fields as issue_raise_from_client takes."""
    return issue_raise_from_client(
        project=project,
        by=client,
        **{"title": "Totals are wrong", "kind": Issue.Kind.DEFECT, **fields},
    )


def make_issue_resolved(project, by, issue: Issue | None = None, **fields) -> Issue:
    """`issue` (or a new one of `by`'s) resolved by `by` with a root cause and a solution."""
    issue = issue or make_issue(project, by, **fields)
    return issue_transition(
        issue=issue,
        by=by,
        status=Issue.Status.RESOLVED,
        version=issue.version,
        root_cause="The sort key was the SKU.",
        solution="Sort by bin location.",
    )


def make_issue_row(project, **fields) -> Issue:
    """An issue written to the table, in any state: "Issue n"."""
    number = next_number(project=project, prefix="ISS")
    return Issue.objects.create(
        project=project,
        key=f"ISS-{number}",
        number=number,
        **{"title": f"Issue {number}", **fields},
    )


def make_issue_path(project, people) -> list[EscalationLevel]:
    """The escalation path: one level per person, in order."""
    return [
        EscalationLevel.objects.create(
            project=project, level=number, title=LEVEL_TITLES[number - 1], person=person
        )
        for number, person in enumerate(people, start=1)
    ]


# -- Quality -----------------------------------------------------------------------


def make_uat_milestone(project):
    """Milestone "Pilot" (criteria "Scans work", "Labels print") delivering, through
    a task, REQ-1 with two criteria and REQ-2 with none (both client-visible) and
    REQ-3, internal: four generated cases."""
    from liaison.planning.tests.factories import make_milestone, make_task
    from liaison.requirements.tests.factories import make_requirement

    milestone = make_milestone(project)
    shown = make_requirement(
        project,
        title="Scan labels",
        client_visible=True,
        acceptance_criteria=["A label scans in under a second", "A torn label is refused"],
    )
    bare = make_requirement(project, title="Print pick lists", client_visible=True)
    internal = make_requirement(project, title="Tune the database", client_visible=False)
    make_task(project, title="Build it", milestone=milestone, requirements=[shown, bare, internal])
    return milestone


def make_uat_round(project, *, opened: bool = False, milestone=None):
    """A round of `milestone` (make_uat_milestone's unless given), opened to the client if asked."""
    from liaison.controls.selectors.quality import uat_round_get
    from liaison.controls.services.uat import uat_round_create, uat_round_open
    from liaison.projects.access import TEAM

    round_ = uat_round_create(
        milestone=milestone or make_uat_milestone(project), by=project.manager
    )
    if opened:
        round_ = uat_round_open(round=round_, by=project.manager, version=round_.version)
    return uat_round_get(project=project, audience=TEAM, number=round_.number)


def all_results(round_, *, failed=(), note="") -> list[dict]:
    """Every case passed but the positions in `failed`."""
    return [
        {
            "case": case.pk,
            "result": "failed" if case.position in failed else "passed",
            "note": note if case.position in failed else "",
        }
        for case in round_.case_rows
    ]
