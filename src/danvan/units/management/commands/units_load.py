import time

from django.core.management.base import BaseCommand

from danvan.units.loader import data_source, units_load


class Command(BaseCommand):
    help = (
        "Load Vietnam's administrative units (before and after 1 July 2025) and their successions. "
        "Idempotent."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = units_load(actor=None)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{data_source()}: {result.units_created} units and {result.successions_created} "
            f"successions created, {result.units_total} units in all ({elapsed:.1f} s)."
        )
