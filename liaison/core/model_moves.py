"""Moving a model to another app without moving its data.

The table keeps its name (the model's `db_table`), the migrations change only
Django's state (SeparateDatabaseAndState), and the model's content type is
renamed in place, so every generic reference to it (activity, comments,
notifications, attachments) and every permission keeps pointing at it.
"""

from django.db import migrations


def _relabel(moves, *, backwards: bool):
    def run(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType")
        for old_app, new_app, model in moves:
            source, target = (new_app, old_app) if backwards else (old_app, new_app)
            # A fresh database has neither row yet (post_migrate makes them).
            if not content_types.objects.filter(app_label=target, model=model).exists():
                content_types.objects.filter(app_label=source, model=model).update(app_label=target)

    return run


def move_content_types(*moves: tuple[str, str, str]) -> migrations.RunPython:
    """(old app, new app, model name) for each moved model."""
    return migrations.RunPython(_relabel(moves, backwards=False), _relabel(moves, backwards=True))


def state_only(*operations) -> migrations.SeparateDatabaseAndState:
    """Operations that change Django's idea of the models, not the database."""
    return migrations.SeparateDatabaseAndState(state_operations=list(operations))
