"""The live server the browser and load tests run against answers writes that
arrive at once. On in-memory SQLite its threads share the test's one
connection; before the test set-up serialised them, two writes at once broke
each other's savepoints (503) and left the connection unusable for the rest of
the worker (CI, stop 23)."""

import json
import threading
import urllib.error
import urllib.request

from liaison.accounts.services import api_token_create
from liaison.planning.models import Task

PEOPLE = 4
WRITES_EACH = 10


def test_writes_at_once_all_land(transactional_db, live_server, project, manager):
    _, secret = api_token_create(by=manager, name="concurrency")
    url = f"{live_server.url}/api/v1/projects/{project.code}/tasks"
    statuses: list[int] = []

    def write(person: int) -> None:
        for n in range(WRITES_EACH):
            body = json.dumps({"title": f"At once {person}-{n}"}).encode()
            request = urllib.request.Request(
                url,
                data=body,
                method="POST",
                headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

    people = [threading.Thread(target=write, args=(n,)) for n in range(PEOPLE)]
    for person in people:
        person.start()
    for person in people:
        person.join()

    assert statuses == [201] * PEOPLE * WRITES_EACH
    numbers = list(Task.objects.filter(project=project).values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, PEOPLE * WRITES_EACH + 1))
