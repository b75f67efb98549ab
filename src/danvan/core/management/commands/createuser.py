import getpass
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from danvan.core.errors import DomainError
from danvan.units.models import Role, RoleScope, Unit, valid_on_q
from danvan.units.services import user_create


class Command(BaseCommand):
    help = "Create a user with a role in a unit (a user always has at least one role)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", required=True, help="official code of a unit that exists today")
        parser.add_argument("--scope", choices=RoleScope.values, default=RoleScope.UNIT)
        parser.add_argument("--language", choices=["vi", "en"], default="vi")
        parser.add_argument(
            "--password", default=None, help="default: ask (or generate with --generate-password)"
        )
        parser.add_argument("--generate-password", action="store_true")

    def handle(self, *args, **o):
        today = timezone.localdate()
        unit = Unit.objects.filter(code=o["unit"]).filter(valid_on_q(today)).first()
        if unit is None:
            raise CommandError(f"No unit with code {o['unit']} exists today.")
        password = o["password"]
        if o["generate_password"]:
            password = secrets.token_urlsafe(12)
        elif password is None:
            password = getpass.getpass("Password: ")
        try:
            # The operator at the console acts as the system (actor None), recorded as such.
            user = user_create(
                actor=None,
                username=o["username"],
                full_name=o["full_name"],
                email=o["email"],
                password=password,
                role=o["role"],
                unit_id=unit.pk,
                scope=o["scope"],
                today=today,
                language=o["language"],
            )
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_messages().items())
            raise CommandError(f"{exc.message} {details}".strip()) from None
        self.stdout.write(f"Created {user.username} ({o['role']} in {unit.name}).")
        if o["generate_password"]:
            self.stdout.write(f"Password: {password}")
