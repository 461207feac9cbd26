"""Action items: the services' rules and notifications, the list, the form and
the status moves per role, "my action items" on the dashboard, and what the
pages cost in queries."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from liaison.accounts.tests.factories import make_user
from liaison.collab.models import Notification
from liaison.communication.models import ActionItem
from liaison.communication.selectors.action_items import my_action_items
from liaison.communication.services.action_items import (
    action_item_complete,
    action_item_create,
    action_item_transition,
    action_item_update,
)
from liaison.communication.tests.factories import interaction_row, make_action_item
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_member, make_project

Status = ActionItem.Status
LIST = "/p/OWN/action-items/"
NEW = LIST + "new/"
HTMX = {"HX-Request": "true"}
_serial = itertools.count(1)


def _today() -> dt.date:
    return timezone.localdate()


def _text(response) -> str:
    return response.content.decode()


def _notes(user, event: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, event=event))


# -- creating --------------------------------------------------------------------------


def test_create_gives_a_key_notifies_the_owner_and_audits(project, manager, member):
    interaction = interaction_row(project)
    item = make_action_item(project, owner=member, due_date=_today(), interaction=interaction)
    assert item.key == "ACT-1"
    assert item.status == Status.OPEN and item.created_by == manager
    assert item.client_visible is False
    (note,) = _notes(member, "assigned")
    assert "ACT-1" in note.text and "Send the floor plans" in note.text
    assert note.url == LIST
    assert Activity.objects.filter(target_id=item.pk, verb="created").exists()
    assert make_action_item(project).key == "ACT-2"


def test_create_allows_a_past_due_date(project, member):
    item = make_action_item(project, owner=member, due_date=_today() - dt.timedelta(days=3))
    assert item.is_overdue


def test_a_client_owner_forces_client_visible_and_is_told_in_the_portal(project, client_user):
    item = make_action_item(project, owner=client_user, client_visible=False)
    assert item.client_visible is True
    (note,) = _notes(client_user, "assigned")
    assert note.url == "/portal/p/OWN/"


@pytest.mark.parametrize("who", ["observer", "outsider", "stranger", "foreign"])
def test_the_owner_must_be_a_team_member_or_client_of_the_project(
    request, project, foreign_project, who
):
    if who == "stranger":
        owner = make_user("stranger@nowhere.example")
    elif who == "foreign":
        owner = foreign_project.manager
    else:
        owner = request.getfixturevalue(who)
    with pytest.raises(InvalidInput) as refused:
        make_action_item(project, owner=owner)
    assert refused.value.field == "owner"
    assert not ActionItem.objects.exists()


def test_a_client_of_another_project_cannot_own_an_item(project, org, manager):
    other = make_project(org, manager, "OTHER")
    somebody = make_member(other, "c2@customer.example", role=Membership.Role.CLIENT)
    with pytest.raises(InvalidInput) as refused:
        make_action_item(project, owner=somebody)
    assert refused.value.field == "owner"


def test_the_interaction_must_be_of_the_project(project, foreign_project):
    elsewhere = interaction_row(foreign_project)
    with pytest.raises(InvalidInput) as refused:
        make_action_item(project, interaction=elsewhere)
    assert refused.value.field == "interaction"


def test_title_is_required(project):
    with pytest.raises(InvalidInput) as refused:
        make_action_item(project, title="   ")
    assert refused.value.field == "title"


def test_only_editors_create(project, observer, client_user):
    for user in (observer, client_user):
        with pytest.raises(PermissionDenied):
            action_item_create(project=project, by=user, title="Nope")


# -- updating and moving ---------------------------------------------------------------


def test_update_checks_the_version_and_notifies_a_new_owner(project, manager, member):
    item = make_action_item(project)
    saved = action_item_update(item=item, by=manager, version=item.version, owner=member)
    assert saved.owner == member and saved.version == item.version + 1
    assert len(_notes(member, "assigned")) == 1
    with pytest.raises(StaleEdit):
        action_item_update(item=item, by=manager, version=item.version, title="Old page")


def test_update_to_a_client_owner_makes_it_client_visible(project, manager, client_user):
    item = make_action_item(project)
    saved = action_item_update(item=item, by=manager, version=item.version, owner=client_user)
    assert saved.client_visible is True


def test_transition_records_done_and_tells_the_creator(project, manager, member):
    item = make_action_item(project, owner=member)
    done = action_item_transition(item=item, by=member, status=Status.DONE)
    assert done.status == Status.DONE and done.done_at is not None
    (note,) = _notes(manager, "action_item.done")
    assert "member completed ACT-1" in note.text
    reopened = action_item_transition(item=done, by=manager, status=Status.OPEN)
    assert reopened.status == Status.OPEN and reopened.done_at is None
    cancelled = action_item_transition(item=item, by=manager, status=Status.CANCELLED)
    assert cancelled.status == Status.CANCELLED
    # The creator completing their own item hears nothing.
    action_item_transition(item=item, by=manager, status=Status.DONE)
    assert len(_notes(manager, "action_item.done")) == 1


@pytest.mark.parametrize("status", ["open", "bogus", ""])
def test_transition_refuses_a_non_move(project, status):
    item = make_action_item(project)
    with pytest.raises(InvalidInput) as refused:
        action_item_transition(item=item, by=project.manager, status=status)
    assert refused.value.field == "status"


def test_transition_with_a_stale_version_is_refused(project, manager):
    item = make_action_item(project)
    action_item_update(item=item, by=manager, version=item.version, title="Changed")
    with pytest.raises(StaleEdit):
        action_item_transition(item=item, by=manager, status=Status.DONE, version=item.version)


def test_observer_cannot_move_items(project, observer):
    item = make_action_item(project)
    with pytest.raises(PermissionDenied):
        action_item_transition(item=item, by=observer, status=Status.DONE)


# -- the client completes their own item ------------------------------------------------


def test_the_client_completes_their_own_item(project, manager, member, client_user):
    interaction = interaction_row(project, created_by=member)
    item = make_action_item(project, owner=client_user, interaction=interaction)
    done = action_item_complete(item=item, by=client_user)
    assert done.status == Status.DONE and done.done_at is not None
    for person in (member, manager):
        (note,) = _notes(person, "action_item.done")
        assert note.text.startswith("client completed ACT-1")
        assert note.url == LIST
    activity = Activity.objects.get(target_id=item.pk, verb="updated")
    assert activity.actor == client_user and activity.client_visible


def test_a_client_cannot_complete_an_item_they_do_not_own(project, manager, client_user):
    item = make_action_item(project, owner=manager, client_visible=True)
    with pytest.raises(InvalidInput) as refused:
        action_item_complete(item=item, by=client_user)
    assert refused.value.code == "not_owner"
    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_a_done_item_cannot_be_completed_again(project, client_user):
    item = make_action_item(project, owner=client_user)
    action_item_complete(item=item, by=client_user)
    with pytest.raises(InvalidInput) as refused:
        action_item_complete(item=item, by=client_user)
    assert refused.value.code == "not_open"


def test_complete_needs_the_comment_right(project, observer, manager):
    item = make_action_item(project)
    with pytest.raises(PermissionDenied):
        action_item_complete(item=item, by=observer)


# -- the list --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "member"])
def test_the_team_sees_the_list_with_moves(request, login, project, role):
    make_action_item(project, title="Book the room")
    page = _text(login(request.getfixturevalue(role)).get(LIST))
    assert "ACT-1" in page and "Book the room" in page
    assert "Mark done" in page and "New action item" in page


def test_observer_reads_without_buttons(login, project, observer):
    make_action_item(project, title="Book the room")
    page = _text(login(observer).get(LIST))
    assert "Book the room" in page
    assert "Mark done" not in page and "New action item" not in page


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_others_get_404(request, login, project, role):
    response = login(request.getfixturevalue(role)).get(LIST)
    assert response.status_code == 404


def test_the_list_filters_and_counts(login, project, manager, member):
    late = make_action_item(
        project, title="Late one", owner=member, due_date=_today() - dt.timedelta(2)
    )
    make_action_item(project, title="Upcoming", owner=manager, due_date=_today() + dt.timedelta(5))
    finished = make_action_item(project, title="Finished one")
    action_item_transition(item=finished, by=manager, status=Status.DONE)
    http = login(manager)

    page = _text(http.get(LIST))  # open by default
    assert "Late one" in page and "Upcoming" in page and "Finished one" not in page
    assert page.index("Late one") < page.index("Upcoming")  # overdue first
    assert 'class="action-item--overdue"' in page
    assert 'Open <span class="chip__count">2</span>' in page
    assert 'Done <span class="chip__count">1</span>' in page
    assert 'All <span class="chip__count">3</span>' in page

    page = _text(http.get(LIST, {"status": "done"}))
    assert "Finished one" in page and "Late one" not in page

    page = _text(http.get(LIST, {"overdue": "1"}))
    assert "Late one" in page and "Upcoming" not in page

    page = _text(http.get(LIST, {"owner": str(manager.pk)}))
    assert "Upcoming" in page and "Late one" not in page

    page = _text(http.get(LIST, {"q": late.key}))
    assert "Late one" in page and "Upcoming" not in page

    page = _text(http.get(LIST, {"q": "nothing like it"}))
    assert "No action item matches these filters" in page


def test_the_list_links_the_interaction_and_paginates(login, project, manager):
    interaction = interaction_row(project, key="COM-7")
    for number in range(30):
        make_action_item(project, title=f"Item {number}", interaction=interaction)
    page = _text(login(manager).get(LIST))
    assert 'href="/p/OWN/communication/COM-7/"' in page
    assert "Page 1 of 2" in page
    assert "Item 29" in _text(login(manager).get(LIST, {"page": "2"}))


def test_the_list_answers_htmx_with_the_results_only(login, project, manager):
    make_action_item(project, title="Book the room")
    response = login(manager).get(LIST, {"q": "Book"}, headers=HTMX)
    page = _text(response)
    assert 'id="results"' in page and "Book the room" in page
    assert "<html" not in page


def test_the_empty_list_says_what_to_do(login, project, manager):
    page = _text(login(manager).get(LIST))
    assert "No open action items" in page


def _fill(project, count: int) -> None:
    interaction = interaction_row(project)
    people = [project.manager] + [
        make_user(f"p{next(_serial)}@test.example", org=project.organization)
        for _ in range(min(count, 5))
    ]
    for person in people[1:]:
        Membership.objects.create(project=project, user=person, role=Membership.Role.MEMBER)
    for number in range(count):
        make_action_item(
            project,
            title=f"Item {number}",
            owner=people[number % len(people)],
            due_date=_today() + dt.timedelta(days=number - count // 2),
            interaction=interaction if number % 2 else None,
        )


@pytest.mark.parametrize("count", [3, 40])
def test_the_list_runs_a_fixed_number_of_queries(
    login, project, manager, count, django_assert_max_num_queries
):
    _fill(project, count)
    http = login(manager)
    with django_assert_max_num_queries(11):
        assert http.get(LIST).status_code == 200
    with django_assert_max_num_queries(11):
        assert http.get(LIST, {"status": "all", "overdue": "1"}, headers=HTMX).status_code == 200


# -- the form --------------------------------------------------------------------------


def test_create_from_the_form_goes_back_to_a_safe_next(login, project, manager, member):
    interaction_row(project, key="COM-3")
    http = login(manager)
    page = _text(http.get(NEW, {"interaction": "COM-3"}))
    assert 'value="COM-3"' in page
    response = http.post(
        NEW,
        {
            "title": "Book the room",
            "owner": member.pk,
            "due_date": (_today() + dt.timedelta(days=2)).isoformat(),
            "interaction": "com-3",
            "next": "/p/OWN/communication/COM-3/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/p/OWN/communication/COM-3/"
    item = ActionItem.objects.get()
    assert item.owner == member and item.interaction.key == "COM-3"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example/", "javascript:alert(1)", ""],
)
def test_create_never_redirects_off_site(login, project, manager, target):
    response = login(manager).post(NEW, {"title": "Book the room", "next": target})
    assert response.status_code == 302 and response["Location"] == LIST


def test_a_past_due_date_is_saved_with_a_warning(login, project, manager):
    http = login(manager)
    past = (_today() - dt.timedelta(days=1)).isoformat()
    response = http.post(NEW, {"title": "Late already", "due_date": past}, follow=True)
    page = _text(response)
    assert "The due date is already past." in page
    assert "message--warning" in page
    assert ActionItem.objects.get().due_date.isoformat() == past


def test_an_empty_form_shows_errors_beside_the_fields(login, project, manager):
    response = login(manager).post(NEW, {})
    assert response.status_code == 200
    assert "Say what needs doing." in _text(response)


def test_bad_owner_and_interaction_are_named(login, project, manager, observer):
    response = login(manager).post(
        NEW, {"title": "X", "owner": observer.pk, "interaction": "COM-99"}
    )
    page = _text(response)
    assert response.status_code == 200
    assert "Select a valid choice" in page
    assert "There is no interaction COM-99 in this project." in page
    assert not ActionItem.objects.exists()


def test_the_owner_select_lists_team_and_clients_only(
    login, project, manager, member, observer, client_user
):
    page = _text(login(manager).get(NEW))
    select = page[page.index('name="owner"') : page.index("</select>", page.index('name="owner"'))]
    assert "member" in select and "client" in select and "manager" in select
    assert "observer" not in select


def test_observer_cannot_open_the_form(login, project, observer):
    http = login(observer)
    assert http.get(NEW).status_code == 403
    assert http.post(NEW, {"title": "X"}).status_code == 403


def test_edit_saves_and_a_stale_edit_shows_what_changed(login, project, manager, member):
    item = make_action_item(project, owner=member)
    http = login(manager)
    url = f"{LIST}{item.key}/edit/"
    assert 'value="Send the floor plans"' in _text(http.get(url))
    response = http.post(url, {"title": "Send the plans", "owner": member.pk, "version": 1})
    assert response.status_code == 302
    response = http.post(url, {"title": "Older text", "owner": member.pk, "version": 1})
    page = _text(response)
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in page
    assert "Send the plans" in page
    assert 'name="version" value="2"' in page
    item.refresh_from_db()
    assert item.title == "Send the plans"


def test_edit_of_an_unknown_key_is_404(login, project, manager):
    assert login(manager).get(f"{LIST}ACT-404/edit/").status_code == 404


# -- status moves ----------------------------------------------------------------------


def test_status_without_htmx_redirects_to_next_or_the_list(login, project, manager):
    item = make_action_item(project)
    http = login(manager)
    response = http.post(f"{LIST}{item.key}/status/", {"status": "done"})
    assert response.status_code == 302 and response["Location"] == LIST
    response = http.post(
        f"{LIST}{item.key}/status/", {"status": "open", "next": "/p/OWN/communication/"}
    )
    assert response["Location"] == "/p/OWN/communication/"
    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_status_with_htmx_answers_the_row(login, project, manager):
    item = make_action_item(project)
    response = login(manager).post(
        f"{LIST}{item.key}/status/", {"status": "done", "version": "1"}, headers=HTMX
    )
    page = _text(response)
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="action-item-{item.pk}"')  # the row alone
    assert page.count("<tr") == 1
    assert "badge--green" in page and "Reopen" in page


def test_a_refused_move_shows_in_the_row(login, project, manager):
    item = make_action_item(project)
    response = login(manager).post(
        f"{LIST}{item.key}/status/", {"status": "done", "version": "7"}, headers=HTMX
    )
    page = _text(response)
    assert "Someone else saved this" in page
    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_observer_cannot_move(login, project, observer):
    item = make_action_item(project)
    assert login(observer).post(f"{LIST}{item.key}/status/", {"status": "done"}).status_code == 403


# -- my action items on the dashboard ----------------------------------------------------


def test_my_action_items_are_open_mine_overdue_first(project, manager, member, foreign_project):
    soon = make_action_item(
        project, title="Soon", owner=member, due_date=_today() + dt.timedelta(1)
    )
    late = make_action_item(
        project, title="Late", owner=member, due_date=_today() - dt.timedelta(4)
    )
    undated = make_action_item(project, title="Undated", owner=member)
    later = make_action_item(
        project, title="Later", owner=member, due_date=_today() + dt.timedelta(9)
    )
    done = make_action_item(project, title="Done", owner=member)
    action_item_transition(item=done, by=manager, status=Status.DONE)
    make_action_item(project, title="Not mine", owner=manager)
    assert [i.pk for i in my_action_items(user=member)] == [late.pk, soon.pk, later.pk, undated.pk]
    # A project the user left is not theirs to see any more.
    Membership.objects.filter(project=project, user=member).delete()
    assert my_action_items(user=member) == []


def test_the_dashboard_card_highlights_overdue(login, project, manager):
    make_action_item(project, title="Late", owner=manager, due_date=_today() - dt.timedelta(4))
    make_action_item(project, title="Soon", owner=manager, due_date=_today() + dt.timedelta(1))
    page = _text(login(manager).get("/"))
    card = page[page.index('id="my-action-items"') :]
    card = card[: card.index("</section>")]
    assert "My action items" in page
    assert card.index("Late") < card.index("Soon")
    assert '<li class="text-red"><span class="badge badge--red">Overdue</span>' in card
    assert "OWN" in card and f"/p/OWN/action-items/?owner={manager.pk}" in card


def test_the_dashboard_without_items_says_so(login, project, manager):
    assert "No open action items are yours." in _text(login(manager).get("/"))


@pytest.mark.parametrize("count", [2, 30])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    login, org, manager, count, django_assert_max_num_queries
):
    for number in range(1 + count // 10):
        project = make_project(org, manager, f"P{number}")
        for index in range(count):
            action_item_create(
                project=project,
                by=manager,
                title=f"Item {index}",
                owner=manager,
                due_date=_today() + dt.timedelta(days=index - 3),
            )
    http = login(manager)
    with django_assert_max_num_queries(14):
        assert http.get("/").status_code == 200
