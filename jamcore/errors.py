"""Errors every command shares (kept apart from cli.py so `python -m jamcore.cli` sees one class)."""


class CommandError(Exception):
    """An expected, user-facing failure: printed as one line, exit code 2."""
