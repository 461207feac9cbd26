"""Project webhooks: each format's body as a real local HTTP server receives it,
retries with a growing delay, redirects not followed, the SSRF guard refusing
every internal target, and the services behind the pages."""

import ipaddress
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import HUEY

from conftest import free_port
from liaison.collab.notify import notify
from liaison.core.activity import activity_since
from liaison.core.locking import StaleEdit
from liaison.core.models import Activity
from liaison.core.services import InvalidInput
from liaison.planning.tests.factories import submitted_milestone
from liaison.reports.tests.factories import published_report
from liaison.requirements.services import (
    baseline_propose,
    requirement_create,
    requirement_transition,
)
from liaison.requirements.tests.factories import agreed_requirement
from liaison.webhooks.delivery import deliveries_queue, delivery_attempt
from liaison.webhooks.formats import payload_for, team_url
from liaison.webhooks.guard import TargetRefused, address_forbidden, check_target, post
from liaison.webhooks.jobs import deliver_webhook
from liaison.webhooks.models import Webhook, WebhookDelivery
from liaison.webhooks.selectors import webhook_list
from liaison.webhooks.services import webhook_create, webhook_delete, webhook_test, webhook_update

Status = WebhookDelivery.Status
COMMENTED = gettext_lazy("%(actor)s commented on %(target)s")
PUBLIC_IP = "93.184.216.34"  # a global address: what a chat service's host resolves to


@dataclass
class Receiver:
    """What the local server received; `answers` are (status, headers) it gives
    in order, then 200."""

    url: str
    requests: list = field(default_factory=list)
    answers: list = field(default_factory=list)

    @property
    def bodies(self) -> list:
        return [request["body"] for request in self.requests]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    port = free_port()
    state = Receiver(url=f"http://127.0.0.1:{port}/hook")

    class Handler(BaseHTTPRequestHandler):
        def _record(self, body):
            state.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": body,
                }
            )
            status, headers = state.answers.pop(0) if state.answers else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            self._record(json.loads(self.rfile.read(length) or b"null"))

        def do_GET(self):
            self._record(None)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def public_dns(monkeypatch):
    """Host names under .example.test resolve to a public address (the sandbox has no DNS)."""
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if isinstance(host, str) and host.endswith("example.test"):
            return real(PUBLIC_IP, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def _hook(project, url: str, format: str = Webhook.Format.GENERIC, **fields) -> Webhook:
    return Webhook.objects.create(
        project=project, name=fields.pop("name", format), url=url, format=format, **fields
    )


def _notify(project, actor, recipients=(), event="comment", url="/p/OWN/requirements/REQ-1/"):
    return notify(
        event=event,
        recipients=list(recipients),
        actor=actor,
        message=COMMENTED,
        params={"actor": actor, "target": "REQ-1"},
        project=project,
        url=url,
    )


# -- each format, posted to a real server ------------------------------------------


def test_generic_json_reaches_the_server(
    receiver, project, manager, member, django_capture_on_commit_callbacks
):
    hook = _hook(project, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(project, manager, [member])
    (request,) = receiver.requests
    assert request["path"] == "/hook"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    body = request["body"]
    assert body["event"] == "comment"
    assert body["text"] == f"{manager} commented on REQ-1"
    assert body["url"] == "http://127.0.0.1:8000/p/OWN/requirements/REQ-1/"
    assert body["project"] == {"code": "OWN", "name": "Project OWN"}
    assert body["sent_at"]
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert (delivery.status, delivery.status_code, delivery.attempts) == (Status.DELIVERED, 200, 1)
    assert delivery.finished_at is not None and delivery.error == ""


def test_wecom_markdown_reaches_the_server(
    receiver, project, manager, django_capture_on_commit_callbacks
):
    _hook(project, receiver.url, Webhook.Format.WECOM)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(project, manager)
    (body,) = receiver.bodies
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert "[OWN] Project OWN" in content
    assert f"{manager} commented on REQ-1" in content
    assert "(http://127.0.0.1:8000/p/OWN/requirements/REQ-1/)" in content


def test_dingtalk_markdown_reaches_the_server(
    receiver, project, manager, django_capture_on_commit_callbacks
):
    _hook(project, receiver.url, Webhook.Format.DINGTALK)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(project, manager)
    (body,) = receiver.bodies
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == f"[OWN] {manager} commented on REQ-1"
    assert f"{manager} commented on REQ-1" in body["markdown"]["text"]
    assert "http://127.0.0.1:8000/p/OWN/requirements/REQ-1/" in body["markdown"]["text"]


def test_feishu_text_reaches_the_server(
    receiver, project, manager, django_capture_on_commit_callbacks
):
    _hook(project, receiver.url, Webhook.Format.FEISHU)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(project, manager)
    (body,) = receiver.bodies
    assert body == {
        "msg_type": "text",
        "content": {
            "text": f"[OWN] Project OWN\n{manager} commented on REQ-1\n"
            "http://127.0.0.1:8000/p/OWN/requirements/REQ-1/"
        },
    }


def test_slack_text_reaches_the_server_escaped(
    receiver, project, manager, django_capture_on_commit_callbacks
):
    _hook(project, receiver.url, Webhook.Format.SLACK)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="comment",
            recipients=[],
            actor=manager,
            message=gettext_lazy("%(name)s"),
            params={"name": "<b>A & B</b>"},
            project=project,
            url="/p/OWN/",
        )
    (body,) = receiver.bodies
    assert body == {
        "text": "*[OWN] Project OWN*\n<http://127.0.0.1:8000/p/OWN/|&lt;b&gt;A &amp; B&lt;/b&gt;>"
    }


def test_payload_for_generic_has_every_field(project):
    payload = payload_for(
        "generic", event="x", text="Hi", url="https://l.example.test/", project=project
    )
    assert set(payload) == {"event", "text", "url", "project", "sent_at"}


def test_webhook_text_is_in_the_project_managers_language(
    receiver, project, manager, django_capture_on_commit_callbacks
):
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    _hook(project, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="x",
            recipients=[],
            actor=None,
            message=gettext_lazy("This field is required."),
            params={},
            project=project,
        )
    assert receiver.bodies[0]["text"] == "这个字段是必填项。"


# -- which webhooks take an event ----------------------------------------------------


def test_only_active_webhooks_subscribed_to_the_kind_get_it(project, manager, member):
    every = _hook(project, "https://a.example/", name="every")
    comments = _hook(project, "https://b.example.test/", name="comments", events=["comment"])
    status = _hook(project, "https://c.example.test/", name="status", events=["status"])
    paused = _hook(project, "https://d.example.test/", name="paused", active=False)
    _notify(project, manager, [member], event="comment")
    assert set(WebhookDelivery.objects.values_list("webhook__name", flat=True)) == {
        every.name,
        comments.name,
    }
    _notify(project, manager, [member], event="requirement.updated")
    assert WebhookDelivery.objects.filter(webhook=status).count() == 1
    assert not WebhookDelivery.objects.filter(webhook=paused).exists()


def test_an_event_goes_to_the_webhooks_even_without_recipients(project, manager):
    _hook(project, "https://a.example/")
    assert _notify(project, manager, [manager]) == []  # the actor is not told
    assert WebhookDelivery.objects.count() == 1


def test_no_project_no_webhooks(project, manager, member):
    _hook(project, "https://a.example/")
    notify(
        event="comment",
        recipients=[member],
        actor=manager,
        message=COMMENTED,
        params={"actor": manager, "target": "x"},
    )
    assert not WebhookDelivery.objects.exists()


def test_a_foreign_projects_webhook_gets_nothing(project, foreign_project, manager):
    _hook(foreign_project, "https://a.example/")
    _notify(project, manager)
    assert not WebhookDelivery.objects.exists()


# -- retries and failures ------------------------------------------------------------


def _pending(project, url: str) -> WebhookDelivery:
    (delivery,) = deliveries_queue(
        [_hook(project, url)],
        event="comment",
        text="Hello",
        url="https://l.example.test/",
        language="en",
    )
    return delivery


def test_a_500_is_retried_then_delivered(receiver, project):
    receiver.answers.append((500, {}))
    delivery = _pending(project, receiver.url)
    assert delivery_attempt(delivery.pk) == 30
    delivery.refresh_from_db()
    assert (delivery.status, delivery.status_code, delivery.attempts) == (Status.PENDING, 500, 1)
    assert delivery.error == "HTTP 500" and delivery.finished_at is None
    assert delivery_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.status_code, delivery.attempts) == (Status.DELIVERED, 200, 2)
    assert delivery.error == "" and delivery.finished_at is not None
    assert len(receiver.requests) == 2


def test_the_backoff_grows_then_the_delivery_fails(receiver, project):
    receiver.answers.extend([(503, {})] * 5)
    delivery = _pending(project, receiver.url)
    delays = [delivery_attempt(delivery.pk) for _ in range(5)]
    assert delays == [30, 120, 600, 3600, None]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.status_code) == (Status.FAILED, 5, 503)
    assert delivery.finished_at is not None
    # settled: another run does nothing
    assert delivery_attempt(delivery.pk) is None
    assert len(receiver.requests) == 5


def test_the_job_schedules_its_retry(receiver, project):
    """In immediate mode the job runs at once; its retry goes to huey's schedule."""
    HUEY.flush()
    receiver.answers.append((500, {}))
    delivery = _pending(project, receiver.url)
    deliver_webhook(delivery.pk)
    (scheduled,) = [task for task in HUEY.scheduled() if task.args == (delivery.pk,)]
    assert scheduled.name.endswith("deliver_webhook") and scheduled.eta is not None
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING and delivery.attempts == 1
    HUEY.flush()


def test_a_dead_endpoint_does_not_fail_the_action(
    settings, project, manager, member, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    _hook(project, f"http://127.0.0.1:{free_port()}/closed")
    with django_capture_on_commit_callbacks(execute=True):
        rows = _notify(project, manager, [member])
    assert len(rows) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.attempts == 1
    assert delivery.status_code is None and "refused" in delivery.error.lower()


def test_a_redirect_is_not_followed(receiver, project):
    receiver.answers.append((302, {"Location": receiver.url.replace("/hook", "/elsewhere")}))
    delivery = _pending(project, receiver.url)
    assert delivery_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.status_code, delivery.attempts) == (Status.FAILED, 302, 1)
    assert "Redirect" in delivery.error
    assert [request["path"] for request in receiver.requests] == ["/hook"]


def test_a_forbidden_target_fails_at_once(receiver, settings, project):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    delivery = _pending(project, receiver.url)
    assert delivery_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED and "127.0.0.1" in delivery.error
    assert receiver.requests == []


# -- the SSRF guard -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 written as a number
        "http://100.64.0.1/",  # shared address space
        "http://224.0.0.1/",  # multicast
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "file:///etc/passwd",
        "ftp://example.test/",
        "gopher://example.test/",
        "http://user:pass@example.test/",
        "http://token@example.test/",
    ],
)
def test_check_target_refuses_internal_targets(settings, public_dns, url):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(TargetRefused):
        check_target(url)


def test_check_target_names_the_private_address(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(TargetRefused) as refused:
        check_target("http://192.168.1.5/hook")
    assert str(refused.value.message) == (
        "This address is private (192.168.1.5): Liaison does not post to internal networks."
    )


def test_check_target_refuses_when_any_address_is_private(settings, monkeypatch):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    real = socket.getaddrinfo

    def two_addresses(host, port, *args, **kwargs):
        return real(PUBLIC_IP, port, *args, **kwargs) + real("10.1.2.3", port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    with pytest.raises(TargetRefused, match=r"10\.1\.2\.3"):
        check_target("https://mixed.example.test/")


def test_check_target_accepts_a_public_host(settings, public_dns):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    check_target("https://hooks.example.test/services/T000/B000/XXXX")
    check_target("http://hooks.example.test:8080/x?key=abc")


def test_the_allow_list_admits_only_its_hosts(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    check_target("http://127.0.0.1:9/hook")
    with pytest.raises(TargetRefused):
        check_target("http://localhost:9/hook")


def test_post_refuses_a_loopback_server_without_the_allow_list(receiver, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(TargetRefused):
        post(receiver.url, {"text": "x"})
    assert receiver.requests == []


def test_post_checks_the_address_it_connects_to(receiver, settings, monkeypatch):
    """DNS rebinding: the name resolves to a public address when checked, then to
    127.0.0.1 when the connection is made; the socket's peer is refused."""
    settings.WEBHOOK_ALLOWED_HOSTS = []
    real = socket.getaddrinfo
    lookups = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example.net":
            lookups.append(host)
            return real(PUBLIC_IP if len(lookups) == 1 else "127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = receiver.url.split(":")[2].split("/")[0]
    with pytest.raises(TargetRefused, match=r"127\.0\.0\.1"):
        post(f"http://rebind.example.net:{port}/hook", {"text": "x"})
    assert len(lookups) == 2
    assert receiver.requests == []


def test_post_returns_the_status_code(receiver):
    receiver.answers.append((404, {}))
    assert post(receiver.url, {"text": "x"}) == 404
    assert post(receiver.url, {"text": "你好"}) == 200
    assert receiver.bodies == [{"text": "x"}, {"text": "你好"}]


# -- the services -------------------------------------------------------------------


def test_webhook_create_checks_the_address(settings, project, manager):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(InvalidInput) as refused:
        webhook_create(
            project=project,
            by=manager,
            name="Room",
            url="http://192.168.1.5/hook",
            format="wecom",
            events=[],
        )
    assert refused.value.field == "url"
    assert refused.value.message == (
        "This address is private (192.168.1.5): Liaison does not post to internal networks."
    )
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"url": ""}, "url"),
        ({"url": "not an address"}, "url"),
        ({"url": "http://exa mple.com/"}, "url"),
        ({"format": "telegram"}, "format"),
        ({"events": ["comment", "gossip"]}, "events"),
    ],
)
def test_webhook_create_refuses_bad_input(public_dns, project, manager, fields, field):
    values = {
        "name": "Room",
        "url": "https://hooks.example.test/x",
        "format": "slack",
        "events": [],
    }
    with pytest.raises(InvalidInput) as refused:
        webhook_create(project=project, by=manager, **{**values, **fields})
    assert refused.value.field == field


def test_webhook_create_saves_and_audits_without_the_secret(public_dns, project, manager):
    webhook = webhook_create(
        project=project,
        by=manager,
        name=" Team room ",
        url="https://hooks.example.test/send?key=SECRET",
        format="wecom",
        events=["status", "comment", "comment"],
    )
    assert webhook.name == "Team room"
    assert webhook.events == ["comment", "status"]  # in the settings page's order
    assert webhook.created_by == manager and webhook.active
    activity = Activity.objects.get(verb="created", target_id=webhook.pk)
    assert "SECRET" not in json.dumps(activity.diff)
    assert activity.diff["url"] == [None, "hooks.example.test"]


def test_webhook_services_need_manage(public_dns, project, member):
    with pytest.raises(PermissionDenied):
        webhook_create(
            project=project,
            by=member,
            name="R",
            url="https://hooks.example.test/",
            format="generic",
            events=[],
        )
    webhook = _hook(project, "https://hooks.example.test/")
    with pytest.raises(PermissionDenied):
        webhook_test(webhook=webhook, by=member)
    with pytest.raises(PermissionDenied):
        webhook_delete(webhook=webhook, by=member)
    with pytest.raises(PermissionDenied):
        webhook_update(webhook=webhook, by=member, version=1, active=False)


def test_webhook_update_saves_checks_and_locks(settings, project, manager):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    webhook = _hook(project, "https://unresolvable.invalid/hook")
    # the address is not checked again when it does not change
    webhook = webhook_update(
        webhook=webhook,
        by=manager,
        version=1,
        url="https://unresolvable.invalid/hook",
        active=False,
    )
    assert webhook.version == 2 and not webhook.active
    with pytest.raises(InvalidInput) as refused:
        webhook_update(webhook=webhook, by=manager, version=2, url="http://127.0.0.1/")
    assert refused.value.field == "url"
    with pytest.raises(StaleEdit):
        webhook_update(webhook=webhook, by=manager, version=1, name="Old")
    assert [a.diff for a in activity_since(webhook, 1)] == [{"active": [True, False]}]


def test_webhook_delete_removes_the_log(project, manager):
    delivery = _pending(project, "https://a.example/")
    webhook_delete(webhook=delivery.webhook, by=manager)
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()
    assert Activity.objects.filter(verb="deleted", project=project).count() == 1


def test_webhook_test_posts_in_the_senders_language(
    receiver, project, manager, django_capture_on_commit_callbacks
):
    webhook = _hook(project, receiver.url, active=False)  # a paused webhook can still be tested
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_test(webhook=webhook, by=manager)
    assert delivery.event == "test"
    (body,) = receiver.bodies
    assert body["event"] == "test"
    assert body["text"] == f"Test message from Liaison for Project OWN, sent by {manager}."
    assert body["url"] == "http://127.0.0.1:8000/p/OWN/"
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED


def test_webhook_list_shows_the_last_delivery(project):
    first = _pending(project, "https://a.example/")
    WebhookDelivery.objects.filter(pk=first.pk).update(status=Status.FAILED, status_code=500)
    deliveries_queue([first.webhook], event="x", text="t", url="u", language="en")
    quiet = _hook(project, "https://b.example.test/", name="quiet")
    rows = {hook.pk: hook for hook in webhook_list(project=project)}
    assert rows[first.webhook.pk].last_status == Status.PENDING
    assert rows[first.webhook.pk].last_status_code is None
    assert rows[quiet.pk].last_status is None


def test_typed_text_cannot_put_links_or_images_in_a_markdown_room(project):

    text = "Client: see ![pixel](https://track.example/p.gif) and [prize](https://evil.example)"
    for format in (Webhook.Format.WECOM, Webhook.Format.DINGTALK):
        body = payload_for(
            format, event="message", text=text, url="https://l.example/x", project=project
        )
        markdown = json.dumps(body, ensure_ascii=False)
        assert "](https://track.example" not in markdown
        assert "](https://evil.example" not in markdown
        assert "[Open in Liaison](https://l.example/x)" in markdown


# -- IPv6 addresses that carry an IPv4 address ----------------------------------------
# Built from the IPv4 address they carry, so no test names a private network: this
# machine's loopback and the documentation range stand for every refused address.


def _six_to_four(v4: str) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address((0x2002 << 112) | (int(ipaddress.IPv4Address(v4)) << 80))


def _nat64(v4: str) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(
        int(ipaddress.IPv6Address("64:ff9b::")) | int(ipaddress.IPv4Address(v4))
    )


def _teredo(*, server: str = PUBLIC_IP, client: str = PUBLIC_IP) -> ipaddress.IPv6Address:
    """2001:0:<server>:<flags, port>:<client XOR ffffffff>."""
    obfuscated = int(ipaddress.IPv4Address(client)) ^ 0xFFFFFFFF
    return ipaddress.IPv6Address(
        (0x20010000 << 96) | (int(ipaddress.IPv4Address(server)) << 64) | obfuscated
    )


REFUSED_IPV4 = ("127.0.0.1", "127.0.0.2", "192.0.2.1")  # loopback, documentation


def test_the_builders_give_the_documented_forms():
    assert _six_to_four("127.0.0.1") == ipaddress.IPv6Address("2002:7f00:1::")
    assert _nat64("127.0.0.1") == ipaddress.IPv6Address("64:ff9b::7f00:1")
    assert _teredo(server="127.0.0.1", client="127.0.0.1").teredo == (
        ipaddress.IPv4Address("127.0.0.1"),
        ipaddress.IPv4Address("127.0.0.1"),
    )


@pytest.mark.parametrize("v4", REFUSED_IPV4)
@pytest.mark.parametrize(
    "carrier",
    [_six_to_four, _nat64, lambda v4: _teredo(server=v4), lambda v4: _teredo(client=v4)],
    ids=["6to4", "nat64", "teredo-server", "teredo-client"],
)
def test_address_forbidden_sees_the_ipv4_inside(carrier, v4):
    assert address_forbidden(carrier(v4))


@pytest.mark.parametrize(
    "address",
    [_six_to_four(PUBLIC_IP), _nat64(PUBLIC_IP), ipaddress.ip_address(PUBLIC_IP)],
    ids=["6to4", "nat64", "ipv4"],
)
def test_address_forbidden_lets_global_addresses_through(address):
    assert not address_forbidden(address)


# -- the team's link --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "team"),
    [
        ("/portal/p/OWN/changes/CR-2/", "/p/OWN/changes/CR-2/"),
        ("/portal/p/OWN/requirements/REQ-1/", "/p/OWN/requirements/REQ-1/"),
        ("/portal/p/OWN/baselines/3/", "/p/OWN/baselines/3/"),
        ("/portal/p/OWN/milestones/M-1/", "/p/OWN/milestones/M-1/"),
        ("/portal/p/OWN/communication/COM-4/", "/p/OWN/communication/COM-4/"),
        ("/portal/p/OWN/reports/2/", "/p/OWN/reports/2/"),
        ("/portal/p/OWN/", "/p/OWN/"),
        ("/portal/p/OWN/#action-items", "/p/OWN/"),
        ("/portal/p/OWN/changes/CR-2/decide/", "/p/OWN/"),  # no team twin: the overview
        ("/portal/", "/"),
        ("/p/OWN/tasks/T-1/", "/p/OWN/tasks/T-1/"),  # the team's own page stays
        ("http://127.0.0.1:8000/portal/p/OWN/changes/CR-2/", "/p/OWN/changes/CR-2/"),
    ],
)
def test_team_url_links_the_teams_page(link, team):
    assert team_url(link) == "http://127.0.0.1:8000" + team


def test_team_url_leaves_other_sites_alone():
    assert team_url("https://l.example/x") == "https://l.example/x"


def test_an_approval_request_links_the_teams_page_in_the_room(
    receiver, project, manager, client_user, client, django_capture_on_commit_callbacks
):
    """baseline_propose asks the client (its link is the portal's); the room
    gets the team's page of the baseline, which the team can open."""
    agreed_requirement(project, by=manager)
    _hook(project, receiver.url, events=["approval"])
    with django_capture_on_commit_callbacks(execute=True):
        baseline = baseline_propose(project=project, by=manager, title="Scope")
    (body,) = receiver.bodies
    link = f"http://127.0.0.1:8000/p/OWN/baselines/{baseline.number}/"
    assert body["event"] == "approval.needed" and body["url"] == link
    client.force_login(manager)
    assert client.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200


# -- requirement status changes ------------------------------------------------------


def test_a_requirement_status_change_reaches_the_room(
    receiver, project, manager, member, django_capture_on_commit_callbacks
):
    requirement = requirement_create(project=project, by=manager, title="Scan", owner=member)
    _hook(project, receiver.url, events=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        requirement_transition(requirement=requirement, by=manager, status="in_review")
    (body,) = receiver.bodies
    assert body["event"] == "requirement.status"
    assert body["text"] == f"{manager} moved REQ-1 Scan from Draft to In review"
    assert body["url"] == "http://127.0.0.1:8000/p/OWN/requirements/REQ-1/"
    # the owner hears of it too
    assert member.notifications.filter(event="requirement.status").count() == 1


# -- a room reads about people, not to them -----------------------------------------


def _spoken_to(text: str) -> bool:
    words = text.lower().replace(".", " ").replace(",", " ").split()
    return "you" in words or "your" in words


def test_a_new_member_is_named_in_the_room(
    receiver, smtp_inbox, project, manager, django_capture_on_commit_callbacks
):
    """member.added tells the person "added you"; the room reads who was added."""
    from liaison.projects.member_services import member_invite

    _hook(project, receiver.url, events=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        membership = member_invite(
            project=project,
            by=manager,
            email="wang.li@team.example",
            role="member",
            display_name="Wang Li",
            confirm=True,
        )
    (body,) = receiver.bodies
    assert body["event"] == "member.added"
    assert body["text"] == f"{manager} added Wang Li to {project} as Member"
    assert not _spoken_to(body["text"])
    # the person's own notification still speaks to them
    (row,) = membership.user.notifications.filter(event="member.added")
    assert row.text == f"{manager} added you to {project} as Member"


def test_a_change_sent_for_approval_names_the_client_in_the_room(
    receiver, project, manager, client_user, django_capture_on_commit_callbacks
):
    from liaison.changes.tests.factories import sent_change

    _hook(project, receiver.url, events=["approval"])
    with django_capture_on_commit_callbacks(execute=True):
        change = sent_change(project, manager)
    (body,) = receiver.bodies
    assert body["event"] == "approval.needed"
    assert body["text"] == f"{manager} asks the client to approve {change}"
    assert not _spoken_to(body["text"])
    (row,) = client_user.notifications.filter(event="approval.needed")
    assert row.text == f"{manager} asks you to approve {change}"


def test_a_baseline_to_sign_names_the_client_in_the_room(
    receiver, project, manager, client_user, django_capture_on_commit_callbacks
):
    agreed_requirement(project, by=manager)
    _hook(project, receiver.url, events=["approval"])
    with django_capture_on_commit_callbacks(execute=True):
        baseline = baseline_propose(project=project, by=manager, title="Scope")
    (body,) = receiver.bodies
    assert body["text"] == f"{manager} asks the client to sign {baseline}"
    assert not _spoken_to(body["text"])


def test_a_milestone_to_accept_and_a_report_to_acknowledge_name_the_client_in_the_room(
    receiver, project, manager, client_user, django_capture_on_commit_callbacks
):
    _hook(project, receiver.url, events=["approval"])
    with django_capture_on_commit_callbacks(execute=True):
        milestone = submitted_milestone(project, criteria=["Scans work"], note="")
    with django_capture_on_commit_callbacks(execute=True):
        report = published_report(project, by=manager)
    assert [body["text"] for body in receiver.bodies] == [
        f"{manager} asks the client to accept {milestone}",
        f"{manager} published the status report {report} for the client to acknowledge",
    ]


def test_withdrawing_a_change_the_client_awaits_posts_once(
    receiver, project, manager, client_user, django_capture_on_commit_callbacks
):
    """The team and the client are each told, in their own words; the room once."""
    from liaison.changes.services.lifecycle import change_withdraw
    from liaison.changes.tests.factories import sent_change

    change = sent_change(project, manager)
    _hook(project, receiver.url)  # every event
    with django_capture_on_commit_callbacks(execute=True):
        change_withdraw(change=change, by=manager, version=change.version)
    (body,) = receiver.bodies
    assert body["event"] == "change.withdrawn"
    assert body["text"] == f"{manager} withdrew {change}"
    assert client_user.notifications.filter(event="change.withdrawn").count() == 1


def test_withdrawing_a_clients_request_posts_once_without_you(
    receiver, project, manager, client_user, django_capture_on_commit_callbacks
):
    from liaison.changes.services.change_requests import change_request_from_client
    from liaison.changes.services.lifecycle import change_withdraw

    change = change_request_from_client(
        project=project, by=client_user, title="Dark mode", description=""
    )
    _hook(project, receiver.url)  # every event
    with django_capture_on_commit_callbacks(execute=True):
        change_withdraw(change=change, by=manager, version=change.version)
    (body,) = receiver.bodies
    assert body["text"] == f"{manager} withdrew {change}"
    assert client_user.notifications.filter(event="change.request_withdrawn").count() == 1


# -- the signing secret ------------------------------------------------------------


def test_webhook_create_keeps_the_secret_out_of_the_audit(public_dns, project, manager):
    secret = "SEC" + "ab" * 32
    webhook = webhook_create(
        project=project,
        by=manager,
        name="DingTalk room",
        url="https://hooks.example.test/robot/send?access_token=x",
        format="dingtalk",
        events=[],
        secret=f"  {secret} ",
    )
    assert webhook.secret == secret
    assert webhook.secret_hint == "••••abab"
    activity = Activity.objects.get(verb="created", target_id=webhook.pk)
    assert secret not in json.dumps(activity.diff, ensure_ascii=False)
    assert activity.diff["secret"] == [None, "••••"]


@pytest.mark.parametrize(
    ("format", "secret"),
    [("wecom", "abc"), ("slack", "abc"), ("dingtalk", "SEC abc"), ("generic", "x" * 201)],
)
def test_webhook_create_refuses_a_secret_that_cannot_be_used(
    public_dns, project, manager, format, secret
):
    with pytest.raises(InvalidInput) as refused:
        webhook_create(
            project=project,
            by=manager,
            name="Room",
            url="https://hooks.example.test/x",
            format=format,
            events=[],
            secret=secret,
        )
    assert refused.value.field == "secret"


def test_webhook_update_replaces_keeps_and_drops_the_secret(project, manager):
    webhook = _hook(project, "https://unresolvable.invalid/", Webhook.Format.FEISHU, secret="one")
    webhook = webhook_update(webhook=webhook, by=manager, version=1, name="Renamed")
    assert webhook.secret == "one"
    webhook = webhook_update(webhook=webhook, by=manager, version=2, secret="two")
    assert webhook.secret == "two"
    # Slack signs nothing: switching to it drops the secret
    webhook = webhook_update(webhook=webhook, by=manager, version=3, format="slack")
    assert (webhook.format, webhook.secret) == ("slack", "")
    diffs = [a.diff for a in activity_since(webhook, 1)]
    assert {"secret": ["••••", "••••"]} in diffs
    assert "two" not in json.dumps(diffs)


def test_secret_hint_hides_a_short_secret(project):
    assert _hook(project, "https://a.example/", secret="short").secret_hint == "••••"
    assert _hook(project, "https://a.example/").secret_hint == ""
