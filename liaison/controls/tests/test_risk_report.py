"""The risks' section of a status report: open risks by band, the highest five
(all for the team, the shared ones for the client) and the health they suggest."""

from conftest import NOW
from liaison.controls.models import Risk
from liaison.controls.report_risks import risks_health, risks_report_facts
from liaison.controls.tests.factories import make_risk, make_risk_row
from liaison.core.reporting import AMBER, GREEN, RED
from liaison.reports.tests.factories import last_monday, make_report


def _facts(project):

    start = last_monday()
    return risks_report_facts(project, start, start, NOW)


def test_facts_count_open_risks_by_band_and_list_the_highest(project, manager):
    make_risk(project, manager, title="Critical", probability=5, impact=4)
    for n in range(6):
        make_risk(project, manager, title=f"Shared {n}", probability=2, impact=2 + n % 3,
                  client_visible=True)  # fmt: skip
    make_risk_row(project, probability=5, impact=5, status=Risk.Status.CLOSED)
    facts = _facts(project)
    values = facts.values
    assert values["risks_bands"] == {"low": 2, "medium": 4, "high": 0, "critical": 1}
    assert values["risks_bands_client"] == {"low": 2, "medium": 4, "high": 0, "critical": 0}
    assert values["risks_top"][0]["title"] == "Critical"
    assert len(values["risks_top"]) == len(values["risks_top_client"]) == 5
    assert all(row["title"].startswith("Shared") for row in values["risks_top_client"])
    assert facts.health == RED


def test_the_health_rule():
    assert risks_health({"critical": 1, "high": 3}) == RED
    assert risks_health({"critical": 0, "high": 1}) == AMBER
    assert risks_health({"low": 4, "medium": 2}) == GREEN


def test_the_report_pages_show_each_reader_their_version(login, project, manager, client_user):
    make_risk(project, manager, title="Internal critical", probability=5, impact=5)
    make_risk(project, manager, title="Shared high", probability=3, impact=4, client_visible=True)
    report = make_report(project, manager, status="published")
    team = login(manager).get(f"/p/OWN/reports/{report.number}/").content.decode()
    assert "Internal critical" in team and "Shared high" in team
    portal = login(client_user).get(f"/portal/p/OWN/reports/{report.number}/").content.decode()
    assert "Shared high" in portal
    assert "Internal critical" not in portal
    assert 'id="stat-risks"' in portal
