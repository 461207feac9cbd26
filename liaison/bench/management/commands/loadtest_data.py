from django.core.management import call_command
from django.core.management.base import BaseCommand

from liaison.bench.load import add_client_contacts


class Command(BaseCommand):
    help = (
        "The load test's database (use a separate one): migrated, the bench data, "
        "and the bench project's client contacts. Does what is not done yet."
    )

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        call_command("bench_data", if_missing=True, stdout=self.stdout)
        added = add_client_contacts()
        self.stdout.write(f"Client contacts added: {added}")
