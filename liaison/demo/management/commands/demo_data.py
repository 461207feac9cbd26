from django.core.management.base import BaseCommand

from liaison.demo.load import database_is_empty, load_demo


class Command(BaseCommand):
    help = "Load the demo organization, people and projects into an empty database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database has users.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if not database_is_empty():
            if if_empty:
                return
            self.stderr.write("The database already has users; demo data is for an empty one.")
            raise SystemExit(1)
        load_demo()
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded. Sign in as pm@demo.test / liaison-demo.")
        )
