from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "liaison.planning"
    label = "planning"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import ClientDecision, OverviewCard, ProjectLink, registry
        from liaison.planning.models import Milestone
        from liaison.planning.report_section import SECTION as report_section
        from liaison.planning.selectors.summary import plan_summary

        registry.add(
            ProjectLink(_("Plan"), "planning:gantt", order=50),
            ProjectLink(_("Tasks"), "planning:tasks", order=60),
            ProjectLink(_("Board"), "planning:board", order=70, exact=True),
            ProjectLink(_("Milestones"), "planning:milestones", order=80),
            ProjectLink(_("Workload"), "planning:workload", order=90, exact=True),
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
                context=lambda project, audience: {
                    "plan": plan_summary(project=project, audience=audience)
                },
            ),
            report_section,
        )
