"""@mentions in comments and minutes.

The syntax: ``@`` followed by the part of a project member's e-mail address
before the ``@`` (``@pm`` for pm@demo.test) or by their whole address
(``@pm@demo.test``). Case does not matter. Mentions inside code spans and code
blocks do not count, nor do strings that merely contain one (``me@pm``).

Only members of the project can be mentioned, and a client only from a text
the client can read: an internal text mentions the team only.
"""

import re

from liaison.accounts.models import User
from liaison.projects.models import Membership

# The character before an @mention: the start or anything that cannot be part of
# an address (so "me@pm.com" is an address, not a mention of "pm").
_MENTION = re.compile(r"(?<![\w.+\-@])@([\w.+\-]+(?:@[\w\-]+(?:\.[\w\-]+)+)?)", re.UNICODE)
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?(?:^ {0,3}\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
_INDENTED = re.compile(r"^(?: {4}|\t).*$", re.MULTILINE)
_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def _without_code(text: str) -> str:
    text = _FENCE.sub(" ", text)
    text = _INDENTED.sub(" ", text)
    return _SPAN.sub(" ", text)


def mention_handles(text: str) -> set[str]:
    """The lower-cased handles written after an @ (without trailing dots)."""
    if not text or "@" not in text:
        return set()
    return {match.rstrip(".").lower() for match in _MENTION.findall(_without_code(text))}


def mentioned_users(text: str, project, *, audience_client_visible: bool = False) -> list[User]:
    """The active members of `project` the text mentions, each once, by name.

    `audience_client_visible`: the text is shown to the client (a client-visible
    comment or interaction); otherwise clients cannot be mentioned."""
    handles = mention_handles(text)
    if not handles:
        return []
    roles = list(Membership.Role.values)
    if not audience_client_visible:
        roles.remove(Membership.Role.CLIENT)
    members = User.objects.filter(
        is_active=True, memberships__project=project, memberships__role__in=roles
    ).distinct()
    found = []
    for user in members:
        email = user.email.lower()
        if email in handles or email.split("@", 1)[0] in handles:
            found.append(user)
    return found
