"""The communication log's writes: the rules, the audit, mentions, sending the
agenda and minutes through a real SMTP server, the client's message."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import free_port
from liaison.collab.models import Notification
from liaison.communication.models import ActionItem, CommunicationPlanItem, Interaction, Kind
from liaison.communication.participants import parse_external_participants
from liaison.communication.services.interactions import (
    interaction_create,
    interaction_update,
    message_from_client,
)
from liaison.communication.services.sending import interaction_send
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects.tests.factories import make_member
from liaison.requirements.models import Requirement

WHEN = dt.datetime(2027, 3, 4, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai


def _create(project, by, **fields):
    return interaction_create(
        project=project,
        by=by,
        **{"subject": "Weekly status", "occurred_at": WHEN, **fields},
    )


def _activities(interaction, verb=None):
    rows = Activity.objects.filter(
        target_type=ContentType.objects.get_for_model(Interaction), target_id=interaction.pk
    )
    return rows.filter(verb=verb) if verb else rows


def _mentions(user):
    return Notification.objects.filter(recipient=user, event="mentioned")


# -- create and update -------------------------------------------------------------------


def test_interaction_create_records_everything_with_a_key_and_an_audit_row(
    project, manager, member, client_user
):
    requirement = Requirement.objects.create(project=project, key="REQ-1", title="Login")
    plan_item = CommunicationPlanItem.objects.create(
        project=project, audience="Client", purpose="Status"
    )
    interaction = _create(
        project,
        manager,
        kind=Kind.CALL,
        duration_minutes=45,
        channel="Zoom",
        participants=[manager, member, client_user],
        external_participants="Li Wei <LI.WEI@example.test>\n\nana@example.test\nBob on the phone",
        agenda="1. Scope",
        minutes="We agreed.",
        decisions="Go live in May\n\n  Freeze scope  \n",
        requirements=[requirement],
        plan_item=plan_item,
        client_visible=True,
    )
    interaction.refresh_from_db()
    assert interaction.key == "COM-1"
    assert interaction.kind == Kind.CALL
    assert interaction.created_by == manager
    assert set(interaction.participants.all()) == {manager, member, client_user}
    assert interaction.external_participants == [
        {"name": "Li Wei", "email": "li.wei@example.test"},
        {"name": "ana", "email": "ana@example.test"},
        {"name": "Bob on the phone", "email": ""},
    ]
    assert interaction.decisions == ["Go live in May", "Freeze scope"]
    assert list(interaction.requirements.all()) == [requirement]
    assert interaction.plan_item == plan_item
    assert _activities(interaction, "created").get().client_visible is True
    assert _create(project, manager).key == "COM-2"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": "2027-01-01"}, "occurred_at"),
        ({"kind": "fax"}, "kind"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"decisions": [f"d{n}" for n in range(51)]}, "decisions"),
    ],
)
def test_interaction_create_refuses_bad_input_next_to_the_field(project, manager, fields, field):
    with pytest.raises(InvalidInput) as caught:
        _create(project, manager, **fields)
    assert caught.value.field == field
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("Li Wei <li.wei@example>", "li.wei@example"),
        ("Li Wei <not an address>", "not an address"),
        ("li.wei@@example.test", "li.wei@@example.test"),
        ("<>", ""),
    ],
)
def test_a_bad_external_address_is_refused_naming_the_line(project, manager, line, bad):
    with pytest.raises(InvalidInput) as caught:
        _create(project, manager, external_participants=f"Ana <ana@example.test>\n{line}")
    assert caught.value.field == "external_participants"
    if bad:
        assert line in caught.value.message
        assert bad in caught.value.message


def test_external_participants_accept_dicts_and_check_their_addresses():
    people = [{"name": "Ana", "email": "ANA@example.test"}, {"name": "Bo", "email": ""}, {}]
    assert parse_external_participants(people) == [
        {"name": "Ana", "email": "ana@example.test"},
        {"name": "Bo", "email": ""},
    ]
    with pytest.raises(InvalidInput) as caught:
        parse_external_participants([{"name": "Ana", "email": "ana(at)example.test"}])
    assert "ana(at)example.test" in caught.value.message


def test_participants_must_be_members_of_the_project(project, manager, outsider, foreign_project):
    with pytest.raises(InvalidInput) as caught:
        _create(project, manager, participants=[manager, outsider])
    assert caught.value.field == "participants"
    # By id, never by name: a name would tell who else has an account here.
    assert str(outsider.pk) in caught.value.message
    assert str(outsider) not in caught.value.message
    with pytest.raises(InvalidInput):
        _create(project, manager, participants=[foreign_project.manager])


def test_requirements_and_plan_items_of_another_project_are_refused(
    project, manager, foreign_project
):
    foreign = Requirement.objects.create(project=foreign_project, key="REQ-9", title="Theirs")
    with pytest.raises(InvalidInput) as caught:
        _create(project, manager, requirements=[foreign])
    assert caught.value.field == "requirements"
    assert "REQ-9" in caught.value.message
    plan_item = CommunicationPlanItem.objects.create(
        project=foreign_project, audience="x", purpose="y"
    )
    with pytest.raises(InvalidInput) as caught:
        _create(project, manager, plan_item=plan_item)
    assert caught.value.field == "plan_item"


def test_only_the_team_that_edits_may_record(project, observer, client_user):
    for user in (observer, client_user):
        with pytest.raises(PermissionDenied):
            _create(project, user)


def test_unknown_fields_are_refused(project, manager):
    with pytest.raises(InvalidInput):
        _create(project, manager, key="COM-99")


def test_interaction_update_saves_a_diff_and_refuses_a_stale_edit(project, manager, member):
    interaction = _create(project, manager, participants=[manager])
    updated = interaction_update(
        interaction=interaction,
        by=member,
        version=1,
        subject="Weekly status (moved)",
        participants=[manager, member],
        decisions="One",
    )
    assert updated.version == 2
    diff = _activities(interaction, "updated").get().diff
    assert diff["subject"] == ["Weekly status", "Weekly status (moved)"]
    assert diff["participants"] == [[str(manager)], [str(manager), str(member)]]
    assert diff["decisions"] == [[], ["One"]]
    with pytest.raises(StaleEdit) as caught:
        interaction_update(interaction=interaction, by=manager, version=1, subject="Mine")
    assert "Weekly status (moved)" in caught.value.message
    assert Interaction.objects.get().subject == "Weekly status (moved)"


def test_an_update_that_changes_nothing_keeps_the_version(project, manager):
    interaction = _create(project, manager, participants=[manager])
    same = interaction_update(
        interaction=interaction, by=manager, version=1, subject="Weekly status"
    )
    assert same.version == 1
    assert not _activities(interaction, "updated").exists()


# -- mentions ----------------------------------------------------------------------------


def test_mentions_in_the_minutes_notify_each_person_once(project, manager, member, observer):
    interaction = _create(
        project,
        manager,
        minutes="@member please check. Thanks @MEMBER and @member@test.example; `@observer`",
    )
    assert _mentions(member).count() == 1
    note = _mentions(member).get()
    assert "COM-1" in note.text
    assert note.url == f"/p/{project.code}/communication/COM-1/"
    assert not _mentions(observer).exists()  # inside a code span
    interaction_update(
        interaction=interaction,
        by=manager,
        version=1,
        minutes=interaction.minutes + "\n\nAlso @observer.",
    )
    assert _mentions(member).count() == 1  # not told twice
    assert _mentions(observer).count() == 1
    assert not _mentions(manager).exists()  # nobody is told what they wrote


def test_a_client_is_mentioned_only_in_a_client_visible_interaction(project, manager, client_user):
    internal = _create(project, manager, minutes="Ask @client about it")
    assert not _mentions(client_user).exists()
    interaction_update(interaction=internal, by=manager, version=1, client_visible=True)
    note = _mentions(client_user).get()
    assert note.url == f"/portal/p/{project.code}/communication/COM-1/"


# -- sending -----------------------------------------------------------------------------


@pytest.fixture
def meeting(project, manager, member, client_user):
    interaction = _create(
        project,
        manager,
        participants=[manager, member, client_user],
        external_participants="Li Wei <li.wei@example.test>",
        channel="Room 2",
        agenda="1. Scope\n2. Dates",
        minutes="We **agreed** on the scope.",
        decisions="Go live on 1 May\nFreeze the scope",
        client_visible=True,
    )
    ActionItem.objects.create(
        project=project,
        key="ACT-1",
        interaction=interaction,
        title="Send the floor plans",
        owner=client_user,
        due_date=dt.date(2027, 3, 11),
        client_visible=True,
    )
    ActionItem.objects.create(
        project=project,
        key="ACT-2",
        interaction=interaction,
        title="Check the internal budget",
        owner=member,
        due_date=dt.date(2027, 3, 12),
    )
    return interaction


def _parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _by_recipient(inbox) -> dict:
    return {message["X-Envelope-To"]: message for message in inbox.messages}


def test_sending_the_minutes_reaches_every_participant_with_the_decisions_and_actions(
    meeting, manager, member, client_user, smtp_inbox, django_capture_on_commit_callbacks
):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        count = interaction_send(interaction=meeting, by=manager, what="minutes")
    assert count == 4
    mails = _by_recipient(smtp_inbox)
    assert set(mails) == {manager.email, member.email, client_user.email, "li.wei@example.test"}
    for address, message in mails.items():
        text, html = _parts(message)
        assert "COM-1" in message["Subject"]
        for part in (text, html):
            assert "Go live on 1 May" in part
            assert "Freeze the scope" in part
            assert "ACT-1" in part and "Send the floor plans" in part
            assert "2027-03-11" in part
            assert "10:30" in part  # the participants' time zone (Asia/Shanghai)
            assert "Room 2" in part
        assert "We **agreed** on the scope." in text
        assert "<strong>agreed</strong>" in html
        # The team reads every action item, the client's people the visible ones.
        internal = "Check the internal budget"
        if address in (manager.email, member.email):
            assert internal in text and internal in html
        else:
            assert internal not in text and internal not in html
    # Each in their own language: Chinese greeting and headings the catalog has.
    chinese, chinese_html = _parts(mails[member.email])
    assert "您好" in chinese and "时间" in chinese and "您好" in chinese_html
    english, _html = _parts(mails[manager.email])
    assert "Hello" in english and "Decisions" in english and "Action items" in english
    # The team's link is the team's page, the client's the portal's, none for others.
    assert f"/p/{meeting.project.code}/communication/COM-1/" in english
    client_text, _client_html = _parts(mails[client_user.email])
    assert f"/portal/p/{meeting.project.code}/communication/COM-1/" in client_text
    external_text, _external_html = _parts(mails["li.wei@example.test"])
    assert "/communication/" not in external_text
    meeting.refresh_from_db()
    assert meeting.minutes_sent_at is not None
    sent = _activities(meeting, "sent").get()
    assert "minutes_sent_at" in sent.diff


def test_sending_the_agenda_sends_the_agenda(
    meeting, manager, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interaction_send(interaction=meeting, by=manager, what="agenda")
    text, html = _parts(_by_recipient(smtp_inbox)[manager.email])
    assert "Agenda" in smtp_inbox.messages[0]["Subject"]
    assert "2. Dates" in text and "<li>Dates</li>" in html
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is not None and meeting.minutes_sent_at is None


def test_a_dead_smtp_server_does_not_fail_sending(
    meeting, manager, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nobody listens there
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = interaction_send(interaction=meeting, by=manager, what="minutes")
    assert count == 4
    assert callbacks  # the mails were handed to the job, which failed on its own
    meeting.refresh_from_db()
    assert meeting.minutes_sent_at is not None


def test_empty_minutes_and_nobody_to_send_to_are_refused(project, manager, client_user):
    empty = _create(project, manager, participants=[manager])
    with pytest.raises(InvalidInput) as caught:
        interaction_send(interaction=empty, by=manager, what="minutes")
    assert caught.value.code == "empty_minutes"
    lonely = _create(project, manager, minutes="Notes to self", external_participants="Bob")
    with pytest.raises(InvalidInput) as caught:
        interaction_send(interaction=lonely, by=manager, what="minutes")
    assert caught.value.code == "no_recipients"
    with pytest.raises(InvalidInput) as caught:
        interaction_send(interaction=lonely, by=manager, what="everything")
    assert caught.value.field == "what"
    assert Interaction.objects.filter(minutes_sent_at__isnull=False).count() == 0


def test_only_the_editing_team_may_send(meeting, observer):
    with pytest.raises(PermissionDenied):
        interaction_send(interaction=meeting, by=observer, what="minutes")


def test_sending_skips_deactivated_participants(
    project, manager, smtp_inbox, django_capture_on_commit_callbacks
):
    gone = make_member(project, "gone@test.example")
    interaction = _create(project, manager, participants=[manager, gone], minutes="Done")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        assert interaction_send(interaction=interaction, by=manager, what="minutes") == 1
    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == [manager.email]


# -- the client's message ------------------------------------------------------------------


def test_message_from_client_lands_as_a_visible_email_interaction(project, manager, client_user):
    interaction = message_from_client(
        project=project, by=client_user, subject="  Access  to the pilot ", body="Can we start?"
    )
    interaction.refresh_from_db()
    assert interaction.kind == Kind.EMAIL
    assert interaction.subject == "Access to the pilot"
    assert interaction.minutes == "Can we start?"
    assert interaction.client_visible is True
    assert list(interaction.participants.all()) == [client_user]
    assert interaction.occurred_at <= timezone.now()
    note = Notification.objects.get(recipient=manager)
    assert "Access to the pilot" in note.text
    assert note.url == f"/p/{project.code}/communication/{interaction.key}/"
    assert _activities(interaction, "created").get().client_visible is True


def test_message_from_client_needs_a_subject_and_a_body(project, client_user, observer):
    with pytest.raises(InvalidInput) as caught:
        message_from_client(project=project, by=client_user, subject="", body="x")
    assert caught.value.field == "subject"
    with pytest.raises(InvalidInput) as caught:
        message_from_client(project=project, by=client_user, subject="x", body="  ")
    assert caught.value.field == "body"
    with pytest.raises(PermissionDenied):
        message_from_client(project=project, by=observer, subject="x", body="y")
