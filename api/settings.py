"""The settings moved to :mod:`analyzer.settings` (one object for the CLI, the service and the worker)."""

from analyzer.settings import Settings

__all__ = ["Settings"]
