"""The Gantt chart byte for byte: a realistic plan drawn in every scale, with and
without links, for the team and for the client, with baselines, filters and
collapsed parents, against digests of the output recorded before the renderer and
its selector were split into named steps (issue 12).

A change to what the chart draws is allowed, of course: look at the new SVG, then
record the new digests with
    LIAISON_GANTT_GOLDEN=update uv run pytest liaison/planning/tests/test_gantt_golden.py
and commit gantt_golden.json with the change.
"""

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from liaison.accounts.tests.factories import make_user
from liaison.planning.gantt import SCALES, render_gantt
from liaison.planning.models import Dependency, Task
from liaison.planning.selectors.gantt import GanttFilters, chart_labels, gantt_data
from liaison.planning.services.milestones import (
    milestone_create,
    milestone_submit,
    milestone_update,
)
from liaison.planning.services.plan import dependency_create, plan_baseline_create
from liaison.planning.services.tasks import task_update
from liaison.planning.tests.factories import make_task
from liaison.projects.access import CLIENT, TEAM
from liaison.projects.models import Membership

MONDAY = dt.date(2027, 1, 4)  # the chart's fixed week, as in test_gantt


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def new_task(project, title, start=None, due=None, **fields):
    return make_task(project, title=title, start_date=start, due_date=due, **fields)


GOLDEN = Path(__file__).with_name("gantt_golden.json")
# The chart's "today": fixed, so that the digests hold whatever day the suite runs on.
TODAY = day(9)


def _link(project, predecessor, successor, kind="FS", lag=0) -> None:
    dependency_create(
        project=project,
        by=project.manager,
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        lag_days=lag,
    )


def _person(project, name: str):
    user = make_user(f"{name.lower()}@test.example", org=project.organization, display_name=name)
    Membership.objects.create(project=project, user=user, role=Membership.Role.MEMBER)
    return user


def _milestones(project) -> dict:
    """Four milestones close together (the names need three lanes and then some),
    one internal, one awaiting the client's acceptance."""
    by = project.manager
    pilot = milestone_create(
        project=project, by=by, name="Pilot", due_date=day(20), criteria=["Works"]
    )
    milestone_submit(milestone=pilot, by=by)
    return {
        "pilot": pilot,
        "secret": milestone_create(
            project=project, by=by, name="Secret review", due_date=day(21), client_visible=False
        ),
        "golive": milestone_create(project=project, by=by, name="Go-live 上线", due_date=day(22)),
        "handover": milestone_create(project=project, by=by, name="Handover", due_date=day(23)),
    }


def _phase_one(project, people, milestones) -> dict:
    """Three WBS levels: Phase one > Design, Build > API, UI."""
    ada, bo = people
    phase = new_task(project, "Phase one", order=0, client_visible=True)
    design = new_task(
        project,
        'Design <b>设计</b> & "review"',
        day(0),
        day(4),
        parent=phase,
        order=1,
        assignee=ada,
        milestone=milestones["pilot"],
        client_visible=True,
        progress=60,
    )
    build = new_task(project, "Build", parent=phase, order=2, client_visible=True)
    api = new_task(project, "API", day(7), day(11), parent=build, status="in_progress", progress=30)
    ui = new_task(
        project, "UI 界面", day(8), day(15), parent=build, assignee=bo, client_visible=True
    )
    return {"phase": phase, "design": design, "build": build, "api": api, "ui": ui}


def _rest(project, people, milestones) -> dict:
    """Root tasks after the phase, one undated, and a long tail in groups."""
    ada, bo = people
    docs = new_task(project, "Docs", day(0), day(1), status="done", order=3)
    later = new_task(
        project,
        "Later",
        day(14),
        day(18),
        status="blocked",
        order=4,
        milestone=milestones["golive"],
    )
    new_task(project, "Loose end", order=5)
    steps = []
    for group in range(3):
        parent = new_task(project, f"Group {group}", order=6 + group, client_visible=group != 1)
        for index in range(4):
            start = day(group * 10 + index * 2)
            step = new_task(
                project,
                f"Step {group}.{index}",
                start,
                start + dt.timedelta(days=index + 1),
                parent=parent,
                order=index,
                assignee=(ada, bo, None)[index % 3],
                client_visible=index % 2 == 0,
                progress=index * 25,
            )
            steps.append(step)
    return {"docs": docs, "later": later, "step": steps[-2], "last": steps[-1]}


@pytest.fixture
def realistic(project):
    """A plan with holidays, every kind of link (one pointing backwards), a baseline
    that has since slipped, CJK and markup in titles, and done, blocked and in-progress
    work."""
    project.holidays = [day(3).isoformat(), day(17).isoformat()]
    project.extra_workdays = [day(12).isoformat()]  # a Saturday worked
    project.save()
    people = [_person(project, "Ada"), _person(project, "Bo")]
    milestones = _milestones(project)
    tasks = _phase_one(project, people, milestones)
    tasks |= _rest(project, people, milestones)
    _link(project, tasks["design"], tasks["api"])
    _link(project, tasks["api"], tasks["ui"], "SS", 1)
    _link(project, tasks["ui"], tasks["later"], "FF")
    _link(project, tasks["docs"], tasks["later"], "SF")
    _link(project, tasks["step"], tasks["last"])  # moves the last step: the critical path
    plan_baseline_create(project=project, by=project.manager, name="Signed plan")
    docs = Task.objects.get(pk=tasks["docs"].pk)
    task_update(task=docs, by=project.manager, version=docs.version, due_date=day(2))
    # Backwards (the successor starts before its predecessor ends): the arrow goes round.
    # The services would refuse it; an imported plan may hold one.
    Dependency.objects.create(project=project, predecessor=tasks["api"], successor=tasks["docs"])
    golive = milestones["golive"]
    golive.refresh_from_db()
    milestone_update(milestone=golive, by=project.manager, version=golive.version, due_date=day(26))
    return {**tasks, **milestones}


def _page_links(row):
    """As the Gantt page: the bar opens the task's panel, the toggle redraws."""
    url = f"/p/OWN/plan/tasks/{row.key}/panel/"
    return {"href": url + "?scale=week", "hx-get": url}


def _page_toggle(row):
    url = f"/p/OWN/plan/?collapsed={row.key}"
    return {"href": url, "hx-get": url, "hx-target": "#gantt-chart", "hx-push-url": "true"}


def _portal_toggle(row):
    return {"href": f"?collapsed={row.key}"}


def _draw(data, variant: str, scale: str) -> str:
    data = dataclasses.replace(data, today=TODAY)
    if variant == "page":
        return render_gantt(
            data,
            scale=scale,
            link_for=_page_links,
            toggle_for=_page_toggle,
            labels=chart_labels(TEAM),
        )
    if variant == "svg":
        return render_gantt(data, scale=scale, labels=chart_labels(TEAM))
    if variant == "portal":
        return render_gantt(
            data,
            scale=scale,
            toggle_for=_portal_toggle,
            labels=chart_labels(CLIENT),
            chart_id="timeline",
        )
    if variant == "bare":  # the renderer's own words, month names given
        months = [f"M{n}" for n in range(1, 13)]
        return render_gantt(data, scale=scale, labels={"months": months})
    raise ValueError(variant)


def _dump(data) -> str:
    """What the selector returned, without database ids or the clock."""
    rows = [
        {k: str(v) for k, v in dataclasses.asdict(row).items() if k != "task_id"}
        for row in data.rows
    ]
    fields = {
        "rows": rows,
        "links": [dataclasses.asdict(link) for link in data.links],
        "milestones": [
            {k: str(v) for k, v in dataclasses.asdict(m).items()} for m in data.milestones
        ],
        "start": str(data.start),
        "end": str(data.end),
        "calendar": [
            sorted(map(str, days))
            for days in (
                data.calendar.weekdays,
                data.calendar.holidays,
                data.calendar.extra_workdays,
            )
        ],
        "undated": data.undated_count,
        "baseline": data.baseline_name,
        "cycle": data.cycle,
        "total": data.tasks_total,
    }
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _cases(plan) -> list[tuple[str, object, GanttFilters, str, str]]:
    """(name, audience, filters, variant, scale) of every chart compared."""
    collapsed = frozenset({plan["phase"].key, plan["build"].key})
    cases = []
    for scale in SCALES:
        for variant, audience in (("page", TEAM), ("svg", TEAM), ("portal", CLIENT)):
            for fold, keys in (("open", frozenset()), ("collapsed", collapsed)):
                filters = GanttFilters(scale=scale, collapsed=keys)
                cases.append((f"{variant}-{scale}-{fold}", audience, filters, variant, scale))
    cases.append(("bare-month", TEAM, GanttFilters(scale="month"), "bare", "month"))
    cases.append(("bare-day", TEAM, GanttFilters(scale="day"), "bare", "day"))
    filtered = {
        "status": GanttFilters(status="blocked"),
        "milestone": GanttFilters(milestone="M-1"),
        "window": GanttFilters(start=day(9), end=day(16)),
        "from": GanttFilters(start=day(20)),
        "nothing": GanttFilters(milestone="M-99", start=day(0), end=day(6)),
        "build-collapsed": GanttFilters(collapsed=frozenset({plan["build"].key})),
    }
    for name, filters in filtered.items():
        cases.append((f"page-week-{name}", TEAM, filters, "page", "week"))
        cases.append((f"portal-week-{name}", CLIENT, filters, "portal", "week"))
    return cases


def _outputs(project, plan) -> dict[str, tuple[str, str]]:
    """(selector dump, SVG) of every case."""
    outputs = {}
    for name, audience, filters, variant, scale in _cases(plan):
        data = gantt_data(project=project, audience=audience, filters=filters)
        outputs[name] = (_dump(data), _draw(data, variant, scale))
    # The assignee filter takes a user id: the only case a database id goes into.
    filters = GanttFilters(assignee=plan["design"].assignee_id)
    data = gantt_data(project=project, audience=TEAM, filters=filters)
    outputs["page-week-assignee"] = (_dump(data), _draw(data, "page", "week"))
    return outputs


def test_gantt_output_is_unchanged(project, realistic, tmp_path):
    digests = {}
    for name, (dump, svg) in _outputs(project, realistic).items():
        # Kept for a look when something changed (pytest keeps the last runs' tmp_path).
        (tmp_path / f"{name}.json").write_text(dump)
        (tmp_path / f"{name}.svg").write_text(svg)
        digests[name] = {"data": _digest(dump), "svg": _digest(svg)}
    if os.environ.get("LIAISON_GANTT_GOLDEN") == "update":
        GOLDEN.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    expected = json.loads(GOLDEN.read_text())
    changed = sorted(
        name for name in expected.keys() | digests.keys() if expected.get(name) != digests.get(name)
    )
    assert not changed, f"the chart changed for {', '.join(changed)}: see {tmp_path}"
