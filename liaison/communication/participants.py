"""The people at an interaction who have no account: read from the form's lines
("Name <address>", a bare address or a bare name) or the API's dicts, and
written back as those lines."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from liaison.core.services import InvalidInput

MAX_EXTERNAL = 100
# "Ada Lovelace <ada@client.example>", "<ada@client.example>", "ada@client.example", "Ada Lovelace"
_NAMED_ADDRESS = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*$")


def parse_external_participants(value) -> list[dict]:
    """Text lines "Name <email>" (or a bare address, or a bare name) or dicts
    {name, email}; every address given must be one. Blank lines are skipped."""
    if isinstance(value, str):
        items = [line for line in value.splitlines() if line.strip()]
    else:
        items = list(value or ())
    cleaned = []
    for item in items:
        if isinstance(item, dict):
            name = str(item.get("name") or "").strip()
            email = str(item.get("email") or "").strip()
            line = f"{name} <{email}>".strip() if email else name
            meant_address = bool(email)
        else:
            line = str(item).strip()
            name, email = _split_line(line)
            meant_address = bool(email) or "<" in line  # "Name <>" meant one too
        if not name and not meant_address:
            continue
        if meant_address:
            try:
                validate_email(email)
            except ValidationError:
                raise InvalidInput(
                    _("“%(line)s”: “%(email)s” is not an e-mail address. Write “Name <address>”.")
                    % {"line": line[:200], "email": email[:200]},
                    field="external_participants",
                    code="bad_email",
                ) from None
        cleaned.append({"name": (name or email.split("@", 1)[0])[:200], "email": email.lower()})
    if len(cleaned) > MAX_EXTERNAL:
        raise InvalidInput(
            _("At most %(count)s other participants.") % {"count": MAX_EXTERNAL},
            field="external_participants",
        )
    return cleaned


def _split_line(line: str) -> tuple[str, str]:
    match = _NAMED_ADDRESS.match(line)
    if match:
        return match["name"].strip().strip('"').strip(), match["email"].strip()
    if "@" in line or "<" in line or ">" in line:  # meant as an address
        return "", line.strip("<> ")
    return line, ""


def external_lines(external: list[dict]) -> str:
    """The form's text for stored external participants."""
    return "\n".join(external_label(person) for person in external or ())


def external_label(person: dict) -> str:
    name, email = person.get("name") or "", person.get("email") or ""
    return f"{name} <{email}>" if email else name
