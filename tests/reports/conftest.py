"""The reception fixtures (a commune that receives citizens, its staff, sessions and visits made
through the services) serve the reports tests too."""

from ..reception.conftest import desk, head_session, record_visit, regular  # noqa: F401
