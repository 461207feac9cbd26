from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "liaison.projects"
    label = "projects"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _
        from huey.contrib.djhuey import HUEY

        from liaison.core.registry import ProjectLink, registry
        from liaison.projects import viewer

        registry.add(
            ProjectLink(_("Members"), "projects:members", order=130, exact=True),
            ProjectLink(_("Settings"), "projects:edit", order=150, exact=True, managers_only=True),
        )
        # Every background job reads what its people hold in a scope of its own.
        HUEY.pre_execute("viewer_scope")(viewer.open_job_scope)
        HUEY.post_execute("viewer_scope")(viewer.close_job_scope)
