"""What the projects layer announces for the layers above it to act on.

The projects layer sits below collaboration (comments, notifications), so it
does not tell people itself: collab.project_events listens and notifies. Sent
inside the service's transaction, like any other write of it.
"""

from django.dispatch import Signal

# A project got a manager (a new project, or another manager chosen).
# Arguments: project, by.
manager_assigned = Signal()

# Somebody joined a project. Arguments: membership, by.
member_added = Signal()
