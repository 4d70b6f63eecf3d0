"""The transport model of one client: song position (beats) <-> wall time, from ``/jam/transport``.

The device sends ``(playing, beat, bpm)`` on every beat and on any change. Each message re-anchors
the model at its arrival time, so the position never drifts from the host's, however long the set.
``update`` also classifies what happened, because the session must react differently to each:

- ``continue``: the report agrees with the prediction (within ``JUMP_TOLERANCE_BEATS``): re-anchor only;
- ``jump``: the position moved by more than the tolerance (seek forwards or backwards, loop brace);
- ``start`` / ``stop``: playing toggled (a start somewhere else is also a jump);
- ``tempo``: bpm changed; the position stays continuous, only the rate changes.

Live's loop brace (``/jam/loop``) is part of the model: while it is on and the song is before its end,
the predicted position wraps from the loop end to its start, so the device's report at the loop start
is a ``continue``, not a seek, and the session can plan across the loop before it happens.

``now`` is always passed in (seconds, ``time.monotonic()`` in the daemon) so tests drive time by hand.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# Reports within this of the prediction are jitter, not a seek. 0.2 beat is ~40 ms at 300 BPM: well above
# loopback and Max scheduler jitter, well below any musical jump (a loop is at least one beat).
JUMP_TOLERANCE_BEATS = 0.2
TEMPO_TOLERANCE_BPM = 1e-3


@dataclass(frozen=True)
class Anchor:
    """At wall time ``wall`` the song was at ``beat``, moving at ``bpm`` if ``playing``."""

    wall: float
    beat: float
    bpm: float
    playing: bool
    loop: tuple[float, float] | None = None  # (start, end) beats of Live's loop while it is on


@dataclass(frozen=True)
class ClockUpdate:
    """What a transport report changed (several flags can be set at once)."""

    started: bool = False
    stopped: bool = False
    jumped: bool = False
    tempo_changed: bool = False
    from_beat: float = 0.0
    to_beat: float = 0.0
    first: bool = False  # the first report of the session

    @property
    def kind(self) -> str:
        for flag, name in ((self.first, "first"), (self.jumped, "jump"), (self.started, "start"),
                           (self.stopped, "stop"), (self.tempo_changed, "tempo")):
            if flag:
                return name
        return "continue"


class Clock:
    """Transport model: position from the last anchor, re-anchored by every report.

    Readers on other threads (the audio output) read ``anchor`` once and compute from it: the anchor
    is an immutable object replaced in one assignment, so they never see half an update.
    """

    def __init__(self) -> None:
        self.anchor: Anchor | None = None
        self._loop: tuple[float, float] | None = None

    @property
    def known(self) -> bool:
        return self.anchor is not None

    @property
    def playing(self) -> bool:
        return self.anchor is not None and self.anchor.playing

    @property
    def bpm(self) -> float:
        return self.anchor.bpm if self.anchor is not None else 120.0

    @property
    def loop(self) -> tuple[float, float] | None:
        return self._loop

    def set_loop(self, on: bool, start: float, length: float) -> None:
        """Live's loop brace: (start, end) in beats while it is on and at least a 16th long."""
        self._loop = (float(start), float(start) + float(length)) if on and length >= 0.25 else None
        if self.anchor is not None:
            a = self.anchor
            self.anchor = Anchor(a.wall, a.beat, a.bpm, a.playing, self._loop)

    def beat_at(self, now: float) -> float:
        """Song position at wall time ``now`` (0 before the first report)."""
        return beat_at(self.anchor, now)

    def wall_at(self, beat: float) -> float | None:
        """Wall time at which the song reaches ``beat`` at the current tempo; None while stopped.
        Inside a loop that the song will wrap through, a beat behind the anchor is on the next pass."""
        a = self.anchor
        if a is None or not a.playing:
            return None
        if a.loop is not None and a.loop[0] <= beat < a.beat < a.loop[1]:
            beat += a.loop[1] - a.loop[0]  # reached on the next pass
        return a.wall + (beat - a.beat) * 60.0 / a.bpm

    def update(self, playing: bool, beat: float, bpm: float, now: float) -> ClockUpdate:
        """Take a transport report that arrived at ``now``; say what changed."""
        if not (math.isfinite(beat) and math.isfinite(bpm) and bpm > 0):
            raise ValueError(f"bad transport report beat={beat} bpm={bpm}")
        old = self.anchor
        self.anchor = Anchor(now, float(beat), float(bpm), bool(playing), self._loop)
        if old is None:
            return ClockUpdate(started=playing, first=True, from_beat=beat, to_beat=beat)
        predicted = beat_at(old, now)
        return ClockUpdate(
            started=playing and not old.playing,
            stopped=old.playing and not playing,
            jumped=_distance(beat, predicted, old.loop if old.beat < (old.loop or (0, 0))[1] else None)
            > JUMP_TOLERANCE_BEATS,
            tempo_changed=abs(bpm - old.bpm) > TEMPO_TOLERANCE_BPM,
            from_beat=predicted,
            to_beat=float(beat),
        )


def beat_at(anchor: Anchor | None, now: float) -> float:
    """Song position at ``now`` given an anchor (a free function so other threads use a snapshot)."""
    if anchor is None:
        return 0.0
    if not anchor.playing:
        return anchor.beat
    beat = anchor.beat + (now - anchor.wall) * anchor.bpm / 60.0
    if anchor.loop is not None and anchor.beat < anchor.loop[1] <= beat:
        start, end = anchor.loop
        beat = start + (beat - end) % (end - start)
    return beat


def _distance(a: float, b: float, loop: tuple[float, float] | None) -> float:
    """How far apart two positions are; inside a loop, the short way round (a report just before or
    just after the wrap agrees with a prediction just after or just before it)."""
    d = abs(a - b)
    if loop is not None and loop[0] <= min(a, b):
        d = min(d, abs(d - (loop[1] - loop[0])))
    return d
