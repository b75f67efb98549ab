from django.core.management.base import BaseCommand

from danvan.petitions.services import petition_deadlines_refresh


class Command(BaseCommand):
    help = (
        "Recompute the due dates of running petitions after the deadline rules "
        "(DANVAN_DEADLINE_RULES) or the working-day calendar changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **options):
        changed = petition_deadlines_refresh(batch=options["batch"])
        self.stdout.write(f"Due dates changed: {changed}.")
