"""The webhook pages: the list with its add form, one webhook with its
settings and delivery log, "send test" and delete — per role, with bad input
beside the field, and what they cost in queries."""

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import free_port
from liaison.webhooks.delivery import deliveries_queue
from liaison.webhooks.models import Webhook, WebhookDelivery

LIST = "/p/OWN/webhooks/"
PUBLIC_IP = "93.184.216.34"
Status = WebhookDelivery.Status


def _text(response) -> str:
    return response.content.decode()


def _detail(webhook: Webhook) -> str:
    return f"/p/{webhook.project.code}/webhooks/{webhook.pk}/"


def _hook(project, **fields) -> Webhook:
    values = {"name": "Team room", "url": "https://hooks.example.test/room", "format": "wecom"}
    return Webhook.objects.create(project=project, **{**values, **fields})


def _field_error(page: str, field: str) -> str:
    match = re.search(rf'<div class="field__error" id="id_{field}_error">([^<]*)</div>', page)
    return match.group(1) if match else ""


@pytest.fixture
def public_dns(monkeypatch, settings):
    """.example.test resolves to a public address (no DNS in the sandbox)."""
    settings.WEBHOOK_ALLOWED_HOSTS = []
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if isinstance(host, str) and host.endswith("example.test"):
            return real(PUBLIC_IP, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.fixture
def receiver(settings):
    """A real local HTTP server; returns (url, bodies received). It answers like
    Feishu taking a message (the chat services say yes or no in the body)."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    bodies = []
    accepted = b'{"code":0,"msg":"success","data":{}}'

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(accepted)))
            self.end_headers()
            self.wfile.write(accepted)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", bodies
    finally:
        server.shutdown()
        server.server_close()


# -- who may see the pages ------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("member", 403),
        ("observer", 403),
        ("client", 404),
        ("outsider", 404),
    ],
)
def test_pages_per_role(login, project, role_users, role, status):
    webhook = _hook(project)
    client = login(role_users[role])
    assert client.get(LIST).status_code == status
    assert client.get(_detail(webhook)).status_code == status
    for action in ("test", "delete"):
        response = client.post(_detail(webhook) + f"{action}/")
        assert response.status_code == (302 if status == 200 else status)
    assert Webhook.objects.filter(pk=webhook.pk).exists() == (status != 200)


def test_anonymous_is_sent_to_sign_in(client, project):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_another_projects_webhook_is_404(login, project, foreign_project, manager, org):
    foreign = _hook(foreign_project)
    client = login(manager)
    assert client.get(f"/p/OWN/webhooks/{foreign.pk}/").status_code == 404
    assert client.post(f"/p/OWN/webhooks/{foreign.pk}/delete/").status_code == 404
    assert client.get(_detail(foreign)).status_code == 404
    assert Webhook.objects.filter(pk=foreign.pk).exists()


def test_the_sidebar_links_managers_only(login, project, manager, member):
    assert 'href="/p/OWN/webhooks/"' in _text(login(manager).get("/p/OWN/"))
    assert 'href="/p/OWN/webhooks/"' not in _text(login(member).get("/p/OWN/"))


# -- the list and the add form ---------------------------------------------------


def test_list_shows_each_webhook_and_its_last_delivery(login, project, manager):
    delivered = _hook(project, name="Delivered room", events=["comment", "approval"])
    (delivery,) = deliveries_queue(
        [delivered], event="comment", text="t", url="https://x.example.test/", language="en"
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DELIVERED, status_code=200)
    _hook(project, name="Quiet room", format="slack", active=False)
    page = _text(login(manager).get(LIST))
    assert "Delivered room" in page and "Quiet room" in page
    assert "Comments and messages, Approval needed" in page
    assert '<span class="badge badge--green">Delivered</span>' in page
    assert "HTTP 200" in page
    assert "Nothing sent yet" in page and "Every event" in page and "Paused" in page
    assert "https://hooks.example.test/room" not in page  # the address (its key) stays on its page


def test_list_without_webhooks_says_what_to_do(login, project, manager):
    page = _text(login(manager).get(LIST))
    assert "No webhooks yet" in page
    assert 'name="url"' in page and 'value="dingtalk"' in page
    assert 'name="events" value="status"' in page


def test_add_a_webhook(login, project, manager, public_dns):
    client = login(manager)
    response = client.post(
        LIST,
        {
            "name": "钉钉 group",
            "url": "https://hooks.example.test/robot/send?access_token=abc",
            "format": "dingtalk",
            "events": ["approval", "comment"],
        },
    )
    webhook = Webhook.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(webhook)
    assert (webhook.name, webhook.format, webhook.events) == (
        "钉钉 group",
        "dingtalk",
        ["comment", "approval"],
    )
    page = _text(client.get(response["Location"]))
    assert "Webhook “钉钉 group” added." in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://192.168.1.5/hook",
            "This address is private (192.168.1.5): Liaison does not post to internal networks.",
        ),
        (
            "http://[::ffff:10.0.0.1]/hook",
            "This address is private (::ffff:10.0.0.1): "
            "Liaison does not post to internal networks.",
        ),
        ("not a web address", "Use an address that starts with https:// or http://."),
        (
            "https://exa mple.test/",
            "Enter a full web address, such as https://hooks.chat.example/…",
        ),
        ("file:///etc/passwd", "Use an address that starts with https:// or http://."),
        ("", "Paste the webhook address the chat service gave you."),
    ],
)
def test_a_bad_address_is_explained_beside_the_field(
    login, project, manager, public_dns, url, message
):
    response = login(manager).post(LIST, {"name": "Room", "url": url, "format": "generic"})
    assert response.status_code == 200
    page = _text(response)
    assert _field_error(page, "url") == message.replace("&", "&amp;")
    assert 'value="Room"' in page  # what was typed stays
    assert not Webhook.objects.exists()


def test_an_empty_form_explains_each_field(login, project, manager):
    page = _text(login(manager).post(LIST, {}))
    assert (
        _field_error(page, "name") == "Give the webhook a name, such as the chat room it posts to."
    )
    assert _field_error(page, "url") == "Paste the webhook address the chat service gave you."
    assert _field_error(page, "format") == "Choose the format the chat service reads."


def test_an_unknown_event_is_refused(login, project, manager, public_dns):
    response = login(manager).post(
        LIST,
        {"name": "R", "url": "https://hooks.example.test/", "format": "generic", "events": ["x"]},
    )
    assert response.status_code == 200 and _field_error(_text(response), "events")


# -- one webhook ------------------------------------------------------------------


def test_detail_shows_settings_and_the_delivery_log(login, project, manager):
    webhook = _hook(project, events=["approval"])
    rows = deliveries_queue(
        [webhook, webhook],
        event="task.assigned",
        text="t",
        url="https://x.example.test/",
        language="en",
    )
    WebhookDelivery.objects.filter(pk=rows[0].pk).update(
        status=Status.FAILED, status_code=500, attempts=5, error="HTTP 500"
    )
    page = _text(login(manager).get(_detail(webhook)))
    assert "https://hooks.example.test/room" in page and "Approval needed" in page
    assert page.count("<code>task.assigned</code>") == 2
    assert '<span class="badge badge--red">Failed</span>' in page
    assert '<span class="badge badge--amber">Pending</span>' in page
    assert "HTTP 500" in page and '<td class="num">5</td>' in page
    assert f'action="/p/OWN/webhooks/{webhook.pk}/test/"' in page
    assert f'action="/p/OWN/webhooks/{webhook.pk}/delete/"' in page


def test_edit_a_webhook(login, project, manager, public_dns):
    webhook = _hook(project)
    client = login(manager)
    response = client.post(
        _detail(webhook),
        {
            "name": "Renamed",
            "url": webhook.url,
            "format": "slack",
            "events": ["status"],
            "version": 1,
        },
    )
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.name, webhook.format, webhook.events, webhook.active) == (
        "Renamed",
        "slack",
        ["status"],
        False,  # the box was not ticked: paused
    )
    assert "Webhook saved." in _text(client.get(_detail(webhook)))


def test_a_stale_edit_shows_what_changed(login, project, manager, public_dns):
    webhook = _hook(project)
    client = login(manager)
    form = {"name": "First", "url": webhook.url, "format": "wecom", "active": "on", "version": 1}
    assert client.post(_detail(webhook), form).status_code == 302
    response = client.post(_detail(webhook), {**form, "name": "Second"})
    assert response.status_code == 200
    page = _text(response)
    assert "Someone else saved this while you were editing" in page
    assert "First" in page
    assert 'name="version" value="2"' in page
    assert Webhook.objects.get().name == "First"


def test_edit_to_a_private_address_is_refused(login, project, manager, public_dns):
    webhook = _hook(project)
    response = login(manager).post(
        _detail(webhook),
        {"name": "R", "url": "http://10.0.0.1/", "format": "wecom", "active": "on", "version": 1},
    )
    assert response.status_code == 200
    assert "(10.0.0.1)" in _field_error(_text(response), "url")
    assert Webhook.objects.get().url == "https://hooks.example.test/room"


def test_send_test_posts_to_the_server(
    login, project, manager, receiver, django_capture_on_commit_callbacks
):
    url, bodies = receiver
    webhook = _hook(project, url=url, format="feishu")
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_detail(webhook) + "test/")
    assert response.status_code == 302 and response["Location"] == _detail(webhook)
    (body,) = bodies
    assert body["msg_type"] == "text"
    assert "Test message from Liaison for Project OWN" in body["content"]["text"]
    page = _text(client.get(_detail(webhook)))
    assert "Test message queued" in page
    assert '<span class="badge badge--green">Delivered</span>' in page


def test_send_test_is_post_only(login, project, manager):
    webhook = _hook(project)
    assert login(manager).get(_detail(webhook) + "test/").status_code == 405
    assert not WebhookDelivery.objects.exists()


def test_delete_a_webhook(login, project, manager):
    webhook = _hook(project)
    deliveries_queue([webhook], event="x", text="t", url="https://x.example.test/", language="en")
    client = login(manager)
    response = client.post(_detail(webhook) + "delete/")
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()
    assert "Webhook “Team room” deleted." in _text(client.get(LIST))


# -- what the pages cost ------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_list_queries_are_constant(login, project, manager, django_assert_max_num_queries):
    client = login(manager)
    for n in range(2):
        deliveries_queue(
            [_hook(project, name=f"a{n}")], event="x", text="t", url="u", language="en"
        )
    small = _count(client, LIST)
    for n in range(15):
        deliveries_queue(
            [_hook(project, name=f"b{n}")], event="x", text="t", url="u", language="en"
        )
    with django_assert_max_num_queries(small):
        page = _text(client.get(LIST))
    assert page.count("/p/OWN/webhooks/") >= 17
    assert small <= 10


def test_detail_queries_are_constant(login, project, manager, django_assert_max_num_queries):
    webhook = _hook(project)
    client = login(manager)
    deliveries_queue([webhook] * 2, event="x", text="t", url="u", language="en")
    small = _count(client, _detail(webhook))
    deliveries_queue([webhook] * 60, event="x", text="t", url="u", language="en")
    with django_assert_max_num_queries(small):
        page = _text(client.get(_detail(webhook)))
    assert page.count("<code>x</code>") == 50  # the last 50
    assert small <= 10


# -- the signing secret ----------------------------------------------------------------

DING_SECRET = "SEC" + "9f8e7d6c" * 8


def test_add_a_signed_webhook_never_shows_the_secret(login, project, manager, public_dns):
    client = login(manager)
    response = client.post(
        LIST,
        {
            "name": "DingTalk room",
            "url": "https://oapi.example.test/robot/send?access_token=t",
            "format": "dingtalk",
            "secret": DING_SECRET,
        },
    )
    webhook = Webhook.objects.get()
    assert response["Location"] == _detail(webhook)
    assert webhook.secret == DING_SECRET
    page = _text(client.get(_detail(webhook)))
    assert DING_SECRET not in page and DING_SECRET[3:] not in page
    assert "<code>••••9f8e7d6c</code>" not in page
    assert "<code>••••7d6c</code>" in page  # the last four characters only


def test_a_secret_for_wecom_is_refused_beside_the_field(login, project, manager, public_dns):
    response = login(manager).post(
        LIST,
        {
            "name": "Room",
            "url": "https://q.example.test/send?key=k",
            "format": "wecom",
            "secret": "x",
        },
    )
    assert response.status_code == 200
    assert "signs nothing" in _field_error(_text(response), "secret")
    assert not Webhook.objects.exists()


def test_edit_keeps_replaces_or_removes_the_secret(login, project, manager, public_dns):
    webhook = _hook(project, format="feishu", secret="first-secret-0001")
    client = login(manager)
    form = {"name": "Room", "url": webhook.url, "format": "feishu", "active": "on"}
    assert client.post(_detail(webhook), {**form, "version": 1}).status_code == 302
    webhook.refresh_from_db()
    assert webhook.secret == "first-secret-0001"  # left empty: kept
    assert (
        client.post(_detail(webhook), {**form, "version": 2, "secret": "second"}).status_code == 302
    )
    webhook.refresh_from_db()
    assert webhook.secret == "second"
    response = client.post(_detail(webhook), {**form, "version": 3, "remove_secret": "on"})
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert webhook.secret == ""
    assert "None: messages go unsigned" in _text(client.get(_detail(webhook)))


def test_a_refusal_shows_the_platforms_message_in_the_log(login, project, manager):
    webhook = _hook(project, format="dingtalk")
    (delivery,) = deliveries_queue([webhook], event="comment", text="t", url="/", language="en")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED, status_code=200, error="DingTalk errcode 310000: sign not match"
    )
    page = _text(login(manager).get(_detail(webhook)))
    assert '<span class="badge badge--red">Failed</span>' in page
    assert "DingTalk errcode 310000: sign not match" in page
