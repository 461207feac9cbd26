"""Moving a model to another app without moving its data.

The table keeps its name (the model's `db_table`), the migrations change only
Django's state (SeparateDatabaseAndState), and the model's content type is
renamed in place, so every generic reference to it (activity, comments,
notifications, attachments) and every permission keeps pointing at it.
"""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import StateApps

Move = tuple[str, str, str]


def _relabel(
    moves: tuple[Move, ...], *, backwards: bool
) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        content_types = apps.get_model("contenttypes", "ContentType")
        for old_app, new_app, model in moves:
            source, target = (new_app, old_app) if backwards else (old_app, new_app)
            # A fresh database has neither row yet (post_migrate makes them).
            if not content_types.objects.filter(app_label=target, model=model).exists():
                content_types.objects.filter(app_label=source, model=model).update(app_label=target)

    return run


def move_content_types(*moves: Move) -> migrations.RunPython:
    """(old app, new app, model name) for each moved model."""
    return migrations.RunPython(_relabel(moves, backwards=False), _relabel(moves, backwards=True))


def state_only(*operations: Operation) -> migrations.SeparateDatabaseAndState:
    """Operations that change Django's idea of the models, not the database."""
    return migrations.SeparateDatabaseAndState(state_operations=list(operations))
