"""API shapes every app shares."""

from __future__ import annotations

from ninja import Schema


class FileOut(Schema):
    """A file kept with a record; `url` downloads it for those who see the record."""

    id: int
    name: str
    role: str
    content_type: str
    size: int
    url: str
