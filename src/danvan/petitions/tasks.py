"""Background tasks of the petitions app (django-tasks; `danvan db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_imported(batch_id: int) -> int:
    """Write the duplicate check's keys of the petitions an import brought in: they cost more than
    the import itself, so they come after it, and until then the check does not see those petitions."""
    from danvan.core.models import ImportBatch

    from . import services

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    return services.petitions_import_index(batch) if batch is not None else 0
