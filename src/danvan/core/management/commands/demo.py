"""`danvan demo`: a working system with demo data on SQLite, then serve it.

Each app contributes its demo data in a `demo.py` module with `populate(today) -> list[tuple]`
of (username, password, description) to print; the command discovers them as Django's admin
discovers `admin.py`, so the kernel imports no app.
"""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


class Command(BaseCommand):
    help = "Set up danvan with demo data (migrations, units, demo users) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="set up and print, but do not serve")

    def handle(self, *args, host, port, no_serve, **options):
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write("Database ready.")
        from danvan.core import demo_registry

        autodiscover_modules("demo")
        credentials = demo_registry.populate_all(today=timezone.localdate(), stdout=self.stdout)
        call_command("collectstatic", verbosity=0, interactive=False)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"danvan demo: http://{host}:{port}/"))
        self.stdout.write("Demo users (passwords are new each time the demo starts):")
        width = max((len(u) for u, _p, _d in credentials), default=8)
        for username, password, description in credentials:
            self.stdout.write(f"  {username:<{width}}  {password}  {description}")
        self.stdout.write("")
        if not no_serve:
            # Large report exports are made in the background: a task worker runs beside the server.
            command = [sys.executable, "-m", "danvan.cli", "db_worker", "--no-reload", "--verbosity", "0"]
            worker = subprocess.Popen(command, env=os.environ.copy())
            try:
                call_command("serve", host=host, port=port, workers=2)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
