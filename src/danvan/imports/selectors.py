"""Reads for imports: the batches a user may see, the saved column mappings."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from danvan.core.errors import NotFound
from danvan.core.models import ImportBatch
from danvan.units import access

from .models import ColumnMapping


def batch_list_for(user, *, record_type: str = "", status: str = "") -> QuerySet[ImportBatch]:
    """The user's own batches, and the batches made for a unit in their scope, newest first."""
    if not getattr(user, "is_authenticated", False):
        return ImportBatch.objects.none()
    in_scope = access.visible(user, ImportBatch).exclude(unit_path="").values("pk")
    batches = ImportBatch.objects.filter(Q(created_by=user) | Q(pk__in=in_scope))
    if record_type:
        batches = batches.filter(record_type=record_type)
    if status:
        batches = batches.filter(status=status)
    return batches.select_related("created_by", "rolled_back_by").order_by("-created_at", "-pk")


def batch_get_for(user, batch_id: int) -> ImportBatch:
    found = batch_list_for(user).filter(pk=batch_id).first()
    if found is None:
        raise NotFound()
    return found


def mapping_list_for(record_type: str = "") -> QuerySet[ColumnMapping]:
    """Saved mappings are shared: a file of the same shape maps the same way for every officer."""
    mappings = ColumnMapping.objects.select_related("created_by")
    return mappings.filter(record_type=record_type) if record_type else mappings


def mapping_for_shape(record_type: str, signature: str) -> ColumnMapping | None:
    """The most recently kept mapping for files of this shape, if any."""
    return (
        ColumnMapping.objects.filter(record_type=record_type, signature=signature)
        .order_by("-updated_at")
        .first()
    )
