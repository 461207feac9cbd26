"""API: a project's plan — milestones, tasks, dependencies and the Gantt data,
one module each.

Team only, like every internal operation: client users get 404 (they use the
portal). Milestones are the manager's to write; members and managers write
tasks and dependencies; observers read. Writes go through the same services as
the pages, so a change of dates pushes the successors here too.
"""

from ninja import Router

from liaison.planning.api import dependencies, gantt, milestones, people, tasks

router = Router(tags=["plan"])
for resource in (milestones, tasks, dependencies, gantt, people):
    router.add_router("", resource.router)
