from django.db import migrations


class Migration(migrations.Migration):
    """The app's start: risks and issues come in the migrations after it."""

    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
