"""The errors the command line turns into one located line and exit code 2 (no traceback). Kept
apart from the modules that raise them, so that the command line starts without importing NumPy,
pandas or Mesa (`run.py --help` in well under a second)."""

from __future__ import annotations


class OutputError(Exception):
    """A results folder cannot be written (exists already, not writable, in use)."""


class BackendError(Exception):
    """The distributed engine cannot be used (not installed, or its scheduler unreachable)."""
