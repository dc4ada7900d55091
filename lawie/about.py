"""Package metadata."""

__title__ = "lawie"
__version__ = "0.1.0"
