"""Moving the test database to a migration and back, for the tests of data migrations."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """The database at `targets`; returns the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def historical_commune(Unit, *, code: str, name: str, folded: str, valid_from):
    """A root commune in the historical `Unit` model of a migration state (no services there)."""
    return Unit.objects.create(
        code=code,
        name=name,
        name_folded=folded,
        kind="commune",
        level="commune",
        valid_from=valid_from,
        path="00000001/",
        depth=0,
    )
