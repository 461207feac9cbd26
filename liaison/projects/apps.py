from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "liaison.projects"
    label = "projects"

    def ready(self) -> None:
        from huey.contrib.djhuey import HUEY

        from liaison.projects import viewer

        # Every background job reads what its people hold in a scope of its own.
        HUEY.pre_execute("viewer_scope")(viewer.open_job_scope)
        HUEY.post_execute("viewer_scope")(viewer.close_job_scope)
