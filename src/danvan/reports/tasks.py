"""Background tasks of the reports app (django-tasks; the database backend keeps them as rows and
`danvan db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def export_run(job_id: str) -> None:
    """Make the file of export job `job_id` (see `services.export_job_run`)."""
    from . import services

    services.export_job_run(job_id=job_id)
