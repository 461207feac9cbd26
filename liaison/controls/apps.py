from django.apps import AppConfig


class ControlsConfig(AppConfig):
    """Risks and their contingency plans, issues and defects with escalation, quality
    checks and the client's acceptance tests: what keeps a delivery under control."""

    name = "liaison.controls"
    label = "controls"

    def ready(self) -> None:
        from liaison.controls.search_sources import SOURCES as search_sources
        from liaison.core.registry import registry as search_registry

        search_registry.add(*search_sources)  # what the search finds (core/search.py)
        _register_risks()
        _register_issues()
        _register_contingency()
        _register_quality()


def _register_risks() -> None:
    """The risk register's link, cards, tab, report section, events and review job."""
    from django.utils.translation import gettext_lazy as _

    from liaison.controls import portal_urls, risk_jobs  # noqa: F401 (risk_jobs: its job)
    from liaison.controls.report_risks import SECTION
    from liaison.controls.selectors.risks import top_risks
    from liaison.core.registry import OverviewCard, PortalTab, ProjectLink, registry

    registry.add(
        ProjectLink(_("Risks"), "controls:risks", order=94),
        PortalTab(_("Risks"), "portal:risks", order=35, urls=portal_urls.risk_urls),
        OverviewCard(
            "risks",
            order=25,
            template="controls/_risk_overview_card.html",
            context=lambda request, project, audience: {
                "risks": top_risks(project=project, audience=audience)
            },
        ),
        SECTION,
    )
    registry.add_events(
        {
            "risk.assigned": "assigned",
            "risk.occurred": "request",  # the team acts on its contingency plan
            "risk.review_due": "reminder",
        }
    )


def _register_issues() -> None:
    """Issues (ISS-n): the sidebar link, the overview's card, the portal's tab
    and the decisions waiting for the client, the report's section, the
    notification events and the daily escalation job."""
    from django.utils.translation import gettext_lazy as _

    from liaison.controls import (
        issue_jobs,  # noqa: F401  (the daily escalation, for huey)
        portal_urls,
    )
    from liaison.controls.report_issues import SECTION as issues_section
    from liaison.controls.selectors.issues import (
        client_raised_open,
        disputes_waiting,
        open_by_severity,
        resolutions_waiting,
    )
    from liaison.core.registry import (
        ClientDecision,
        OverviewCard,
        PortalCard,
        PortalTab,
        ProjectLink,
        registry,
    )

    registry.add(
        ProjectLink(_("Issues"), "controls:issues", order=96),
        # The open issues the client raised, on the portal's overview.
        PortalCard(
            "issues",
            order=40,
            template="controls/portal/_issues_card.html",
            context=lambda request, project: {"issues": client_raised_open(project=project)},
        ),
        PortalTab(_("Issues"), "portal:issues", order=36, urls=portal_urls.issue_urls),
        ClientDecision(
            "issue_resolutions",
            order=50,
            waiting=resolutions_waiting,
            template="controls/_issue_client_decision.html",
        ),
        ClientDecision(
            "disputes",
            order=55,
            waiting=disputes_waiting,
            template="controls/_dispute_client_decision.html",
        ),
        OverviewCard(
            "issues",
            order=26,
            template="controls/_issue_overview_card.html",
            context=lambda request, project, audience: {
                "issues": open_by_severity(project=project, audience=audience)
            },
        ),
        issues_section,
    )
    registry.add_events(
        {
            "issue.raised": "request",  # a critical issue, or the client's: the manager acts
            "issue.assigned": "assigned",
            "issue.escalated": "request",
            "issue.resolved": "approval",  # whoever raised it verifies the resolution
            "issue.verified": "answer",
            "issue.reopened": "answer",
            "dispute.position": "comment",
            "dispute.outcome_agreed": "approval",  # the client confirms it
            "dispute.confirmed": "answer",
        }
    )


def _register_contingency() -> None:
    """The contingency plans' notification event: a plan activated hands its work out."""
    from liaison.core.registry import registry

    registry.add_events({"risk.plan_activated": "request"})


def _register_quality() -> None:
    """Quality: the sidebar link, the overview's card of the last results, the
    portal's acceptance-test tab and the rounds waiting for the client, the
    report's section, the requirements' "verified by the client" mark and the
    notification events."""
    from django.utils.translation import gettext_lazy as _

    from liaison.controls import portal_urls
    from liaison.controls.report_quality import SECTION as quality_section
    from liaison.controls.selectors.quality import (
        last_results,
        rounds_waiting,
        verified_by_client,
    )
    from liaison.core.registry import (
        ClientDecision,
        OverviewCard,
        PortalTab,
        ProjectLink,
        RequirementMark,
        registry,
    )

    registry.add(
        ProjectLink(_("Quality"), "controls:quality", order=97),
        PortalTab(_("Acceptance tests"), "portal:uat-rounds", order=37, urls=portal_urls.uat_urls),
        ClientDecision(
            "uat_rounds",
            order=58,
            waiting=rounds_waiting,
            template="controls/_uat_client_decision.html",
        ),
        OverviewCard(
            "quality",
            order=27,
            template="controls/_quality_overview_card.html",
            context=lambda request, project, audience: {
                "quality": last_results(project=project, audience=audience)
            },
        ),
        RequirementMark(
            "verified_by_client",
            order=10,
            label=_("Verified by the client"),
            marked=lambda project, ids: verified_by_client(project=project, requirement_ids=ids),
        ),
        quality_section,
    )
    registry.add_events(
        {
            "uat.opened": "approval",  # the client is asked to run the tests
            "uat.submitted": "answer",  # the manager hears the results
            "quality.check_failed": "request",  # the manager acts on it
        }
    )
