"""The systems an evaluation compares: the data's own chords, the rule baselines, and checkpoints.

Every system but the data is a harmonizer ``harmonize(melody, rng) -> chords`` (see
``jamcore.eval.adaptation``). A checkpoint becomes one through ``StreamingPolicy``, frame by frame,
exactly as live: sample the chord of frame t from what has been pushed (frames < t), then push that
chord with the melody token of frame t. So the adapter is causal by construction.

Also the hook for model-vs-model sessions: ``play_duet`` runs a chord agent against a melody agent
that reacts too (REFERENCE 5.3). The learned melody agent is not built yet; when it is, anything
with ``sample_melody(temperature, top_p, rng)`` and ``push(chord, melody)`` plugs in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from jamcore.eval.adaptation import Harmonizer
from jamcore.eval.baselines import note_triad_cheat, note_triad_live, tonic_triad


@dataclass
class System:
    """One row of the report. ``harmonize`` None means "the song's own chords" (the data row)."""

    name: str
    kind: str  # "data", "baseline" or "checkpoint"
    harmonize: Harmonizer | None
    causal: bool | None  # True: uses only melody before each frame (the live constraint); None: data
    note: str = ""
    card: dict = field(default_factory=dict)  # checkpoint model card (adv weight, parent...), if any
    agent: object = None  # the StreamingPolicy behind a checkpoint row (a ChordAgent for duets)


def data_system() -> System:
    return System("data", "data", None, causal=None, note="the songs' own chords (reference row)")


def baseline_systems() -> list[System]:
    return [
        System("tonic-triad", "baseline", tonic_triad, causal=False,
               note="tonic triad of the key estimated from the whole melody, held all song (collapse)"),
        System("note-triad-cheat", "baseline", note_triad_cheat, causal=False,
               note="each beat a triad containing that beat's notes: sees the notes it accompanies"),
        System("note-triad-live", "baseline", note_triad_live, causal=True,
               note="each beat a triad containing the previous beat's notes: the live constraint"),
    ]


def checkpoint_harmonizer(policy, temperature: float = 1.0, top_p: float = 1.0) -> Harmonizer:
    """Wrap a ``StreamingPolicy`` as a harmonizer: cold start, one frame at a time, as live.

    The session is reset per song; it slides its own window on songs longer than its training window.
    Frame 0 is a downbeat; ``beats_per_bar`` is the song's bar (heard by policies with a metrical input).
    """
    def harmonize(melody: np.ndarray, rng: np.random.Generator, beats_per_bar: float = 4.0) -> np.ndarray:
        policy.set_meter(beats_per_bar)
        policy.reset()
        out = np.empty(len(melody), dtype=np.int64)
        for t, m in enumerate(np.asarray(melody, dtype=np.int64)):
            c = policy.sample_chord(temperature, top_p, rng)
            policy.push(c, int(m))
            out[t] = c
        return out

    return harmonize


def checkpoint_system(name: str, directory=None, temperature: float = 1.0, top_p: float = 1.0) -> System:
    """Load a policy checkpoint (shipped name or path) as a report row."""
    from jamcore.checkpoints import load_policy
    from jamcore.stream import StreamingPolicy

    model, card = load_policy(name, directory)
    policy = StreamingPolicy(model)
    note = f"temperature {temperature:g}, top-p {top_p:g}"
    if "adv_weight" in card:
        note += f", adversarial weight {card['adv_weight']}"
    return System(name, "checkpoint", checkpoint_harmonizer(policy, temperature, top_p), causal=True,
                  note=note, card=card, agent=policy)


# ---------------------------------------------------------------------------------------------
# Model-vs-model hook (the learned melody agent comes later)


class ChordAgent(Protocol):
    def reset(self) -> None: ...
    def sample_chord(self, temperature: float, top_p: float, rng: np.random.Generator) -> int: ...
    def push(self, chord_token: int, melody_token: int) -> None: ...


class MelodyAgent(Protocol):
    def reset(self) -> None: ...
    def sample_melody(self, temperature: float, top_p: float, rng: np.random.Generator) -> int: ...
    def push(self, chord_token: int, melody_token: int) -> None: ...


def play_duet(chord_agent: ChordAgent, melody_agent: MelodyAgent, n_frames: int, rng: np.random.Generator,
              temperature: float = 1.0, top_p: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Simultaneous play: both agents pick frame t from the shared history before t, then both hear it.

    Returns (melody, chords); feed them to ``jamcore.eval.metrics`` like any song.
    """
    chord_agent.reset()
    melody_agent.reset()
    melody = np.empty(n_frames, dtype=np.int64)
    chords = np.empty(n_frames, dtype=np.int64)
    for t in range(n_frames):
        c = chord_agent.sample_chord(temperature, top_p, rng)
        m = melody_agent.sample_melody(temperature, top_p, rng)
        chord_agent.push(c, m)
        melody_agent.push(c, m)
        chords[t], melody[t] = c, m
    return melody, chords


__all__ = [
    "System", "data_system", "baseline_systems", "checkpoint_harmonizer", "checkpoint_system",
    "ChordAgent", "MelodyAgent", "play_duet",
]
