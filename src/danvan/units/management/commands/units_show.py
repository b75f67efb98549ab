import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from danvan.core.errors import DomainError
from danvan.units.models import Unit
from danvan.units.presenters import unit_view_data
from danvan.units.selectors import unit_view_on


class Command(BaseCommand):
    help = "Show a unit as of a date: its ancestors, children, predecessors and successors."

    def add_arguments(self, parser):
        parser.add_argument("code", help="official code of the unit")
        parser.add_argument("--on", default=None, help="date YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, code, on, format, **options):
        from django.utils import timezone

        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on: '{on}' is not a date of the form YYYY-MM-DD.") from None
        try:
            # The command line is the operator's: it reads the reference tree without a user scope.
            rows = list(Unit.objects.filter(code=code).order_by("valid_from"))
            if not rows:
                raise CommandError(f"No unit has the code {code}.")
            unit = next((u for u in rows if u.valid_on(day)), None)
            if unit is None:
                spans = "; ".join(f"{u.name}: {u.validity_label}" for u in rows)
                raise CommandError(f"No unit with code {code} existed on {day:%d/%m/%Y} ({spans}).")
            view = unit_view_on(unit, day)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        data = unit_view_data(view)
        if format == "json":
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{unit.name} ({unit.code}, {unit.get_kind_display()}, {unit.validity_label})")
        if view.ancestors:
            self.stdout.write("  in: " + " › ".join(a.name for a in view.ancestors))
        self.stdout.write(f"  children on {day:%d/%m/%Y}: {len(view.children)}")
        for child in view.children:
            self.stdout.write(f"    {child.code:>8}  {child.name}")
        for s in view.predecessors:
            self.stdout.write(
                f"  predecessor: {s.predecessor.name} ({s.predecessor.code}) {s.get_kind_display()}"
            )
        for s in view.successors:
            mark = " [default]" if s.is_default else ""
            self.stdout.write(
                f"  successor: {s.successor.name} ({s.successor.code}) {s.get_kind_display()}{mark}"
            )
