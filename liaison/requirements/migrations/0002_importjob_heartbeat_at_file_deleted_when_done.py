from django.db import migrations, models


def start_the_lease_of_jobs_in_flight(apps, schema_editor):
    """Jobs queued or running before leases existed count from their upload, so
    one whose worker already died is expired by the first sweep."""
    ImportJob = apps.get_model("requirements", "ImportJob")
    ImportJob.objects.filter(heartbeat_at__isnull=True, status="running").update(
        heartbeat_at=models.F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("requirements", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(blank=True, upload_to="imports/%Y/%m/"),
        ),
        migrations.RunPython(start_the_lease_of_jobs_in_flight, migrations.RunPython.noop),
    ]
