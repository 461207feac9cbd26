"""The Gantt chart: the SVG renderer (plain Python), its selector (WBS order,
summaries, collapse, audience, filters, slack, baseline), the pages per role, the
bar panel, the client's timeline, and fixed query counts."""

import datetime as dt
import itertools
import re
import xml.dom.minidom

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from liaison.planning.gantt import LABEL_W, render_gantt
from liaison.planning.models import Dependency, Task
from liaison.planning.scheduling import WorkCalendar
from liaison.planning.selectors.gantt import (
    GanttData,
    GanttFilters,
    GanttLink,
    GanttMilestone,
    GanttRow,
    gantt_data,
)
from liaison.planning.services.milestones import milestone_create, milestone_submit
from liaison.planning.services.plan import dependency_create, plan_baseline_create
from liaison.planning.services.tasks import task_update
from liaison.planning.tests.factories import make_task
from liaison.projects.access import CLIENT, TEAM
from liaison.projects.tests.factories import make_teammates

MONDAY = dt.date(2027, 1, 4)
_serial = itertools.count()


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


# -- the renderer ------------------------------------------------------------------------


def row(key: str, start: dt.date, due: dt.date, **fields) -> GanttRow:
    values = {
        "task_id": int(key.split("-")[1]),
        "key": key,
        "title": f"Task {key}",
        "depth": 0,
        "has_children": False,
        "collapsed": False,
        "start": start,
        "due": due,
        "progress": 0,
        "status": "todo",
        "assignee_name": "",
        "critical": False,
        "slack": None,
        "baseline_start": None,
        "baseline_due": None,
        "is_summary": False,
        "client_visible": False,
        "milestone_key": "",
    }
    values.update(fields)
    return GanttRow(**values)


def chart(rows, links=(), milestones=(), *, calendar=None, today=None) -> GanttData:
    days = [r.start for r in rows] + [r.due for r in rows] + [m.due for m in milestones]
    return GanttData(
        rows=list(rows),
        links=list(links),
        milestones=list(milestones),
        start=min(days),
        end=max(days),
        today=today or day(2),
        calendar=calendar or WorkCalendar(),
        undated_count=0,
    )


def parse(svg: str):
    return xml.dom.minidom.parseString(svg.encode())


def test_render_escapes_titles_and_stays_valid_xml():
    data = chart([row("T-1", day(0), day(4), title='<script>alert("x")</script> & co\x0b')])
    svg = render_gantt(data, scale="week")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    document = parse(svg)  # the control character is gone too: it would not parse
    root = document.documentElement
    assert root.getAttribute("role") == "img"
    assert "1 tasks" in root.getAttribute("aria-label")


def test_render_shows_chinese_titles_with_a_cjk_font_stack():
    svg = render_gantt(chart([row("T-1", day(0), day(4), title="需求评审 设计")]), scale="week")
    assert "需求评审 设计" in svg
    assert "PingFang SC" in svg and "Microsoft YaHei" in svg and "Noto Sans CJK SC" in svg
    parse(svg)


def test_render_bar_title_says_key_dates_and_progress():
    data = chart([row("T-7", day(0), day(4), progress=40, slack=3, assignee_name="王芳")])
    labels = {"task_status": {"todo": "To do"}}
    svg = render_gantt(data, scale="week", labels=labels)
    titles = [node.firstChild.data for node in parse(svg).getElementsByTagName("title")]
    bar = next(title for title in titles if title.startswith("T-7"))
    assert "2027-01-04 – 2027-01-08" in bar
    assert "40% done" in bar and "To do" in bar and "王芳" in bar
    assert "3 working days of slack" in bar


def test_render_draws_a_diamond_per_milestone_with_its_status():
    milestones = [
        GanttMilestone("M-1", "Pilot", day(10), "submitted", None),
        GanttMilestone("M-2", "Go-live", day(30), "accepted", day(25)),
    ]
    svg = render_gantt(chart([row("T-1", day(0), day(4))], milestones=milestones), scale="week")
    assert svg.count('class="g-ms g-ms--') == 2
    assert 'class="g-ms g-ms--submitted"' in svg and 'class="g-ms g-ms--accepted"' in svg
    assert "l7,7l-7,7l-7,-7z" in svg  # a diamond
    assert svg.count('class="g-msbase"') == 1  # M-2 moved from its baseline


def test_render_marks_critical_bars_and_links():
    rows = [
        row("T-1", day(0), day(4), critical=True),
        row("T-2", day(7), day(11), critical=True),
        row("T-3", day(0), day(1)),
    ]
    links = [GanttLink("T-1", "T-2", "FS", True), GanttLink("T-3", "T-2", "FS", False)]
    svg = render_gantt(chart(rows, links), scale="day")
    assert 'class="g-task is-todo is-critical" data-key="T-1"' in svg
    assert 'class="g-task is-todo" data-key="T-3"' in svg
    assert svg.count('class="g-link is-critical"') == 1
    assert svg.count('class="g-link"') == 1


def test_render_draws_one_arrow_per_link_with_both_ends_shown():
    rows = [row(f"T-{n}", day(n * 3), day(n * 3 + 2)) for n in range(1, 6)]
    links = [
        GanttLink("T-1", "T-2", "FS", False),
        GanttLink("T-2", "T-3", "SS", False),
        GanttLink("T-3", "T-4", "FF", False),
        GanttLink("T-4", "T-5", "SF", False),
        GanttLink("T-4", "T-1", "FS", False),  # backwards: goes round
        GanttLink("T-5", "T-99", "FS", False),  # the other end is not drawn
    ]
    svg = render_gantt(chart(rows, links), scale="day")
    polylines = parse(svg).getElementsByTagName("polyline")
    assert len(polylines) == 5
    assert all(line.getAttribute("marker-end") == "url(#gantt-a)" for line in polylines)
    # Every segment is horizontal or vertical.
    for line in polylines:
        points = [tuple(map(int, p.split(","))) for p in line.getAttribute("points").split()]
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2
    # FS: from T-1's end to T-2's start, both 3 days after the chart's first day (T-1's
    # start) on the day scale (24 px a day, after the label column).
    first = [tuple(map(int, p.split(","))) for p in polylines[0].getAttribute("points").split()]
    assert first[0][0] == LABEL_W + 3 * 24 and first[-1][0] == LABEL_W + 3 * 24
    assert first[0][1] < first[-1][1]  # down to the next row


def test_render_shades_non_working_days_only_on_day_and_week_scales():
    holiday = day(2)  # a Wednesday
    calendar = WorkCalendar(holidays=frozenset({holiday}))
    data = chart([row("T-1", day(0), day(20))], calendar=calendar)
    for scale in ("day", "week"):
        svg = render_gantt(data, scale=scale)
        assert 'class="g-off"' in svg
    day_svg = render_gantt(data, scale="day")
    assert f"M{LABEL_W + 2 * 24},22h24" in day_svg  # the holiday, one day wide
    assert f"M{LABEL_W + 5 * 24},22h48" in day_svg  # the weekend, two days wide
    for scale in ("month", "quarter"):
        assert 'class="g-off"' not in render_gantt(data, scale=scale)


def test_render_time_headers_per_scale():
    data = chart([row("T-1", dt.date(2026, 11, 2), dt.date(2026, 12, 9))])
    assert ">W48<" in render_gantt(data, scale="week")
    assert ">2026-11<" in render_gantt(data, scale="week")
    assert ">2026-12<" in render_gantt(data, scale="month")
    assert ">Q4<" in render_gantt(data, scale="quarter")
    assert ">2026<" in render_gantt(data, scale="quarter")
    assert ">23<" in render_gantt(data, scale="day")
    localized = render_gantt(
        data, scale="month", labels={"months": [f"{n}月" for n in range(1, 13)]}
    )
    assert ">12月<" in localized


def test_render_summary_baseline_today_and_links():
    rows = [
        row("T-1", day(0), day(9), is_summary=True, has_children=True),
        row("T-2", day(0), day(4), depth=1, baseline_start=day(1), baseline_due=day(3)),
    ]
    svg = render_gantt(
        chart(rows, today=day(2)),
        scale="day",
        link_for=lambda r: {"href": f"/panel/{r.key}/?a=1&b=2", "hx-get": f"/panel/{r.key}/"},
        toggle_for=lambda r: {"href": f"?collapsed={r.key}"},
    )
    assert svg.count('class="g-sum"') == 1 and svg.count('class="g-bar"') == 1
    assert svg.count('class="g-base"') == 1
    assert 'class="g-today"' in svg
    assert 'href="/panel/T-2/?a=1&amp;b=2" hx-get="/panel/T-2/" data-key="T-2"><title>T-2' in svg
    assert 'aria-label="Hide the tasks under T-1"' in svg
    assert parse(svg).documentElement.getAttribute("role") == "group"  # links inside
    parse(svg)


def test_render_without_links_and_empty():
    data = GanttData(
        rows=[],
        links=[],
        milestones=[],
        start=day(0),
        end=day(0),
        today=day(0),
        calendar=WorkCalendar(),
        undated_count=3,
    )
    svg = render_gantt(data, scale="month")
    assert "<a" not in svg
    parse(svg)


# -- the filters -------------------------------------------------------------------------


def test_filters_ignore_junk_and_round_trip():
    junk = QueryDict(
        "scale=year&from=2027-13-01&to=x&assignee=²&status=nope&milestone=M-1"
        "&collapsed=T-3,<b>,T-1&collapsed=t-12"
    )
    filters = GanttFilters.from_query(junk)
    assert filters.scale == "week" and filters.start is None and filters.end is None
    assert filters.assignee is None and filters.status == ""
    assert filters.milestone == "M-1"
    assert filters.collapsed == frozenset({"T-1", "T-3", "T-12"})
    again = GanttFilters.from_query(QueryDict(filters.query()))
    assert again == filters
    assert "collapsed=T-1%2CT-12" in filters.toggled("T-3")
    swapped = GanttFilters.from_query(QueryDict("from=2027-03-01&to=2027-01-01&assignee=7"))
    assert (swapped.start, swapped.end, swapped.assignee) == (day(-3), dt.date(2027, 3, 1), 7)


# -- the selector ------------------------------------------------------------------------


@pytest.fixture
def wbs(project, member):
    """P (undated) > C1, C2 (order puts C2 first), R at the root; M-1 and an internal M-2."""
    m1 = milestone_create(project=project, by=project.manager, name="Pilot", due_date=day(20))
    m2 = milestone_create(
        project=project, by=project.manager, name="Secret", due_date=day(25), client_visible=False
    )
    parent = make_task(project, title="Phase", order=0, client_visible=True)
    c1 = make_task(
        project,
        title="Second",
        start_date=day(7),
        due_date=day(11),
        parent=parent,
        order=2,
        client_visible=True,
    )
    c2 = make_task(
        project,
        title="First",
        start_date=day(0),
        due_date=day(4),
        parent=parent,
        order=1,
        assignee=member,
        milestone=m1,
    )
    root = make_task(
        project, title="Later", start_date=day(14), due_date=day(18), order=1, status="blocked"
    )
    loose = make_task(project, title="Loose end")
    return {"P": parent, "C1": c1, "C2": c2, "R": root, "loose": loose, "M1": m1, "M2": m2}


def keys(data: GanttData) -> list[str]:
    return [r.key for r in data.rows]


def test_selector_orders_by_wbs_and_spans_summaries(project, wbs):
    data = gantt_data(project=project, audience=TEAM, filters=GanttFilters())
    assert keys(data) == [wbs[k].key for k in ("P", "C2", "C1", "R")]
    phase = data.rows[0]
    assert phase.is_summary and phase.has_children and phase.depth == 0
    assert (phase.start, phase.due) == (day(0), day(11))
    assert [r.depth for r in data.rows] == [0, 1, 1, 0]
    first = data.rows[1]
    assert first.assignee_name == "member" and first.milestone_key == "M-1"
    assert data.undated_count == 1
    assert [m.key for m in data.milestones] == ["M-1", "M-2"]
    assert (data.start, data.end) == (day(0), day(25))


def test_selector_collapse_hides_the_children(project, wbs):
    filters = GanttFilters(collapsed=frozenset({wbs["P"].key, wbs["R"].key}))
    data = gantt_data(project=project, audience=TEAM, filters=filters)
    assert keys(data) == [wbs["P"].key, wbs["R"].key]
    assert data.rows[0].collapsed and not data.rows[1].collapsed  # R has no children


def test_selector_client_sees_only_visible_tasks_and_milestones(project, wbs):
    data = gantt_data(project=project, audience=CLIENT, filters=GanttFilters(assignee=1))
    assert keys(data) == [wbs["P"].key, wbs["C1"].key]
    assert [m.key for m in data.milestones] == ["M-1"]
    assert all(r.assignee_name == "" and r.slack is None for r in data.rows)
    assert data.links == [] and data.baseline_name == ""
    # The summary spans only what the client sees.
    assert (data.rows[0].start, data.rows[0].due) == (day(7), day(11))


def test_selector_filters_keep_ancestors_for_context(project, wbs, member):
    by_person = gantt_data(project=project, audience=TEAM, filters=GanttFilters(assignee=member.pk))
    assert keys(by_person) == [wbs["P"].key, wbs["C2"].key]
    assert by_person.rows[0].has_children
    by_status = gantt_data(project=project, audience=TEAM, filters=GanttFilters(status="blocked"))
    assert keys(by_status) == [wbs["R"].key]
    by_milestone = gantt_data(project=project, audience=TEAM, filters=GanttFilters(milestone="M-1"))
    assert keys(by_milestone) == [wbs["P"].key, wbs["C2"].key]
    assert [m.key for m in by_milestone.milestones] == ["M-1"]
    window = gantt_data(
        project=project, audience=TEAM, filters=GanttFilters(start=day(13), end=day(16))
    )
    assert keys(window) == [wbs["R"].key]
    assert (window.start, window.end) == (day(13), day(16))
    unknown = gantt_data(project=project, audience=TEAM, filters=GanttFilters(milestone="M-99"))
    assert unknown.rows == [] and unknown.milestones == []


def test_selector_critical_path_slack_links_and_baseline(project):
    t1 = make_task(project, title="Design", start_date=day(0), due_date=day(4))
    t2 = make_task(project, title="Build", start_date=day(7), due_date=day(11))
    t3 = make_task(project, title="Docs", start_date=day(0), due_date=day(1))
    dependency_create(project=project, by=project.manager, predecessor=t1, successor=t2)
    dependency_create(project=project, by=project.manager, predecessor=t3, successor=t2)
    plan_baseline_create(project=project, by=project.manager, name="Signed plan")
    t3.refresh_from_db()
    task_update(task=t3, by=project.manager, version=t3.version, due_date=day(2))
    data = gantt_data(project=project, audience=TEAM, filters=GanttFilters())
    by_key = {r.key: r for r in data.rows}
    assert by_key[t1.key].critical and by_key[t2.key].critical
    assert not by_key[t3.key].critical and by_key[t3.key].slack == 2
    assert {(link.predecessor_key, link.critical) for link in data.links} == {
        (t1.key, True),
        (t3.key, False),
    }
    assert data.baseline_name == "Signed plan"
    assert (by_key[t3.key].baseline_start, by_key[t3.key].baseline_due) == (day(0), day(1))
    # A collapsed or filtered-out end: no link.
    only = gantt_data(project=project, audience=TEAM, filters=GanttFilters(start=day(9)))
    assert only.links == []


def test_selector_survives_a_dependency_loop(project):
    t1 = make_task(project, title="A", start_date=day(0), due_date=day(4))
    t2 = make_task(project, title="B", start_date=day(7), due_date=day(11))
    dependency_create(project=project, by=project.manager, predecessor=t1, successor=t2)
    # A loop the services would refuse, written straight to the table.
    Dependency.objects.create(project=project, predecessor=t2, successor=t1)
    data = gantt_data(project=project, audience=TEAM, filters=GanttFilters())
    assert data.cycle
    assert len(data.rows) == 2 and not any(r.critical for r in data.rows)
    assert all(not link.critical for link in data.links)
    assert "<svg" in render_gantt(data, scale="week")


def test_selector_survives_a_loop_of_parents(project):
    a = make_task(project, title="A", start_date=day(0), due_date=day(4))
    b = make_task(project, title="B", start_date=day(7), due_date=day(11))
    Task.objects.filter(pk=a.pk).update(parent=b)  # the services would refuse it
    Task.objects.filter(pk=b.pk).update(parent=a)
    data = gantt_data(project=project, audience=TEAM, filters=GanttFilters())
    assert sorted(keys(data)) == [a.key, b.key]


# -- the pages ---------------------------------------------------------------------------


GANTT = "/p/OWN/plan/"


@pytest.fixture
def plan(project):
    """T-1 → T-2 (FS), T-1 client-visible in M-1 (awaiting acceptance), T-3 undated."""
    m1 = milestone_create(
        project=project, by=project.manager, name="Pilot", due_date=day(28), criteria=["Works"]
    )
    milestone_submit(milestone=m1, by=project.manager)
    t1 = make_task(
        project,
        title="Design <b>设计</b>",
        start_date=day(0),
        due_date=day(4),
        milestone=m1,
        client_visible=True,
    )
    t2 = make_task(project, title="Build internals", start_date=day(7), due_date=day(11))
    make_task(project, title="Loose end")
    dependency_create(project=project, by=project.manager, predecessor=t1, successor=t2)
    return {"t1": t1, "t2": t2, "m1": m1}


@pytest.mark.parametrize("role", ["manager", "member", "observer", "owner"])
def test_gantt_page_for_the_team(login, plan, role, request):
    response = login(request.getfixturevalue(role)).get(GANTT)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt--week"' in body
    assert "Design &lt;b&gt;设计&lt;/b&gt;" in body
    assert 'id="gantt-panel"' in body and 'hx-trigger="plan-changed from:body"' in body
    assert "1 task without dates" in body
    assert 'href="/p/OWN/plan/tasks/T-1/panel/"' in body


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_gantt_pages_are_hidden_from_the_client_and_outsiders(login, plan, role, request):
    http = login(request.getfixturevalue(role))
    for url in (GANTT, GANTT + "gantt.svg", GANTT + "tasks/T-1/panel/"):
        assert http.get(url).status_code == 404
    assert http.post(GANTT + "tasks/T-1/panel/", {"progress": 5}).status_code == 404


def test_gantt_htmx_answers_the_chart_only(login, manager, plan):
    response = login(manager).get(
        GANTT, {"scale": "day", "status": "todo"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and '<div id="gantt-chart"' in body
    # The download link follows the filters, swapped out of band.
    assert 'href="/p/OWN/plan/gantt.svg?scale=day&amp;status=todo" hx-swap-oob="true"' in body
    assert "gantt--day" in body
    assert 'hx-get="/p/OWN/plan/?scale=day&amp;status=todo"' in body


def test_gantt_empty_state_says_what_to_do(login, manager, project):
    body = login(manager).get(GANTT).content.decode()
    assert "No plan yet" in body and 'href="/p/OWN/tasks/new/"' in body
    assert "<svg" not in body.split('id="gantt-chart"')[1].split("</aside>")[0]


def test_gantt_svg_is_a_standalone_image(login, observer, plan):
    response = login(observer).get(GANTT + "gantt.svg", {"scale": "month"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="OWN-plan.svg"'
    document = parse(response.content.decode())
    assert document.documentElement.getAttribute("class") == "gantt gantt--month"
    assert not document.getElementsByTagName("a")  # no links in a file


def test_panel_read_only_for_an_observer(login, observer, plan):
    body = (
        login(observer)
        .get(GANTT + "tasks/T-1/panel/", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "T-1" in body and "<form" not in body and "2027-01-04" in body
    assert "Holds up" in body and "T-2" in body


def test_panel_without_htmx_opens_beside_the_chart(login, member, plan):
    response = login(member).get(GANTT + "tasks/T-1/panel/", {"scale": "day"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "gantt--day" in body and 'name="start_date"' in body
    assert 'hx-post="/p/OWN/tasks/T-1/preview/"' in body and 'id="schedule-preview"' in body


def test_panel_post_saves_and_pushes_the_successor(login, member, plan):
    t1, t2 = plan["t1"], plan["t2"]
    t1.refresh_from_db()
    response = login(member).post(
        GANTT + "tasks/T-1/panel/",
        {
            "start_date": "2027-01-11",
            "due_date": "2027-01-15",
            "progress": "20",
            "version": t1.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "plan-changed"
    assert "T-1 saved" in response.content.decode()
    t1.refresh_from_db()
    t2.refresh_from_db()
    assert (t1.start_date, t1.due_date, t1.progress) == (day(7), day(11), 20)
    assert t2.start_date == day(14)  # the Monday after T-1's new finish


def test_panel_post_without_htmx_goes_back_to_the_gantt(login, member, plan):
    t1 = Task.objects.get(pk=plan["t1"].pk)
    response = login(member).post(
        GANTT + "tasks/T-1/panel/?scale=month",
        {
            "start_date": "2027-01-04",
            "due_date": "2027-01-08",
            "progress": 50,
            "version": t1.version,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/p/OWN/plan/?scale=month"
    assert Task.objects.get(pk=t1.pk).progress == 50


def test_panel_refuses_a_stale_edit_with_a_message(login, member, manager, plan):
    t1 = Task.objects.get(pk=plan["t1"].pk)
    old_version = t1.version
    task_update(task=t1, by=manager, version=old_version, progress=60)
    http = login(member)
    data = {"start_date": "2027-01-04", "due_date": "2027-01-08", "progress": 10}
    response = http.post(
        GANTT + "tasks/T-1/panel/",
        {**data, "version": old_version},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert "Someone else saved this while you were editing" in body
    assert f'name="version" value="{old_version + 1}"' in body  # saving again is deliberate
    assert Task.objects.get(pk=t1.pk).progress == 60
    plain = http.post(GANTT + "tasks/T-1/panel/", {**data, "version": old_version})
    assert plain.status_code == 400 and "Someone else saved" in plain.content.decode()


def test_panel_shows_a_bad_date_beside_the_field(login, member, plan):
    t1 = Task.objects.get(pk=plan["t1"].pk)
    response = login(member).post(
        GANTT + "tasks/T-1/panel/",
        {
            "start_date": "2027-01-08",
            "due_date": "2027-01-04",
            "progress": 0,
            "version": t1.version,
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'id="id_due_date_error"' in body and "cannot be before the start" in body
    assert Task.objects.get(pk=t1.pk).due_date == day(4)


def test_panel_post_needs_edit(login, observer, plan):
    t1 = Task.objects.get(pk=plan["t1"].pk)
    response = login(observer).post(
        GANTT + "tasks/T-1/panel/", {"progress": 5, "version": t1.version}
    )
    assert response.status_code == 403


# -- the portal timeline -----------------------------------------------------------------


TIMELINE = "/portal/p/OWN/timeline/"


def test_timeline_shows_the_client_what_is_shared(login, client_user, member, plan):
    Task.objects.filter(pk=plan["t1"].pk).update(assignee=member)
    response = login(client_user).get(TIMELINE, {"scale": "month"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Design &lt;b&gt;设计&lt;/b&gt;" in body and "gantt--month" in body
    assert "Build internals" not in body and "member" not in body
    assert "<polyline" not in body  # no dependency arrows for the client
    assert "/p/OWN/plan/" not in body  # no way into the team's pages
    assert 'href="/portal/p/OWN/milestones/M-1/"' in body  # awaiting acceptance
    assert "Awaiting your acceptance" in body


@pytest.mark.parametrize("role", ["manager", "member", "observer", "outsider"])
def test_timeline_is_for_clients_only(login, plan, role, request):
    assert login(request.getfixturevalue(role)).get(TIMELINE).status_code == 404


def test_timeline_empty_state(login, client_user, project):
    body = login(client_user).get(TIMELINE).content.decode()
    assert "No dates to show yet" in body


# -- query counts ------------------------------------------------------------------------


def _grow_plan(project, n: int) -> None:
    """n tasks in groups of five under parents, chained FS, with assignees, milestones
    and a plan baseline."""
    people = make_teammates(project, 3)
    milestone = milestone_create(
        project=project, by=project.manager, name=f"M {next(_serial)}", due_date=day(400)
    )
    previous = parent = None
    for index in range(n):
        start = day(index * 2)
        if index % 5 == 0:
            parent = make_task(project, title=f"Group {index}", client_visible=True)
        task = make_task(
            project,
            title=f"Task {index} 任务",
            start_date=start,
            due_date=start + dt.timedelta(days=1),
            parent=parent,
            assignee=people[index % 3],
            milestone=milestone if index % 2 else None,
            client_visible=index % 3 == 0,
        )
        if previous is not None and index % 4:
            Dependency.objects.create(project=project, predecessor=previous, successor=task)
        previous = task
    if not project.plan_baselines.exists():
        plan_baseline_create(project=project, by=project.manager, name="Plan")


def _count(http, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url, **kwargs)
    assert response.status_code == 200, url
    return len(queries)


def _two_sizes(project, http, url, *, ceiling: int, **kwargs) -> None:
    _grow_plan(project, 5)
    few = _count(http, url, **kwargs)
    _grow_plan(project, 55)
    many = _count(http, url, **kwargs)
    assert Task.objects.filter(project=project).count() > 60
    assert few == many <= ceiling, (few, many)


def test_queries_gantt_page(login, manager, project):
    _two_sizes(project, login(manager), GANTT, ceiling=16)


def test_queries_gantt_partial(login, manager, project):
    _two_sizes(project, login(manager), GANTT, ceiling=14, headers={"HX-Request": "true"})


def test_queries_gantt_svg(login, manager, project):
    _two_sizes(project, login(manager), GANTT + "gantt.svg", ceiling=12)


def test_queries_task_panel(login, manager, project):
    _two_sizes(
        project,
        login(manager),
        GANTT + "tasks/T-2/panel/",
        ceiling=12,
        headers={"HX-Request": "true"},
    )


def test_queries_task_panel_full_page(login, manager, project):
    _two_sizes(project, login(manager), GANTT + "tasks/T-2/panel/", ceiling=20)


def test_queries_portal_timeline(login, client_user, project):
    _two_sizes(project, login(client_user), TIMELINE, ceiling=12)


# -- in a real browser -------------------------------------------------------------------


@pytest.mark.browser
def test_browser_bar_panel_moves_the_plan_and_the_chart_follows(page, live_server, plan):
    from playwright.sync_api import expect

    from liaison.accounts.tests.factories import PASSWORD

    project = plan["t1"].project
    group = make_task(project, title="Launch kit", order=5)
    make_task(project, title="Flyers", start_date=day(14), due_date=day(15), parent=group)
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(project.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(GANTT)
    chart = page.locator("#gantt-chart")
    expect(chart.locator('[data-key="T-2"] > title')).to_contain_text("2027-01-11")

    # A bar opens its panel beside the chart; new dates preview what they would move.
    chart.locator('a[href^="/p/OWN/plan/tasks/T-1/panel/"]').click()
    panel = page.locator("#gantt-panel")
    expect(panel.get_by_role("heading")).to_contain_text("T-1")
    panel.get_by_label("Start").fill("2027-01-11")
    panel.get_by_label("Due").fill("2027-01-15")
    panel.get_by_label("Due").dispatch_event("change")
    expect(panel.locator("#schedule-preview")).to_contain_text("T-2")
    panel.get_by_role("button", name="Save").click()
    expect(panel.get_by_role("status")).to_contain_text("T-1 saved")
    # The chart reloaded itself: T-2 was pushed to the Monday after T-1.
    expect(chart.locator('[data-key="T-2"] > title')).to_contain_text("2027-01-18")

    # Collapsing a group hides its tasks, in place, and the address remembers it.
    expect(page.locator('#gantt-chart [data-key="T-5"]')).to_have_count(1)
    page.locator('#gantt-chart a[aria-label="Hide the tasks under T-4"]').click()
    expect(page.locator('#gantt-chart [data-key="T-5"]')).to_have_count(0)
    expect(page).to_have_url(re.compile(r"collapsed=T-4"))

    # A filter swaps the chart in place; the collapsed group stays collapsed.
    page.get_by_label("Scale").select_option("day")
    expect(page.locator("#gantt-chart svg.gantt--day")).to_have_count(1)
    expect(page.locator('#gantt-chart [data-key="T-5"]')).to_have_count(0)
    expect(page.locator("#gantt-download")).to_have_attribute("href", re.compile("scale=day"))
