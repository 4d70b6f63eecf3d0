"""The systems an evaluation compares: the data's own chords, the rule baselines, and checkpoints.

Every system but the data is a harmonizer ``harmonize(melody, rng) -> chords`` (see
``jamcore.eval.adaptation``). A checkpoint becomes one through the live loop itself
(``jamcore.stream.play``, as ``jamcore harmonize`` and the bridge play): it listens a beat after the
first note, then samples the chord of frame t from what has been pushed (frames < t) and pushes that
chord with the melody token of frame t. So the evaluation scores what a performer hears, and the
adapter is causal by construction.

Also model-vs-model sessions: ``play_duet`` runs a chord agent against a melody agent that reacts too
(the learned melody agent, ``jamcore.stream.MelodyAgentStream``, or anything with
``sample_melody(temperature, top_p, rng)`` and ``push(chord, melody)``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from jamcore.checkpoints import DEFAULT_TEMPERATURE, load_policy_weights
from jamcore.eval.adaptation import Harmonizer
from jamcore.eval.baselines import note_triad_cheat, note_triad_live, tonic_triad
from jamcore.music.grid import DEFAULT_GRID
from jamcore.forecast import DEFAULT_FORECAST
from jamcore.recall import DEFAULT_RECALL
from jamcore.stream import LISTEN_BEATS, StreamingPolicy, play


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


def checkpoint_harmonizer(policy: StreamingPolicy, temperature: float = DEFAULT_TEMPERATURE, top_p: float = 1.0,
                          listen_beats: float = LISTEN_BEATS, recall: float = DEFAULT_RECALL,
                          forecast: float = DEFAULT_FORECAST) -> Harmonizer:
    """Wrap a ``StreamingPolicy`` as a harmonizer: a fresh session per song, played by the live loop.

    The session slides its own window on songs longer than its training window. Frame 0 is a downbeat;
    ``beats_per_bar`` is the song's bar (heard by policies with a metrical input). ``recall``: the
    strength of ``jamcore.recall``, ``forecast`` that of ``jamcore.forecast`` (0: off).
    """
    def harmonize(melody: np.ndarray, rng: np.random.Generator, beats_per_bar: float = 4.0) -> np.ndarray:
        policy.set_meter(beats_per_bar)
        return np.asarray(play(policy, np.asarray(melody, dtype=np.int64), temperature, top_p, rng, listen_beats,
                               recall, forecast),
                          dtype=np.int64)

    return harmonize


def checkpoint_system(name: str, directory=None, temperature: float = DEFAULT_TEMPERATURE,
                      top_p: float = 1.0, recall: float = DEFAULT_RECALL,
                      forecast: float = DEFAULT_FORECAST) -> System:
    """Load a policy checkpoint (shipped name or path) as a report row."""
    weights, card = load_policy_weights(name, directory)
    policy = StreamingPolicy(weights)
    note = f"temperature {temperature:g}, top-p {top_p:g}"
    if "adv_weight" in card:
        note += f", adversarial weight {card['adv_weight']}"
    if recall > 0 or forecast > 0:
        note += f", recall {recall:g}, forecast {forecast:g}"
    return System(name, "checkpoint", checkpoint_harmonizer(policy, temperature, top_p, recall=recall,
                                                            forecast=forecast), causal=True,
                  note=note, card=card, agent=policy)


@dataclass(frozen=True)
class SystemSpec:
    """What a report row is, as plain data a worker process can receive; ``build_system`` makes the row."""

    name: str
    kind: str  # "data", "baseline" (one of ``baseline_systems``) or "checkpoint"
    checkpoint_dir: str | None = None
    temperature: float = DEFAULT_TEMPERATURE
    top_p: float = 1.0
    grid: str = DEFAULT_GRID
    recall: float = DEFAULT_RECALL
    forecast: float = DEFAULT_FORECAST


def build_system(spec: SystemSpec) -> System:
    """The row a spec describes; a checkpoint is loaded and plays on ``spec.grid``."""
    if spec.kind == "data":
        return data_system()
    if spec.kind == "baseline":
        rows = {s.name: s for s in baseline_systems()}
        if spec.name not in rows:
            raise ValueError(f"no baseline {spec.name!r}; known: {', '.join(rows)}")
        return rows[spec.name]
    system = checkpoint_system(spec.name, spec.checkpoint_dir, spec.temperature, spec.top_p, spec.recall,
                               spec.forecast)
    system.agent.set_grid(spec.grid)
    system.note += f", grid {spec.grid}"
    return system


# ---------------------------------------------------------------------------------------------
# Model vs model: a chord agent against the learned melody agent (``jamcore.stream.MelodyAgentStream``)


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
    "SystemSpec", "build_system",
    "ChordAgent", "MelodyAgent", "play_duet",
]
