import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liaison.collab.models import Comment, Notification
from liaison.collab.selectors import (
    comment_thread,
    comments_for,
    notifications_for,
    unread_notification_count,
)
from liaison.collab.services import comment_create, notifications_mark_read
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.projects.access import CLIENT, TEAM


def _comment(project, by, body="Looks good", client_visible=False):
    return comment_create(
        target=project, project=project, by=by, body=body, client_visible=client_visible
    )


def test_comment_create_keeps_a_team_comment_internal(project, member):
    comment = _comment(project, member, body="  internal note  ")
    assert comment.body == "internal note"
    assert comment.client_visible is False
    assert comment.author == member
    assert comment.target == project


def test_comment_create_lets_the_team_share_with_the_client(project, member):
    assert _comment(project, member, client_visible=True).client_visible is True


def test_comment_create_forces_a_clients_comment_visible(project, client_user):
    comment = _comment(project, client_user, client_visible=False)
    assert comment.client_visible is True


@pytest.mark.parametrize("body", ["", "   ", "\n\t"])
def test_comment_create_refuses_an_empty_body(project, member, body):
    with pytest.raises(InvalidInput) as caught:
        _comment(project, member, body=body)
    assert caught.value.field == "body"
    assert Comment.objects.count() == 0
    assert Activity.objects.filter(verb="commented").count() == 0


def test_comment_create_writes_an_activity_row(project, member):
    _comment(project, member, client_visible=True)
    activity = Activity.objects.get(verb="commented")
    assert activity.actor == member
    assert activity.project == project
    assert activity.target == project
    assert activity.client_visible is True


def test_comment_create_internal_activity_is_hidden_from_the_client(project, member):
    _comment(project, member, client_visible=False)
    assert Activity.objects.get(verb="commented").client_visible is False


def test_comment_create_notifies_the_manager(project, member, manager):
    _comment(project, member)
    notification = Notification.objects.get(recipient=manager)
    assert notification.event == "comment"
    assert str(member) in notification.text
    assert notification.actor == member


def test_comment_create_does_not_notify_the_manager_of_their_own_comment(project, manager):
    _comment(project, manager)
    assert Notification.objects.count() == 0


def test_comment_create_refuses_an_observer(project, observer):
    with pytest.raises(PermissionDenied):
        _comment(project, observer)
    assert Comment.objects.count() == 0


def test_comment_create_refuses_someone_outside_the_project(project, outsider):
    with pytest.raises(Http404):
        _comment(project, outsider)


def test_comments_for_the_client_hides_internal_and_deleted_comments(project, member):
    internal = _comment(project, member, body="internal")
    shared = _comment(project, member, body="shared", client_visible=True)
    deleted = _comment(project, member, body="deleted", client_visible=True)
    Comment.objects.filter(pk=deleted.pk).update(deleted_at=deleted.created_at)
    assert list(comments_for(target=project, audience=CLIENT)) == [shared]
    assert list(comments_for(target=project, audience=TEAM)) == [internal, shared]


def test_comments_for_only_returns_the_targets_comments(project, foreign_project, member):
    _comment(project, member)
    assert list(comments_for(target=foreign_project, audience=TEAM)) == []


def _notify_all(project, manager, member):
    """Three notifications for the manager and one for the member."""
    for author in (member, member, member):
        _comment(project, author)
    _comment(project, manager)  # the manager is the actor: not told
    Notification.objects.create(recipient=member, event="x", text="for the member")
    return list(Notification.objects.filter(recipient=manager))


def test_notifications_mark_read_marks_the_given_rows(project, manager, member):
    mine = _notify_all(project, manager, member)
    assert notifications_mark_read(by=manager, ids=[mine[0].pk]) == 1
    assert unread_notification_count(user=manager) == 2
    mine[0].refresh_from_db()
    assert not mine[0].is_unread


def test_notifications_mark_read_all_when_no_ids(project, manager, member):
    _notify_all(project, manager, member)
    assert notifications_mark_read(by=manager) == 3
    assert unread_notification_count(user=manager) == 0
    assert unread_notification_count(user=member) == 1


def test_notifications_mark_read_ignores_other_peoples_rows(project, manager, member):
    _notify_all(project, manager, member)
    others = list(Notification.objects.filter(recipient=member).values_list("pk", flat=True))
    assert notifications_mark_read(by=manager, ids=others) == 0
    assert unread_notification_count(user=member) == 1
    assert unread_notification_count(user=manager) == 3


def test_notifications_for_lists_only_the_users_rows(project, manager, member):
    _notify_all(project, manager, member)
    assert {n.recipient_id for n in notifications_for(user=manager)} == {manager.pk}
    assert notifications_for(user=manager).count() == 3


def test_comment_thread_shows_the_latest_and_counts_the_rest(project, manager):
    for n in range(5):
        comment_create(
            target=project, project=project, by=manager, body=f"note {n}", client_visible=False
        )
    thread = comment_thread(target=project, audience=TEAM, latest=3)
    assert [c.body for c in thread.comments] == ["note 2", "note 3", "note 4"]
    assert (thread.total, thread.hidden) == (5, 2)
    everything = comment_thread(target=project, audience=TEAM, latest=None)
    assert len(everything.comments) == everything.total == 5
    assert everything.hidden == 0


def test_comment_on_another_projects_object_is_refused(project, manager, foreign_project):
    with pytest.raises(InvalidInput):
        comment_create(
            target=foreign_project, project=project, by=manager, body="Hi", client_visible=False
        )
    assert not Comment.objects.exists()
