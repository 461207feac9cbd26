"""A project with one row of every kind, for the bad-input tests: each list has
something to filter and each write something to edit."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from conftest import NOW
from liaison.changes.models import ChangeRequest
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction
from liaison.controls.services.issues import issue_create
from liaison.controls.services.quality import quality_check_create, quality_standard_create
from liaison.controls.services.risks import risk_create
from liaison.controls.services.uat import uat_round_create, uat_round_open
from liaison.documents.services.client import review_request
from liaison.documents.tests.factories import make_document, make_folder
from liaison.finance.services.expenses import expense_create
from liaison.finance.tests.factories import THIS_WEEK, log, role_rates, submitted_week
from liaison.glossary.services import term_create
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.plan import dependency_create
from liaison.planning.services.tasks import task_create
from liaison.projects.models import KeyCounter, Membership
from liaison.reports.models import StatusReport
from liaison.requirements.services import requirement_create
from liaison.webhooks.models import Webhook


@dataclass
class World:
    """The ids the URLs of single rows need."""

    membership_id: int
    dependency_id: int
    plan_item_id: int
    webhook_id: int
    standard_id: int
    entry_id: int  # the manager's draft hours this week
    timesheet_id: int  # the manager's week before, submitted
    member_user_id: int  # the manager, as a person of the organization
    term_id: int  # a glossary term
    folder_id: int  # DOC-1's folder
    review_id: int  # DOC-2's, waiting for the client


def build_world(project, manager, client_user) -> World:
    requirement_create(project=project, by=manager, title="Scan labels")
    milestone = milestone_create(
        project=project, by=manager, name="Pilot", due_date=dt.date(2027, 2, 1), criteria=["Works"]
    )
    start = dt.date(2027, 1, 4)
    design = task_create(
        project=project,
        by=manager,
        title="Design",
        start_date=start,
        due_date=start + dt.timedelta(days=4),
        milestone=milestone,
        client_visible=True,
    )
    build = task_create(project=project, by=manager, title="Build")
    dependency = dependency_create(project=project, by=manager, predecessor=design, successor=build)
    interaction = Interaction.objects.create(
        project=project,
        key="COM-1",
        subject="Kick-off",
        occurred_at=NOW,
        client_visible=True,
        created_by=manager,
    )
    ActionItem.objects.create(
        project=project,
        key="ACT-1",
        interaction=interaction,
        title="Send the floor plans",
        owner=client_user,
        client_visible=True,
    )
    for prefix in ("COM", "ACT"):
        KeyCounter.objects.create(project=project, prefix=prefix, last=1)
    plan_item = CommunicationPlanItem.objects.create(
        project=project, audience="Client", purpose="Weekly status", owner=manager
    )
    ChangeRequest.objects.create(
        project=project, key="CR-1", number=1, title="Night shift", requested_by=manager
    )
    KeyCounter.objects.create(project=project, prefix="CR", last=1)
    StatusReport.objects.create(
        project=project,
        number=1,
        period=StatusReport.Period.WEEKLY,
        period_start=dt.date(2026, 11, 9),
        period_end=dt.date(2026, 11, 15),
        title="Week 46",
    )
    KeyCounter.objects.create(project=project, prefix="RPT", last=1)
    risk_create(project=project, by=manager, title="RF scanners arrive late")
    issue_create(project=project, by=manager, title="Pick list sorted by SKU")
    standard = quality_standard_create(project=project, by=manager, title="Fast scans")
    quality_check_create(project=project, by=manager, checked_on=NOW.date(), result="pass")
    uat = uat_round_create(milestone=milestone, by=manager)  # UAT-1, open to the client
    uat_round_open(round=uat, by=manager, version=uat.version)
    webhook = Webhook.objects.create(
        project=project,
        name="Team room",
        url="https://hooks.chat.example/team",
        format="generic",
        events=["status"],
        created_by=manager,
    )
    role_rates(project)
    entry = log(project, manager, THIS_WEEK)
    sheet = submitted_week(project, manager)
    expense_create(
        project=project, by=manager, day=NOW.date(), category="travel",
        description="Taxi to the warehouse", amount=Decimal("12.50"),
    )  # fmt: skip
    term = term_create(project=project, by=manager, term="WMS", definition="Warehouse system")
    document = make_document(project, manager)  # DOC-1, in a folder "Specs" (files: MEDIA_ROOT)
    shared = make_folder(project, manager, "Shared", client_visible=True)
    reviewed = make_document(project, manager, folder=shared, title="Shared spec")  # DOC-2
    review = review_request(document=reviewed, version=reviewed.latest, by=manager)
    membership = Membership.objects.get(project=project, user=client_user)
    return World(
        membership_id=membership.pk,
        dependency_id=dependency.pk,
        plan_item_id=plan_item.pk,
        webhook_id=webhook.pk,
        standard_id=standard.pk,
        entry_id=entry.pk,
        timesheet_id=sheet.pk,
        member_user_id=manager.pk,
        term_id=term.pk,
        folder_id=document.folder_id,
        review_id=review.pk,
    )
