"""The plan as the scheduler sees it, for the Gantt chart: slack and criticality
per task, and which dependency links drive their successor (the critical ones)."""

from typing import Any

from liaison.planning.scheduling import CycleError, Item, Link, WorkCalendar, schedule
from liaison.planning.selectors.plan import plan_links
from liaison.projects.models import Project


class PlanSchedule:
    """Slack and criticality per task id, and which links drive their successor."""

    def __init__(
        self, project: Project, calendar: WorkCalendar, tasks: list[dict[str, Any]]
    ) -> None:
        # The team's tasks hold every dated task: no need to ask for them again.
        items = [
            Item(task["pk"], task["start_date"], task["due_date"])
            for task in tasks
            if task["start_date"] and task["due_date"]
        ]
        self.links = plan_links(project)
        self.calendar = calendar
        self._windows: dict[int, tuple[int, int]] = {}
        try:
            self.slots = schedule(items, self.links, calendar)
            self.cycle = False
        except CycleError:
            # A looped plan still draws; it has no critical path until the loop is broken.
            self.slots, self.cycle = {}, True

    def _window(self, task_id: int) -> tuple[int, int]:
        """The scheduled dates as working-day numbers, as the scheduler counts them."""
        window = self._windows.get(task_id)
        if window is None:
            slot = self.slots[task_id]
            start = self.calendar.index(slot.start)
            window = (start, start + self.calendar.span(slot.start, slot.finish) - 1)
            self._windows[task_id] = window
        return window

    def link_critical(self, link: Link) -> bool:
        """A critical link joins two critical tasks and is the one holding the successor."""
        before, after = self.slots.get(link.predecessor), self.slots.get(link.successor)
        if not (before and after and before.critical and after.critical):
            return False
        p_start, p_finish = self._window(link.predecessor)
        s_start, s_finish = self._window(link.successor)
        if link.kind == "FS":
            return s_start == p_finish + 1 + link.lag
        if link.kind == "SS":
            return s_start == p_start + link.lag
        if link.kind == "FF":
            return s_finish == p_finish + link.lag
        return s_finish == p_start + link.lag  # SF
