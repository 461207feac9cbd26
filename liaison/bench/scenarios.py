"""The pages and endpoints a team uses all day. Add each as its page lands."""

import time

from liaison.bench.data import BENCH_CODE
from liaison.bench.runner import Scenario

# Codes must be new on every run against the same database.
RUN = int(time.time()) % 1_000_000


def _new_project(number: int) -> dict:
    # The bench database is built fresh, so its first client has id 1.
    return {"code": f"N{RUN}-{number}", "name": f"Created by the bench {number}", "client_id": 1}


SCENARIOS = [
    Scenario("dashboard", "/"),
    Scenario("project_overview", f"/p/{BENCH_CODE}/"),
    Scenario("project_list_25", "/projects/"),
    Scenario("portfolio_200", "/projects/?per_page=200", who="owner"),
    Scenario("members", f"/p/{BENCH_CODE}/members/"),
    Scenario("activity", f"/p/{BENCH_CODE}/activity/"),
    Scenario("notifications", "/notifications/"),
    Scenario("portal_home", "/portal/", who="client"),
    Scenario("portal_project", f"/portal/p/{BENCH_CODE}/", who="client"),
    Scenario("projects_api_100", "/api/v1/projects?page_size=100", who="owner", api=True),
    Scenario(
        "project_create_api",
        "/api/v1/projects",
        who="owner",
        method="POST",
        body=_new_project,
        expect=201,
        api=True,
    ),
]
