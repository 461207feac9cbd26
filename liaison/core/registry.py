"""The registry: how the layers above plug into the ones below without being
imported by them (docs/architecture.md, "The registry").

Each app's `AppConfig.ready()` registers what it offers; the surfaces and the
collaboration layer iterate what is registered. Registration happens once, at
start-up, in INSTALLED_APPS order; nothing registers later.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models


@dataclass(frozen=True)
class RoomMessage:
    """An event for the project's chat rooms: `text(language)` writes it in a
    language (a room has no single reader), `url` is absolute."""

    event: str
    room: str
    project: models.Model
    url: str
    text: Callable[[str], str]


# A reminder run: a function of "now" returning how many people it told.
Reminder = Callable[[dt.datetime | None], int]
RoomSender = Callable[[RoomMessage], None]
AnyReminder = TypeVar("AnyReminder", bound=Reminder)


@dataclass
class Registry:
    room_senders: list[RoomSender] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    # Where a signed-in person starts (sign-in, an accepted invitation): the
    # projects layer knows who is staff and who is a client; identity does not.
    start_page: Callable[[models.Model], str] = lambda user: "/"

    def room_sender(self, function: RoomSender) -> RoomSender:
        """Decorator: post a project's room events somewhere (webhooks do)."""
        self.room_senders.append(function)
        return function

    def reminder(self, function: AnyReminder) -> AnyReminder:
        """Decorator: a feature's reminder run, which `manage.py send_reminders`
        runs with the others (for a deployment that runs cron instead of huey)."""
        if function not in self.reminders:
            self.reminders.append(function)
        return function


registry = Registry()
