"""Training batches: random 256-frame windows of songs, transposed on the fly, in either sequence form.

Windows start on a beat boundary (as the streaming policy re-primes on one), sources are drawn by the
data-config mix and songs within a source in proportion to their length, and each window is
transposed by a random k in ``[transpose_min, transpose_max]`` (training split only). With
``chord_noise`` > 0 a share of the windows also carries corrupted chord inputs for the online policy
(``jamcore.data.chord_noise``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jamcore import tokens as T
from jamcore.config import DataConfig
from jamcore.data.chord_noise import corrupt, respell
from jamcore.music.meter import bar_frames, metric_ids
from jamcore.music.time import FRAMES_PER_BEAT


@dataclass
class WindowBatch:
    melody: np.ndarray  # [B, W] int64, PAD after a song's end
    chords: np.ndarray  # [B, W]
    sources: list[str]
    song_ids: list[str]
    chords_in: np.ndarray | None = None  # [B, W] the chords the policy is fed, when noised
    noise_span: np.ndarray | None = field(default=None, repr=False)  # [B, W] bool: corrupted frames
    first_frame: np.ndarray | None = None  # [B] song frame of each window's frame 0
    bar_len: np.ndarray | None = None  # [B] frames per bar of each window's song

    def frame_meter(self) -> np.ndarray | None:
        """Metrical ids per frame ``[B, W]`` (the anchor's form: frame t's own place in its bar)."""
        if self.first_frame is None:
            return None
        w = self.melody.shape[1]
        return 1 + (self.first_frame[:, None] + np.arange(w)) % self.bar_len[:, None]

    def meter(self, n_tokens: int) -> np.ndarray | None:
        """Metrical ids ``[B, n_tokens]`` for the first ``n_tokens`` of ``online()`` (None if unknown)."""
        if self.first_frame is None:
            return None
        return metric_ids(n_tokens, self.first_frame, self.bar_len)

    def online(self, chords: np.ndarray | None = None, melody: np.ndarray | None = None) -> np.ndarray:
        """``[B, 1 + 2W]``: ``BOS, c0, m0, c1, m1, ...`` (PAD frames stay PAD)."""
        return T.interleave(self.chords if chords is None else chords, self.melody if melody is None else melody)

    def chord_pair(self) -> tuple[np.ndarray, np.ndarray]:
        """(chords fed ``[B, W]``, chord targets ``[B, W]``): the data's chords twice when clean; when
        noised, the corrupted chords and the data's chords re-spelled against them."""
        if self.chords_in is None:
            return self.chords, self.chords
        return self.chords_in, respell(self.chords, self.chords_in)

    def online_pair(self) -> tuple[np.ndarray, np.ndarray]:
        """(inputs ``[B, 2W]``, targets ``[B, 2W]``) for next-token training of the online policy.

        Clean batches: the sequence and itself shifted by one. Noised ones: see ``chord_pair``; melody
        targets under corrupted chords are PAD (not scored)."""
        if self.chords_in is None:
            seq = self.online()
            return seq[:, :-1], seq[:, 1:]
        chords_in, targets_c = self.chord_pair()
        targets_m = np.where(self.noise_span, T.PAD, self.melody)
        return self.online(chords_in)[:, :-1], self.online(targets_c, targets_m)[:, 1:]

    def melody_first(self) -> np.ndarray:
        """``[B, 1 + 2W]``: ``BOS, m0, c0, m1, c1, ...`` (the melody agent's order: melody in the first slot)."""
        return T.interleave(self.melody, self.chords)


class WindowSampler:
    """Draws training windows from one split of a ``TokenCorpus``."""

    def __init__(self, corpus, split: str, cfg: DataConfig, window_frames: int, seed: int,
                 augment: bool | None = None, chord_noise: float = 0.0):
        self.corpus = corpus
        self.chord_noise = chord_noise
        self.cfg = cfg
        self.window = window_frames
        self.rng = np.random.default_rng(seed)
        self.augment = (split == "train") if augment is None else augment
        records = [r for r in corpus.split(split) if r.n_frames >= FRAMES_PER_BEAT * 4]
        if not records:
            raise ValueError(f"no songs in split {split!r}")
        by_source: dict[str, list] = {}
        for r in records:
            by_source.setdefault(r.source, []).append(r)
        self.sources = sorted(by_source)
        weights = np.array([cfg.weight(s) or 1.0 for s in self.sources], dtype=np.float64)
        self.source_p = weights / weights.sum()
        self.records = {s: by_source[s] for s in self.sources}
        self.song_p = {}
        for s in self.sources:
            lengths = np.array([max(1, r.n_frames - window_frames) + window_frames for r in by_source[s]], float)
            self.song_p[s] = lengths / lengths.sum()

    def window_of(self, rec, start: int, shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
        mel, ch = self.corpus.tokens(rec)
        mel = np.asarray(mel[start:start + self.window], dtype=np.int64)
        ch = np.asarray(ch[start:start + self.window], dtype=np.int64)
        if shift:
            mel = T.transpose_tokens(mel, shift)
            ch = T.transpose_tokens(ch, shift)
        out_m = np.full(self.window, T.PAD, dtype=np.int64)
        out_c = np.full(self.window, T.PAD, dtype=np.int64)
        out_m[: len(mel)] = mel
        out_c[: len(ch)] = ch
        return out_m, out_c

    def sample(self, batch_size: int) -> WindowBatch:
        mel = np.empty((batch_size, self.window), dtype=np.int64)
        ch = np.empty_like(mel)
        sources, ids = [], []
        first, bars = np.zeros(batch_size, np.int64), np.zeros(batch_size, np.int64)
        for i in range(batch_size):
            s = self.sources[self.rng.choice(len(self.sources), p=self.source_p)]
            rec = self.records[s][self.rng.choice(len(self.records[s]), p=self.song_p[s])]
            max_start = max(0, rec.n_frames - self.window)
            start = int(self.rng.integers(0, max_start // FRAMES_PER_BEAT + 1)) * FRAMES_PER_BEAT
            shift = int(self.rng.integers(self.cfg.transpose_min, self.cfg.transpose_max + 1)) if self.augment else 0
            mel[i], ch[i] = self.window_of(rec, start, shift)
            sources.append(s)
            ids.append(rec.song_id)
            first[i], bars[i] = start, bar_frames(rec.beats_per_bar)
        if self.chord_noise > 0:
            chords_in, span = corrupt(ch, self.rng, self.chord_noise)
            return WindowBatch(mel, ch, sources, ids, chords_in, span, first, bars)
        return WindowBatch(mel, ch, sources, ids, first_frame=first, bar_len=bars)

    def fixed_windows(self, n: int) -> WindowBatch:
        """Deterministic evaluation windows: the first window of up to ``n`` songs, no transposition."""
        recs = sorted((r for s in self.sources for r in self.records[s]), key=lambda r: r.song_id)
        step = max(1, len(recs) // n)
        chosen = recs[::step][:n]
        mel = np.stack([self.window_of(r, 0)[0] for r in chosen])
        ch = np.stack([self.window_of(r, 0)[1] for r in chosen])
        return WindowBatch(mel, ch, [r.source for r in chosen], [r.song_id for r in chosen],
                           first_frame=np.zeros(len(chosen), np.int64),
                           bar_len=np.array([bar_frames(r.beats_per_bar) for r in chosen], np.int64))
