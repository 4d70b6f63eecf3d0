"""StreamingPolicy: one live session's policy state, melody frames in, chord frames out.

The online sequence is ``BOS, c0, m0, c1, m1, ...``. After frame t-1 is pushed, the cached logits at
``m_{t-1}`` give the distribution of ``c_t``: the chord for frame t is chosen from melody frames before
t only (the live constraint). Each ``push`` is one cached forward call of two tokens ``[c_t, m_t]``.

Sessions are unbounded: when the KV cache is full (the training window), the state moves to a window
that starts half a window later, on a beat boundary with BOS, exactly like a training window. That
second window is not recomputed at the switch (a latency spike): a shadow cache is fed alongside
from its first frame on (in the same pass as the current cache with the NumPy engine), so no frame
costs a recompute. ``rewind`` drops imagined frames (lookahead) in O(1) while they are still in the cache.
Sampling is grammar-constrained: chord slots only get chord tokens, and ``CHORD_HOLD(c)`` only right
after ``CHORD_ON(c)``/``CHORD_HOLD(c)``; melody slots likewise. The harmonic-rhythm ``grid``
(``jamcore.music.grid``) masks further: off its points the chord slot may only continue what sounds.

Two engines compute the same logits: ``numpy`` (default; ``jamcore.models.numpy_policy``, several times
faster per frame at this size) and ``torch`` (the training model itself).
"""
from __future__ import annotations

import gc

import numpy as np

from jamcore import tokens as T
from jamcore.models.numpy_policy import NumpyPolicy, NumpyWeights, step_together
from jamcore.music.grid import DEFAULT_GRID, check_grid, grid_positions
from jamcore.music.meter import DEFAULT_BEATS_PER_BAR, bar_frames, frame_metric_id
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.forecast import DEFAULT_FORECAST, forecast_bias
from jamcore.recall import DEFAULT_RECALL, Heard, HeardSource, recall_bias

_NEG = -1e9
# Beats the policy listens after the first note before its first chord (the daemon's default too).
LISTEN_BEATS = 1.0


def _continue_allowed(prev: int | None) -> np.ndarray:
    """Off the grid: only what continues the chord slot (the sounding chord's hold, else no chord)."""
    mask = np.zeros(T.VOCAB_SIZE, dtype=bool)
    c = T.TOKEN_CHORD[prev] if prev is not None and 0 <= prev < T.VOCAB_SIZE else -1
    mask[T.CHORD_HOLD_BASE + c if c >= 0 else T.NO_CHORD] = True
    return mask


CONTINUE_MASKS = T.slot_table(_continue_allowed)


def listening(frame: int, first_note: int | None, listen_beats: float) -> bool:
    """The live rule before the first chord: still listening at ``frame`` while no note has been heard,
    or the first one (at ``first_note``) is less than ``listen_beats`` before it."""
    return first_note is None or frame < first_note + round(listen_beats * FRAMES_PER_BEAT)


def lean_bias(stream: "StreamingPolicy", frame: int, heard: HeardSource | None, recall: float,
              forecast: float) -> np.ndarray | None:
    """What the chord of ``frame`` leans to, as logits added before temperature: the notes that followed
    the passage last time where the player repeats one (``jamcore.recall``, strength ``recall``), else the
    data's forecast of the next beat (``jamcore.forecast``, strength ``forecast``); None off the grid, with
    both at 0, or with nothing to go on. ``heard`` (or the function giving it) is read only when needed."""
    if heard is None or (recall <= 0 and forecast <= 0) or not stream.is_grid_point(frame):
        return None
    h = heard() if callable(heard) else heard
    bias = recall_bias(h, frame, stream.grid_span_at(frame), recall)
    if bias is None and forecast > 0:
        beat_in_bar = (stream.song_frame(frame) % stream.bar_len) // FRAMES_PER_BEAT
        bias = forecast_bias(h, frame, beat_in_bar, forecast)
    return bias


def live_chord(stream: "StreamingPolicy", frame: int, first_note: int | None, started: bool, listen_beats: float,
               temperature: float, top_p: float, rng: np.random.Generator, heard: HeardSource | None = None,
               recall: float = 0.0, forecast: float = 0.0) -> int:
    """The chord a performer hears at ``frame`` (the stream holds the frames before it): NO_CHORD while
    listening, then the policy's sample; until a chord has ``started`` it may not be silence (after a
    stretch of NO_CHORD the policy would happily stay silent, as in a song's intro). With ``recall`` > 0
    and ``heard`` (the melody the player has played, ``jamcore.recall.Heard``, or a function giving it,
    called only at a grid point), a chord at a grid point leans towards the notes that followed the same
    passage last time (``jamcore.recall``), and with ``forecast`` > 0 elsewhere towards the data's forecast
    of the next beat (``lean_bias``). The bridge's sessions call this for every frame they plan."""
    if listening(frame, first_note, listen_beats):
        return T.NO_CHORD
    bias = lean_bias(stream, frame, heard, recall, forecast)
    return stream.sample_chord(temperature, top_p, rng, allow_silence=started, bias=bias)


def play(stream: "StreamingPolicy", melody_tokens, temperature: float, top_p: float, rng: np.random.Generator,
         listen_beats: float = LISTEN_BEATS, recall: float = DEFAULT_RECALL,
         forecast: float = DEFAULT_FORECAST) -> list[int]:
    """The live loop over a whole melody, from a fresh session: the chord of frame t from melody frames
    before t only (``live_chord``, leaning to ``recall`` and ``forecast``), then frame t's melody token is
    pushed. ``jamcore harmonize``, the evaluation and the benchmarks all play through this, so they score
    what a performer hears."""
    stream.reset()
    melody = np.asarray(melody_tokens, dtype=np.int64)
    first_note: int | None = None
    started = False
    chords = []
    for t, m in enumerate(melody_tokens):
        c = live_chord(stream, t, first_note, started, listen_beats, temperature, top_p, rng, Heard(melody[:t]),
                       recall, forecast)
        started = started or c != T.NO_CHORD
        chords.append(c)
        stream.push(c, int(m))
        if first_note is None and T.TOKEN_PITCH[int(m)] >= 0:
            first_note = t
    return chords


def sample_from_logits(logits: np.ndarray, mask: np.ndarray, temperature: float, top_p: float,
                       rng: np.random.Generator | None) -> int:
    """Sample a token id from ``logits`` restricted to ``mask``; temperature 0 is greedy."""
    z = np.where(mask, logits, _NEG).astype(np.float64)
    if temperature <= 0:
        return int(np.argmax(z))
    z = z / temperature
    z -= z.max()
    p = np.exp(z)
    p[~mask] = 0.0
    p /= p.sum()
    if top_p < 1.0:
        order = np.argsort(-p)
        cum = np.cumsum(p[order])
        keep = order[: int(np.searchsorted(cum, top_p) + 1)]
        q = np.zeros_like(p)
        q[keep] = p[keep]
        p = q / q.sum()
    u = (rng or np.random.default_rng()).random()
    idx = int(np.searchsorted(np.cumsum(p), u * p.sum()))
    idx = min(idx, len(p) - 1)
    while not mask[idx]:  # float round-off at the top end: step back to an allowed token
        idx -= 1
    return idx


class StreamingPolicy:
    """KV-cached incremental state of the online policy for one session.

    A policy with a metrical input is told where each frame sits in its bar: ``song_frame(f)`` maps the
    session's frame f to the song's (identity unless a live session loops or seeks; song frame 0 is a
    downbeat) and ``beats_per_bar`` is the bar (4 unless ``set_meter`` says otherwise).

    ``grid`` (``set_grid``) is where chords may change: off its points (song frame, bar) the sampler may
    only hold the sounding chord, or stay silent when none sounds."""

    def __init__(self, model, window_frames: int | None = None, engine: str = "numpy",
                 beats_per_bar: float = DEFAULT_BEATS_PER_BAR, grid: str = DEFAULT_GRID):
        """``model``: a policy's ``NumpyWeights`` (``jamcore.checkpoints.load_policy_weights``, no torch)
        or the PyTorch ``ChordPolicy`` (copied into NumPy weights, or run as is with ``engine="torch"``)."""
        self.model, self.cfg = model, model.cfg
        self.uses_meter = bool(getattr(model.cfg, "metric_slots", 0))
        self.bar_len = bar_frames(beats_per_bar)
        self.grid = check_grid(grid)
        self._grid_row = grid_positions(self.grid, self.bar_len)
        self.song_frame = _same_frame  # must not change its answer for frames already pushed
        max_frames = (model.cfg.max_len - 1) // 2
        self.window_frames = min(window_frames or max_frames, max_frames)
        max_len = 1 + 2 * self.window_frames
        if engine == "numpy":
            weights = model if isinstance(model, NumpyWeights) else NumpyWeights(model.eval(), max_len)
            self._cache, self._shadow = NumpyPolicy.pair(weights, max_len)
        elif engine == "torch":
            self._cache, self._shadow = model.eval().engine(max_len), model.engine(max_len)
        else:
            raise ValueError(f"unknown engine {engine!r}: numpy or torch")
        self.engine = engine
        # Logits for c_f at every frame f in the cache (row i = frame start+i): lets rewind be O(1).
        self._chord_logits = np.zeros((self.window_frames + 1, T.VOCAB_SIZE), dtype=np.float32)
        self._shadow_logits = np.zeros_like(self._chord_logits)
        self._shadow_start: int | None = None  # absolute start frame of the shadow window, when active
        self._melody_logits: np.ndarray | None = None  # logits for m_t once c_t has been fed
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """Forget everything: a new song."""
        self._chords: list[int] = []
        self._melody: list[int] = []
        self._offset = 0  # absolute frame of history index 0 (history is trimmed to the window)
        self._restart(self.frames)

    def set_meter(self, beats_per_bar: float) -> None:
        """A new bar length (quarter-note beats per bar); the kept history is re-read under it."""
        bar_len = bar_frames(beats_per_bar)
        if bar_len == self.bar_len:
            return
        self.bar_len = bar_len
        self._grid_row = grid_positions(self.grid, bar_len)
        if self.uses_meter:
            self.prime(self._chords, self._melody, start_frame=self._offset)

    def set_grid(self, grid: str) -> None:
        """Where chords may change from the next sampled frame on (``jamcore.music.grid.GRIDS``)."""
        self.grid = check_grid(grid)
        self._grid_row = grid_positions(self.grid, self.bar_len)

    def on_grid(self) -> bool:
        """Whether the chord of frame ``frames`` may change (a grid point of its song frame)."""
        return self.is_grid_point(self.frames)

    def is_grid_point(self, frame: int) -> bool:
        """Whether the chord of (session) frame ``frame`` may change."""
        return bool(self._grid_row[self.song_frame(frame) % self.bar_len])

    def grid_span(self) -> int:
        """What a chord chosen for frame ``frames`` is heard against (``grid_span_at``)."""
        return self.grid_span_at(self.frames)

    def grid_span_at(self, frame: int) -> int:
        """Frames from ``frame`` to the next grid point (a chord chosen there lasts at least this long),
        at least a beat."""
        pos = self.song_frame(frame) % self.bar_len
        ahead = np.flatnonzero(np.roll(self._grid_row, -pos)[1:])
        span = int(ahead[0]) + 1 if len(ahead) else self.bar_len
        return max(span, FRAMES_PER_BEAT)

    def _meter(self, frame: int, n: int, melody_last: bool = True):
        """Metrical ids of ``n`` tokens fed at ``frame``: BOS and c_frame carry the frame's own place in
        the bar, m_frame the next one (it predicts the next frame's chord; a live loop may jump there,
        which the model cannot know yet, so it is the place that follows in the bar)."""
        if not self.uses_meter:
            return None
        s = self.song_frame(frame)
        ids = [frame_metric_id(s, self.bar_len)] * n
        if melody_last:
            ids[-1] = frame_metric_id(s + 1, self.bar_len)
        return ids

    @property
    def frames(self) -> int:
        """Number of frames pushed so far (absolute, over the whole session)."""
        return self._offset + len(self._chords) if hasattr(self, "_chords") else 0

    def _restart(self, start: int) -> None:
        """Rebuild the cache from BOS + history frames [start, frames)."""
        self._start = start
        self._half: int | None = None
        self._shadow_start = None
        self._cache.rewind(0)
        i0 = start - self._offset
        c = self._chords[i0:]
        m = self._melody[i0:]
        ids = T.interleave(np.asarray(c, dtype=np.int64), np.asarray(m, dtype=np.int64))
        meter = None
        if self.uses_meter:
            meter = np.empty(len(ids), dtype=np.int64)
            meter[0] = self._meter(start, 1, melody_last=False)[0]
            for i in range(len(c)):
                meter[1 + 2 * i: 3 + 2 * i] = self._meter(start + i, 2)
        logits = self._cache.step(ids, all_logits=True, meter=meter)
        # Positions 0, 2, 4, ... (BOS and every melody token) predict the next chord.
        self._chord_logits[: len(c) + 1] = logits[0::2]

    def _shadow_origin(self) -> int:
        """Where the next window starts: half a window after this one, on a beat boundary."""
        return ((self._start + self.window_frames // 2) // FRAMES_PER_BEAT) * FRAMES_PER_BEAT

    def _slide_if_full(self) -> None:
        if self.frames - self._start < self.window_frames:
            return
        # Trim history that can never be needed again (re-priming looks back at most a window).
        drop = max(0, self._start - self.window_frames - self._offset)
        if drop:
            del self._chords[:drop]
            del self._melody[:drop]
            self._offset += drop
        if self._shadow_start is not None:
            # The shadow already holds BOS + every frame since its start: switch, no recompute.
            self._cache, self._shadow = self._shadow, self._cache
            self._chord_logits, self._shadow_logits = self._shadow_logits, self._chord_logits
            self._start, self._shadow_start = self._shadow_start, None
            self._half = None
        else:
            keep = self.window_frames // 2
            self._restart(max(self._offset, ((self.frames - keep) // FRAMES_PER_BEAT) * FRAMES_PER_BEAT))

    def _shadow_ids(self, chord_token: int, melody_token: int) -> list[int] | None:
        """What the next window's cache takes at the frame being pushed (from its start frame on, with
        BOS first at that frame), or None while it is not due."""
        f = self.frames  # the frame being pushed
        if self._shadow_start is None:
            if f != self._shadow_origin() or f == self._start:
                return None
            self._shadow.rewind(0)
            self._shadow_start = f
            return [T.BOS, chord_token, melody_token]
        return [chord_token, melody_token]

    def _step(self, ids: list[int], shadow_ids: list[int] | None) -> np.ndarray:
        """One frame of work: the current window's cache and, when due, the next window's; the NumPy
        engine runs both in one pass (one product per weight, one attention product for both caches),
        measured at ~1.3x a single cache's step rather than 2x."""
        meter = self._meter(self.frames, len(ids))  # self.frames: the frame being pushed
        if shadow_ids is None:
            return self._cache.step(ids, meter=meter)
        first = len(shadow_ids) == 3
        shadow_meter = self._meter(self.frames, len(shadow_ids))
        if self.engine == "numpy":
            jobs = [(self._cache, ids, meter), (self._shadow, shadow_ids, shadow_meter)]
            if first:
                logits, shadow = step_together(jobs, all_logits=True)
                logits, shadow = logits[-1], shadow[0::2]  # BOS predicts c_f, m_f predicts c_{f+1}
            else:
                logits, shadow = step_together(jobs)
        else:
            logits = self._cache.step(ids, meter=meter)
            shadow = self._shadow.step(shadow_ids, all_logits=first, meter=shadow_meter)
            shadow = shadow[0::2] if first else shadow
        f = self.frames - self._shadow_start
        if first:
            self._shadow_logits[f:f + 2] = shadow
        else:
            self._shadow_logits[f + 1] = shadow
        return logits

    # ------------------------------------------------------------------ stepping
    def push(self, chord_token: int, melody_token: int) -> None:
        """Append frame ``frames``: the chord that plays there and the melody heard (or imagined)."""
        self._slide_if_full()
        if self._half is not None and self._half == chord_token:
            ids = [melody_token]
        else:
            if self._half is not None:
                self._cache.rewind(self._cache.length - 1)
            ids = [chord_token, melody_token]
        self._half = None
        logits = self._step(ids, self._shadow_ids(int(chord_token), int(melody_token)))
        self._chords.append(int(chord_token))
        self._melody.append(int(melody_token))
        self._chord_logits[self.frames - self._start] = logits

    def chord_logits(self) -> np.ndarray:
        """Unmasked logits for the chord of frame ``frames``."""
        return self._chord_logits[self.frames - self._start]

    def _prev_chord(self) -> int:
        return self._chords[-1] if self._chords and self.frames > self._start else T.VOCAB_SIZE

    def chord_mask(self) -> np.ndarray:
        """Tokens allowed in the chord slot of frame ``frames``: the grammar, and the grid."""
        prev = self._prev_chord()
        return T.CHORD_MASKS[prev] if self.grid == "16th" or self.on_grid() else CONTINUE_MASKS[prev]

    def sample_chord(self, temperature: float = 1.0, top_p: float = 1.0,
                     rng: np.random.Generator | None = None, allow_silence: bool = True,
                     bias: np.ndarray | None = None) -> int:
        """Chord token for frame ``frames``, from melody frames before it only. ``allow_silence=False``
        masks NO_CHORD: the first chord after listening (after a stretch of NO_CHORD the policy would
        happily stay silent, as in a song's intro); off the grid that first chord may still start, as the
        caller asks for one now. ``bias`` (one per token) is added to the logits before temperature."""
        mask = self.chord_mask()
        if not allow_silence:
            mask = mask.copy()
            mask[T.NO_CHORD] = False
            if not mask.any():
                mask = T.CHORD_MASKS[self._prev_chord()].copy()
                mask[T.NO_CHORD] = False
        logits = self.chord_logits() if bias is None else self.chord_logits() + bias
        return sample_from_logits(logits, mask, temperature, top_p, rng)

    def sample_melody(self, chord_token: int, temperature: float = 1.0, top_p: float = 1.0,
                      rng: np.random.Generator | None = None) -> int:
        """Imagine the player's melody token for frame ``frames`` given its chord (lookahead)."""
        self._slide_if_full()
        if self._half != chord_token:
            if self._half is not None:
                self._cache.rewind(self._cache.length - 1)
            self._melody_logits = self._cache.step([chord_token], meter=self._meter(self.frames, 1, melody_last=False))
            self._half = int(chord_token)
        prev = self._melody[-1] if self._melody and self.frames > self._start else T.VOCAB_SIZE
        return sample_from_logits(self._melody_logits, T.MELODY_MASKS[prev], temperature, top_p, rng)

    def rewind(self, frames: int) -> None:
        """Drop frames >= ``frames`` (imagined lookahead), keeping everything before."""
        if not 0 <= frames <= self.frames:
            raise ValueError(f"cannot rewind to frame {frames}: session has {self.frames} frames")
        if frames < self._offset:
            raise ValueError(f"frame {frames} is older than the kept history (from {self._offset})")
        del self._chords[frames - self._offset:]
        del self._melody[frames - self._offset:]
        self._half = None
        if self._shadow_start is not None:
            if frames >= self._shadow_start:
                self._shadow.rewind(1 + 2 * (frames - self._shadow_start))
            else:
                self._shadow_start = None
        if frames >= self._start:
            self._cache.rewind(1 + 2 * (frames - self._start))
        else:
            start = max(self._offset, ((frames - self.window_frames // 2) // FRAMES_PER_BEAT) * FRAMES_PER_BEAT)
            self._restart(max(start, 0) if frames > 0 else 0)

    def prime(self, chord_tokens, melody_tokens, start_frame: int = 0) -> None:
        """Reset and load a whole history at once (checkpoint hot swap, resuming a session).

        ``start_frame`` is the absolute frame of the first token given.
        """
        if len(chord_tokens) != len(melody_tokens):
            raise ValueError("chord and melody histories differ in length")
        self._chords = [int(t) for t in chord_tokens]
        self._melody = [int(t) for t in melody_tokens]
        self._offset = start_frame
        n = len(self._chords)
        keep = min(n, self.window_frames // 2)
        start = self.frames - keep
        start = max(self._offset, (start // FRAMES_PER_BEAT) * FRAMES_PER_BEAT) if n else self._offset
        self._restart(start)

    @property
    def history(self) -> tuple[list[int], list[int]]:
        """(chord tokens, melody tokens) kept, starting at absolute frame ``history_start``."""
        return list(self._chords), list(self._melody)

    @property
    def history_start(self) -> int:
        return self._offset


def freeze_heap() -> None:
    """Keep Python's cyclic garbage collector from stalling a live session. A full collection walks
    every object in the process (torch, the models: ~170k objects, ~80 ms on the development machine),
    which is a late chord at any tempo. Everything alive once the models are loaded lives for the whole
    session, so it is collected once and frozen: later collections only walk what the session allocates.
    The daemon calls this when its engine starts, and ``jamcore bench`` before it measures."""
    gc.collect()
    gc.freeze()


def _same_frame(frame: int) -> int:
    return frame


class MelodyAgentStream:
    """The learned melody agent as a live partner: ``BOS, m0, c0, m1, c1, ...`` (melody first).

    It picks melody frame t from the shared history before t (both parts), like a player who hears the
    accompaniment; used for model-vs-model sessions (``jamcore.eval.systems.play_duet``). Sessions are
    bounded by the model's window (a duet is one evaluation window).
    """

    def __init__(self, model):
        self.model, self.cfg = model, model.cfg
        self.window_frames = (model.cfg.max_len - 1) // 2
        self._engine = NumpyPolicy(model if isinstance(model, NumpyWeights) else model.eval())
        self.reset()

    def reset(self) -> None:
        self._engine.rewind(0)
        self._logits = self._engine.step([T.BOS])
        self._prev = T.VOCAB_SIZE
        self.frames = 0

    def sample_melody(self, temperature: float = 1.0, top_p: float = 1.0,
                      rng: np.random.Generator | None = None) -> int:
        return sample_from_logits(self._logits, T.MELODY_MASKS[self._prev], temperature, top_p, rng)

    def push(self, chord_token: int, melody_token: int) -> None:
        if self.frames >= self.window_frames:
            raise ValueError(f"a duet is at most {self.window_frames} frames with this melody agent")
        self._logits = self._engine.step([melody_token, chord_token])
        self._prev = int(melody_token)
        self.frames += 1
