"""Prints, as JSON, the chords a daemon session commits for the bundled demo melody: the shipped default
policy loaded as `jamcore serve` loads it, a fixed seed, and the transport and notes fed on a simulated
clock (so the result does not depend on this machine's timing).

Run by tests/test_light_runtime.py and tests/test_wheel.py with different interpreters (with torch,
without torch, from an installed wheel) to show that they all play the same chords. Usage:
``python tests/session_chords.py [CHECKPOINT]``.
"""
from __future__ import annotations

import json
import sys
from importlib import resources

from bridge.library import Library
from bridge.session import Session, Settings
from jamcore.checkpoints import DEFAULT_POLICY
from jamcore.music.midi_io import load_user_melody

BPM = 120.0
SPF = 60.0 / BPM / 4  # seconds per 16th-note frame


def session_chords(checkpoint: str = DEFAULT_POLICY, seed: int = 7) -> list[list]:
    song, _ = load_user_melody(resources.files("jamcore") / "assets" / "demo_melody.mid")
    session = Session(Library().policy(checkpoint), checkpoint, Settings(), seed=seed)
    events = sorted([(n.start, n.pitch, n.velocity) for n in song.melody] +
                    [(n.end, n.pitch, 0) for n in song.melody])
    frames = int(song.length_beats * 4) + 8
    committed: dict[int, tuple] = {}
    i = 0
    for f in range(frames):
        t = f * SPF
        if f % 4 == 0:
            session.on_transport(True, f / 4, BPM, t)
        while i < len(events) and events[i][0] < (f + 1) / 4:
            beat, pitch, velocity = events[i]
            session.on_note(pitch, velocity, beat, arrival=t)
            i += 1
        for s in session.step(t + 0.002).sends:
            committed[s.frame] = (s.frames, s.symbol, list(s.pitches))
    return [[frame, *committed[frame]] for frame in sorted(committed)]


if __name__ == "__main__":
    print(json.dumps(session_chords(*sys.argv[1:2])))
