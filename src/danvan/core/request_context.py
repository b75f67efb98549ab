"""Where the current request came from, for the audit trail.

Set by middleware for web and API requests; commands run without one (the address is empty).
"""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("danvan_client_ip", default=None)
