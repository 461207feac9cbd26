import datetime

import pytest
from django.utils import timezone

from liaison.accounts.models import Client, User
from liaison.collab.models import Comment, Notification
from liaison.collab.services import comment_create
from liaison.core.models import Activity
from liaison.projects import services
from liaison.projects.models import Membership, Project
from liaison.projects.tests.factories import make_project


def _text(response) -> str:
    return response.content.decode()


def _edit_form(project: Project, **overrides) -> dict:
    data = {
        "name": project.name,
        "client": project.client_id,
        "manager": project.manager_id,
        "start_date": project.start_date or "",
        "end_date": project.end_date or "",
        "status": project.status,
        "currency": project.currency,
        "description": project.description,
        "version": project.version,
    }
    return {**data, **overrides}


def _create_form(project: Project, code: str = "NEWP", **overrides) -> dict:
    data = _edit_form(project, name="New project")
    del data["version"]
    return {**data, "code": code, **overrides}


def _membership(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


INTERNAL_PAGES = [
    "/",
    "/projects/",
    "/projects/new/",
    "/p/OWN/",
    "/p/OWN/edit/",
    "/p/OWN/members/",
    "/p/OWN/activity/",
]
PROJECT_PAGES = ["/p/OWN/", "/p/OWN/edit/", "/p/OWN/members/", "/p/OWN/activity/"]
PROJECT_POSTS = [
    "/p/OWN/edit/",
    "/p/OWN/archive/",
    "/p/OWN/restore/",
    "/p/OWN/members/",
    "/p/OWN/comments/",
]


# -- the manager's work ------------------------------------------------------------------


def test_manager_creates_a_project(login, manager, project, org):
    client = login(manager)
    assert client.get("/projects/new/").status_code == 200
    response = client.post("/projects/new/", _create_form(project, code="new-p"))
    assert response.status_code == 302
    assert response["Location"] == "/p/NEW-P/"
    created = Project.objects.get(code="NEW-P")
    assert (created.organization, created.manager, created.name) == (org, manager, "New project")
    assert "Project NEW-P created." in _text(client.get(response["Location"]))


def test_manager_edits_a_project(login, manager, project):
    client = login(manager)
    assert client.get("/p/OWN/edit/").status_code == 200
    response = client.post("/p/OWN/edit/", _edit_form(project, name="Renamed"))
    assert response.status_code == 302
    assert response["Location"] == "/p/OWN/"
    project.refresh_from_db()
    assert (project.name, project.version) == ("Renamed", 2)


def test_manager_archives_and_restores(login, manager, project):
    client = login(manager)
    # Found by the form fuzz: the settings page never offered to archive.
    assert 'action="/p/OWN/archive/"' in _text(client.get("/p/OWN/edit/"))
    assert client.post("/p/OWN/archive/")["Location"] == "/p/OWN/"
    project.refresh_from_db()
    assert project.is_archived
    # The archived project is still reachable for the team, and can come back.
    assert "Archived" in _text(client.get("/p/OWN/"))
    assert 'action="/p/OWN/restore/"' in _text(client.get("/p/OWN/edit/"))
    assert client.post("/p/OWN/restore/").status_code == 302
    project.refresh_from_db()
    assert not project.is_archived


def test_archive_is_post_only(login, manager, project):
    assert login(manager).get("/p/OWN/archive/").status_code == 405
    project.refresh_from_db()
    assert not project.is_archived


def test_manager_invites_someone(login, manager, project, django_capture_on_commit_callbacks):
    client = login(manager)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/p/OWN/members/",
            {
                "email": "dev@test.example",
                "display_name": "Dev",
                "role": "member",
                "confirm": "dev@test.example",
            },
        )
    assert response.status_code == 302
    assert _membership(project, User.objects.get(email="dev@test.example")).role == "member"
    assert len(callbacks) == 1  # the invitation e-mail, queued after commit
    assert "dev@test.example is invited as Member." in _text(client.get("/p/OWN/members/"))


def test_invite_of_an_existing_member_shows_the_error_beside_the_field(login, manager, member):
    response = login(manager).post(
        "/p/OWN/members/", {"email": member.email, "display_name": "", "role": "observer"}
    )
    assert response.status_code == 400
    text = _text(response)
    assert f"{member.email} is already a member of this project." in text
    assert 'id="id_email_error"' in text


def test_invite_of_a_deactivated_person_shows_the_error(login, manager, deactivated, org):
    make_project(org, manager, "SECOND")
    response = login(manager).post(
        "/p/SECOND/members/", {"email": deactivated.email, "display_name": "", "role": "member"}
    )
    assert response.status_code == 400
    assert "is deactivated" in _text(response)
    assert not Membership.objects.filter(project__code="SECOND", user=deactivated).exists()


def test_manager_changes_a_role(login, manager, member, project):
    membership = _membership(project, member)
    response = login(manager).post(
        f"/p/OWN/members/{membership.pk}/role/", {"role": "observer", "version": 1}
    )
    assert response["Location"] == "/p/OWN/members/"
    assert _membership(project, member).role == "observer"


def test_role_change_with_a_stale_version_is_refused(login, manager, member, project):
    membership = _membership(project, member)
    client = login(manager)
    client.post(f"/p/OWN/members/{membership.pk}/role/", {"role": "observer", "version": 1})
    client.post(f"/p/OWN/members/{membership.pk}/role/", {"role": "member", "version": 1})
    assert _membership(project, member).role == "observer"
    assert f"{manager} set role to “Observer”" in _text(client.get("/p/OWN/members/"))


def test_manager_removes_a_member(login, manager, member, project):
    membership = _membership(project, member)
    client = login(manager)
    assert client.post(f"/p/OWN/members/{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # The removed person no longer sees the project.
    assert login(member).get("/p/OWN/").status_code == 404


def test_the_project_manager_cannot_be_removed_from_the_page(login, owner, manager, project):
    membership = _membership(project, manager)
    client = login(owner)
    client.post(f"/p/OWN/members/{membership.pk}/remove/")
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "is the project&#x27;s manager" in _text(client.get("/p/OWN/members/"))


def test_member_of_another_project_cannot_be_touched_from_this_one(login, manager, project, org):
    other = make_project(org, manager, "OTHER")
    membership = _membership(other, manager)
    client = login(manager)
    assert client.post(f"/p/OWN/members/{membership.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# -- what lower roles may not do ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "observer"])
def test_lower_roles_get_403_on_manage_actions(login, project, role, request):
    user = request.getfixturevalue(role)
    client = login(user)
    assert client.get("/p/OWN/edit/").status_code == 403
    assert client.post("/p/OWN/edit/", _edit_form(project, name="Hacked")).status_code == 403
    assert client.post("/p/OWN/archive/").status_code == 403
    invite = {"email": "x@test.example", "display_name": "", "role": "member"}
    assert client.post("/p/OWN/members/", invite).status_code == 403
    membership = _membership(project, project.manager)
    assert (
        client.post(f"/p/OWN/members/{membership.pk}/role/", {"role": "member", "version": 1})
    ).status_code == 403
    assert client.post(f"/p/OWN/members/{membership.pk}/remove/").status_code == 403
    project.refresh_from_db()
    assert (project.name, project.is_archived) == ("Project OWN", False)
    assert not User.objects.filter(email="x@test.example").exists()


@pytest.mark.parametrize("role", ["member", "observer"])
def test_lower_roles_read_the_project(login, project, role, request):
    client = login(request.getfixturevalue(role))
    for url in ["/p/OWN/", "/p/OWN/members/", "/p/OWN/activity/"]:
        assert client.get(url).status_code == 200
    assert 'href="/p/OWN/edit/"' not in _text(client.get("/p/OWN/"))


def test_client_user_gets_404_on_every_internal_page(login, client_user, project):
    client = login(client_user)
    for url in INTERNAL_PAGES:
        response = client.get(url)
        # The dashboard sends a client home to the portal; everything else is 404.
        expected = 302 if url == "/" else 404
        assert response.status_code == expected, url
    for url in PROJECT_POSTS:
        assert client.post(url, {"body": "hi"}).status_code == 404, url
    assert Comment.objects.count() == 0


def test_dashboard_sends_a_client_user_to_the_portal(login, client_user):
    assert login(client_user).get("/")["Location"] == "/portal/"


def test_outsider_gets_404_on_the_project(login, outsider, project):
    client = login(outsider)
    for url in PROJECT_PAGES:
        assert client.get(url).status_code == 404, url
    for url in PROJECT_POSTS:
        assert client.post(url, {"body": "hi"}).status_code == 404, url
    assert "OWN" not in _text(client.get("/projects/"))


def test_foreign_project_is_404_for_its_non_members(login, owner, foreign_project):
    assert login(owner).get("/p/FOREIGN/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, project):
    response = client.get("/p/OWN/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/p/OWN/"


# -- bad input --------------------------------------------------------------------------------


def test_create_with_a_duplicate_code_shows_the_error_beside_the_field(login, manager, project):
    count = Project.objects.count()
    response = login(manager).post("/projects/new/", _create_form(project, code="OWN"))
    assert response.status_code == 200
    text = _text(response)
    assert "The code OWN is taken by another project." in text
    assert 'id="id_code_error"' in text
    assert Project.objects.count() == count


def test_create_with_end_before_start_shows_the_error_beside_the_field(login, manager, project):
    form = _create_form(project, start_date="2026-05-02", end_date="2026-05-01")
    response = login(manager).post("/projects/new/", form)
    assert response.status_code == 200
    text = _text(response)
    assert "The end date cannot be before the start date." in text
    assert 'id="id_end_date_error"' in text
    assert not Project.objects.filter(code="NEWP").exists()


def test_create_with_a_foreign_client_is_refused(login, manager, project, foreign_project):
    form = _create_form(project, client=foreign_project.client_id)
    response = login(manager).post("/projects/new/", form)
    assert response.status_code == 200
    assert 'id="id_client_error"' in _text(response)
    assert not Project.objects.filter(code="NEWP").exists()


def test_stale_edit_shows_the_conflict_and_keeps_the_other_save(login, manager, project):
    form = _edit_form(project, name="My change")
    services.project_update(project=project, by=manager, version=1, name="Their change")
    response = login(manager).post("/p/OWN/edit/", form)
    assert response.status_code == 200
    text = _text(response)
    assert "Someone else saved this while you were editing" in text
    assert f"{manager} set name to “Their change”" in text
    assert 'name="version" value="2"' in text
    project.refresh_from_db()
    assert project.name == "Their change"


# -- the project list --------------------------------------------------------------------------


@pytest.fixture
def listed(org, manager, project):
    acme = Client.objects.create(organization=org, name="Acme Corp")
    make_project(org, manager, "ACME", name="Website", client=acme, status="proposed")
    make_project(org, manager, "OLD", status="completed", archived_at=timezone.now())


def test_project_list_filters(login, manager, listed):
    client = login(manager)
    text = _text(client.get("/projects/"))
    assert "/p/OWN/" in text and "/p/ACME/" in text and "/p/OLD/" not in text
    text = _text(client.get("/projects/?q=acme"))
    assert "/p/ACME/" in text and "/p/OWN/" not in text
    text = _text(client.get("/projects/?status=active"))
    assert "/p/OWN/" in text and "/p/ACME/" not in text
    text = _text(client.get("/projects/?archived=1"))
    assert "/p/OLD/" in text and "/p/OWN/" not in text
    assert "No project matches these filters" in _text(client.get("/projects/?q=zzz"))


def test_project_list_htmx_request_gets_the_partial(login, manager, listed):
    response = login(manager).get("/projects/?q=acme", headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = _text(response)
    assert 'id="results"' in text
    assert "<html" not in text
    assert "/p/ACME/" in text and "/p/OWN/" not in text


def test_project_list_full_page_without_htmx(login, manager, listed):
    text = _text(login(manager).get("/projects/?q=acme"))
    assert "<html" in text
    assert 'id="results"' in text


def test_activity_htmx_request_gets_the_partial(login, manager, project):
    services.project_update(project=project, by=manager, version=1, name="Renamed")
    response = login(manager).get("/p/OWN/activity/", headers={"HX-Request": "true"})
    text = _text(response)
    assert 'id="results"' in text
    assert "<html" not in text


def test_dashboard_lists_my_projects_and_attention(login, manager, project):
    project.end_date = timezone.localdate() - datetime.timedelta(days=1)
    project.save()
    text = _text(login(manager).get("/"))
    assert "/p/OWN/" in text
    assert "Overdue" in text


# -- comments ----------------------------------------------------------------------------------


def test_member_posts_an_internal_comment(login, member, project, manager):
    response = login(member).post("/p/OWN/comments/", {"body": "Internal **note**"})
    assert response["Location"] == "/p/OWN/"
    comment = Comment.objects.get()
    assert (comment.author, comment.client_visible) == (member, False)
    assert Notification.objects.filter(recipient=manager, event="comment").exists()
    assert "<strong>note</strong>" in _text(login(member).get("/p/OWN/"))


def test_member_posts_a_client_visible_comment(login, member, project):
    login(member).post("/p/OWN/comments/", {"body": "For the client", "client_visible": "on"})
    assert Comment.objects.get().client_visible is True


def test_empty_comment_is_refused(login, member, project):
    client = login(member)
    client.post("/p/OWN/comments/", {"body": "   "})
    assert Comment.objects.count() == 0
    assert "Write something before posting." in _text(client.get("/p/OWN/"))


def test_observer_cannot_comment(login, observer, project):
    assert login(observer).post("/p/OWN/comments/", {"body": "hi"}).status_code == 403
    assert Comment.objects.count() == 0


# -- the portal --------------------------------------------------------------------------------


@pytest.fixture
def discussion(project, member):
    internal = comment_create(
        target=project, project=project, by=member, body="Internal margin", client_visible=False
    )
    shared = comment_create(
        target=project, project=project, by=member, body="Shared update", client_visible=True
    )
    return internal, shared


def test_portal_shows_only_client_visible_comments(login, client_user, discussion):
    response = login(client_user).get("/portal/p/OWN/")
    assert response.status_code == 200
    text = _text(response)
    assert "Shared update" in text
    assert "Internal margin" not in text


def test_team_sees_every_comment(login, member, discussion):
    text = _text(login(member).get("/p/OWN/"))
    assert "Shared update" in text and "Internal margin" in text


def test_portal_lists_only_the_clients_projects(
    login, client_user, project, org, manager, foreign_project
):
    make_project(org, manager, "NOTMINE")
    text = _text(login(client_user).get("/portal/"))
    assert "/portal/p/OWN/" in text
    assert "NOTMINE" not in text and "FOREIGN" not in text
    assert login(client_user).get("/portal/p/NOTMINE/").status_code == 404


def test_portal_keeps_an_archived_project_readable(login, client_user, project, manager):
    services.project_archive(project=project, by=manager)
    client = login(client_user)
    assert client.get("/portal/p/OWN/").status_code == 200
    assert "/portal/p/OWN/" in _text(client.get("/portal/"))  # under "Closed projects"
    assert client.post("/portal/p/OWN/comments/", {"body": "Hi"}).status_code == 403


def test_portal_comment_is_client_visible(login, client_user, project, manager):
    response = login(client_user).post("/portal/p/OWN/comments/", {"body": "Question"})
    assert response["Location"] == "/portal/p/OWN/"
    comment = Comment.objects.get()
    assert (comment.author, comment.client_visible) == (client_user, True)
    assert Notification.objects.filter(recipient=manager).exists()


@pytest.mark.parametrize("role", ["manager", "member", "outsider"])
def test_portal_is_404_for_staff(login, project, role, request):
    client = login(request.getfixturevalue(role))
    assert client.get("/portal/").status_code == 404
    assert client.get("/portal/p/OWN/").status_code == 404


# -- notifications -------------------------------------------------------------------------------


def _note(user, text, url=""):
    return Notification.objects.create(recipient=user, event="x", text=text, url=url)


def test_notifications_page_lists_my_notifications(login, manager, member):
    _note(manager, "For the manager")
    _note(member, "For the member")
    text = _text(login(manager).get("/notifications/"))
    assert "For the manager" in text
    assert "For the member" not in text


def test_notification_read_marks_one_and_follows_its_link(login, manager):
    first = _note(manager, "First", url="/p/OWN/")
    second = _note(manager, "Second")
    response = login(manager).post("/notifications/read/", {"id": str(first.pk), "next": first.url})
    assert response["Location"] == "/p/OWN/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_unread, second.is_unread) == (False, True)


def test_notification_read_all(login, manager):
    _note(manager, "First")
    _note(manager, "Second")
    response = login(manager).post("/notifications/read/")
    assert response["Location"] == "/notifications/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_notification_read_cannot_touch_someone_elses(login, manager, member):
    theirs = _note(member, "Theirs")
    login(manager).post("/notifications/read/", {"id": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.is_unread


def test_notification_read_ignores_a_foreign_next(login, manager):
    note = _note(manager, "First")
    response = login(manager).post(
        "/notifications/read/", {"id": str(note.pk), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/notifications/"


def test_client_notifications_use_the_portal_layout(login, client_user):
    _note(client_user, "Your turn")
    text = _text(login(client_user).get("/notifications/"))
    assert "Your turn" in text
    assert 'class="portal"' in text


def test_activity_page_shows_field_changes(login, manager, project):
    services.project_update(project=project, by=manager, version=1, name="Renamed")
    text = _text(login(manager).get("/p/OWN/activity/"))
    assert "Renamed" in text
    assert Activity.objects.filter(verb="updated").exists()


def test_notification_read_with_a_malformed_id_marks_nothing(login, manager):
    note = _note(manager, "First")
    login(manager).post("/notifications/read/", {"id": "abc"})
    note.refresh_from_db()
    assert note.is_unread


def test_overview_shows_the_latest_comments_and_offers_the_rest(login, manager, project):
    for n in range(32):
        comment_create(
            target=project, project=project, by=manager, body=f"note-{n:02d}", client_visible=False
        )
    client = login(manager)
    page = _text(client.get("/p/OWN/"))
    assert "note-31" in page and "note-02" in page and "note-01" not in page
    assert "Show 2 earlier comments" in page
    everything = _text(client.get("/p/OWN/?comments=all"))
    assert "note-00" in everything and "earlier comment" not in everything


def test_overview_shows_the_changes_to_handle_and_the_latest_report(login, manager, project):
    from liaison.changes.tests.factories import make_change, sent_change
    from liaison.reports.tests.factories import make_report

    client = login(manager)
    empty = _text(client.get("/p/OWN/"))
    assert "No open change request." in empty and "No status report yet." in empty
    make_change(project, manager, title="Dark mode")
    sent_change(project, manager, title="Labels")
    make_report(project, manager, status="published", title="Week 47")
    page = _text(client.get("/p/OWN/"))
    assert "1 change request to assess" in page and "1 awaiting the client" in page
    assert "RPT-1</span> Week 47" in page
