"""The API of people and capacity: a person's week and time off, and the people
view's figures, per role."""

import datetime as dt

from conftest import TODAY
from liaison.planning.selectors.workload import monday_of
from liaison.planning.tests.factories import make_task
from liaison.projects.models import Capacity, TimeOff
from liaison.tests.api_client import Api

MONDAY = monday_of(TODAY)


def test_an_admin_reads_and_sets_a_persons_week(owner, member):
    api = Api(owner)
    path = f"/people/{member.pk}/capacity"
    answer = api("GET", path).json()
    assert answer == {
        "user_id": member.pk,
        "hours_per_week": 40,
        "working_weekdays": "01234",
        "version": 1,
        "time_off": [],
    }
    week = {"hours_per_week": 32, "working_weekdays": "0123", "version": 1}
    response = api("PUT", path, week)
    assert response.status_code == 200
    assert (response.json()["hours_per_week"], response.json()["version"]) == (32, 2)
    response = api("PUT", path, {**week, "hours_per_week": 20})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_edit"
    response = api("PUT", path, {**week, "version": 2, "working_weekdays": ""})
    assert (response.status_code, response.json()["code"]) == (400, "no_working_day")
    assert Capacity.objects.get(user=member).hours_per_week == 32


def test_a_person_records_their_own_time_off_but_sets_no_week(member, manager):
    api = Api(member)
    path = f"/people/{member.pk}"
    week = {"hours_per_week": 60, "version": 1}
    assert api("PUT", path + "/capacity", week).status_code == 403
    off = {"start_date": "2027-01-04", "end_date": "2027-01-05", "note": "Moving house"}
    response = api("POST", path + "/time-off", off)
    assert response.status_code == 201
    assert response.json()["note"] == "Moving house"
    response = api("POST", path + "/time-off", off)
    assert (response.status_code, response.json()["code"]) == (400, "time_off_overlaps")
    time_off_id = TimeOff.objects.get().pk
    assert Api(manager)("DELETE", f"/people/time-off/{time_off_id}").status_code == 403
    assert api("DELETE", f"/people/time-off/{time_off_id}").status_code == 204
    assert not TimeOff.objects.exists()


def test_people_one_cannot_see_are_404(member, outsider, client_user):
    assert Api(outsider)("GET", f"/people/{member.pk}/capacity").status_code == 404
    assert Api(client_user)("GET", f"/people/{member.pk}/capacity").status_code == 404
    assert Api(client_user)("GET", "/people").status_code == 404


def test_the_people_figures_sum_every_project(owner, manager, member, project):
    make_task(
        project,
        assignee=member,
        estimate_hours=50,
        start_date=MONDAY,
        due_date=MONDAY + dt.timedelta(days=4),
    )
    answer = Api(manager)("GET", "/people?show=over").json()
    assert answer["count"] == 1
    (row,) = answer["items"]
    assert (row["user_id"], row["over"], row["hours_per_week"]) == (member.pk, True, 40)
    first = row["weeks"][0]
    assert first == {
        "start": MONDAY.isoformat(),
        "capacity": "40.0",
        "allocated": "50.0",
        "free": "-10.0",
        "days_off": 0,
    }
    everyone = Api(owner)("GET", "/people?limit=2&offset=1").json()
    assert everyone["count"] == 3 and len(everyone["items"]) == 2
