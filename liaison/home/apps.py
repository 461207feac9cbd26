from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "liaison.home"
    label = "home"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from liaison.core.registry import OverviewCard, ProjectLink, registry
        from liaison.home.views import home_for, overview_activity, overview_comments

        registry.start_page = home_for
        registry.add(
            ProjectLink(_("Overview"), "home:overview", order=10, exact=True),
            ProjectLink(_("Activity"), "home:activity", order=140, exact=True),
            # The overview's own cards: the description and the comments in the
            # main column; the people and the latest activity in the side one,
            # after the features' cards.
            OverviewCard("about", order=10, template="home/_about_card.html", column="main"),
            OverviewCard(
                "comments",
                order=20,
                template="home/_comments_card.html",
                context=overview_comments,
                column="main",
            ),
            OverviewCard("team", order=900, template="home/_team_card.html"),
            OverviewCard(
                "activity",
                order=910,
                template="home/_activity_card.html",
                context=overview_activity,
            ),
        )
