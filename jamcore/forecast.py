"""Forecast: the data's short-context statistics of the next beat's melody, for the passages heard first.

Recall (``jamcore.recall``) knows what comes next only where the player repeats a passage. Everywhere else
the policy guesses, and on a folk tune it guesses worse than the data's plainest statistics do
(``training/demo_ngram.py``, ``training/gapt_levers.md`` item 19). This is those statistics: for each
context (the mode of the melody's key, the beat's place in the bar, and the last one to ``CONTEXT_NOTES``
notes struck at least ``LAG_FRAMES`` before the beat, as pitch classes above the tonic) the counts of the
pitch classes the beat's melody held in the training songs (``jamcore train forecast``; shipped as
``checkpoints/forecast.safetensors`` with its card). Every shorter context is counted too, so an unseen
context falls back on the notes it shares with seen ones, newest kept.

Live, where recall finds no repeat, each chord's logit gains ``forecast`` (the strength) times the share of
the forecast melody it holds, like recall's bias. The key is the Krumhansl-Kessler estimate of the notes
struck so far (in training, of the song's); until ``MIN_NOTES`` notes have been heard there is no
forecast. The lag is a beat: the bridge commits each chord a beat ahead, so the statistics are those of
what it can have heard.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from jamcore import tokens as T
from jamcore.eval.baselines import key_of_histogram
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.recall import Heard, struck_pitches

LAG_FRAMES = FRAMES_PER_BEAT  # notes struck up to a beat before the chord: what the bridge has heard
CONTEXT_NOTES = 3
MIN_NOTES = 4  # notes heard before the key estimate is trusted
DEFAULT_FORECAST = 16.0  # the live default strength (0: off; docs/recall.md compares strengths)
FORECAST_MAX = 32.0
SHIPPED = Path(__file__).resolve().parent / "checkpoints" / "forecast"
_MODES = ("maj", "min")
_CHORD_PCS = T.TOKEN_CHORD_PCS.astype(np.float32)


def melody_key(tokens: np.ndarray) -> tuple[int, str]:
    """(tonic pitch class, "maj"/"min") of the melody ``tokens``, from the notes struck on each pitch
    class (not how long each was held: a release heard a frame later must not move the key)."""
    strikes = struck_pitches(np.asarray(tokens, dtype=np.int64))
    return key_of_histogram(np.bincount(strikes[strikes >= 0] % 12, minlength=12).astype(float))


def context(strikes: np.ndarray, frame: int, tonic: int, mode: str, beat_in_bar: int,
            notes: int = CONTEXT_NOTES, lag: int = LAG_FRAMES) -> tuple[int, ...]:
    """(mode, place in the bar, the last ``notes`` pitch classes above the tonic struck at frames <=
    ``frame`` - ``lag``, oldest first): the key the counts are kept under."""
    heard = strikes[:max(0, frame - lag + 1)]
    last = heard[heard >= 0][-notes:] if notes else heard[:0]
    return (_MODES.index(mode), beat_in_bar) + tuple(int((p - tonic) % 12) for p in last)


@dataclass
class MelodyForecast:
    """Context -> counts of the beat's pitch classes above the tonic (12 weights)."""

    counts: dict[tuple[int, ...], np.ndarray] = field(default_factory=dict)
    notes: int = CONTEXT_NOTES
    lag: int = LAG_FRAMES

    def add_song(self, melody: np.ndarray, beats_per_bar: float) -> None:
        """Count one song (melody tokens from a downbeat) under every context length up to ``notes``."""
        melody = np.asarray(melody, dtype=np.int64)
        pitch = T.TOKEN_PITCH[melody]
        if not (pitch >= 0).any():
            return
        tonic, mode = melody_key(melody)
        strikes = struck_pitches(melody)
        bar_beats = max(1, int(round(beats_per_bar)))
        for b in range(len(melody) // FRAMES_PER_BEAT):
            beat = pitch[FRAMES_PER_BEAT * b:FRAMES_PER_BEAT * (b + 1)]
            beat = beat[beat >= 0]
            if not len(beat):
                continue
            w = np.bincount((beat - tonic) % 12, minlength=12).astype(np.float32)
            full = context(strikes, FRAMES_PER_BEAT * b, tonic, mode, b % bar_beats, self.notes, self.lag)
            for n in range(len(full) - 1, 1, -1):  # the context and every shorter one (newest notes kept)
                key = full[:2] + full[n:]
                self.counts[key] = self.counts.get(key, 0) + w
            self.counts[full[:2]] = self.counts.get(full[:2], 0) + w

    def next_beat(self, heard: Heard, frame: int, beat_in_bar: int) -> np.ndarray | None:
        """Pitch-class weights (absolute, summing to 1) of the beat from ``frame``, from the melody
        heard; None before ``MIN_NOTES`` notes or for a context never counted."""
        tokens = np.asarray(heard.tokens, dtype=np.int64)
        strikes = struck_pitches(tokens)
        if int((strikes >= 0).sum()) < MIN_NOTES:
            return None
        tonic, mode = melody_key(tokens)
        key = context(strikes, frame - heard.start, tonic, mode, beat_in_bar, self.notes, self.lag)
        while key not in self.counts and len(key) > 2:
            key = key[:2] + key[3:]  # forget the oldest note
        c = self.counts.get(key)
        if c is None or not c.sum():
            return None
        return np.roll(c / c.sum(), tonic).astype(np.float32)

    def save(self, path: str | Path, card: dict) -> None:
        """``path``.safetensors (contexts and counts) and ``path``.json (the card)."""
        keys = sorted(self.counts)
        ctx = np.full((len(keys), 2 + self.notes), -1, dtype=np.int16)
        for i, k in enumerate(keys):
            ctx[i, :len(k)] = k
        counts = np.stack([self.counts[k] for k in keys]).astype(np.float32)
        path = Path(path)
        save_file({"contexts": ctx, "counts": counts}, str(path.with_suffix(".safetensors")))
        card = {**card, "kind": "forecast", "context_notes": self.notes, "lag_frames": self.lag,
                "contexts": len(keys)}
        path.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> "MelodyForecast":
        path = Path(path)
        card = json.loads(path.with_suffix(".json").read_text())
        if card.get("kind") != "forecast":
            raise ValueError(f"{path}: not a forecast card")
        t = load_file(str(path.with_suffix(".safetensors")))
        counts = {_key(row): c for row, c in zip(t["contexts"], t["counts"])}
        return cls(counts, int(card["context_notes"]), int(card["lag_frames"]))


def _key(row: np.ndarray) -> tuple[int, ...]:
    """A stored context row (mode, place in the bar, notes padded with -1) as the key it was."""
    notes = [int(v) for v in row[2:] if v >= 0]
    return (int(row[0]), int(row[1])) + tuple(notes)


@functools.lru_cache(maxsize=1)
def shipped_forecast() -> MelodyForecast | None:
    """The shipped forecast, loaded once; None if it is not there (then there is no forecast bias)."""
    if not SHIPPED.with_suffix(".safetensors").is_file():
        return None
    return MelodyForecast.load(SHIPPED)


def forecast_bias(heard: Heard, frame: int, beat_in_bar: int, strength: float,
                  model: MelodyForecast | None = None) -> np.ndarray | None:
    """Additive chord-slot logits for the chord of ``frame``: ``strength`` times the share of the
    forecast beat's melody each chord holds; None with nothing to forecast or ``strength`` 0."""
    if strength <= 0:
        return None
    model = model or shipped_forecast()
    if model is None:
        return None
    w = model.next_beat(heard, frame, beat_in_bar)
    return None if w is None else strength * (_CHORD_PCS @ w)


__all__ = ["LAG_FRAMES", "CONTEXT_NOTES", "MIN_NOTES", "DEFAULT_FORECAST", "FORECAST_MAX", "MelodyForecast",
           "melody_key", "context", "shipped_forecast", "forecast_bias"]
