"""What a producer hears, measured: the chords a simulated device played against what the bridge committed.

Inputs are what ``live_sim.Live`` recorded: the 16th grid the transport crossed (time, beat, whether it
was reached by playing on), every bridge -> device datagram before any was lost (``Live.wire``), the
loop brace over time, and the device's MIDI out. Nothing is read from inside the patch or the bridge.

The committed chord of each played frame: every ``/jam/chord F ...`` / ``/jam/nochord F`` sent by the
bridge names the frame it starts on (F, or F minus the loop length when it lies past the loop end of a
looping song: the next pass). Its target is the first grid frame with that number reached at or after
its arrival (or during the frame it arrived in: a late event), no further ahead than ``reach_beats``
(the device's reach at the default Lookahead: 2 beats + 2 frames; further, a re-send from a run's onset
would name the same frame of the next pass),
with no seek or stop between arrival and frame. A frame's committed chord is the newest event
targeting the latest targeted frame at or before it and received before that frame began (or the
first, if late), within the same stretch of continuous play (a re-sent run targets the same frame: it
changes nothing). Frames before the first target of a stretch
have no committed chord. An event that targets no frame ahead but whose run (``frames`` long) covers the
frame sounding when it arrived, with nothing targeted since its start, is late: it targets that frame.
After a seek or start, events count only from the first one that names the frame sounding, the next or
an earlier one (the bridge's first word after hearing of the jump is the run sounding at the new position); the
ones before it were planned for the old position and are ignored, by the device as here.

- ``committed``: frames whose committed event is a chord;
- ``sounded``: of those, frames where the chord channel sounds exactly its pitches (a quarter of a
  frame, at most 20 ms, after the frame starts);
- ``late``: chord onsets whose notes started more than ``LATE_S`` after their frame started;
- ``wrong``: frames where the chord channel sounds something other than what was committed (a chord
  over committed silence, a stale chord, or a wrong one).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from max_patches.live_sim import Device, Live, MidiLog

LATE_S = 0.005
FRAMES_PER_BEAT = 4


@dataclass
class Frame:
    t: float
    frame: int
    stretch: int  # index of the stretch of continuous play
    committed: tuple[str, tuple[int, ...]] | None = None  # ("Am", pitches) / ("nochord", ()) / None
    onset: bool = False  # a committed event starts here
    sounding: frozenset[int] = frozenset()
    onset_t: float | None = None  # when the chord's notes started, for onsets


@dataclass
class Score:
    frames: list[Frame]
    sounded: int
    committed: int
    late: int
    wrong: int
    hanging: dict = field(default_factory=dict)

    lag_ms: float = 0.0  # the simulator's worst lateness running an event (a loaded machine)

    def line(self) -> str:
        return f"sounded={self.sounded} committed={self.committed} late={self.late} wrong={self.wrong}"

    def detail(self) -> str:
        """The line, how far behind the simulator ran, and the frames that did not sound as committed."""
        bad = [(i, f.frame, f.committed and f.committed[0], sorted(f.sounding)) for i, f in enumerate(self.frames)
               if (f.committed and f.committed[0] != "nochord" and f.sounding != frozenset(f.committed[1]))
               or (f.sounding and (not f.committed or f.sounding != frozenset(f.committed[1])))]
        return f"{self.line()} (simulator ran up to {self.lag_ms:.0f} ms behind); off: {bad[:6]}"

    def runs(self) -> list[tuple[int, int, int]]:
        """Committed chord runs: (first frame index, committed length, frames it sounded from one strike)."""
        out, i = [], 0
        fr = self.frames
        while i < len(fr):
            c = fr[i].committed
            if c is None or c[0] == "nochord" or not fr[i].onset:
                i += 1
                continue
            j = i + 1
            while j < len(fr) and not fr[j].onset and fr[j].committed == c and fr[j].stretch == fr[i].stretch:
                j += 1
            ok = 0
            while i + ok < j and fr[i + ok].sounding == frozenset(c[1]):
                ok += 1
            out.append((i, j - i, ok))
            i = j
        return out


def score(live: Live, dev: Device, channel: int = 2, reach_beats: float = 2.5, start_t: float = 0.0,
          end_t: float | None = None) -> Score:
    probe = min(0.25 * 60.0 / live.transport.bpm / FRAMES_PER_BEAT, 0.02)
    grid = [(t, b, c) for t, b, c in live.grid if t >= start_t and (end_t is None or t + probe < end_t)]
    frames: list[Frame] = []
    stretch = -1
    for t, b, cont in grid:
        if not cont or not frames:
            stretch += 1
        frames.append(Frame(t, int(round(b * FRAMES_PER_BEAT)), stretch))
    if not frames:
        return Score([], 0, 0, 0, 0)
    # Stretch boundaries in time: an event cannot target a frame across a seek, stop or start.
    starts = [f.t for i, f in enumerate(frames) if i == 0 or f.stretch != frames[i - 1].stretch]
    targets: dict[int, tuple[float, tuple[str, tuple[int, ...]]]] = {}
    synced: set[int] = set()  # stretches in which the bridge has spoken about the present
    for ts, d, address, args in live.wire:
        if d is not dev or address not in ("/jam/chord", "/jam/nochord"):
            continue
        label = int(args[0])
        now = _now(frames, ts)
        if now is None:
            continue
        key = _key(live, frames[now], ts, label)
        if frames[now].stretch not in synced:
            if key > frames[now].frame + 1:
                continue  # planned before the bridge heard of this stretch's start
            synced.add(frames[now].stretch)
        length = 1 if address == "/jam/nochord" else int(args[1])
        content = ("nochord", ()) if address == "/jam/nochord" else (str(args[2]), tuple(int(p) for p in args[3:]))
        k = _target(frames, starts, live, ts, now, key, reach_beats)
        if k is None:
            k = _covering(frames, targets, now, label, length)
        # The commitment for a frame is what the bridge said by the time the frame began: a later,
        # different word (a re-plan after a stall) cannot be played any more, as on the device.
        if k is not None and (k not in targets or (targets[k][0] <= ts < frames[k].t)):
            targets[k] = (ts, content)
    current = None
    for i, f in enumerate(frames):
        if i == 0 or f.stretch != frames[i - 1].stretch:
            current = None
        if i in targets:
            current = targets[i][1]
            f.onset = True
        f.committed = current
    chords = _chords_only(dev)
    for i, f in enumerate(frames):
        nxt = frames[i + 1].t if i + 1 < len(frames) else f.t + 2 * probe
        f.sounding = chords.sounding(f.t + min(probe, (nxt - f.t) / 2), channel)
    ons = [e for e in chords.events if e.channel == channel and e.velocity > 0]
    committed = sounded = late = wrong = 0
    for i, f in enumerate(frames):
        c = f.committed
        chord = c is not None and c[0] != "nochord"
        if chord:
            committed += 1
            if f.sounding == frozenset(c[1]):
                sounded += 1
        if f.sounding and (not chord or f.sounding != frozenset(c[1])):
            wrong += 1
        if chord and f.onset:
            j = i + 1  # the run's end: its notes may start late, but within it
            while j < len(frames) and not frames[j].onset and frames[j].stretch == f.stretch:
                j += 1
            nxt = frames[j].t if j < len(frames) else f.t + 1.0
            hits = [e.t for e in ons if f.t - 1e-3 <= e.t < nxt and e.pitch in c[1]]
            f.onset_t = min(hits) if hits else None
            if f.onset_t is not None and f.onset_t - f.t > LATE_S:
                late += 1
    return Score(frames, sounded, committed, late, wrong, dev.midi.hanging(), 1e3 * live.sched.max_lag)


def _chords_only(dev: Device) -> MidiLog:
    """The device's MIDI out without the performer's notes passed through (same time, pitch and velocity
    as a note fed to [midiin]): on a device that sends both on one channel they cannot be told apart
    by channel."""
    fed = sorted(dev.fed)
    times = [t for t, _, _ in fed]
    out = MidiLog()
    for e in dev.midi.events:
        i = bisect.bisect_left(times, e.t - 0.002)
        if not any(p == e.pitch and v == e.velocity for _, p, v in fed[i:bisect.bisect_right(times, e.t + 0.002)]):
            out.events.append(e)
    return out


def _covering(frames: list[Frame], targets: dict, now: int, label: int, length: int) -> int | None:
    """A run that covers frame ``now`` (the one sounding when it arrived) and began after the last event
    there: its onset arrived late (or was lost), so it starts now (the device plays it at once)."""
    if not label <= frames[now].frame < label + length:
        return None
    first = now - (frames[now].frame - label)
    if first < 0 or frames[first].stretch != frames[now].stretch:
        first = next(i for i in range(now, -1, -1) if i == 0 or frames[i - 1].stretch != frames[now].stretch)
    if any(first <= i <= now for i in targets):
        return None
    return now


def _now(frames: list[Frame], ts: float) -> int | None:
    """Index of the frame sounding at ``ts`` (None before the first)."""
    return next((i for i in range(len(frames) - 1, -1, -1) if frames[i].t <= ts), None)


def _key(live: Live, now: Frame, ts: float, label: int) -> int:
    """The frame an event labelled ``label`` sounds on, seen from frame ``now``: the label, or while Live
    loops and the label lies past the loop end, the label minus the loop length (the next pass)."""
    on, lstart, length = live.loop_at(ts)
    lo, le = int(round(lstart * FRAMES_PER_BEAT)), int(round((lstart + length) * FRAMES_PER_BEAT))
    if on and now.frame < le <= label:
        return label - (le - lo)
    return label


def _target(frames: list[Frame], starts: list[float], live: Live, ts: float, now: int, key: int,
            reach_beats: float) -> int | None:
    """Index of the frame an event received at ``ts``, while frame ``now`` sounds, will sound on: ``key``
    (``_key``) within reach (see the module docstring)."""
    frame_s = 60.0 / live.transport.bpm / FRAMES_PER_BEAT
    reach = reach_beats * FRAMES_PER_BEAT * frame_s
    boundary = next((s for s in starts if s > ts + 1e-9), float("inf"))
    for i, f in enumerate(frames):
        if f.t < ts - frame_s or f.t > ts + reach or f.t >= boundary:
            continue
        if f.frame == key:
            if f.t < ts and i != now:
                continue  # arrived after this frame had already ended
            return i
    return None


def piano_roll(sc: Score, dev: Device, path: str, title: str = "") -> None:
    """Melody, committed and sounded chords against played frames, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    fr = sc.frames
    if not fr:
        return
    fig, ax = plt.subplots(figsize=(max(8.0, len(fr) / 16), 5), dpi=100)
    times = [f.t for f in fr]

    def index_at(t: float) -> float:
        import bisect

        i = bisect.bisect_right(times, t) - 1
        if i < 0:
            return 0.0
        nxt = times[i + 1] if i + 1 < len(times) else times[i] + (times[i] - times[i - 1] if i else 0.125)
        return i + min(1.0, (t - times[i]) / max(nxt - times[i], 1e-6))

    held: dict[int, float] = {}
    for t, pitch, vel in dev.fed:
        if vel > 0:
            held[pitch] = t
        elif pitch in held:
            a = index_at(held.pop(pitch))
            ax.add_patch(Rectangle((a, pitch - 0.4), index_at(t) - a, 0.8, color="#1f77b4"))
    for i, f in enumerate(fr):
        if f.committed and f.committed[0] != "nochord":
            for p in f.committed[1]:
                ax.add_patch(Rectangle((i, p - 0.5), 1, 1, fill=False, edgecolor="#999999", lw=0.6))
        for p in f.sounding:
            ok = f.committed is not None and p in f.committed[1]
            ax.add_patch(Rectangle((i + 0.1, p - 0.3), 0.8, 0.6, color="#2ca02c" if ok else "#d62728"))
    for i, f in enumerate(fr):
        if i and f.stretch != fr[i - 1].stretch:
            ax.axvline(i, color="#ff7f0e", lw=1)
    pitches = [p for f in fr for p in f.sounding] + [p for _, p, _ in dev.fed] + \
              [p for f in fr if f.committed for p in f.committed[1]]
    ax.set_xlim(0, len(fr))
    ax.set_ylim(min(pitches, default=40) - 2, max(pitches, default=80) + 2)
    ax.set_xlabel("frames played (16ths; orange: a seek, stop or start)")
    ax.set_ylabel("MIDI pitch")
    ax.set_title((title + "\n" if title else "") + sc.line() +
                 "  (blue melody, grey boxes committed, green sounded, red wrong)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def summary(sc: Score) -> dict[str, Any]:
    return {"sounded": sc.sounded, "committed": sc.committed, "late": sc.late, "wrong": sc.wrong,
            "hanging": len(sc.hanging)}


def melody_on_chord_tones_by_pass(sc: Score, clip: list[tuple[int, float, float, int]]) -> list[float]:
    """What the chords did for the tune, pass by pass round Live's loop (a frame number that goes back
    starts a new pass): the share of frames with a melody note sounding (``clip``: pitch, start and end
    beat, velocity) whose pitch class is among the pitches the chord channel sounds then."""
    passes: list[list[int]] = []
    for i, f in enumerate(sc.frames):
        if i == 0 or f.frame < sc.frames[i - 1].frame:
            passes.append([0, 0])
        beat = f.frame / FRAMES_PER_BEAT
        notes = [p for p, start, end, _ in clip if start <= beat < end]
        if notes:
            passes[-1][1] += 1
            passes[-1][0] += int(notes[-1] % 12 in {q % 12 for q in f.sounding})
    return [hit / total if total else float("nan") for hit, total in passes]

