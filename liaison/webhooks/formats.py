"""The message each chat service reads (generic JSON, WeCom 企业微信, DingTalk
钉钉, Feishu 飞书, Slack), and the team's link: the room is the team's, so every
message links the team's page of the object (a client's portal link becomes its
team twin)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.collab.notify import absolute_url
from liaison.webhooks.models import Webhook, WebhookDelivery

Format = Webhook.Format
Status = WebhookDelivery.Status
# The wait before each retry: 30 s, 2 min, 10 min, 1 h; then the delivery has failed.

# -- the message formats ------------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Links, images and HTML are what typed text could smuggle into a chat room's
# markdown; look-alike brackets read the same and link nowhere (WeCom and
# DingTalk show backslash escapes as they are, so escaping is no option).
MARKDOWN_NEUTRAL = str.maketrans({"[": "［", "]": "］", "<": "‹", ">": "›"})


def _markdown_escape(text: str) -> str:
    """Plain text in a markdown message: what a client typed (a subject) must
    not turn into links or images in the team's chat room."""
    return text.translate(MARKDOWN_NEUTRAL)


def payload_for(format: str, *, event: str, text: str, url: str, project) -> dict:
    """The JSON body for one event in the webhook's format. Labels ("Open in
    Liaison") are in the active language."""
    heading = f"[{project.code}] {project.name}"
    if format == Format.WECOM:
        content = f"**{heading}**\n{_markdown_escape(text)}\n[{_('Open in Liaison')}]({url})"
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if format == Format.DINGTALK:
        body = f"#### {heading}\n\n{_markdown_escape(text)}\n\n[{_('Open in Liaison')}]({url})"
        return {
            "msgtype": "markdown",
            "markdown": {"title": f"[{project.code}] {_markdown_escape(text)}"[:100], "text": body},
        }
    if format == Format.FEISHU:
        return {"msg_type": "text", "content": {"text": f"{heading}\n{text}\n{url}"}}
    if format == Format.SLACK:
        return {"text": f"*{_slack_escape(heading)}*\n<{url}|{_slack_escape(text)}>"}
    return {
        "event": event,
        "text": text,
        "url": url,
        "project": {"code": project.code, "name": project.name},
        "sent_at": timezone.now().isoformat(),
    }


# -- the team's link -----------------------------------------------------------------

# A chat room is the team's: a link to a client's portal page (which 404s for the
# team) becomes the team's page of the same object. Names only, so the core
# imports no feature; a portal page not listed links the project's overview.
PORTAL_TO_TEAM = {
    "portal:home": "home:dashboard",
    "portal:project": "home:overview",
    "portal:requirements": "requirements:list",
    "portal:requirement": "requirements:detail",
    "portal:baseline": "requirements:baseline",
    "portal:baseline-pdf": "requirements:baseline-pdf",
    "portal:milestone": "planning:milestone",
    "portal:milestone-pdf": "planning:milestone-pdf",
    "portal:interactions": "communication:interactions",
    "portal:interaction": "communication:interaction",
    "portal:changes": "changes:list",
    "portal:change": "changes:detail",
    "portal:reports": "reports:list",
    "portal:report": "reports:detail",
    "portal:report-pdf": "reports:pdf",
}


def team_url(url: str) -> str:
    """The team's page on SITE_URL for a link written for a notification, which
    may be the client's portal page of the object. Other links stay as they are."""
    path = url.removeprefix(settings.SITE_URL) if url.startswith(settings.SITE_URL) else url
    if not path.startswith("/"):
        return absolute_url(url)  # another site's address, or not a path at all
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return absolute_url(path)
    if match.namespace != "portal":
        return absolute_url(path)
    name, kwargs = PORTAL_TO_TEAM.get(match.view_name), match.kwargs
    if name is None and "code" in kwargs:
        name, kwargs = "home:overview", {"code": kwargs["code"]}
    elif name is None:
        name, kwargs = "home:dashboard", {}
    return absolute_url(reverse(name, kwargs=kwargs))
