"""The webhook API: the pages' rules (managers only), the write-only secret,
errors with a code and a field, 409 on a stale version, the delivery log and a
test message that reaches a real local server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import free_port
from liaison.core.models import Activity
from liaison.tests.api_client import Api
from liaison.webhooks.models import Webhook, WebhookDelivery

JSON = "application/json"
HOOKS = "/projects/OWN/webhooks"
SECRET = "SEC" + "0123456789abcdef" * 4


@pytest.fixture
def room(settings):
    """A real local server answering like DingTalk taking a message."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    received = []
    answer = b'{"errcode":0,"errmsg":"ok"}'

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(
                (self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            )
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/robot/send?access_token=t", received
    finally:
        server.shutdown()
        server.server_close()


def _hook(project, **fields) -> Webhook:
    values = {"name": "Team room", "url": "https://unresolvable.invalid/x", "format": "generic"}
    return Webhook.objects.create(project=project, **{**values, **fields})


def test_create_read_and_list_never_show_the_secret(room, project, manager):
    url, _received = room
    response = Api(manager).post(
        HOOKS,
        {
            "name": "DingTalk",
            "url": url,
            "format": "dingtalk",
            "events": ["status"],
            "secret": SECRET,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_secret"] is True and body["secret_hint"] == "••••cdef"
    assert (body["format"], body["events"], body["active"], body["version"]) == (
        "dingtalk",
        ["status"],
        True,
        1,
    )
    assert body["last_status"] is None
    webhook = Webhook.objects.get(pk=body["id"])
    assert webhook.secret == SECRET
    one = Api(manager)("GET", f"{HOOKS}/{webhook.pk}")
    listed = Api(manager)("GET", HOOKS)
    assert one.status_code == listed.status_code == 200
    assert listed.json()["count"] == 1 and listed.json()["items"][0]["id"] == webhook.pk
    for answer in (response, one, listed):
        assert SECRET not in answer.content.decode()
        assert SECRET[3:20] not in answer.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": " ", "url": "https://x.invalid/"}, "name"),
        ({"name": "R", "url": "http://127.0.0.2/hook"}, "url"),
        ({"name": "R", "url": "http://127.0.0.1:9/h", "events": ["gossip"]}, "events"),
        ({"name": "R", "url": "http://127.0.0.1:9/h", "format": "wecom", "secret": "s"}, "secret"),
    ],
)
def test_create_refuses_bad_input_with_the_field(settings, project, manager, data, field):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    response = Api(manager)("POST", HOOKS, data)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["code"]
    assert not Webhook.objects.exists()


def test_create_refuses_an_unknown_format(project, manager):
    response = Api(manager)(
        "POST", HOOKS, {"name": "R", "url": "https://x.invalid/", "format": "irc"}
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_update_needs_the_version_and_handles_the_secret(project, manager):
    webhook = _hook(project, format="feishu", secret="first-secret-0001")
    path = f"{HOOKS}/{webhook.pk}"
    api = Api(manager)
    response = api("PATCH", path, {"version": 1, "name": "Renamed", "active": False})
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["active"], response.json()["version"]) == (
        "Renamed",
        False,
        2,
    )
    stale = api("PATCH", path, {"version": 1, "name": "Old"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_edit" and stale.json()["current_version"] == 2
    replaced = api("PATCH", path, {"version": 2, "secret": "second-secret"})
    assert replaced.json()["secret_hint"] == "••••"  # too short to show any of it
    webhook.refresh_from_db()
    assert webhook.secret == "second-secret"
    removed = api("PATCH", path, {"version": 3, "secret": None})
    assert removed.json()["has_secret"] is False
    empty = api("PATCH", path, {"version": 4, "name": None})
    assert empty.status_code == 400 and empty.json()["field"] == "name"


def test_delete_removes_the_webhook(project, manager):
    webhook = _hook(project)
    response = Api(manager)("DELETE", f"{HOOKS}/{webhook.pk}")
    assert response.status_code == 204
    assert not Webhook.objects.exists()
    assert Activity.objects.filter(verb="deleted", project=project).exists()


def test_send_a_test_and_read_the_log(room, project, manager, django_capture_on_commit_callbacks):
    url, received = room
    webhook = _hook(project, url=url, format="dingtalk", secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        response = Api(manager)("POST", f"{HOOKS}/{webhook.pk}/test")
    assert response.status_code == 202, response.content
    assert response.json()["event"] == "test"
    ((path, body),) = received
    assert "&timestamp=" in path and "&sign=" in path
    assert body["msgtype"] == "markdown"
    log = Api(manager)("GET", f"{HOOKS}/{webhook.pk}/deliveries")
    assert log.status_code == 200
    (row,) = log.json()["items"]
    assert (row["status"], row["status_code"], row["error"], row["attempts"]) == (
        "delivered",
        200,
        "",
        1,
    )
    assert "payload" not in row


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("manager", 200), ("member", 403), ("observer", 403), ("client", 404)],
)
def test_only_managers_reach_the_webhooks(project, role_users, role, status):
    webhook = _hook(project)
    user = role_users[role]
    assert Api(user)("GET", HOOKS).status_code == status
    assert Api(user)("GET", f"{HOOKS}/{webhook.pk}/deliveries").status_code == status


def test_another_projects_webhook_is_404(project, foreign_project, manager):
    theirs = _hook(foreign_project)
    for method in ("GET", "DELETE"):
        assert Api(manager)(method, f"{HOOKS}/{theirs.pk}").status_code == 404
    assert Api(manager)("POST", f"{HOOKS}/{theirs.pk}/test").status_code == 404
    assert Webhook.objects.filter(pk=theirs.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_openapi_describes_every_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    expected = {
        "/api/v1/projects/{code}/webhooks": ({"get": "200", "post": "201"}),
        "/api/v1/projects/{code}/webhooks/{webhook_id}": (
            {"get": "200", "patch": "200", "delete": "204"}
        ),
        "/api/v1/projects/{code}/webhooks/{webhook_id}/deliveries": {"get": "200"},
        "/api/v1/projects/{code}/webhooks/{webhook_id}/test": {"post": "202"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == set(methods), path
        for method, ok in methods.items():
            operation = paths[path][method]
            assert operation["summary"] and operation["tags"] == ["webhooks"], (method, path)
            assert {ok, "403", "404"} <= set(operation["responses"]), (method, path)
            assert "managers" in operation["description"]
    patch = paths["/api/v1/projects/{code}/webhooks/{webhook_id}"]["patch"]
    assert patch["responses"]["409"]["content"][JSON]["schema"]["$ref"].endswith("/Conflict")
    components = schema["components"]["schemas"]
    assert {"WebhookOut", "WebhookIn", "WebhookPatch", "WebhookDeliveryOut"} <= set(components)
    assert "secret" not in components["WebhookOut"]["properties"]
    assert "X-Liaison-Signature" in components["WebhookIn"]["properties"]["secret"]["description"]


def test_the_list_runs_the_same_queries_for_one_webhook_or_many(project, manager):
    def hook(number: int) -> None:
        webhook = Webhook.objects.create(
            project=project,
            name=f"Room {number}",
            url=f"https://room{number}.chat.example/",
            format=Webhook.Format.GENERIC,
            events=["status"],
            created_by=manager,
        )
        WebhookDelivery.objects.create(webhook=webhook, event="status", payload={})

    api = Api(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(HOOKS).status_code == 200
        return len(captured)

    hook(0)
    queries()  # caches warmed
    one = queries()
    for number in range(1, 6):
        hook(number)
    assert queries() == one
