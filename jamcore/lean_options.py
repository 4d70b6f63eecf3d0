"""``--recall`` and ``--forecast``: the two strengths with which chords lean to a forecast of the melody
(``jamcore.recall``, ``jamcore.forecast``; combined in ``jamcore.stream.lean_bias``), as every front end
takes them (``serve``, ``harmonize``, ``eval``, ``demo``), with the same limits as ``/jam/set``."""
from __future__ import annotations

from jamcore.errors import CommandError
from jamcore.forecast import DEFAULT_FORECAST, FORECAST_MAX
from jamcore.recall import DEFAULT_RECALL, RECALL_MAX

LIMITS = {"recall": RECALL_MAX, "forecast": FORECAST_MAX}


def add_lean_arguments(parser) -> None:
    """Add ``--recall`` and ``--forecast`` at the live defaults."""
    parser.add_argument("--recall", type=float, default=DEFAULT_RECALL,
                        help=f"when the melody repeats a passage, how strongly chords lean to the notes that "
                             f"followed it last time (jamcore.recall; 0 = off; default {DEFAULT_RECALL:g}, as live)")
    parser.add_argument("--forecast", type=float, default=DEFAULT_FORECAST,
                        help=f"where nothing repeats, how strongly chords lean to the data's forecast of the next "
                             f"beat (jamcore.forecast; 0 = off; default {DEFAULT_FORECAST:g}, as live)")


def check_lean_arguments(args) -> None:
    """A one-line CommandError for a strength outside 0..its maximum."""
    for key, high in LIMITS.items():
        if not 0 <= getattr(args, key) <= high:
            raise CommandError(f"--{key} must be in 0..{high:g}")


__all__ = ["add_lean_arguments", "check_lean_arguments"]
