"""Package metadata."""

__title__ = "lawie"
__version__ = "0.2.0"
