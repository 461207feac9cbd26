from django.core.management.base import BaseCommand

from liaison.bench.data import FULL, TINY, build, is_loaded


class Command(BaseCommand):
    help = "Build the benchmark data set in the configured database (use a separate one)."

    def add_arguments(self, parser):
        parser.add_argument("--tiny", action="store_true", help="A few rows, for smoke tests.")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when the data set is already there.",
        )

    def handle(self, *args, tiny: bool = False, if_missing: bool = False, **options):
        if is_loaded():
            if if_missing:
                self.stdout.write("Bench data already loaded.")
                return
            self.stderr.write("Bench data is already in this database.")
            raise SystemExit(1)
        counts = build(TINY if tiny else FULL)
        self.stdout.write(
            f"Bench data loaded in {counts.pop('seconds')} s: "
            + ", ".join(f"{value} {name}" for name, value in counts.items())
        )
