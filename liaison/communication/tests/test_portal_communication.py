"""The client's side of the communication log in the portal: the conversations
the team shares, their own action items (marked done from the portal), "message
the team", and the files of what they may see."""

import datetime as dt
import itertools

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.tests.factories import make_user
from liaison.collab.models import Attachment, Notification
from liaison.collab.services import comment_create
from liaison.communication.models import ActionItem, Interaction, Kind
from liaison.communication.services.action_items import action_item_create
from liaison.communication.services.interactions import interaction_create
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member, make_project

WHEN = timezone.make_aware(dt.datetime(2027, 1, 5, 10, 0))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name: str, *args) -> str:
    return reverse(f"portal:{name}", args=args)


@pytest.fixture
def talk(project, manager, member, client_user):
    """COM-1: a client-visible meeting with the manager, the client and a guest,
    two decisions; COM-2: an internal call. ACT-1 the client's (from COM-1),
    ACT-2 the member's, client-visible; ACT-3 the member's, internal."""
    shared = interaction_create(
        project=project,
        by=manager,
        kind=Kind.MEETING,
        subject="Kick-off",
        occurred_at=WHEN,
        duration_minutes=90,
        participants=[manager, client_user],
        external_participants=[{"name": "Gwen Guest", "email": "gwen@guest.example"}],
        minutes="We agreed on **the scope**.",
        decisions=["Pilot in Reno", "Go-live in March"],
        client_visible=True,
    )
    internal = interaction_create(
        project=project,
        by=manager,
        kind=Kind.CALL,
        subject="Margin review",
        occurred_at=WHEN,
        participants=[manager, member],
        minutes="Internal numbers.",
    )
    mine = action_item_create(
        project=project,
        by=manager,
        title="Send the floor plans",
        owner=client_user,
        due_date=dt.date(2027, 1, 12),
        interaction=shared,
    )
    theirs = action_item_create(
        project=project,
        by=manager,
        title="Draft the test plan",
        owner=member,
        interaction=shared,
        client_visible=True,
    )
    hidden = action_item_create(
        project=project, by=manager, title="Check the margin", owner=member, interaction=shared
    )
    return {
        "shared": shared,
        "internal": internal,
        "mine": mine,
        "theirs": theirs,
        "hidden": hidden,
    }


def _attach(interaction, name="minutes.txt", content=b"minutes", content_type="text/plain"):
    return Attachment.objects.create(
        project=interaction.project,
        target=interaction,
        file=ContentFile(content, name=name),
        name=name,
        size=len(content),
        content_type=content_type,
        uploaded_by=interaction.created_by,
    )


# -- who may look ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["interactions", "message"])
def test_only_the_projects_client_sees_the_pages(
    name, login, talk, manager, member, observer, outsider, owner, client_user
):
    assert login(client_user).get(_url(name, "OWN")).status_code == 200
    for user in (owner, manager, member, observer, outsider):
        assert login(user).get(_url(name, "OWN")).status_code == 404, user


def test_a_client_of_another_project_gets_404(login, org, manager, talk):
    stranger = make_user("other@customer.example")
    Membership.objects.create(
        project=make_project(org, manager, "THREE"), user=stranger, role=Membership.Role.CLIENT
    )
    http = login(stranger)
    assert http.get(_url("interactions", "OWN")).status_code == 404
    assert http.get(_url("interaction", "OWN", "COM-1")).status_code == 404
    mine = talk["mine"]
    assert http.post(_url("action-item-done", "OWN", mine.key)).status_code == 404
    mine.refresh_from_db()
    assert mine.status == ActionItem.Status.OPEN


def test_anonymous_is_sent_to_sign_in(client, talk):
    response = client.get(_url("interaction", "OWN", "COM-1"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# -- the conversations ----------------------------------------------------------------


def test_list_shows_only_shared_conversations_calmly(login, client_user, talk):
    html = login(client_user).get(_url("interactions", "OWN")).content.decode()
    assert "Kick-off" in html
    assert "Margin review" not in html
    assert "2027-01-05" in html and "Meeting" in html
    assert "2 decisions" in html
    assert "manager" in html and "Gwen Guest" in html  # names of who took part
    assert "manager@test.example" not in html and "gwen@guest.example" not in html
    assert _url("interaction", "OWN", "COM-1") in html


def test_list_is_newest_first_and_paginated(login, client_user, project, manager, settings):
    settings.PAGE_SIZE = 2
    for day in range(3):
        interaction_create(
            project=project,
            by=manager,
            subject=f"Meeting {day}",
            occurred_at=WHEN + dt.timedelta(days=day),
            client_visible=True,
        )
    http = login(client_user)
    first = http.get(_url("interactions", "OWN")).content.decode()
    assert first.index("Meeting 2") < first.index("Meeting 1")
    assert "Meeting 0" not in first and "Page 1 of 2" in first
    assert "Meeting 0" in http.get(_url("interactions", "OWN") + "?page=2").content.decode()


def test_list_says_what_to_do_when_empty(login, client_user, project):
    html = login(client_user).get(_url("interactions", "OWN")).content.decode()
    assert "Nothing on record yet" in html
    assert _url("message", "OWN") in html


def test_detail_shows_minutes_decisions_and_shared_items_without_addresses(
    login, client_user, talk
):
    html = login(client_user).get(_url("interaction", "OWN", "COM-1")).content.decode()
    assert (
        "Kick-off" in html and "2027-01-05 18:00" in html
    )  # in the reader's time zone (Shanghai) and "90 minutes" in html
    assert "<strong>the scope</strong>" in html  # the minutes, through markdown
    assert "Pilot in Reno" in html and "Go-live in March" in html
    assert "Send the floor plans" in html and "Draft the test plan" in html
    assert "Check the margin" not in html  # internal item
    assert "2027-01-12" in html
    assert "Gwen Guest" in html
    assert "manager@test.example" not in html
    assert "member@test.example" not in html
    assert "gwen@guest.example" not in html
    # Only the client's own item has the button.
    assert html.count(_url("action-item-done", "OWN", talk["mine"].key)) == 1
    assert _url("action-item-done", "OWN", talk["theirs"].key) not in html


def test_detail_names_who_took_part_and_opens_the_earlier_comments(
    login, client_user, talk, manager, project
):
    for n in range(32):
        comment_create(
            target=talk["shared"],
            project=project,
            by=manager,
            body=f"note-{n:02d}",
            client_visible=True,
        )
    http = login(client_user)
    html = http.get(_url("interaction", "OWN", "COM-1")).content.decode()
    assert f'<li class="chip">{manager.display_name}</li>' in html
    assert "note-31" in html and "note-01" not in html
    assert "Show 2 earlier comments" in html
    everything = http.get(_url("interaction", "OWN", "COM-1") + "?comments=all").content.decode()
    assert "note-00" in everything and "earlier comment" not in everything


def test_detail_of_internal_or_unknown_or_other_projects_interaction_is_404(
    login, client_user, talk, org, manager
):
    other = make_project(org, manager, "TWO")
    Membership.objects.create(project=other, user=client_user, role=Membership.Role.CLIENT)
    for day in range(3):
        interaction_create(
            project=other, by=manager, subject=f"Two {day}", occurred_at=WHEN, client_visible=True
        )
    http = login(client_user)
    assert http.get(_url("interaction", "OWN", "COM-2")).status_code == 404  # internal
    assert http.get(_url("interaction", "OWN", "COM-3")).status_code == 404  # TWO's key only
    assert http.get(_url("interaction", "TWO", "COM-3")).status_code == 200


def test_the_subject_is_escaped(login, client_user, project, manager):
    interaction_create(
        project=project,
        by=manager,
        subject="<script>alert(1)</script>",
        occurred_at=WHEN,
        minutes="<img src=x onerror=alert(1)>",
        client_visible=True,
    )
    http = login(client_user)
    for url in (_url("interactions", "OWN"), _url("interaction", "OWN", "COM-1")):
        html = http.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html


# -- action items ---------------------------------------------------------------------


def test_project_page_lists_the_clients_open_items(login, client_user, talk, manager):
    done = action_item_create(
        project=talk["shared"].project, by=manager, title="Return the badge", owner=client_user
    )
    ActionItem.objects.filter(pk=done.pk).update(status=ActionItem.Status.DONE)
    html = login(client_user).get(_url("project", "OWN")).content.decode()
    assert "Your action items" in html
    assert "Send the floor plans" in html
    assert "Draft the test plan" not in html  # not theirs
    assert "Return the badge" not in html  # done
    assert _url("action-item-done", "OWN", talk["mine"].key) in html
    assert _url("message", "OWN") in html and _url("interactions", "OWN") in html


def test_client_marks_their_item_done_and_the_team_hears(login, client_user, talk, manager):
    item = talk["mine"]
    response = login(client_user).post(_url("action-item-done", "OWN", item.key), follow=True)
    assert response.redirect_chain == [(_url("project", "OWN"), 302)]
    assert "is done; the team has been told" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.done_at is not None
    note = Notification.objects.get(recipient=manager, event="action_item.done")
    assert item.key in note.text


def test_done_goes_back_to_a_local_next_only(login, client_user, talk):
    http = login(client_user)
    back = _url("interaction", "OWN", "COM-1") + "#action-items"
    response = http.post(_url("action-item-done", "OWN", talk["mine"].key), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    ActionItem.objects.filter(pk=talk["mine"].pk).update(status=ActionItem.Status.OPEN)
    for evil in ("https://evil.example/", "//evil.example/x"):
        response = http.post(_url("action-item-done", "OWN", talk["mine"].key), {"next": evil})
        assert response["Location"] == _url("project", "OWN")
        ActionItem.objects.filter(pk=talk["mine"].pk).update(status=ActionItem.Status.OPEN)


def test_done_twice_is_a_message_not_an_error(login, client_user, talk):
    http = login(client_user)
    url = _url("action-item-done", "OWN", talk["mine"].key)
    http.post(url)
    response = http.post(url, follow=True)
    assert response.status_code == 200
    assert "already Done" in response.content.decode()


def test_another_persons_item_cannot_be_completed(login, client_user, talk, project, manager):
    colleague = make_member(project, "colleague@customer.example", role=Membership.Role.CLIENT)
    hers = action_item_create(project=project, by=manager, title="Sign the NDA", owner=colleague)
    http = login(client_user)
    for item in (hers, talk["theirs"], talk["hidden"]):
        assert http.post(_url("action-item-done", "OWN", item.key)).status_code == 404
        item.refresh_from_db()
        assert item.status == ActionItem.Status.OPEN
    assert http.get(_url("action-item-done", "OWN", talk["mine"].key)).status_code == 405


# -- message the team -----------------------------------------------------------------


def test_message_lands_as_a_shared_email_and_tells_the_manager(
    login, client_user, project, manager
):
    http = login(client_user)
    assert "Message the team" in http.get(_url("message", "OWN")).content.decode()
    response = http.post(
        _url("message", "OWN"),
        {"subject": "Night shift", "body": "Can we add the night shift lead?"},
        follow=True,
    )
    assert response.redirect_chain == [(_url("project", "OWN"), 302)]
    assert "Your message is on record; the team has been told." in response.content.decode()
    interaction = Interaction.objects.get(project=project, subject="Night shift")
    assert interaction.kind == Kind.EMAIL and interaction.client_visible
    assert interaction.minutes == "Can we add the night shift lead?"
    assert list(interaction.participants.all()) == [client_user]
    assert Notification.objects.filter(recipient=manager, event="message").count() == 1
    # And the client finds it among the conversations.
    assert "Night shift" in http.get(_url("interactions", "OWN")).content.decode()


def test_empty_message_comes_back_with_reasons_beside_the_fields(login, client_user, project):
    response = login(client_user).post(_url("message", "OWN"), {"subject": " ", "body": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_subject_error"' in html and "Give your message a subject." in html
    assert 'id="id_body_error"' in html and "Write your message." in html
    assert not Interaction.objects.filter(project=project).exists()


def test_message_keeps_what_was_typed(login, client_user, project):
    response = login(client_user).post(_url("message", "OWN"), {"subject": "Labels", "body": ""})
    assert response.status_code == 200
    assert 'value="Labels"' in response.content.decode()


# -- files ----------------------------------------------------------------------------


def test_client_downloads_a_file_of_a_shared_conversation(login, client_user, talk):
    attachment = _attach(talk["shared"])
    http = login(client_user)
    detail = http.get(_url("interaction", "OWN", "COM-1")).content.decode()
    assert _url("attachment", "OWN", attachment.pk) in detail
    response = http.get(_url("attachment", "OWN", attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"minutes"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="minutes.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_images_show_inline(login, client_user, talk):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    attachment = _attach(talk["shared"], "plan.png", png, "image/png")
    response = login(client_user).get(_url("attachment", "OWN", attachment.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_files_of_internal_conversations_and_other_projects_are_404(
    login, client_user, talk, foreign_project, manager
):
    internal = _attach(talk["internal"])
    foreign = Interaction.objects.create(
        project=foreign_project,
        key="COM-1",
        subject="Theirs",
        occurred_at=WHEN,
        client_visible=True,
    )
    elsewhere = _attach(foreign)
    http = login(client_user)
    assert http.get(_url("attachment", "OWN", internal.pk)).status_code == 404
    assert http.get(_url("attachment", "OWN", elsewhere.pk)).status_code == 404
    assert http.get(_url("attachment", "OWN", 999999)).status_code == 404
    shared = _attach(talk["shared"])
    assert login(manager).get(_url("attachment", "OWN", shared.pk)).status_code == 404


# -- queries --------------------------------------------------------------------------

_serial = itertools.count(1)


def _grow(project, manager, client_user, n: int) -> None:
    for _ in range(n):
        number = next(_serial)
        interaction = interaction_create(
            project=project,
            by=manager,
            subject=f"Weekly {number}",
            occurred_at=WHEN + dt.timedelta(days=number),
            participants=[manager, client_user],
            decisions=["One", "Two"],
            client_visible=True,
        )
        action_item_create(
            project=project,
            by=manager,
            title=f"Item {number}",
            owner=client_user,
            interaction=interaction,
            due_date=dt.date(2027, 2, 1),
        )
        _attach(interaction)


def _count(http, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = http.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [_url("interactions", "OWN"), _url("project", "OWN"), _url("interaction", "OWN", "COM-1")],
)
def test_pages_run_a_fixed_number_of_queries(
    url, login, project, manager, client_user, django_assert_max_num_queries
):
    http = login(client_user)
    _grow(project, manager, client_user, 2)
    small = _count(http, url)
    _grow(project, manager, client_user, 10)
    with django_assert_max_num_queries(small):
        large = _count(http, url)
    assert small == large, f"{small} queries with few rows, {large} with more"


def test_the_client_reads_the_shared_comments_and_answers(
    login, project, manager, client_user, talk
):
    from liaison.collab.services import comment_create

    shared = talk["shared"]
    for body, visible in (("Plans attached, Claire.", True), ("Margin is thin.", False)):
        comment_create(
            target=shared, project=project, by=manager, body=body, client_visible=visible
        )
    client = login(client_user)
    url = f"/portal/p/OWN/communication/{shared.key}/"
    page = client.get(url).content.decode()
    assert "Plans attached, Claire." in page
    assert "Margin is thin." not in page
    response = client.post(url + "comments/", {"body": "Thanks, we will check."})
    assert response["Location"] == url
    assert "Thanks, we will check." in client.get(url).content.decode()
    note = Notification.objects.get(recipient=manager, event="comment")
    assert note.url == f"/p/OWN/communication/{shared.key}/"
    internal = f"/portal/p/OWN/communication/{talk['internal'].key}/comments/"
    assert client.post(internal, {"body": "x"}).status_code == 404
