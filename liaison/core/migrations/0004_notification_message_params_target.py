"""Notifications store their event's message key and parameters instead of a
sentence, and the object they are about. Existing rows keep the sentence they
were written with, as the fallback they are shown with: their parameters were
never stored, so it cannot be written again in another language."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_webhook_signing_secret"),
    ]

    operations = [
        migrations.RenameField(model_name="notification", old_name="text", new_name="fallback_text"),
        migrations.AlterField(
            model_name="notification",
            name="fallback_text",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["target_type", "target_id", "event"], name="core_notifi_target__93ad23_idx"
            ),
        ),
    ]
