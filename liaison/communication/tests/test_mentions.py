"""@mentions: who a text names, and the comment that tells them."""

import pytest

from liaison.collab.mentions import mention_handles, mentioned_users
from liaison.collab.models import Notification
from liaison.collab.services import comment_create
from liaison.communication.models import Interaction


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("@pm please", {"pm"}),
        ("Thanks, @PM.", {"pm"}),
        ("(@pm) and @ana-li", {"pm", "ana-li"}),
        ("@pm@demo.test said", {"pm@demo.test"}),
        ("mail pm@demo.test", set()),  # an address, not a mention
        ("`@pm` and\n```\n@ana\n```\n@bo", {"bo"}),
        ("    @indented code", set()),
        ("", set()),
    ],
)
def test_mention_handles(text, handles):
    assert mention_handles(text) == handles


def test_mentioned_users_are_members_by_local_part_or_address(
    project, manager, member, observer, outsider, client_user
):
    text = "@member, @OBSERVER@test.example, @outsider, @client, @nobody, @member again"
    assert set(mentioned_users(text, project)) == {member, observer}
    visible = mentioned_users(text, project, audience_client_visible=True)
    assert set(visible) == {member, observer, client_user}
    assert len(visible) == 3


def test_mentioned_users_skip_deactivated_people(project, deactivated):
    assert mentioned_users("@gone", project) == []


def test_a_comment_notifies_the_people_it_mentions(project, manager, member, client_user):
    interaction = Interaction.objects.create(
        project=project, key="COM-1", subject="Kick-off", occurred_at="2027-01-01T10:00Z"
    )
    comment_create(
        target=interaction,
        project=project,
        by=manager,
        body="@member can you check? @client too",
        client_visible=False,
        url="/somewhere/",
    )
    note = Notification.objects.get(recipient=member, event="mentioned")
    assert note.url == "/somewhere/"
    assert str(manager) in note.text and "COM-1" in note.text
    # An internal comment never reaches the client, mention or not.
    assert not Notification.objects.filter(recipient=client_user, event="mentioned").exists()
    # A client-visible comment on an internal interaction: still not for the client,
    # whose notification would name what they may not see.
    comment_create(
        target=interaction,
        project=project,
        by=manager,
        body="@client over to you",
        client_visible=True,
        url="/somewhere/",
    )
    assert not Notification.objects.filter(recipient=client_user, event="mentioned").exists()
    interaction.client_visible = True
    interaction.save()
    comment_create(
        target=interaction,
        project=project,
        by=manager,
        body="@client over to you",
        client_visible=True,
        url="/somewhere/",
        portal_url="/portal/somewhere/",
    )
    note = Notification.objects.get(recipient=client_user, event="mentioned")
    assert note.url == "/portal/somewhere/"  # the client's page, not the team's


def test_a_comment_mentioning_its_author_tells_nobody(project, manager):
    project_comment = comment_create(
        target=project, project=project, by=manager, body="note to @manager", client_visible=False
    )
    assert project_comment.pk
    assert not Notification.objects.filter(event="mentioned").exists()


def test_a_comment_mentioning_nobody_tells_nobody_and_no_chat_room(
    project, manager, member, settings
):
    from liaison.webhooks.models import Webhook, WebhookDelivery

    Webhook.objects.create(
        project=project, name="Room", url="https://hooks.example.test/x", format="generic"
    )
    comment_create(
        target=project, project=project, by=member, body="no mention here", client_visible=False
    )
    assert not Notification.objects.filter(event="mentioned").exists()
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["comment"]
