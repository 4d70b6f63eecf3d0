"""Dataset readers: files under ``--data-dir`` -> ``Song``s with provenance, or a reason to skip.

Each source lists its song ids and reads one song at a time (so the builder can spread songs over
worker processes):

- ``nottingham``: ``nottingham/MIDI/melody/NAME.mid`` + ``MIDI/chords/NAME.mid`` (repeats already expanded,
  1024 ticks per beat, tick 0 on a bar line). Block chords are named with ``label_pitches``.
- ``pop909``: melody from ``pop909/POP909/NNN/NNN.mid`` (track ``MELODY``), put on beats by ``beat_midi.txt``;
  chords from ``pop909-cl`` (expert-corrected block chords) where that file lines up with the melody, else
  the original ``chord_midi.txt`` Harte labels. ``meta["chord_source"]`` says which.

Labels we cannot read are never guessed: each one is counted (``ParseResult.unknown``) and its span
becomes no-chord.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from jamcore.music.midi_io import TempoMap, TickNote, meta_events, open_midi, track_notes
from jamcore.music.chords import PITCH_NAMES, Chord, ChordLabelError, label_pitches, parse_harte
from jamcore.music.song import ChordSpan, Meter, Note, Song, monophonic

# POP909-CL is used for a song only when this share of its melody notes is found in the CL file after
# the offset (the CL README's threshold); below it the offset is probably not constant.
CL_MATCH_THRESHOLD = 0.90
CL_MATCH_TOLERANCE_TICKS = 20
SNAP_PER_BEAT = 480  # POP909 event times are snapped to this grid (its MIDI resolution)
# Harte shorthands that name a listed quality exactly (no folding): used for the coverage figure only.
_HARTE_EXACT = {"maj", "min", "dim", "aug", "maj7", "min7", "7", "dim7", "hdim7", "maj6", "6", "min6",
                "9", "sus2", "sus4"}


@dataclass
class ParseResult:
    """One song's outcome: the song, or why it was skipped; unknown labels counted either way."""

    song_id: str
    song: Song | None = None
    skip: str | None = None
    unknown: Counter = field(default_factory=Counter)


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _pitch_set_name(pitches: list[int]) -> str:
    return "pitches{" + ",".join(PITCH_NAMES[p] for p in sorted({p % 12 for p in pitches})) + "}"


def _is_exact(chord: Chord, pitches: list[int]) -> bool:
    """True when the sounding pitch classes are exactly the chord's canonical set (no folding)."""
    return frozenset(p % 12 for p in pitches) == chord.pitch_classes


def block_chords(notes: list[TickNote]) -> list[tuple[int, int, list[int]]]:
    """Group block-chord notes into (start, end, pitches): notes sharing a start tick form one chord.

    A chord ends where its longest note ends, or where the next chord starts, whichever is first.
    """
    groups: dict[int, list[TickNote]] = {}
    for n in notes:
        groups.setdefault(n.start, []).append(n)
    starts = sorted(groups)
    out = []
    for i, s in enumerate(starts):
        end = max(n.end for n in groups[s])
        if i + 1 < len(starts):
            end = min(end, starts[i + 1])
        out.append((s, end, [n.pitch for n in groups[s]]))
    return out


def label_blocks(blocks, to_beat: Callable[[float], float], unknown: Counter) -> tuple[list[ChordSpan], int]:
    """Name block chords; pitch sets we cannot name become counted no-chord spans. Returns (spans, exact)."""
    spans, exact = [], 0
    for start, end, pitches in blocks:
        chord = label_pitches(pitches)
        if chord is None:
            unknown[_pitch_set_name(pitches)] += 1
        elif _is_exact(chord, pitches):
            exact += 1
        spans.append(ChordSpan(chord, to_beat(start), to_beat(end)))
    return spans, exact


def _meter(mid) -> tuple[Meter, int]:
    """Meter of the first time signature, and how many later changes there are (kept as metadata)."""
    sigs = meta_events(mid, "time_signature")
    if not sigs:
        return Meter(), 0
    first = sigs[0][1]
    changes = sum(1 for t, m in sigs[1:] if t > 0 and (m.numerator, m.denominator) != (first.numerator, first.denominator))
    return Meter(first.numerator, first.denominator), changes


def _key(mid) -> str | None:
    keys = meta_events(mid, "key_signature")
    return keys[0][1].key if keys else None


# ---------------------------------------------------------------------------------------------
# Nottingham


def nottingham_ids(data_dir: Path) -> list[str]:
    return sorted(p.stem for p in (Path(data_dir) / "nottingham" / "MIDI" / "melody").glob("*.mid"))


def read_nottingham_song(data_dir: Path, name: str) -> ParseResult:
    root = Path(data_dir) / "nottingham" / "MIDI"
    res = ParseResult(f"nottingham/{name}")
    chord_path = root / "chords" / f"{name}.mid"
    if not chord_path.exists():
        res.skip = "no chord file (tune has no chord symbols)"
        return res
    mel_mid = open_midi(root / "melody" / f"{name}.mid")
    tpb = mel_mid.ticks_per_beat
    raw = [n for tr in mel_mid.tracks for n in track_notes(tr)]
    melody = monophonic([Note(n.pitch, n.start / tpb, n.end / tpb, n.velocity) for n in raw])
    if not melody:
        res.skip = "no melody notes"
        return res
    chord_mid = open_midi(chord_path)
    ctpb = chord_mid.ticks_per_beat
    blocks = block_chords([n for tr in chord_mid.tracks for n in track_notes(tr)])
    spans, exact = label_blocks(blocks, lambda t: t / ctpb, res.unknown)
    if not any(s.chord is not None for s in spans):
        res.skip = "no nameable chords"
        return res
    meter, changes = _meter(mel_mid)
    res.song = Song(
        song_id=res.song_id, source="nottingham", melody=melody, chords=tuple(spans), meter=meter,
        key=_key(mel_mid), tempo_bpm=TempoMap(mel_mid).first_bpm,
        meta={"chord_source": "nottingham-midi", "n_chords": len(spans), "n_exact": exact,
              "meter_changes": changes, "overlaps_dropped": len(raw) - len(melody)},
    )
    return res


# ---------------------------------------------------------------------------------------------
# POP909 (+ POP909-CL)


class BeatGrid:
    """Seconds -> beats from a list of beat times; linear extrapolation past either end."""

    def __init__(self, times: np.ndarray) -> None:
        if len(times) < 2:
            raise ValueError("a beat grid needs at least two beats")
        self.times = np.asarray(times, dtype=float)

    def __call__(self, seconds: float) -> float:
        t = self.times
        if seconds < t[0]:
            return (seconds - t[0]) / (t[1] - t[0])
        if seconds > t[-1]:
            return len(t) - 1 + (seconds - t[-1]) / (t[-1] - t[-2])
        return float(np.interp(seconds, t, np.arange(len(t))))


def pop909_ids(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (Path(data_dir) / "pop909" / "POP909").iterdir() if re.fullmatch(r"\d{3}", p.name))


def _cl_path(data_dir: Path, sid: str) -> Path | None:
    folder = Path(data_dir) / "pop909-cl" / "POP909_processed"
    for name in (f"{sid}.mid", f"{sid} .mid"):  # one file is named "043 .mid"
        if (folder / name).exists():
            return folder / name
    return None


def _cl_notes(path: Path):
    """(chord notes, piano notes, file) of a POP909-CL file; chords are the channel-1 notes.

    658 has its chord track on channel 0 and no piano track: a lone track named ``chords`` is taken.
    """
    mid = open_midi(path)
    per_track = [(tr.name.strip().lower(), track_notes(tr)) for tr in mid.tracks]
    chords = [n for _, notes in per_track for n in notes if n.channel == 1]
    piano = [n for _, notes in per_track for n in notes if n.channel != 1]
    if not chords:
        named = [notes for name, notes in per_track if name == "chords" and notes]
        note_tracks = [notes for _, notes in per_track if notes]
        if len(named) == 1 and len(note_tracks) == 1:
            chords, piano = named[0], []
    return chords, piano, mid


def match_offset(melody: list[TickNote], piano: list[TickNote]) -> tuple[int, float]:
    """Constant tick offset CL - original: the most common start difference of same-pitch notes.

    Returns (offset, share of melody notes that land within 20 ticks of a same-pitch CL note).
    """
    by_pitch: dict[int, np.ndarray] = {}
    for p in {n.pitch for n in piano}:
        by_pitch[p] = np.array(sorted(n.start for n in piano if n.pitch == p))
    diffs = []
    for p in {n.pitch for n in melody}:
        if p not in by_pitch:
            continue
        mel = np.array([n.start for n in melody if n.pitch == p])
        d = np.subtract.outer(by_pitch[p], mel).ravel()
        diffs.append(d[np.abs(d) <= 480 * 64])  # offsets beyond 16 bars would not be a start-beat fix
    if not diffs:
        return 0, 0.0
    values, counts = np.unique(np.concatenate(diffs), return_counts=True)
    offset = int(values[np.argmax(counts)])
    hits = 0
    for n in melody:
        cand = by_pitch.get(n.pitch)
        if cand is None:
            continue
        i = np.searchsorted(cand, n.start + offset)
        near = cand[max(i - 1, 0):i + 1]
        hits += bool(len(near) and np.min(np.abs(near - (n.start + offset))) <= CL_MATCH_TOLERANCE_TICKS)
    return offset, hits / len(melody)


def _read_harte_file(path: Path, to_beat: Callable[[float], float], unknown: Counter) -> tuple[list[ChordSpan], int]:
    spans, exact = [], 0
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        start, end, label = float(parts[0]), float(parts[1]), parts[2]
        try:
            chord = parse_harte(label)
        except ChordLabelError:
            unknown[label] += 1
            chord = None
        if chord is not None and label.split(":")[-1].split("/")[0] in _HARTE_EXACT:
            exact += 1
        spans.append(ChordSpan(chord, to_beat(start), to_beat(end)))
    return spans, exact


def _chord_agreement(a: list[ChordSpan], b: list[ChordSpan]) -> float:
    """Share of beats where two chord lists agree on the pitch-class set (both chorded)."""
    def per_beat(spans):
        out = {}
        for s in spans:
            if s.chord is not None:
                # Sample mid-beat, so a boundary a hair off the beat (float residue) does not move it.
                for beat in range(int(np.ceil(s.start - 0.5)), int(np.ceil(s.end - 0.5))):
                    out[beat] = s.chord.pitch_classes
        return out
    pa, pb = per_beat(a), per_beat(b)
    both = [k for k in pa if k in pb]
    return sum(pa[k] == pb[k] for k in both) / max(len(both), 1)


def read_pop909_song(data_dir: Path, sid: str) -> ParseResult:
    folder = Path(data_dir) / "pop909" / "POP909" / sid
    res = ParseResult(f"pop909/{sid}")
    orig = open_midi(folder / f"{sid}.mid")
    tpb = orig.ticks_per_beat
    mel_ticks = [n for tr in orig.tracks if tr.name.strip().upper() == "MELODY" for n in track_notes(tr)]
    if not mel_ticks:
        res.skip = "no MELODY track or it is empty"
        return res
    beat_file = folder / "beat_midi.txt"
    if not beat_file.exists():
        res.skip = "no beat_midi.txt"
        return res
    beats = np.loadtxt(beat_file, ndmin=2)
    grid = BeatGrid(beats[:, 0])
    tempo = TempoMap(orig)

    # Original ticks -> seconds (tempo map) -> beats (beat_midi.txt). Every event, CL chords included,
    # goes through this one mapping, so melody and chords share a grid by construction. (The tick grid
    # is NOT the beat grid: beat 0 of beat_midi.txt sits at a song-specific tick, 40..480 ticks in.)
    def raw_tick_to_beat(t: float) -> float:
        return grid(tempo.seconds(t))

    # Float residue of the seconds round trip (up to ~0.001 beat) would put an on-beat event at
    # 3.9997 and so one frame early: snap to 1/480 beat, finer than any note in the files.
    def tick_to_beat(t: float) -> float:
        return _snap(raw_tick_to_beat(t))

    def sec_to_beat(sec: float) -> float:
        return _snap(grid(sec))

    melody = monophonic([Note(n.pitch, tick_to_beat(n.start), tick_to_beat(n.end), n.velocity) for n in mel_ticks])
    meta: dict = {"overlaps_dropped": len(mel_ticks) - len(melody)}

    harte_unknown: Counter = Counter()
    harte_spans, harte_exact = [], 0
    if (folder / "chord_midi.txt").exists():
        harte_spans, harte_exact = _read_harte_file(folder / "chord_midi.txt", sec_to_beat, harte_unknown)

    cl_path = _cl_path(data_dir, sid)
    cl_spans: list[ChordSpan] = []
    cl_unknown: Counter = Counter()
    cl_exact, cl_meter, cl_key, cl_shift = 0, None, None, None
    fallback = None
    if cl_path is None:
        fallback = "no POP909-CL file"
    else:
        chord_notes, piano, cl_mid = _cl_notes(cl_path)
        if not chord_notes:
            fallback = "POP909-CL file has no chord track"
        else:
            blocks = block_chords(chord_notes)
            if piano:
                offset, match = match_offset(mel_ticks, piano)
                meta.update(cl_offset_ticks=offset, cl_match=round(match, 4), cl_align="melody")
            else:
                # No notes to match the melody against (658): the CL grid is the beat grid shifted by
                # whole beats, so try each whole-beat shift and keep the one that agrees best with the
                # original labels.
                beat0_tick = _seconds_to_tick(tempo, beats[0, 0], tpb)
                best = None
                for k in range(-16, 17):
                    off = int(round(k * tpb - beat0_tick))
                    spans, _ = label_blocks(blocks, lambda t: tick_to_beat(t - off), Counter())
                    agree = _chord_agreement(spans, harte_spans)
                    if best is None or agree > best[1]:
                        best = (off, agree)
                offset, match = best
                meta.update(cl_offset_ticks=offset, cl_match=round(match, 4), cl_align="chords")
            if match < CL_MATCH_THRESHOLD:
                fallback = f"POP909-CL alignment {match:.0%} < {CL_MATCH_THRESHOLD:.0%}"
            else:
                cl_spans, cl_exact = label_blocks(blocks, lambda t: tick_to_beat(t - offset), cl_unknown)
                cl_meter, _ = _meter(cl_mid)
                cl_key = _key(cl_mid)
                # Checks, kept in meta: the CL chords must start on beat_midi beats (they do, 99%+), and
                # the CL tick grid is beat_midi's shifted by `diff` beats. For ~90% of songs `diff` is a
                # whole number and the CL bar lines (tick 0, corrected time signature) give the bar
                # phase; for the rest the CL file's own grid is a fraction of a beat off (its notes too),
                # so its bar lines mean nothing and beat_midi's downbeats give the phase instead.
                onsets = np.array([raw_tick_to_beat(b[0] - offset) for b in blocks])
                meta["cl_onsets_on_beat"] = round(float(np.mean(np.abs(onsets - np.round(onsets)) < 0.05)), 4)
                diff = float(np.median(np.array([b[0] for b in blocks]) / cl_mid.ticks_per_beat - onsets))
                meta["cl_grid_fraction"] = round(abs(diff - round(diff)), 4)
                cl_shift = float(round(diff)) if meta["cl_grid_fraction"] < 0.05 else None

    if fallback is None:
        spans, exact, unknown = cl_spans, cl_exact, cl_unknown
        meta["chord_source"] = "pop909-cl"
    else:
        spans, exact, unknown = harte_spans, harte_exact, harte_unknown
        meta["chord_source"] = "pop909"
        meta["cl_fallback"] = fallback
    if fallback is None and cl_shift is not None:
        meter, phase = cl_meter or Meter(), cl_shift
        meta["bar_phase_from"] = "pop909-cl"
    else:
        down = np.nonzero(beats[:, 2] > 0)[0] if beats.shape[1] > 2 else np.array([], dtype=int)
        bar = int(np.median(np.diff(down))) if len(down) > 1 else 4
        meter = cl_meter or (Meter(bar, 4) if bar in (2, 3, 4, 6) else Meter())
        phase = float(-down[0]) if len(down) else 0.0
        meta["bar_phase_from"] = "beat_midi"
    res.unknown = unknown
    if not any(s.chord is not None for s in spans):
        res.skip = "no chords (neither POP909-CL nor chord_midi.txt)"
        return res

    # Shift by the bar-phase (mod one bar) so bar lines fall on multiples of beats_per_bar, and by whole
    # bars more if anything would start before beat 0.
    bpb = meter.beats_per_bar
    first = min(min(n.start for n in melody), min(s.start for s in spans))
    shift = phase % bpb
    while first + shift < 0:
        shift += bpb
    song = Song(
        song_id=res.song_id, source="pop909", melody=melody, chords=tuple(spans), meter=meter,
        key=cl_key, tempo_bpm=round(60.0 / float(np.median(np.diff(beats[:, 0]))), 2),
        meta={**meta, "n_chords": len(spans), "n_exact": exact, "shift_beats": shift},
    )
    res.song = song.shift(shift) if shift else song
    return res


def _snap(beat: float) -> float:
    return round(beat * SNAP_PER_BEAT) / SNAP_PER_BEAT


def _seconds_to_tick(tempo: TempoMap, seconds: float, tpb: int) -> float:
    """Inverse of the tempo map by bisection (only needed once per song, for 658)."""
    lo, hi = 0.0, float(tpb)
    while tempo.seconds(hi) < seconds:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if tempo.seconds(mid) < seconds else (lo, mid)
    return lo


# ---------------------------------------------------------------------------------------------
# Registry

SOURCES: dict[str, tuple[Callable[[Path], list[str]], Callable[[Path, str], ParseResult]]] = {
    "nottingham": (nottingham_ids, read_nottingham_song),
    "pop909": (pop909_ids, read_pop909_song),
}


def read_song(source: str, data_dir: Path, name: str) -> ParseResult:
    """Read one song of a source; a file that breaks the reader is a skip with its reason, not a crash."""
    try:
        return SOURCES[source][1](Path(data_dir), name)
    except (OSError, ValueError, EOFError, KeyError, IndexError) as exc:
        return ParseResult(f"{source}/{name}", skip=f"unreadable: {type(exc).__name__}: {exc}")
