"""danvan: records the mass mobilization work of Vietnam's local political system."""

__version__ = "0.1.0"
