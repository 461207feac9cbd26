"""The calendar feed: a secret link, stored only as a digest, serving the user's
milestones and tasks as all-day iCalendar events."""

import datetime as dt
import hashlib
import itertools
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import TODAY
from liaison.accounts.services import calendar_feed_reset, calendar_feed_user
from liaison.core.models import Activity
from liaison.home import feed as feed_selectors
from liaison.planning.services.milestones import milestone_create
from liaison.planning.services.tasks import task_create
from liaison.projects.models import Membership
from liaison.projects.tests.factories import make_project

# Ahead of the pinned day, so inside the feed's window whatever day that is.
DUE = TODAY + dt.timedelta(days=75)
STARTS = TODAY + dt.timedelta(days=47)
ENDS = STARTS + dt.timedelta(days=4)


def _url(secret: str) -> str:
    return reverse("home:calendar-feed", args=[secret])


def _events(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def plan(project, manager, member):
    """M-1 visible to the client, M-2 internal; T-1 the member's, dated; T-2 the
    member's but done; T-3 the manager's; T-4 the member's without dates."""
    m1 = milestone_create(project=project, by=manager, name="Pilot", due_date=DUE)
    m2 = milestone_create(
        project=project, by=manager, name="Internal review", due_date=DUE, client_visible=False
    )
    dated = {"start_date": STARTS, "due_date": ENDS}
    t1 = task_create(
        project=project,
        by=manager,
        title="Design",
        assignee=member,
        description="Wireframes first.",
        **dated,
    )
    task_create(project=project, by=manager, title="Old", assignee=member, status="done", **dated)
    task_create(project=project, by=manager, title="Theirs", assignee=manager, **dated)
    task_create(project=project, by=manager, title="Someday", assignee=member)
    return {"m1": m1, "m2": m2, "t1": t1}


# -- the link --------------------------------------------------------------------------------


def test_reset_stores_only_a_digest_and_replaces_the_old_link(member):
    first = calendar_feed_reset(by=member)
    member.refresh_from_db()
    assert member.calendar_digest == hashlib.sha256(first.encode()).hexdigest()
    assert first not in member.calendar_digest
    assert calendar_feed_user(secret=first) == member
    second = calendar_feed_reset(by=member)
    assert second != first
    assert calendar_feed_user(secret=first) is None
    assert calendar_feed_user(secret=second) == member
    assert calendar_feed_user(secret="") is None
    assert Activity.objects.filter(actor=member, target_id=member.pk).count() == 2


def test_settings_show_the_link_once(login, member, settings):
    settings.SITE_URL = "https://liaison.example"
    http = login(member)
    page = http.get(reverse("accounts:settings")).content.decode()
    assert "Create link" in page
    response = http.post(reverse("accounts:calendar-feed"))
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<code id="calendar-feed-url">([^<]+)</code>', html)
    assert found is not None
    url = found[1]
    assert url.startswith("https://liaison.example/calendar/") and url.endswith(".ics")
    secret = url.removeprefix("https://liaison.example/calendar/").removesuffix(".ics")
    assert calendar_feed_user(secret=secret) == member
    again = http.get(reverse("accounts:settings")).content.decode()
    assert secret not in again
    assert "Replace link" in again


def test_the_link_needs_a_signed_in_user_and_a_post(client, login, member):
    response = client.post(reverse("accounts:calendar-feed"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert login(member).get(reverse("accounts:calendar-feed")).status_code == 405
    member.refresh_from_db()
    assert member.calendar_digest == ""


def test_unknown_and_deactivated_links_are_404(client, member, plan):
    secret = calendar_feed_reset(by=member)
    assert client.get(_url("not-a-secret")).status_code == 404
    assert client.get("/calendar/.ics").status_code == 404
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(_url(secret)).status_code == 404


# -- what the feed holds ---------------------------------------------------------------------


def test_staff_feed_has_milestones_and_own_open_tasks(client, member, plan, foreign_project):
    milestone_create(
        project=foreign_project, by=foreign_project.manager, name="Not ours", due_date=DUE
    )
    response = client.get(_url(calendar_feed_reset(by=member)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    events = _events(response)
    m1, m2, t1 = plan["m1"], plan["m2"], plan["t1"]
    assert set(events) == {
        f"milestone-{m1.pk}@127.0.0.1",
        f"milestone-{m2.pk}@127.0.0.1",
        f"task-{t1.pk}@127.0.0.1",
    }
    task = events[f"task-{t1.pk}@127.0.0.1"]
    assert str(task["summary"]) == "OWN T-1 Design"
    assert task["dtstart"].dt == STARTS
    assert task["dtend"].dt == ENDS + dt.timedelta(days=1)  # exclusive: the day after the due date
    assert str(task["url"]) == settings.SITE_URL + "/p/OWN/tasks/T-1/"
    assert "Wireframes first." in str(task["description"])
    milestone = events[f"milestone-{m1.pk}@127.0.0.1"]
    assert str(milestone["summary"]) == "OWN M-1 Pilot"
    assert (milestone["dtstart"].dt, milestone["dtend"].dt) == (DUE, DUE + dt.timedelta(days=1))
    assert str(milestone["url"]).endswith("/p/OWN/milestones/M-1/")
    assert b"DTSTART;VALUE=DATE:" + STARTS.strftime("%Y%m%d").encode() in response.content


def test_uids_are_stable_across_requests(client, member, plan):
    url = _url(calendar_feed_reset(by=member))
    assert set(_events(client.get(url))) == set(_events(client.get(url)))


def test_uids_carry_the_sites_host(client, member, plan, settings):
    """Two Liaison sites in one calendar app: equal row ids must not collide."""
    settings.SITE_URL = "https://pm.acme.test"
    events = _events(client.get(_url(calendar_feed_reset(by=member))))
    assert set(events) == {
        f"milestone-{plan['m1'].pk}@pm.acme.test",
        f"milestone-{plan['m2'].pk}@pm.acme.test",
        f"task-{plan['t1'].pk}@pm.acme.test",
    }


def test_client_feed_has_only_visible_milestones_linked_to_the_portal(client, client_user, plan):
    response = client.get(_url(calendar_feed_reset(by=client_user)))
    events = _events(response)
    assert list(events) == [f"milestone-{plan['m1'].pk}@127.0.0.1"]
    assert str(events[f"milestone-{plan['m1'].pk}@127.0.0.1"]["url"]) == (
        settings.SITE_URL + reverse("portal:milestone", args=["OWN", "M-1"])
    )


def test_chinese_titles_survive(client, member, project, manager):
    title = "数据迁移与验收测试：仓库管理系统第二阶段的全部接口联调和用户培训"
    task = task_create(
        project=project,
        by=manager,
        title=title,
        assignee=member,
        start_date=STARTS,
        due_date=ENDS,
    )
    response = client.get(_url(calendar_feed_reset(by=member)))
    assert str(_events(response)[f"task-{task.pk}@127.0.0.1"]["summary"]) == f"OWN T-1 {title}"
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75  # folded by octets, never inside a character
        line.decode("utf-8")


def test_old_and_archived_work_is_left_out(client, member, org, manager, project):
    today = timezone.localdate()
    task_create(
        project=project,
        by=manager,
        title="Long ago",
        assignee=member,
        start_date=today - dt.timedelta(days=100),
        due_date=today - dt.timedelta(days=90),
    )
    recent = task_create(
        project=project,
        by=manager,
        title="Last month",
        assignee=member,
        start_date=today - dt.timedelta(days=30),
        due_date=today - dt.timedelta(days=29),
    )
    shelved = make_project(org, manager, "OLD", archived_at=timezone.now())
    Membership.objects.create(project=shelved, user=member, role=Membership.Role.MEMBER)
    milestone_create(project=shelved, by=manager, name="Archived", due_date=DUE)
    events = _events(client.get(_url(calendar_feed_reset(by=member))))
    assert list(events) == [f"task-{recent.pk}@127.0.0.1"]


def test_the_feed_is_bounded(client, member, manager, project, monkeypatch):
    monkeypatch.setattr(feed_selectors, "MAX_EVENTS", 3)
    for number in range(2):
        milestone_create(project=project, by=manager, name=f"M{number}", due_date=DUE)
    for number in range(3):
        task_create(
            project=project,
            by=manager,
            title=f"T{number}",
            assignee=member,
            due_date=DUE + dt.timedelta(days=number),
        )
    events = _events(client.get(_url(calendar_feed_reset(by=member))))
    assert len(events) == 3
    assert sum(uid.startswith("task-") for uid in events) == 1  # the earliest due
    earliest = project.tasks.get(key="T-1")
    assert f"task-{earliest.pk}@127.0.0.1" in events


def test_the_feed_speaks_the_users_language(client, member, plan):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    response = client.get(_url(calendar_feed_reset(by=member)))
    assert response.status_code == 200
    # The translations come later; whatever the catalogue holds, the feed is valid.
    assert Calendar.from_ical(response.content).walk("VEVENT")


# -- queries ---------------------------------------------------------------------------------

_serial = itertools.count(1)


def _grow(project, member, n: int) -> None:
    by = project.manager
    for _ in range(n):
        number = next(_serial)
        milestone_create(project=project, by=by, name=f"M{number}", due_date=DUE)
        task_create(
            project=project,
            by=by,
            title=f"T{number}",
            assignee=member,
            start_date=DUE,
            due_date=DUE + dt.timedelta(days=number % 5),
        )


def test_feed_queries_are_constant(client, member, project, django_assert_max_num_queries):
    url = _url(calendar_feed_reset(by=member))
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        return len(context.captured_queries)

    _grow(project, member, 2)
    small = count()
    _grow(project, member, 12)
    with django_assert_max_num_queries(6):
        large = count()
    assert small == large, f"{small} queries with few events, {large} with more"
