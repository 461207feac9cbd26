"""API: a project's communication log, its action items and its communication
plan; and every signed-in person's own inbox of notifications. One module each.

The project operations are the team's, like every internal operation: client
users get 404 (they use the portal). Members and managers write the log and the
action items; the plan is the manager's; observers read. The inbox is anyone's
own, clients included. Writes go through the same services as the pages.
"""

from ninja import Router

from liaison.communication.api import action_items, interactions, notifications, plan

router = Router(tags=["communication"])
for resource in (interactions, action_items, plan, notifications):
    router.add_router("", resource.router)
