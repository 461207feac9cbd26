from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "liaison.planning"
    label = "planning"

    def ready(self) -> None:
        from liaison.core.registry import registry as search_registry
        from liaison.planning.search_sources import SOURCES as search_sources

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import (
            ClientDecision,
            OverviewCard,
            PortalCard,
            PortalTab,
            ProjectLink,
            registry,
        )
        from liaison.planning import feed, portal_urls
        from liaison.planning.models import Milestone
        from liaison.planning.report_section import SECTION as report_section
        from liaison.planning.selectors.summary import plan_summary

        registry.add(
            ProjectLink(_("Plan"), "planning:gantt", order=50),
            ProjectLink(_("Tasks"), "planning:tasks", order=60),
            ProjectLink(_("Board"), "planning:board", order=70, exact=True),
            ProjectLink(_("Milestones"), "planning:milestones", order=80),
            ProjectLink(_("Workload"), "planning:workload", order=90, exact=True),
            # Also the current tab on a milestone's pages, which sit outside the timeline's.
            PortalTab(
                _("Timeline and milestones"),
                "portal:timeline",
                order=40,
                urls=portal_urls.urlpatterns,
                exact=True,
                also_current=("/milestones/",),
            ),
            # Where the work stands: the weighted progress (as a report counts
            # it) and the next milestone, beside the client's overview.
            PortalCard(
                "standing",
                order=5,
                template="planning/portal/_standing_card.html",
                context=_standing,
                column="side",
            ),
            PortalCard("timeline", order=30, template="planning/portal/_project_card.html"),
            ClientDecision(
                "milestones",
                order=20,
                waiting=lambda projects: (
                    Milestone.objects.filter(
                        project__in=projects, client_visible=True, status=Milestone.Status.SUBMITTED
                    )
                    .select_related("project")
                    .order_by("due_date", "id")
                ),
                template="planning/_client_decision.html",
            ),
            OverviewCard(
                "plan",
                order=10,
                template="planning/_overview_card.html",
                context=lambda request, project, audience: {
                    "plan": plan_summary(project=project, audience=audience)
                },
            ),
            report_section,
            *feed.SOURCES,
        )
        registry.add_events(
            {
                "milestone.decided": "answer",
                "task.assigned": "assigned",
                "task.rescheduled": "status",
            }
        )


def _standing(request, project) -> dict:
    from liaison.planning.selectors.milestones import next_milestone
    from liaison.planning.selectors.report import project_progress

    return {"progress": project_progress(project), "milestone": next_milestone(project=project)}
