"""Writes of the webhook pages and API: create, update, delete, send a test."""

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.collab.notification_kinds import ROOM_KINDS
from liaison.collab.notify import absolute_url
from liaison.core.activity import activity_record
from liaison.core.locking import apply_fields, check_version, save_changes
from liaison.core.services import InvalidInput
from liaison.projects import access
from liaison.projects.access import Action
from liaison.projects.models import Project
from liaison.webhooks.delivery import deliveries_queue
from liaison.webhooks.guard import TargetRefused, check_target, parse_target
from liaison.webhooks.models import Webhook, WebhookDelivery

Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.

EDITABLE_FIELDS = ("name", "url", "format", "events", "active", "secret")
SECRET_MAX = 200


# -- the services ------------------------------------------------------------------


def _clean_url(url: str | None) -> str:
    url = (url or "").strip()
    if not url:
        raise InvalidInput(_("Paste the webhook address the chat service gave you."), field="url")
    if len(url) > 500:
        raise InvalidInput(_("At most 500 characters."), field="url")
    try:
        parse_target(url)  # the scheme and credentials first: their messages are clearer
        URLValidator(schemes=["http", "https"])(url)
        check_target(url)
    except TargetRefused as refused:
        raise InvalidInput(str(refused.message), field="url") from None
    except ValidationError:
        raise InvalidInput(
            _("Enter a full web address, such as https://hooks.chat.example/…"), field="url"
        ) from None
    return url


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()[:100]
        if not fields["name"]:
            raise InvalidInput(
                _("Give the webhook a name, such as the chat room it posts to."), field="name"
            )
    if "url" in fields:
        fields["url"] = _clean_url(fields["url"])
    if "format" in fields and fields["format"] not in Format.values:
        raise InvalidInput(_("Choose the format the chat service reads."), field="format")
    if "events" in fields:
        events = set(fields["events"] or ())
        unknown = events - set(ROOM_KINDS)
        if unknown:
            raise InvalidInput(
                _("Unknown events: %(names)s") % {"names": ", ".join(sorted(unknown))},
                field="events",
            )
        fields["events"] = [kind for kind in ROOM_KINDS if kind in events]
    if "active" in fields:
        fields["active"] = bool(fields["active"])
    if "secret" in fields:
        fields["secret"] = _clean_secret(fields["secret"])
    return fields


def _clean_secret(secret: str | None) -> str:
    secret = (secret or "").strip()
    if len(secret) > SECRET_MAX:
        raise InvalidInput(
            _("At most %(count)d characters.") % {"count": SECRET_MAX}, field="secret"
        )
    if any(char.isspace() for char in secret):
        raise InvalidInput(
            _("A signing secret has no spaces: copy it again from the chat service."),
            field="secret",
        )
    return secret


def _check_secret_fits(format: str, secret: str) -> None:
    if secret and format not in Webhook.SIGNED_FORMATS:
        raise InvalidInput(
            _("%(format)s signs nothing: leave the secret empty.")
            % {"format": Format(format).label},
            field="secret",
        )


def _safe_diff(diff: dict[str, Any]) -> dict[str, Any]:
    """The audit log is read by the whole team; a webhook address carries the
    chat room's key, so only its host is recorded."""
    if "url" in diff:
        diff = {
            **diff,
            "url": [urlsplit(value).hostname if value else value for value in diff["url"]],
        }
    if "secret" in diff:  # that it was set or changed, never the secret
        diff = {**diff, "secret": ["••••" if value else value for value in diff["secret"]]}
    return diff


@transaction.atomic
def webhook_create(
    *,
    project: Project,
    by: User,
    name: str,
    url: str,
    format: str,
    events: Iterable[str] | None,
    secret: str = "",
) -> Webhook:
    access.require(by, Action.MANAGE, project)
    fields = _clean(
        {"name": name, "url": url, "format": format, "events": events, "secret": secret}
    )
    _check_secret_fits(fields["format"], fields["secret"])
    webhook = Webhook.objects.create(project=project, created_by=by, **fields)
    activity_record(
        actor=by,
        verb="created",
        target=webhook,
        project=project,
        diff=_safe_diff({key: [None, value] for key, value in fields.items()}),
    )
    return webhook


@transaction.atomic
def webhook_update(*, webhook: Webhook, by: User, version: int, **fields: Any) -> Webhook:
    access.require(by, Action.MANAGE, webhook.project)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )
    locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
    check_version(locked, version)
    if fields.get("url") is not None and fields["url"].strip() == locked.url:
        fields.pop("url")  # unchanged: not checked again (its host may be down right now)
    fields = _clean(fields)
    if not fields.get("secret") and fields.get("format", locked.format) not in (
        Webhook.SIGNED_FORMATS
    ):
        fields["secret"] = ""  # a format that signs nothing would never use it
    _check_secret_fits(fields.get("format", locked.format), fields.get("secret", locked.secret))
    diff = apply_fields(locked, fields)
    if diff:
        save_changes(locked, diff)
        activity_record(
            actor=by, verb="updated", target=locked, project=locked.project, diff=_safe_diff(diff)
        )
    return locked


@transaction.atomic
def webhook_delete(*, webhook: Webhook, by: User) -> None:
    """Deletes the webhook and its delivery log."""
    access.require(by, Action.MANAGE, webhook.project)
    activity_record(actor=by, verb="deleted", target=webhook, project=webhook.project)
    webhook.delete()


@transaction.atomic
def webhook_test(*, webhook: Webhook, by: User) -> WebhookDelivery:
    """Queue a test message to the webhook, in the sender's language, whether or not
    the webhook is active; the delivery log shows how it went. The log is the
    record of it: no audit row."""
    project = webhook.project
    access.require(by, Action.MANAGE, project)
    with translation.override(by.language):
        text = _("Test message from Liaison for %(project)s, sent by %(name)s.") % {
            "project": project.name,
            "name": by,
        }
        text = str(text)
    (delivery,) = deliveries_queue(
        [webhook],
        event="test",
        text=text,
        url=absolute_url(reverse("home:overview", args=[project.code])),
        language=by.language,
    )
    return delivery
