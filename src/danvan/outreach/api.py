"""The outreach API (filled in by the app's routes)."""

from ninja import Router

router = Router(tags=["outreach"])
