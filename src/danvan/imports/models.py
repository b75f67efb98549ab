"""Column mappings: how the columns of a file of a given shape map to a record type's fields, kept
by name so the next file of the same shape imports without mapping again. (Import batches live in
the kernel, `core.ImportBatch`, because every record app's tables point to them.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnMapping(models.Model):
    name = models.CharField(_("name"), max_length=100)
    record_type = models.CharField(_("record type"), max_length=60)
    # The file's headers, folded and sorted, hashed: files of the same shape share it.
    signature = models.CharField(max_length=64)
    headers = models.JSONField(default=list)  # the headers as first seen, for display
    mapping = models.JSONField(default=dict)  # folded header -> column key ("" = ignore the column)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "name"], name="column_mapping_name_unique"),
        ]
        indexes = [models.Index(fields=["record_type", "signature"], name="column_mapping_shape")]

    def __str__(self) -> str:
        return self.name
