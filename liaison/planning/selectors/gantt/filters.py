"""What the Gantt view shows: scale, window, filters and collapsed parents, read
from the query string and written back into links."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict

from liaison.core.params import iso_date, positive_int
from liaison.planning.models import Task

SCALES = ("day", "week", "month", "quarter")
DEFAULT_SCALE = "week"
TASK_KEY = re.compile(r"^T-\d{1,9}$")
_MAX_COLLAPSED = 1000


@dataclass(frozen=True)
class GanttFilters:
    scale: str = DEFAULT_SCALE
    start: dt.date | None = None  # None: from the plan's first date
    end: dt.date | None = None  # None: to the plan's last date
    milestone: str = ""  # a milestone key
    assignee: int | None = None  # a user id
    status: str = ""
    collapsed: frozenset[str] = frozenset()  # task keys whose children are hidden

    @classmethod
    def from_query(cls, query: QueryDict) -> "GanttFilters":
        """Whatever the query string holds: unknown or malformed values are ignored."""
        scale = query.get("scale", "")
        status = query.get("status", "")
        start, end = iso_date(query.get("from")), iso_date(query.get("to"))
        if start and end and end < start:
            start, end = end, start
        collapsed: set[str] = set()
        for value in query.getlist("collapsed"):
            for key in value.split(","):
                key = key.strip().upper()
                if TASK_KEY.match(key) and len(collapsed) < _MAX_COLLAPSED:
                    collapsed.add(key)
        return cls(
            scale=scale if scale in SCALES else DEFAULT_SCALE,
            start=start,
            end=end,
            milestone=query.get("milestone", "").strip()[:20],
            assignee=positive_int(query.get("assignee")),
            status=status if status in Task.Status.values else "",
            collapsed=frozenset(collapsed),
        )

    @property
    def is_filtered(self) -> bool:
        """Does the view leave out tasks the plan has (the collapse aside)?"""
        return bool(
            self.start or self.end or self.milestone or self.assignee is not None or self.status
        )

    def params(self, **changes: Any) -> dict[str, str]:
        values: dict[str, Any] = {
            "scale": self.scale if self.scale != DEFAULT_SCALE else "",
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "milestone": self.milestone,
            "assignee": "" if self.assignee is None else str(self.assignee),
            "status": self.status,
            "collapsed": self.collapsed,
        }
        values.update(changes)
        collapsed = values.pop("collapsed") or ()
        if not isinstance(collapsed, str):
            collapsed = ",".join(sorted(collapsed, key=_key_number))
        values["collapsed"] = collapsed
        return {key: str(value) for key, value in values.items() if value not in ("", None)}

    def query(self, **changes: Any) -> str:
        """This view's query string with some values replaced (links, chips, toggles);
        `collapsed` takes a set of keys or a comma-separated string."""
        return urlencode(self.params(**changes))

    def toggled(self, key: str) -> str:
        """The query string with `key` collapsed if it was open, open if it was collapsed."""
        return self.query(collapsed=self.collapsed ^ {key})


def _key_number(key: str) -> int:
    return int(key.partition("-")[2] or 0)
