"""The bench's earned value on the tiny data set: the money and time parts'
budget, expenses and approved time give curves, and the two scenarios answer
once each."""

from conftest import TODAY
from liaison.bench.data import BENCH_CODE, MANAGER_EMAIL, PASSWORD
from liaison.bench.runner import Session, measure
from liaison.bench.scenarios import SCENARIOS
from liaison.finance.models import Budget
from liaison.finance.selectors.value import project_value
from liaison.projects.models import Project


def test_bench_value_scenarios_answer_on_the_tiny_data_set(tiny_bench, live_server):
    bench = Project.objects.get(code=BENCH_CODE)
    assert Budget.objects.get(project=bench).agreed_total > 0
    value = project_value(project=bench, today=TODAY)
    assert value.has_baseline and value.points and value.figures.ac > 0
    session = Session(live_server.url)
    session.login(MANAGER_EMAIL, PASSWORD)
    session.api_token(MANAGER_EMAIL, PASSWORD)
    names = {"earned_value", "value_api"}
    scenarios = [s for s in SCENARIOS if s.name in names]
    assert {s.name for s in scenarios} == names
    for scenario in scenarios:
        assert measure(session, scenario, warmup=0, timed=1)["requests"] == 1, scenario.name
