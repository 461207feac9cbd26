import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from liaison.accounts.models import Client, User
from liaison.accounts.tests.factories import make_user
from liaison.collab.models import Notification
from liaison.home import selectors as home_selectors
from liaison.projects import selectors
from liaison.projects.models import Project
from liaison.projects.selectors import ProjectFilters
from liaison.projects.tests.factories import make_member, make_project

Status = Project.Status


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _codes(projects) -> list[str]:
    return [p.code for p in projects]


# -- ProjectFilters.from_query ---------------------------------------------------------


def test_project_filters_from_query_parses_every_field():
    query = QueryDict(
        "q=%20erp%20&status=active&status=on_hold&client=4&manager=7&archived=1&sort=-end"
    )
    filters = ProjectFilters.from_query(query)
    assert filters == ProjectFilters(
        q="erp", status=["active", "on_hold"], client=4, manager=7, archived=True, sort="-end"
    )
    assert filters.is_filtered


def test_project_filters_from_query_defaults_on_an_empty_query():
    filters = ProjectFilters.from_query(QueryDict(""))
    assert filters == ProjectFilters()
    assert filters.sort == "code"
    assert not filters.is_filtered


def test_project_filters_from_query_drops_bad_values():
    query = QueryDict("status=bogus&status=active&client=abc&manager=-1&archived=yes&sort=drop")
    filters = ProjectFilters.from_query(query)
    assert filters.status == ["active"]
    assert filters.client is None
    assert filters.manager is None
    assert filters.archived is False
    assert filters.sort == "code"


def test_project_filters_from_query_limits_the_search_length():
    assert len(ProjectFilters.from_query(QueryDict("q=" + "x" * 500)).q) == 100


# -- ProjectFilters.apply through project_list ---------------------------------------------


@pytest.fixture
def portfolio(org, owner, manager):
    """Four projects of the organization, seen by the owner (an org admin)."""
    acme = Client.objects.create(organization=org, name="Acme Corp")
    other = make_user("other-pm@test.example", org=org)
    projects = {
        "ALPHA": make_project(
            org,
            manager,
            "ALPHA",
            name="Website",
            client=acme,
            status=Status.ACTIVE,
            end_date=_days(30),
        ),
        "BETA": make_project(
            org, other, "BETA", name="ERP rollout", status=Status.ON_HOLD, end_date=_days(10)
        ),
        "GAMMA": make_project(
            org,
            manager,
            "GAMMA",
            name="Mobile app",
            client=acme,
            status=Status.PROPOSED,
        ),
        "DELTA": make_project(
            org,
            other,
            "DELTA",
            name="Old thing",
            status=Status.COMPLETED,
            archived_at=timezone.now(),
        ),
    }
    return projects


def _list(user, query: str = "") -> list[str]:
    filters = ProjectFilters.from_query(QueryDict(query))
    return _codes(selectors.project_list(user=user, filters=filters))


def test_project_list_hides_archived_unless_asked(owner, portfolio):
    assert _list(owner) == ["ALPHA", "BETA", "GAMMA"]
    assert _list(owner, "archived=1") == ["DELTA"]


def test_project_list_searches_code_name_and_client(owner, portfolio):
    assert _list(owner, "q=alp") == ["ALPHA"]
    assert _list(owner, "q=erp") == ["BETA"]
    assert _list(owner, "q=acme") == ["ALPHA", "GAMMA"]
    assert _list(owner, "q=nothing-like-it") == []


def test_project_list_filters_by_status_client_and_manager(owner, manager, portfolio):
    assert _list(owner, "status=active&status=proposed") == ["ALPHA", "GAMMA"]
    acme = portfolio["ALPHA"].client_id
    assert _list(owner, f"client={acme}") == ["ALPHA", "GAMMA"]
    assert _list(owner, f"manager={manager.pk}") == ["ALPHA", "GAMMA"]
    assert _list(owner, f"manager={manager.pk}&status=proposed") == ["GAMMA"]


def test_project_list_sorts(owner, portfolio):
    assert _list(owner, "sort=-code") == ["GAMMA", "BETA", "ALPHA"]
    assert _list(owner, "sort=name") == ["BETA", "GAMMA", "ALPHA"]
    ends = _list(owner, "sort=end")
    assert ends.index("BETA") < ends.index("ALPHA")
    Project.objects.filter(code="BETA").update(updated_at=timezone.now())
    assert _list(owner, "sort=-updated")[0] == "BETA"


def test_project_list_only_shows_visible_projects(manager, portfolio, foreign_project):
    # The manager is a member of ALPHA and GAMMA only; a staff member is no admin.
    assert _list(manager) == ["ALPHA", "GAMMA"]


def test_project_list_counts_members(owner, portfolio, org):
    alpha = portfolio["ALPHA"]
    for n in range(2):
        make_member(alpha, f"dev{n}@test.example", org=org)
    table = selectors.project_table(user=owner, filters=ProjectFilters())
    rows = {row["code"]: row["member_count"] for row in table}
    assert rows["ALPHA"] == 3
    assert rows["BETA"] == 1


def test_project_table_rows_print_what_the_projects_say(owner, portfolio, org):
    # One manager goes by address only; one open project is late, one done is too.
    Project.objects.filter(code="BETA").update(end_date=_days(-1))
    Project.objects.filter(code="GAMMA").update(status=Status.COMPLETED, end_date=_days(-5))
    User.objects.filter(email="other-pm@test.example").update(display_name="")
    filters = ProjectFilters()
    table = {row["code"]: row for row in selectors.project_table(user=owner, filters=filters)}
    for project in selectors.project_list(user=owner, filters=filters):
        row = table[project.code]
        assert row["client_name"] == project.client.name
        assert row["manager_name"] == str(project.manager)
        assert bool(row["is_overdue"]) is project.is_overdue
    assert table["BETA"]["manager_name"] == "other-pm@test.example"
    assert [code for code, row in table.items() if row["is_overdue"]] == ["BETA"]


def test_project_status_counts_ignore_the_status_filter(owner, portfolio):
    filters = ProjectFilters.from_query(QueryDict("status=active"))
    counts = selectors.project_status_counts(user=owner, filters=filters)
    assert counts == {"active": 1, "on_hold": 1, "proposed": 1}


def test_project_status_counts_follow_the_other_filters(owner, portfolio):
    acme = portfolio["ALPHA"].client_id
    filters = ProjectFilters.from_query(QueryDict(f"client={acme}"))
    assert selectors.project_status_counts(user=owner, filters=filters) == {
        "active": 1,
        "proposed": 1,
    }
    archived = ProjectFilters.from_query(QueryDict("archived=1"))
    assert selectors.project_status_counts(user=owner, filters=archived) == {"completed": 1}


def test_project_filter_choices_list_only_what_the_user_can_see(
    manager, portfolio, foreign_project
):
    choices = selectors.project_filter_choices(user=manager)
    assert [c["name"] for c in choices["clients"]] == ["Acme Corp"]
    assert [(m["pk"], m["name"]) for m in choices["managers"]] == [(manager.pk, str(manager))]


# -- the dashboard ------------------------------------------------------------------------


def test_my_projects_excludes_completed_cancelled_and_archived(org, manager):
    for code, status in [
        ("OPEN1", Status.ACTIVE),
        ("OPEN2", Status.PROPOSED),
        ("HOLD", Status.ON_HOLD),
        ("DONE", Status.COMPLETED),
        ("STOP", Status.CANCELLED),
    ]:
        make_project(org, manager, code, status=status)
    make_project(org, manager, "GONE", status=Status.ACTIVE, archived_at=timezone.now())
    assert sorted(_codes(home_selectors.my_projects(user=manager))) == ["HOLD", "OPEN1", "OPEN2"]


def test_my_projects_only_lists_projects_the_user_works_on(owner, member, project):
    # The owner can see every project but is a member of none.
    assert _codes(home_selectors.my_projects(user=owner)) == []
    assert _codes(home_selectors.my_projects(user=member)) == ["OWN"]


def test_my_projects_sorts_by_end_date(org, manager):
    make_project(org, manager, "LATE", status=Status.ACTIVE, end_date=_days(40))
    make_project(org, manager, "SOON", status=Status.ACTIVE, end_date=_days(4))
    assert _codes(home_selectors.my_projects(user=manager)) == ["SOON", "LATE"]


def test_needs_attention_buckets(org, manager):
    make_project(org, manager, "LATE", status=Status.ACTIVE, end_date=_days(-1))
    make_project(org, manager, "SOON", status=Status.ON_HOLD, end_date=_days(14))
    make_project(org, manager, "TODAY", status=Status.ACTIVE, end_date=_days(0))
    make_project(org, manager, "LATER", status=Status.ACTIVE, end_date=_days(15))
    make_project(org, manager, "IDLE", status=Status.PROPOSED, start_date=_days(-3))
    make_project(org, manager, "NEXT", status=Status.PROPOSED, start_date=_days(3))
    make_project(org, manager, "DONE", status=Status.COMPLETED, end_date=_days(-30))
    make_project(
        org, manager, "ARCH", status=Status.ACTIVE, end_date=_days(-5), archived_at=timezone.now()
    )
    attention = home_selectors.needs_attention(user=manager)
    assert _codes(attention.overdue) == ["LATE"]
    assert sorted(_codes(attention.ending_soon)) == ["SOON", "TODAY"]
    assert _codes(attention.not_started) == ["IDLE"]
    assert not attention.is_empty


def test_needs_attention_only_counts_projects_the_user_manages(manager, member, project):
    project.end_date = _days(-2)
    project.save()
    assert _codes(home_selectors.needs_attention(user=manager).overdue) == ["OWN"]
    assert home_selectors.needs_attention(user=member).overdue == []


def test_needs_attention_lists_unread_notifications(manager, member):
    Notification.objects.create(recipient=manager, event="x", text="unread")
    Notification.objects.create(recipient=manager, event="x", text="read", read_at=timezone.now())
    Notification.objects.create(recipient=member, event="x", text="someone else's")
    attention = home_selectors.needs_attention(user=manager)
    assert [n.text for n in attention.notifications] == ["unread"]
    assert not attention.is_empty


def test_needs_attention_is_empty_for_a_quiet_user(manager, project):
    assert home_selectors.needs_attention(user=manager).is_empty


# -- members --------------------------------------------------------------------------------


def test_project_members_and_counts(project, manager, member, observer, client_user):
    members = list(selectors.project_members(project=project))
    assert [m.user for m in members] == [client_user, manager, member, observer]
    assert selectors.project_member_counts(project=project) == {
        "manager": 1,
        "member": 1,
        "observer": 1,
        "client": 1,
    }


def test_query_with_status_keeps_every_other_filter():
    filters = ProjectFilters.from_query(
        QueryDict("q=erp&status=active&client=4&manager=7&archived=1&sort=name")
    )
    query = QueryDict(filters.query_with_status("on_hold", per_page=50))
    assert query.getlist("status") == ["on_hold"]
    assert query["q"] == "erp"
    assert (query["client"], query["manager"], query["archived"]) == ("4", "7", "1")
    assert (query["sort"], query["per_page"]) == ("name", "50")
    assert "status" not in QueryDict(filters.query_with_status(None))


def test_project_status_chips_count_and_mark_the_active_status(owner, portfolio):
    filters = ProjectFilters.from_query(QueryDict("status=active&q=acme"))
    chips = selectors.project_status_chips(user=owner, filters=filters, per_page=25)
    assert [chip["label"] for chip in chips] == [label for _, label in Status.choices]
    by_label = {str(chip["label"]): chip for chip in chips}
    counts = {label: chip["count"] for label, chip in by_label.items()}
    assert counts == {"Proposed": 1, "Active": 1, "On hold": 0, "Completed": 0, "Cancelled": 0}
    assert [label for label, chip in by_label.items() if chip["active"]] == ["Active"]
    proposed = QueryDict(by_label["Proposed"]["query"])
    assert (proposed["status"], proposed["q"], proposed["per_page"]) == ("proposed", "acme", "25")
