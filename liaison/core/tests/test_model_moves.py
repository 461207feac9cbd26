"""Models moved between apps keep their rows: a database built before the move
(main at 4566eae: Membership in accounts; KeyCounter, comments, notifications,
attachments and webhooks in core) migrates forward with every row in place and
every generic reference still pointing at the same content type."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from liaison.collab.models import Attachment, Comment, Notification, NotificationPreference
from liaison.core.models import Activity
from liaison.projects.models import KeyCounter, Membership
from liaison.webhooks.models import Webhook, WebhookDelivery

BEFORE = [
    ("accounts", "0006_setuptoken"),
    ("core", "0004_notification_message_params_target"),
    ("projects", "0002_project_extra_workdays_project_holidays_and_more"),
    ("collab", None),
    ("webhooks", None),
]
MOVED = {  # model → (old app, new model)
    "membership": ("accounts", Membership),
    "keycounter": ("core", KeyCounter),
    "comment": ("core", Comment),
    "notification": ("core", Notification),
    "notificationpreference": ("core", NotificationPreference),
    "attachment": ("core", Attachment),
    "webhook": ("core", Webhook),
    "webhookdelivery": ("core", WebhookDelivery),
}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _old_world(apps) -> dict[str, int]:
    """One row of each moved model (and what they hang on), the old way."""
    ct = apps.get_model("contenttypes", "ContentType")
    user = apps.get_model("accounts", "User").objects.create(
        email="old@liaison.test", display_name="Old", password="!"
    )
    org = apps.get_model("accounts", "Organization").objects.create(name="Old firm")
    client = apps.get_model("accounts", "Client").objects.create(organization=org, name="Client")
    project = apps.get_model("projects", "Project").objects.create(
        organization=org, client=client, code="OLD", name="Old project", manager=user
    )
    membership = apps.get_model("accounts", "Membership").objects.create(
        project=project, user=user, role="manager"
    )
    membership_type = ct.objects.get_or_create(app_label="accounts", model="membership")[0]
    project_type = ct.objects.get_or_create(app_label="projects", model="project")[0]
    apps.get_model("core", "KeyCounter").objects.create(project=project, prefix="T", last=7)
    apps.get_model("core", "Activity").objects.create(
        project=project,
        actor=user,
        verb="created",
        target_type=membership_type,
        target_id=membership.pk,
        target_label="Old (Manager)",
    )
    apps.get_model("core", "Comment").objects.create(
        project=project,
        target_type=project_type,
        target_id=project.pk,
        author=user,
        body="Before the move",
        body_html="<p>Before the move</p>",
    )
    apps.get_model("core", "Notification").objects.create(
        recipient=user,
        project=project,
        event="member.added",
        message="added",
        url="/p/OLD/",
    )
    apps.get_model("core", "NotificationPreference").objects.create(
        user=user, event="comment.created", channel="none"
    )
    apps.get_model("core", "Attachment").objects.create(
        project=project,
        target_type=project_type,
        target_id=project.pk,
        file="attachments/old.txt",
        name="old.txt",
        size=3,
        content_type="text/plain",
        uploaded_by=user,
    )
    hook = apps.get_model("core", "Webhook").objects.create(
        project=project, name="Room", url="https://chat.liaison.test/hook", created_by=user
    )
    apps.get_model("core", "WebhookDelivery").objects.create(
        webhook=hook, event="comment.created", payload={}
    )
    for model, (app, _) in MOVED.items():
        ct.objects.get_or_create(app_label=app, model=model)
    return {
        model: ct.objects.get(app_label=app, model=model).pk for model, (app, _) in MOVED.items()
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_row():
    executor = _migrate(BEFORE)
    old_apps = executor.loader.project_state([node for node in BEFORE if node[1] is not None]).apps
    type_ids = _old_world(old_apps)

    _migrate(_latest())

    for model, (_, new_model) in MOVED.items():
        assert new_model.objects.count() == 1, model
        moved_type = ContentType.objects.get_for_model(new_model)
        assert moved_type.pk == type_ids[model], f"{model}: the content type was relabelled"
    activity = Activity.objects.get(verb="created")
    assert activity.target == Membership.objects.get()
    assert KeyCounter.objects.get().last == 7
    assert Comment.objects.get().target.code == "OLD"
