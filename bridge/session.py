"""One client's jam: its transport, the melody heard so far, its policy state, settings and chord plan.

Two timelines meet here. *Song frames* are the transport's 16ths (what the device plays and what
``/jam/chord`` names); they jump on seeks and loops. *Performance frames* (``pframes``) count the frames
the session has lived through, never jump, and are what the policy sees: after a loop the performer
plays on, so the model's context continues. A *segment* maps one onto the other between two jumps.

Per performance frame the session keeps
- the melody heard (from ``/jam/note``; monophonic, the newest note wins),
- the committed chord (final: sent to the device, teacher-forced into the policy),
- what was pushed into the policy (real melody for frames already heard, imagined beyond).

``step(now)`` advances to the transport's position and keeps the plan whole: it rewinds the policy to
the first frame whose real melody differs from what it was fed (a real note arrived: re-plan), pushes
the real frames, teacher-forces committed chords while imagining the melody under them, samples
chords for the rest of the lookahead, commits those inside the commit window, and returns the
committed near future to (re)send. The chord for frame t only ever sees melody frames before t.

Until ``listen_beats`` of melody have been heard (after a start or ``/jam/reset``) the session commits
no-chord: chords guessed over silence set a random key that the policy then keeps. Random draws are
keyed by (seed, frame), so re-planning a frame reuses its draw and a seeded session is reproducible
whatever the timing of its replans. Recall (``jamcore.recall``) reads the melody heard by a chord's
commit (``recall_end``); a chord planned earlier is re-planned at its commit if what it recalls changed.

Live's loop (``/jam/loop``): the clock wraps its prediction at the loop end, and ``advance`` starts a
*continuous* segment there (the performance goes on, the song frames jump back), so the plan runs across
the loop before it happens. Frames past the loop end are sent with song frames numbered on from the
loop end (a device maps them onto the next pass); once the loop has wrapped, the run that spans the
wrap is not re-sent from its onset (the device keeps it sounding) and nothing before the wrap is.

Checkpoint hot swap: ``swap_job`` snapshots the history (``bridge.priming.Priming``) for a job that
builds and primes a new policy away from the engine (the daemon's loader); at the next frame boundary
``step`` pushes the few frames heard since, and swaps. The
committed chords stay, so the device hears no gap; a failed load leaves the old policy playing.
"""
from __future__ import annotations

import bisect
import logging
import math
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from bridge import protocol as P
from bridge.clock import Clock, ClockUpdate
from bridge.priming import Priming, song_frame_in
from bridge.scheduler import chord_runs, horizon
from jamcore import tokens as T
from jamcore.checkpoints import DEFAULT_TEMPERATURE
from jamcore.music.grid import DEFAULT_GRID
from jamcore.music.time import FRAMES_PER_BEAT, beat_to_frame, note_frame
from jamcore.music.voicing import voice_chord
from jamcore.forecast import DEFAULT_FORECAST
from jamcore.recall import DEFAULT_RECALL, RECALL_FRAMES, Heard
from jamcore.stream import lean_bias, live_chord

log = logging.getLogger("jamcore.bridge")

LATE_NOTE_FRAMES = 4  # a note for a frame up to one beat old still corrects the history
EARLY_NOTE_FRAMES = 8  # a note stamped more than 2 beats ahead of the transport is a client error
SWAP_HISTORY_FRAMES = 512  # enough to prime a window (the policy keeps at most one)
MAX_SEGMENTS = 64  # transport segments kept (a seek flood must not grow the list); see _new_segment
AWAITING_NOTES = 256  # notes whose reaction latency is still to be measured (a flood drops the oldest)


@dataclass
class Settings:
    """Per-client settings (``/jam/set``). Defaults follow ReaLJam's localhost ones, commit halved."""

    temperature: float = DEFAULT_TEMPERATURE
    top_p: float = 1.0
    lookahead_beats: float = 2.0
    commit_beats: float = 1.0
    output: str = "midi"
    voicing: str = "bass"
    program: int = 4  # GM program of the chords in audio output
    # Beats of melody to hear before the first chord (after a start or /jam/reset): an accompanist
    # listens first. Chords sampled over silence set a key at random (ReaLJam's users heard the first
    # chord as "almost always dissonant" without its intro silence) and the policy then sticks to it.
    listen_beats: float = 1.0
    # Quarter-note beats per bar (6/8 is 3): where the bar lines fall for a policy with a metrical input.
    # Song position 0 is a downbeat, as in Live.
    beats_per_bar: float = 4.0
    # Where chords may change (jamcore.music.grid): every 16th (no constraint), beat, half bar or bar.
    grid: str = DEFAULT_GRID
    # When the player repeats a passage, how strongly chords lean to the notes that followed it last
    # time (jamcore.recall; 0: off).
    recall: float = DEFAULT_RECALL
    # Where nothing repeats, how strongly chords lean to the data's forecast of the next beat
    # (jamcore.forecast; 0: off).
    forecast: float = DEFAULT_FORECAST

    def set(self, key: str, value: Any) -> str | None:
        """Apply a validated value; keep commit <= lookahead by moving the other one. Returns a note."""
        setattr(self, key, value)
        if key == "commit_beats" and self.commit_beats > self.lookahead_beats:
            self.lookahead_beats = self.commit_beats
            return f"lookahead_beats raised to {self.lookahead_beats:g} (commit_beats must not exceed it)"
        if key == "lookahead_beats" and self.commit_beats > self.lookahead_beats:
            self.commit_beats = self.lookahead_beats
            return f"commit_beats lowered to {self.commit_beats:g} (it must not exceed lookahead_beats)"
        return None


@dataclass
class _Note:
    pitch: int
    on: int  # pframe of the onset
    seq: int  # arrival order: same-frame onsets, the later wins
    off: int | None = None  # first pframe no longer sounding


@dataclass
class ChordSend:
    """One committed run to (re)send: song frame, length in frames, symbol and voiced pitches."""

    frame: int
    frames: int
    symbol: str | None  # None: no chord from ``frame``
    pitches: tuple[int, ...] = ()


@dataclass
class StepResult:
    sends: list[ChordSend] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (address, reason) to report
    status: list[tuple[str, Any]] = field(default_factory=list)  # /jam/status key, value
    new_commits: int = 0
    swapped: str | None = None


class Session:
    """A client's jam session (used from the engine thread only)."""

    def __init__(self, policy, checkpoint: str, settings: Settings | None = None, seed: int | None = None):
        self.checkpoint = checkpoint
        self.settings = settings or Settings()
        self._segments: list[tuple[int, int]] = [(0, 0)]  # (pframe, song frame) where each segment starts
        self.policy = self._hear_meter(policy)
        self.clock = Clock()
        # Random draws are keyed by (seed, song epoch, frame, slot): re-planning a frame reuses its draw, so
        # the same seed and melody give the same chords however the timing of the replans falls.
        self.seed = int(seed) if seed is not None else int(np.random.SeedSequence().entropy % 2**63)
        self._epoch = -1
        self._pending: tuple[str, Future, tuple] | None = None  # (name, future, snapshot)
        self._snapshot: tuple = (0, [], [])
        self.late_notes = 0  # notes too old to matter when they arrived
        self.late_commits = 0  # chords committed after their frame had started (the planner fell behind)
        self.reaction_ms: deque[float] = deque(maxlen=2048)
        self.reset(0.0)

    # ------------------------------------------------------------------ state
    def reset(self, now: float) -> None:
        """Forget the song (``/jam/reset``): melody, chords, policy state. Settings and clock stay."""
        self._epoch += 1
        self.pushed_c: list[int] = []
        self.pushed_m: list[int] = []
        self.committed: list[int] = []
        self.voicings: list[tuple[int, ...]] = []
        self._last_voicing: tuple[int, ...] | None = None
        self.notes: list[_Note] = []
        self._note_seq = 0
        # The melody heard in frames no late note can change any more, from pframe _heard0, and each
        # frame's 16th within the song's beat (for recall), and the heard end each planned chord recalled.
        self._heard: list[int] = []
        self._heard_phase: list[int] = []
        self._heard0 = 0
        self._recalled: dict[int, int] = {}
        self.cursor = 0  # pframe sounding now
        self.seg_p0 = 0  # segment: pframe seg_p0 is song frame seg_f0
        self.seg_f0 = beat_to_frame(max(self.clock.beat_at(now), 0.0)) if self.clock.known else 0
        self._seg_continuous = False  # the segment began at a loop wrap (not a seek): no onset forced
        self._segments = [(self.seg_p0, self.seg_f0)]
        self.policy.reset()  # after the segment: its first token already hears the song's bar position
        self._dirty_from: int | None = 0  # earliest pframe whose real melody may have changed
        self._swap_valid_end = 0  # frames of a pending swap's snapshot before this still hold
        self._resend = True
        self.commit_end = 0
        self.plan_end = 0
        self._rewound_during = -1  # the cursor frame during which the plan was last rewound for real notes
        self._first_onset: int | None = None  # pframe of the first note heard (listening until then)
        self._first_chord: int | None = None  # pframe of the first chord (not NO_CHORD) in the policy
        # (pframe, arrival) of notes not yet reflected in the plan
        self._awaiting: deque[tuple[int, float]] = deque(maxlen=AWAITING_NOTES)

    def song_frame(self, p: int) -> int:
        return p - self.seg_p0 + self.seg_f0

    def song_frame_at(self, p: int) -> int:
        """The song frame pframe ``p`` was (or will be) played at, across earlier segments too: what the
        policy's metrical input hears. Stable for frames already lived."""
        return song_frame_in(self._segments, p)

    def _new_segment(self) -> None:
        """The segment starting at ``seg_p0`` replaces the list's tail from there on. Segments that ended
        before the oldest frame the policy may re-read (a window back) are dropped, and at most
        ``MAX_SEGMENTS`` are kept, so a flood of seeks costs a bounded list, not one entry per seek."""
        self._swap_valid_end = min(self._swap_valid_end, self.seg_p0)  # song frames change from here on
        oldest = self.seg_p0 - SWAP_HISTORY_FRAMES
        kept = [sg for sg in self._segments if sg[0] < self.seg_p0]
        first = 0
        for i, sg in enumerate(kept):  # the last segment starting at or before `oldest` still covers it
            if sg[0] <= oldest:
                first = i
        kept = kept[first:][-(MAX_SEGMENTS - 1):]
        self._segments = kept + [(self.seg_p0, self.seg_f0)]

    def _hear_meter(self, policy):
        policy.song_frame = self.song_frame_at
        policy.set_meter(self.settings.beats_per_bar)
        policy.set_grid(self.settings.grid)
        return policy

    def set_meter(self, beats_per_bar: float) -> None:
        """A new bar length (``/jam/set beats_per_bar``): the policy re-reads its history under it, so the
        chords it plans from here on hear the new bar lines."""
        self.settings.beats_per_bar = beats_per_bar
        self.policy.set_meter(beats_per_bar)
        self._touch(self.cursor)

    def set_grid(self, grid: str) -> None:
        """Where chords may change (``/jam/set grid``): chords not yet committed are re-planned under it."""
        self.settings.grid = grid
        self.policy.set_grid(grid)
        self._touch(self.cursor)

    def pframe(self, song_frame: int) -> int:
        return song_frame - self.seg_f0 + self.seg_p0

    def _loop_frames(self) -> tuple[int, int] | None:
        loop = self.clock.loop
        return None if loop is None else (beat_to_frame(loop[0]), beat_to_frame(loop[1]))

    def pframe_near(self, song_frame: int) -> int:
        """``pframe``, but inside Live's loop the pass nearest the cursor (a note stamped just before
        the wrap may arrive just after it, and the other way round)."""
        p = self.pframe(song_frame)
        lf = self._loop_frames()
        # The loop end itself is the next pass's first frame (a note rounded onto it, e.g. a release a
        # hair before the wrap, belongs to the pass on either side of the wrap nearest the cursor).
        if lf is not None and lf[0] <= song_frame <= lf[1] and lf[1] > lf[0]:
            n = lf[1] - lf[0]
            p = min((p - n, p, p + n), key=lambda q: abs(q - self.cursor))
        return p

    def set_loop(self, on: bool, start: float, length: float) -> None:
        """Live's loop brace (``/jam/loop``): plan across the loop end before the song wraps."""
        self.clock.set_loop(on, start, length)
        self._resend = True

    def _follow_wraps(self, now_frame: int) -> None:
        """The clock wrapped at the loop end: start a continuous segment at the loop start (as many
        times as the loop went round since the last turn)."""
        lf = self._loop_frames()
        if lf is None or not self.clock.playing:
            return
        start, end = lf
        while start <= now_frame < end and self.seg_f0 < end and self.pframe(now_frame) < self.cursor:
            self.seg_p0, self.seg_f0 = self.pframe(end), start
            self._seg_continuous = True
            self._new_segment()
            self._resend = True

    # ------------------------------------------------------------------ input
    def on_transport(self, playing: bool, beat: float, bpm: float, now: float) -> ClockUpdate:
        """Follow the transport. A jump starts a new segment and drops the plan past the jump point."""
        was_known = self.clock.known
        upd = self.clock.update(playing, beat, bpm, now)
        if not was_known:
            self.seg_p0, self.seg_f0 = self.cursor, beat_to_frame(beat)
            self._seg_continuous = False
            self._new_segment()
            self._resend = True
        elif upd.jumped:
            self._jump(beat)
        return upd

    def skip_to(self, now: float) -> None:
        """Resume where the transport is now, as after a seek: what the session missed while parked (not
        followed, see the daemon) is skipped, not planned frame by frame."""
        if self.clock.known and self.clock.playing:
            self._jump(max(self.clock.beat_at(now), 0.0))

    def _jump(self, beat: float) -> None:
        # The frame in progress at the jump is history (as heard); the new position starts a new frame.
        p0 = self.cursor + 1
        self.seg_p0, self.seg_f0 = p0, beat_to_frame(beat)
        self._seg_continuous = False
        self._new_segment()
        self.cursor = p0
        del self.committed[p0:]
        del self.voicings[p0:]
        self._last_voicing = next((v for v in reversed(self.voicings) if v), self._last_voicing)
        self._rewind(min(len(self.pushed_c), p0))
        # A note struck just before the jump may have rounded onto p0: it belongs to the old position.
        self.notes = [n for n in self.notes if n.on < p0]
        for n in self.notes:
            if n.off is None or n.off > p0:
                n.off = min(n.off if n.off is not None else p0, p0)  # a jump cuts sounding notes
        self._dirty_from = min(self._dirty_from if self._dirty_from is not None else p0, p0 - 1)
        self._resend = True

    def on_note(self, pitch: int, velocity: int, beat: float, arrival: float | None = None) -> str | None:
        """Record a melody note (velocity 0: note off). Returns a refusal reason or None."""
        if not self.clock.known:
            return "no transport yet: send /jam/transport before notes"
        p = self.pframe_near(note_frame(beat))  # a player's timing: the nearest 16th
        if p > self.cursor + EARLY_NOTE_FRAMES:
            return (f"note at beat {beat:g} is {(p - self.cursor) / FRAMES_PER_BEAT:g} beats ahead of the "
                    f"transport; send /jam/transport on every change (start, stop, seek, tempo)")
        if p < max(self.cursor - LATE_NOTE_FRAMES, 0 if self._seg_continuous else self.seg_p0):
            self.late_notes += 1  # too old to matter, or from before a jump
            return None
        if velocity > 0:
            if self._first_onset is None or p < self._first_onset:
                self._first_onset = p
            note = _Note(pitch, p, self._note_seq)
            self._note_seq += 1
            # An earlier onset in the same frame is shadowed for good (monophonic, the newest wins): it
            # goes, so a flood of notes in one frame keeps the list as short as the frames it spans.
            self.notes = [n for n in self.notes if n.on != p]
            self.notes.insert(bisect.bisect(self.notes, p, key=lambda n: n.on), note)
            self._touch(p)
            if arrival is not None:
                self._awaiting.append((p, arrival))
        else:
            for n in reversed(self.notes):
                if n.pitch == pitch and n.off is None and n.on <= p:
                    n.off = max(p, n.on + 1)
                    self._touch(n.off)
                    break
        self._remember()
        self._prune()
        return None

    def _touch(self, p: int) -> None:
        self._dirty_from = p if self._dirty_from is None else min(self._dirty_from, p)

    def _prune(self) -> None:
        """Forget notes that ended before the oldest frame a late note may still change."""
        # Newest wins: a note is irrelevant once a later onset precedes every frame still open to change.
        horizon_p = self.cursor - LATE_NOTE_FRAMES - 1
        drop = 0
        while drop + 1 < len(self.notes) and self.notes[drop + 1].on <= horizon_p:
            drop += 1
        if drop:
            del self.notes[:drop]

    def _remember(self) -> None:
        """Keep the melody of the frames no late note can change any more (before ``_prune`` forgets
        their notes), at most twice recall's reach."""
        final = self.cursor - LATE_NOTE_FRAMES
        for p in range(self._heard0 + len(self._heard), final):
            self._heard.append(self.melody_token(p))
            self._heard_phase.append(self.song_frame_at(p) % FRAMES_PER_BEAT)
        while len(self._heard) > 2 * RECALL_FRAMES:
            del self._heard[:RECALL_FRAMES]
            del self._heard_phase[:RECALL_FRAMES]
            self._heard0 += RECALL_FRAMES

    def heard_before(self, end: int) -> Heard:
        """The real melody of the frames before ``end`` heard so far (none past the cursor), from pframe
        ``_heard0``, with each frame's place in the song's beat: what recall compares (``jamcore.recall``)."""
        end = min(end, self.cursor + 1)
        kept = max(end - self._heard0, 0)
        recent = range(self._heard0 + len(self._heard), end)
        tokens = self._heard[:kept] + [self.melody_token(q) for q in recent]
        phase = self._heard_phase[:kept] + [self.song_frame_at(q) % FRAMES_PER_BEAT for q in recent]
        return Heard(np.asarray(tokens, dtype=np.int64), self._heard0, np.asarray(phase, dtype=np.int64))

    def recall_end(self, p: int) -> int:
        """The heard end the chord of pframe ``p`` recalls from once committed: the frames before the one
        sounding when it is committed, and that one (``commit_beats`` ahead), as the policy hears them."""
        commit_frames = max(1, math.ceil(FRAMES_PER_BEAT * self.settings.commit_beats - 1e-9))
        return min(p, p - commit_frames + 1)

    def _lean(self, p: int, end: int):
        """The bias the chord of ``p`` gets from the melody heard before ``end`` (``stream.lean_bias``)."""
        s = self.settings
        return lean_bias(self.policy, p, lambda: self.heard_before(end), s.recall, s.forecast)

    def _refresh_recall(self) -> None:
        """A chord about to be committed may have been planned before all it recalls from was heard (a
        plan runs up to the lookahead ahead): if what it would recall now differs from what it did,
        re-plan from it, so the committed chord recalls what was heard by its commit however early it
        was planned (and a seeded session stays reproducible whatever the timing of its plans)."""
        pol = self.policy
        for p in range(len(self.committed), min(self.commit_end + 1, len(self.pushed_c))):
            used = self._recalled.get(p)
            end = min(self.recall_end(p), self.cursor + 1)
            if used is None or end <= used:
                continue
            self._recalled[p] = end
            if not pol.is_grid_point(p):
                continue
            old, new = self._lean(p, used), self._lean(p, end)
            if (old is None) != (new is None) or (old is not None and not np.array_equal(old, new)):
                self._rewind(p)
                return

    def set_lean(self, key: str, strength: float) -> None:
        """``/jam/set recall`` or ``forecast``: chords not yet committed are planned again with it."""
        setattr(self.settings, key, strength)
        self._rewind(len(self.committed))

    def melody_token(self, p: int) -> int:
        """Real melody token of pframe ``p`` as heard so far: the newest note begun by ``p`` wins."""
        i = bisect.bisect(self.notes, p, key=lambda n: n.on) - 1
        if i < 0:
            return T.SILENCE
        n = self.notes[i]
        if n.on == p:
            return T.note_on(n.pitch)
        if n.off is None or n.off > p:
            return T.note_hold(n.pitch)
        return T.SILENCE

    # ------------------------------------------------------------------ planning
    def _rewind(self, p: int) -> None:
        self._swap_valid_end = min(self._swap_valid_end, p)
        for q in [q for q in self._recalled if q >= p]:
            del self._recalled[q]
        if p < len(self.pushed_c):
            self.policy.rewind(p)
            del self.pushed_c[p:]
            del self.pushed_m[p:]
            if self._first_chord is not None and self._first_chord >= p:
                self._first_chord = None

    def _commit(self, p: int, chord_token: int) -> None:
        """Make pframe ``p``'s chord final and voice it (from the last voicing: smooth leading)."""
        tok = int(chord_token)
        chord = T.token_chord(tok)
        prev = self.committed[p - 1] if p > 0 else T.NO_CHORD
        if chord is None:
            v: tuple[int, ...] = ()
        elif not T.is_onset(tok) and T.TOKEN_CHORD[prev] == T.TOKEN_CHORD[tok] and self.voicings[-1]:
            v = self.voicings[-1]  # a hold keeps its hands where they are
        else:
            v = voice_chord(chord, self._last_voicing, bass=self.settings.voicing == "bass")
            self._last_voicing = v
        self.committed.append(tok)
        self.voicings.append(v)

    def advance(self, now: float) -> StepResult:
        """Follow the transport to ``now`` and commit what the plan already holds. No model work.

        Cheap by design (the engine calls it for every client before any planning): moves the cursor,
        finishes a pending checkpoint swap at a frame boundary, rewinds the policy to the first frame
        whose real melody differs from what it was fed, and makes planned chords inside the commit
        window final. What is then due to (re)send comes from ``take_sends``.
        """
        res = StepResult()
        if not self.clock.known:
            return res
        s = self.settings
        now_beat = max(self.clock.beat_at(now), 0.0)
        h = horizon(now_beat, s.lookahead_beats, s.commit_beats)
        self._follow_wraps(h.now_frame)
        now_p = max(self.pframe(h.now_frame), self.cursor, self.seg_p0)
        advanced = now_p > self.cursor
        if advanced:
            self._touch(self.cursor)  # the frame just finished may have been pushed as imagined
            self.cursor = now_p
            self._resend = True
            self._remember()
        self.commit_end = max(self.pframe(h.commit_end), len(self.committed))
        self.plan_end = max(self.pframe(h.plan_end), self.commit_end)

        if self._pending is not None and (advanced or not self.clock.playing) and self._pending[1].done():
            self._finish_swap(res)

        # Re-plan from the first frame whose real melody differs from what the policy was fed: at most
        # once per sounding frame; later changes wait for the next frame boundary (they stay dirty), so
        # a flood of notes, current or late, costs one re-plan a frame and cannot keep this or another
        # client's planner from reaching its commit edge.
        if self._dirty_from is not None and self._rewound_during != self.cursor:
            for p in range(max(self._dirty_from, 0), min(self.cursor + 1, len(self.pushed_m))):
                if self.pushed_m[p] != self.melody_token(p):
                    self._rewound_during = self.cursor
                    self._rewind(p)
                    break
            # A note struck early (on the next frame) waits for its frame, when the cursor reaches it.
            self._dirty_from = self._dirty_from if self._dirty_from > self.cursor else None
        if s.recall > 0 or s.forecast > 0:
            self._refresh_recall()
        # Provisional chords that have entered the commit window become final.
        for p in range(len(self.committed), min(self.commit_end, len(self.pushed_c))):
            self._commit(p, self.pushed_c[p])
            self._recalled.pop(p, None)
            res.new_commits += 1
        self._mark_reflected(now)
        return res

    def planning_due(self) -> int:
        """0: nothing to plan; 2: frames the next boundary will commit are missing; 1: provisional only.

        "Critical" reaches one frame past the commit edge, so the chord committed at the next frame
        boundary is ready before it, and committing it costs nothing on the beat.
        """
        n = len(self.pushed_c)
        if not self.clock.known:
            return 0
        if n < self.commit_end + 1:
            return 2
        return 1 if n < self.plan_end else 0

    def plan_frame(self, now: float | None = None) -> int:
        """Push one more frame into the policy: real melody where heard, committed chords
        teacher-forced, sampled chord and imagined melody beyond. Returns the chords committed (0/1)."""
        s = self.settings
        pol = self.policy
        p = len(self.pushed_c)
        committed = 0
        if p < len(self.committed):
            c = self.committed[p]
        else:
            started = self._first_chord is not None and self._first_chord < p  # a chord before p
            end = min(self.recall_end(p), self.cursor + 1)
            if s.recall > 0 or s.forecast > 0:
                self._recalled[p] = end
            c = live_chord(pol, p, self._first_onset, started, s.listen_beats, s.temperature, s.top_p,
                           self._rng(p, 0), lambda: self.heard_before(end), s.recall, s.forecast)
            if p < self.commit_end:  # the plan fell behind the commit edge: commit it now
                self._commit(p, c)
                committed = 1
                self._resend = True
                if self.seg_p0 < p <= self.cursor:  # (a segment's first frame cannot be known earlier)
                    self.late_commits += 1
        m = self.melody_token(p) if p <= self.cursor else pol.sample_melody(c, s.temperature, s.top_p, self._rng(p, 1))
        pol.push(c, m)
        self.pushed_c.append(c)
        self.pushed_m.append(m)
        if self._first_chord is None and c != T.NO_CHORD:
            self._first_chord = p
        if now is not None:
            self._mark_reflected(now)
        return committed

    def _rng(self, p: int, slot: int) -> np.random.Generator:
        return np.random.default_rng((self.seed, self._epoch, p, slot))

    def _mark_reflected(self, now: float) -> None:
        """Notes whose frame is in the policy's context and the plan ready to the next commit: record
        the reaction latency (note arrival -> plan conditioned on it)."""
        if not self._awaiting or len(self.pushed_c) < self.commit_end + 1:
            return
        n = min(len(self.pushed_c), self.cursor + 1)  # a note struck early counts once its frame is heard
        while self._awaiting and self._awaiting[0][0] < n:
            _, arrival = self._awaiting.popleft()
            self.reaction_ms.append((now - arrival) * 1e3)

    def take_sends(self) -> list[ChordSend]:
        """The committed near future, if anything changed since the last call (else nothing)."""
        if not self._resend:
            return []
        self._resend = False
        return self.committed_sends()

    def step(self, now: float, deadline: float | None = None) -> StepResult:
        """``advance``, then plan to the commit edge (always) and the lookahead (while
        ``time.perf_counter() < deadline``; None: no limit), then ``take_sends``. For tests and offline
        use; the daemon interleaves the same calls across clients."""
        res = self.advance(now)
        while (due := self.planning_due()):
            if due == 1 and deadline is not None and time.perf_counter() > deadline:
                break
            res.new_commits += self.plan_frame(now)
        res.sends = self.take_sends()
        return res

    def committed_sends(self) -> list[ChordSend]:
        """Committed runs of the current segment from the frame sounding now to the commit edge.

        A segment that began at a loop wrap is continuous: the run in progress there started before it
        and still sounds on the device, so it is not re-sent (from here its onset would name a frame of
        the pass that just ended)."""
        p0 = self.seg_p0 - 1 if self._seg_continuous else self.seg_p0
        seg = self.committed[p0:]
        f0 = self.song_frame(p0)
        out = []
        for r in chord_runs(seg, f0, self.song_frame(self.cursor), self.song_frame(len(self.committed))):
            if r.frame < self.seg_f0:
                continue
            if r.chord is None:
                out.append(ChordSend(r.frame, r.frames, None))
            else:
                out.append(ChordSend(r.frame, r.frames, r.chord.symbol, self.voicings[p0 + r.onset_index]))
        return out

    # ------------------------------------------------------------------ checkpoint hot swap
    @property
    def swapping(self) -> str | None:
        return self._pending[0] if self._pending else None

    @property
    def pending_future(self) -> Future | None:
        """The load a swap waits for (the daemon cancels it when a newer request comes first)."""
        return self._pending[1] if self._pending else None

    def swap_job(self, name: str, build: Callable[[Priming], Any]) -> Callable[[], Any]:
        """A job for the loader: ``build(priming)`` returns a StreamingPolicy primed with the history so
        far (``Priming.apply``; the daemon's loader has its worker process do it).

        The snapshot is taken now (engine thread) and covers the frames already heard; ``step`` pushes
        the frames heard while the job ran before it swaps.
        """
        final = self.cursor  # frames < cursor are final
        start = max(0, final - SWAP_HISTORY_FRAMES)
        chords = [self.committed[p] if p < len(self.committed) else T.NO_CHORD for p in range(start, final)]
        melody = [self.melody_token(p) if p >= self.cursor - LATE_NOTE_FRAMES else
                  (self.pushed_m[p] if p < len(self.pushed_m) else T.SILENCE) for p in range(start, final)]
        # The committed frames ahead, with the melody the old policy imagined there: the new policy arrives
        # holding them, so the frames that pass while it loads, and the commit edge, cost nothing on the
        # engine (a real melody that differs is caught as a divergence, as with any imagined frame).
        ahead = range(final, min(len(self.committed), len(self.pushed_m)))
        ahead_c, ahead_m = [self.committed[p] for p in ahead], [self.pushed_m[p] for p in ahead]
        priming = Priming(start, tuple(chords + ahead_c), tuple(melody + ahead_m), self.settings.beats_per_bar,
                          self.settings.grid, tuple(self._segments))

        def job():
            return build(priming)

        self._snapshot = (start, chords + ahead_c, melody + ahead_m)
        self._swap_valid_end = final + len(ahead_c)  # lowered by what invalidates those frames (_rewind...)
        return job

    def begin_swap(self, name: str, future: Future) -> None:
        self._pending = (name, future, self._snapshot)

    def _finish_swap(self, res: StepResult) -> None:
        name, fut, (start, chords, melody) = self._pending
        self._pending = None
        held = min(start + len(chords), self._swap_valid_end)  # what still holds of what the new policy holds
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is not None:
            res.errors.append((P.CHECKPOINT.path, f"cannot switch to {name!r}: {exc}; keeping {self.checkpoint!r}"))
            return
        new = fut.result()
        # It was primed elsewhere: from now on it hears this session's song position, bar and grid.
        new.song_frame = self.song_frame_at
        new.set_meter(self.settings.beats_per_bar)
        new.set_grid(self.settings.grid)
        if held <= start:  # a reset since the snapshot: none of its history holds
            new.reset()
            start = held = 0
        elif held < new.frames:  # a jump, a loop wrap or a rewind since the snapshot: drop what follows it
            new.rewind(held)
        chords, melody = chords[:held - start], melody[:held - start]
        # Catch up on the frames heard since the snapshot beyond those it holds, then hand the plan over.
        for p in range(held, self.cursor):
            c = self.committed[p] if p < len(self.committed) else T.NO_CHORD
            new.push(c, self.melody_token(p))
        # Mirror exactly what the new policy holds; a late note in the snapshot, or a real melody that
        # differs from one it held as imagined, is caught as a divergence.
        self.policy = new
        self.pushed_c = self.pushed_c[:start] + chords + [
            self.committed[p] if p < len(self.committed) else T.NO_CHORD for p in range(held, self.cursor)]
        self.pushed_m = self.pushed_m[:start] + melody + [self.melody_token(p) for p in range(held, self.cursor)]
        self._touch(max(start, min(held, self.cursor - LATE_NOTE_FRAMES)))
        self.checkpoint = name
        res.swapped = name
        res.status.append(("checkpoint", name))
        log.info("switched to checkpoint %s at frame %d", name, self.cursor)
