"""A notification's sentence as data, read back in the reader's language.

notify() stores the message's gettext key (the msgid of the lazy string the
service wrote) and its parameters as JSON: names, keys and titles as they were
(data, the same in every language), and translatable words (a role, a kind of
meeting) by their own gettext key. The sentence is made when somebody reads
it, in the language active then: the inbox page, the bell, the e-mail (in the
recipient's language), the digest."""

import datetime as dt

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

MAX_LENGTH = 500  # of a sentence shown, and of one stored parameter
MSGID, CONTEXT = "msgid", "context"


def gettext_key(value) -> dict | None:
    """{"msgid": …} (and "context") of a lazy gettext/pgettext string, else None.
    Read from the lazy object's arguments and checked against what it says
    now, so anything else lazy (a format_lazy, a plural) is frozen instead."""
    if not isinstance(value, Promise):
        return None
    args: tuple[object, ...] = getattr(value, "_args", ())
    if getattr(value, "_kw", None) or not all(isinstance(arg, str) for arg in args):
        return None
    if len(args) == 1:
        key = {MSGID: args[0]}
    elif len(args) == 2:
        key = {CONTEXT: args[0], MSGID: args[1]}
    else:
        return None
    return key if _translate(key) == str(value) else None


def _translate(key: dict) -> str:
    if CONTEXT in key:
        return pgettext(key[CONTEXT], key[MSGID])
    return gettext(key[MSGID])


def param_data(value):
    """One parameter as JSON: a translatable word by its key, a date as ISO,
    anything else (a person, a task, a title) by its name."""
    key = gettext_key(value)
    if key is not None:
        return key
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)[:MAX_LENGTH]


def params_data(params: dict) -> dict:
    return {name: param_data(value) for name, value in params.items()}


def _param_text(value):
    if isinstance(value, dict) and MSGID in value:
        return _translate(value)
    return value


def message_text(message: str, params: dict, fallback: str = "") -> str:
    """The sentence in the active language. A row written before messages were
    stored as data (no message) shows the text it was written with; a message
    whose parameters no longer fit shows that text too, or the English one."""
    if not message:
        return fallback[:MAX_LENGTH]
    values = {name: _param_text(value) for name, value in params.items()}
    for template in (gettext(message), message):
        try:
            return (template % values)[:MAX_LENGTH]
        except (KeyError, TypeError, ValueError):
            continue
    return (fallback or message)[:MAX_LENGTH]
