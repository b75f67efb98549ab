import contextlib
import os
import shutil
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run danvan with gunicorn (the production server) on HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("DANVAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("DANVAN_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args, host, port, workers, **options):
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        command = [
            gunicorn or "gunicorn",
            "danvan.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        self.stdout.write(f"danvan at http://{host}:{port}/ (Ctrl+C to stop)")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            subprocess.run(command, check=False, env=os.environ.copy())
