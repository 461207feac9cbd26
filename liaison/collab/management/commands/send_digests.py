from django.core.management.base import BaseCommand

from liaison.collab.notify import digest_send


class Command(BaseCommand):
    help = (
        "Send the daily digest to everyone for whom it is now DIGEST_HOUR in their time zone "
        "(what the hourly job does; run it every hour from cron when huey does not run)."
    )

    def handle(self, *args, **options):
        sent = digest_send()
        self.stdout.write(f"Digests sent: {sent}")
