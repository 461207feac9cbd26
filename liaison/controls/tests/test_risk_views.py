"""The team's risk pages: the register (filters, chips, the heat map's cells and
links, needs review, the trend, the .xlsx export), one risk, its form (stale
edits), its moves and action lines per role, and what they cost in queries."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import TODAY
from liaison.controls.models import Risk
from liaison.controls.services.risks import risk_update
from liaison.controls.tests.factories import make_risk, make_risk_row
from liaison.planning.models import Task
from liaison.planning.tests.factories import make_task

LIST = "/p/OWN/risks/"
NEW = LIST + "new/"
DETAIL = LIST + "RISK-1/"


def _text(response) -> str:
    return response.content.decode()


def _cell_count(page: str, probability: int, impact: int) -> int:
    found = re.search(rf'id="heat-p{probability}-i{impact}" data-count="(\d+)"', page)
    assert found, f"no cell {probability}×{impact}"
    return int(found.group(1))


def _cell_link(page: str, probability: int, impact: int) -> str:
    found = re.search(rf'<a href="([^"]*)" id="heat-p{probability}-i{impact}"', page)
    assert found
    return found.group(1).replace("&amp;", "&")


def _keys(page: str) -> list[str]:
    return re.findall(r'<tr data-key="([^"]+)">', page)


# -- the register ----------------------------------------------------------------------


def test_the_heat_map_counts_the_open_risks_per_cell_and_each_cell_filters(login, project, manager):
    make_risk(project, manager, title="Scanners", probability=4, impact=5)
    make_risk(project, manager, title="Migration", probability=4, impact=5)
    make_risk(project, manager, title="Peak", probability=2, impact=3)
    make_risk_row(project, title="Gone", probability=4, impact=5, status=Risk.Status.CLOSED)
    page = _text(login(manager).get(LIST))
    assert _cell_count(page, 4, 5) == 2  # the closed one is no longer on the map
    assert _cell_count(page, 2, 3) == 1
    assert _cell_count(page, 1, 1) == 0
    assert 'aria-label="Probability 4, impact 5 (score 20): 2 risks"' in page
    link = _cell_link(page, 4, 5)
    assert "probability=4" in link and "impact=5" in link and "status=open" in link
    filtered = _text(login(manager).get(LIST + link))
    assert sorted(_keys(filtered)) == ["RISK-1", "RISK-2"]
    assert 'aria-current="true"' in filtered


def test_the_chips_count_bands_and_reviews_and_filter(login, project, manager):
    today = TODAY
    make_risk(project, manager, title="Critical", probability=5, impact=5)
    make_risk(project, manager, title="High", probability=3, impact=4)
    make_risk(
        project,
        manager,
        title="Late review",
        probability=1,
        impact=2,
        next_review_date=today - dt.timedelta(days=1),
    )
    make_risk(project, manager, title="Due today", next_review_date=today)
    client = login(manager)
    page = _text(client.get(LIST))
    assert re.search(r'id="chip-band-critical".*?chip__count">1<', page, re.S)
    assert re.search(r'id="chip-review".*?chip__count">1<', page, re.S)
    assert _keys(_text(client.get(LIST, {"band": "high"}))) == ["RISK-2"]
    assert _keys(_text(client.get(LIST, {"review": "due"}))) == ["RISK-3"]
    assert _keys(_text(client.get(LIST, {"q": "critical"}))) == ["RISK-1"]
    assert _keys(_text(client.get(LIST, {"owner": str(manager.pk)}))) == []


def test_the_list_is_sorted_by_score_and_pages(login, project, manager):
    for number in range(30):
        make_risk_row(project, probability=1 + number % 5, impact=1 + number % 3)
    client = login(manager)
    page = _text(client.get(LIST))
    assert "30 risks" in page
    assert len(_keys(page)) == 25
    scores = [int(s) for s in re.findall(r'<td class="num"><span class="badge[^"]*">(\d+)', page)]
    assert scores == sorted(scores, reverse=True)
    assert len(_keys(_text(client.get(LIST, {"page": "2"})))) == 5


def test_the_trend_sums_the_open_scores_week_by_week(login, project, manager):
    risk = make_risk(project, manager, probability=4, impact=4)
    make_risk(project, manager, probability=1, impact=3)
    risk_update(risk=risk, by=manager, version=risk.version, impact=5)
    page = _text(login(manager).get(LIST))
    assert 'id="exposure-chart"' in page
    assert "now 23." in page  # 4×5 + 1×3
    assert "exposure 23, 2 open risks" in page


def test_the_export_is_the_filtered_register_as_a_workbook(login, project, manager):
    make_risk(project, manager, title="=HYPERLINK(1)", probability=5, impact=4)
    make_risk(project, manager, title="Low", probability=1, impact=1, internal_notes="secret")
    response = login(manager).get(LIST, {"format": "xlsx", "band": "critical"})
    assert response["Content-Disposition"].endswith('OWN-risks.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Key", "Title", "Category", "Status")
    assert len(rows) == 2
    assert rows[1][:2] == ("RISK-1", "=HYPERLINK(1)")
    assert rows[1][6:8] == (20, "Critical")
    assert sheet.cell(row=2, column=2).data_type == "s"  # text, never a formula
    assert all("secret" not in str(row) for row in rows)


def test_the_register_runs_a_fixed_number_of_queries(login, project, manager, member):
    client = login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(LIST).status_code == 200
        return len(context.captured_queries)

    for number in range(3):
        risk = make_risk(project, manager, title=f"Risk {number}", owner=member)
        risk_update(risk=risk, by=manager, version=risk.version, probability=1 + number)
    small = queries()
    for number in range(27):
        risk = make_risk(project, manager, title=f"More {number}", owner=member)
        risk_update(risk=risk, by=manager, version=risk.version, impact=1 + number % 5)
    assert queries() == small


# -- one risk --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "member", "observer"])
def test_the_team_reads_a_risk(login, project, manager, role, request):
    make_risk(project, manager, title="Scanners", internal_notes="Vendor is shaky")
    page = _text(login(request.getfixturevalue(role)).get(DETAIL))
    assert "Scanners" in page and "Vendor is shaky" in page
    assert ('id="move-assessed"' in page) == (role != "observer")


@pytest.mark.parametrize("role", ["client_user", "outsider"])
def test_nobody_else_finds_the_register(login, project, manager, role, request):
    make_risk(project, manager, client_visible=True)
    client = login(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 404
    assert client.get(DETAIL).status_code == 404


def test_an_unknown_key_is_404(login, project, manager):
    assert login(manager).get(LIST + "RISK-9/").status_code == 404


def test_the_detail_runs_a_fixed_number_of_queries(login, project, manager, member):
    client = login(manager)
    tasks = [make_task(project), make_task(project)]
    make_risk(project, manager, tasks=tasks[:1], preventive_actions="One\nTwo")
    client.post(DETAIL + "comments/", {"body": "One"})
    with CaptureQueriesContext(connection) as context:
        client.get(DETAIL)
    small = len(context.captured_queries)
    risk = Risk.objects.get()
    risk_update(
        risk=risk,
        by=manager,
        version=risk.version,
        tasks=tasks,
        preventive_actions="\n".join(f"Line {n}" for n in range(10)),
    )
    for body in ("Two", "Three"):
        client.post(DETAIL + "comments/", {"body": body})
    with CaptureQueriesContext(connection) as context:
        client.get(DETAIL)
    assert len(context.captured_queries) == small


# -- the forms -------------------------------------------------------------------------


def test_a_member_records_a_risk(login, project, manager, member):
    client = login(member)
    response = client.post(
        NEW,
        {
            "title": "Legacy SKU master is dirty",
            "category": "technical",
            "probability": "4",
            "impact": "3",
            "owner": str(member.pk),
            "affects_quality": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == DETAIL
    risk = Risk.objects.get()
    assert (risk.score, risk.owner, risk.affects_quality, risk.client_visible) == (
        12,
        member,
        True,
        False,
    )


def test_a_stale_edit_is_refused_with_what_changed(login, project, manager, member):
    risk = make_risk(project, manager, title="Scanners")
    started = risk.version
    risk_update(risk=risk, by=member, version=risk.version, probability=5)
    response = login(manager).post(
        DETAIL + "edit/",
        {
            "title": "Scanners late",
            "category": "external",
            "probability": "2",
            "impact": "3",
            "version": started,
        },
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Someone else saved this while you were editing" in page
    assert "probability" in page
    assert Risk.objects.get().title == "Scanners"


def test_a_foreign_task_key_is_refused_beside_the_field(login, project, manager, foreign_project):
    Task.objects.create(project=foreign_project, key="T-1", number=1, title="Theirs")
    response = login(manager).post(
        NEW, {"title": "X", "category": "other", "probability": "3", "impact": "3", "tasks": "T-1"}
    )
    assert response.status_code == 200
    assert "No task T-1 in this project." in _text(response)
    assert not Risk.objects.exists()


# -- moves and action lines ------------------------------------------------------------


def test_moves_follow_the_lifecycle(login, project, manager):
    risk = make_risk(project, manager)
    client = login(manager)
    client.post(DETAIL + "transition/", {"status": "assessed", "version": risk.version})
    assert Risk.objects.get().status == "assessed"
    response = client.post(
        DETAIL + "transition/", {"status": "response_planned", "version": risk.version + 1}
    )
    assert response.status_code == 302
    assert Risk.objects.get().status == "assessed"  # no strategy yet
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Choose a strategy" in m for m in messages)


def test_an_action_line_becomes_a_task(login, project, manager, member):
    risk = make_risk(project, manager, owner=member, preventive_actions="- Order spares\n- Call")
    client = login(member)
    response = client.post(
        DETAIL + "actions/",
        {"source": "preventive", "line": "1", "kind": "task", "version": risk.version},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.assignee, task.client_visible) == ("Call", member, False)
    assert list(Risk.objects.get().tasks.all()) == [task]
    page = _text(client.get(DETAIL))
    assert re.search(r'id="action-preventive-1">Call\s*<span class="key">T-1</span>', page)


def test_an_observer_may_not_move_a_risk(login, project, manager, observer):
    risk = make_risk(project, manager)
    response = login(observer).post(
        DETAIL + "transition/", {"status": "assessed", "version": risk.version}
    )
    assert response.status_code == 403
