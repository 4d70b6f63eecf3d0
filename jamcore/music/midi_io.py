"""Users' melody files in and harmonized MIDI out: the only module that touches MIDI files for users.

``load_user_melody`` reads a MIDI or MusicXML file, picks the melody line, makes it monophonic and says
what it dropped; ``write_harmonized_midi`` writes the melody and the voiced chords as a type-1 MIDI file
(track 0 the melody, track 1 named ``chords``), as ``jamcore harmonize`` promises (README.md).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import mido

from jamcore.errors import JamcoreError
from jamcore.music.chords import ChordLabelError, parse_musicxml_kind
from jamcore.music.song import ChordSpan, Meter, Note, Song, monophonic

MIN_BPM, MAX_BPM = 20.0, 400.0
MIDI_SUFFIXES = (".mid", ".midi", ".smf")
MUSICXML_SUFFIXES = (".xml", ".musicxml", ".mxl")
_MELODY_NAME = re.compile(r"melod|lead|vocal|voice|voix|singer|tune|soprano", re.IGNORECASE)
# A track is "mostly monophonic" when at most this share of its note time overlaps another note.
MAX_POLYPHONY = 0.2
DRUM_CHANNEL = 9
OUT_TICKS_PER_BEAT = 480


class MelodyFileError(JamcoreError, ValueError):
    """A user's melody file we cannot use; the message says what was wrong and what is expected."""


@dataclass
class MelodyReport:
    """What ``load_user_melody`` did: the track it took and what it left out."""

    path: str
    format: str  # "midi" or "musicxml"
    melody_track: str
    tracks_dropped: list[str] = field(default_factory=list)
    overlapping_notes_dropped: int = 0
    notes: int = 0
    tempo_bpm: float = 120.0
    chord_symbols: int = 0
    unknown_chord_symbols: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        text = f"{self.notes} melody notes from {self.melody_track!r} at {self.tempo_bpm:g} BPM"
        if self.tracks_dropped:
            text += f"; ignored {len(self.tracks_dropped)} other track(s): {', '.join(self.tracks_dropped)}"
        if self.overlapping_notes_dropped:
            text += f"; dropped or shortened {self.overlapping_notes_dropped} overlapping note(s)"
        return text


# ---------------------------------------------------------------------------------------------
# Tick-level reading, shared with the dataset readers (they align files on ticks, not seconds)
@dataclass(frozen=True)
class TickNote:
    pitch: int
    start: int  # ticks
    end: int
    velocity: int
    channel: int


def track_notes(track: mido.MidiTrack) -> list[TickNote]:
    """Notes of one track, sorted by start. A note-off closes the oldest open note of its pitch."""
    open_notes: dict[tuple[int, int], list[tuple[int, int]]] = {}
    out: list[TickNote] = []
    tick = 0
    for msg in track:
        tick += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            open_notes.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
        elif msg.type in ("note_off", "note_on"):
            stack = open_notes.get((msg.channel, msg.note))
            if stack:
                start, vel = stack.pop(0)
                if tick > start:
                    out.append(TickNote(msg.note, start, tick, vel, msg.channel))
    out.sort(key=lambda n: (n.start, n.pitch))
    return out


def meta_events(mid: mido.MidiFile, kind: str) -> list[tuple[int, mido.MetaMessage]]:
    """(absolute tick, message) of every meta event of ``kind`` in any track, in time order."""
    events = []
    for track in mid.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == kind:
                events.append((tick, msg))
    events.sort(key=lambda e: e[0])
    return events


class TempoMap:
    """Ticks -> seconds under a file's set_tempo events (default 120 BPM before the first one)."""

    def __init__(self, mid: mido.MidiFile) -> None:
        self.tpb = mid.ticks_per_beat
        ticks, tempos = [0], [500000]
        for tick, msg in meta_events(mid, "set_tempo"):
            if tick == ticks[-1]:
                tempos[-1] = msg.tempo  # a tempo at the same tick replaces the earlier one
            else:
                ticks.append(tick)
                tempos.append(msg.tempo)
        self._ticks = ticks
        self._tempos = tempos
        # Seconds at each tempo change, so a lookup is one bisect.
        secs = [0.0]
        for i in range(1, len(ticks)):
            secs.append(secs[-1] + (ticks[i] - ticks[i - 1]) * tempos[i - 1] / 1e6 / self.tpb)
        self._secs = secs

    @property
    def first_bpm(self) -> float:
        return 60e6 / self._tempos[0]

    def seconds(self, tick: float) -> float:
        i = max(bisect_right(self._ticks, tick) - 1, 0)
        return self._secs[i] + (tick - self._ticks[i]) * self._tempos[i] / 1e6 / self.tpb


def open_midi(path: Path) -> mido.MidiFile:
    # clip=True: a few dataset files carry data bytes > 127, which mido otherwise refuses.
    return mido.MidiFile(str(path), clip=True)


# ---------------------------------------------------------------------------------------------
# Users' melodies


def load_user_melody(path: str | Path) -> tuple[Song, MelodyReport]:
    """Read a melody from a MIDI or MusicXML file: ``(Song, report)``; raises ``MelodyFileError``."""
    path = Path(path)
    if not path.is_file():
        raise MelodyFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in MUSICXML_SUFFIXES:
        return _load_musicxml(path)
    if suffix in MIDI_SUFFIXES or path.read_bytes()[:4] == b"MThd":
        return _load_midi(path)
    raise MelodyFileError(
        f"{path}: not a MIDI or MusicXML file (expected .mid/.midi or .xml/.musicxml/.mxl)"
    )


# ---------------------------------------------------------------------------------------------
# MIDI


def _check_tempo(path: Path, bpm: float) -> None:
    if not MIN_BPM <= bpm <= MAX_BPM:
        raise MelodyFileError(
            f"{path}: tempo {bpm:.1f} BPM is outside {MIN_BPM:g}-{MAX_BPM:g} BPM; fix the file's tempo"
        )


def _polyphony(notes: list[Note]) -> float:
    """Share of the summed note durations that overlaps an earlier-starting note."""
    ordered = sorted(notes, key=lambda n: n.start)
    total = sum(n.end - n.start for n in ordered) or 1.0
    overlap, reach = 0.0, float("-inf")
    for n in ordered:
        overlap += max(0.0, min(reach, n.end) - n.start)
        reach = max(reach, n.end)
    return overlap / total


def _load_midi(path: Path) -> tuple[Song, MelodyReport]:
    try:
        mid = mido.MidiFile(str(path), clip=True)
    except (OSError, ValueError, EOFError, KeyError, IndexError) as exc:
        raise MelodyFileError(f"{path}: not a readable MIDI file ({exc})") from exc
    tpb = mid.ticks_per_beat
    tempos = meta_events(mid, "set_tempo")
    for _, msg in tempos:
        _check_tempo(path, 60e6 / msg.tempo)
    bpm = TempoMap(mid).first_bpm

    # Candidate lines: one per (track, channel), drums left out. Notes stay in beats (ticks / tpb): the
    # song position a performer sees, whatever the tempo.
    lines: list[tuple[str, list[Note]]] = []
    for i, track in enumerate(mid.tracks):
        by_channel: dict[int, list[Note]] = {}
        for n in track_notes(track):
            if n.channel == DRUM_CHANNEL:
                continue
            by_channel.setdefault(n.channel, []).append(Note(n.pitch, n.start / tpb, n.end / tpb, n.velocity))
        for ch, notes in by_channel.items():
            name = track.name.strip() or f"track {i}"
            lines.append((name if len(by_channel) == 1 else f"{name} (channel {ch + 1})", notes))
    if not lines:
        raise MelodyFileError(f"{path}: no notes (drums are not a melody)")

    named = [ln for ln in lines if _MELODY_NAME.search(ln[0])]
    mono = [ln for ln in lines if _polyphony(ln[1]) <= MAX_POLYPHONY]
    if named:
        chosen = named[0]
    elif mono:
        # The highest mostly-monophonic line: melodies usually sit on top.
        chosen = max(mono, key=lambda ln: sorted(n.pitch for n in ln[1])[len(ln[1]) // 2])
    else:
        raise MelodyFileError(
            f"{path}: every track is chordal (polyphonic); put the melody alone on a track, "
            f"or name its track 'melody'"
        )
    melody = monophonic(chosen[1])
    sigs = meta_events(mid, "time_signature")
    meter = Meter(sigs[0][1].numerator, sigs[0][1].denominator) if sigs else Meter()
    report = MelodyReport(
        path=str(path), format="midi", melody_track=chosen[0],
        tracks_dropped=[name for name, _ in lines if name != chosen[0]],
        overlapping_notes_dropped=_overlaps_dropped(chosen[1], melody),
        notes=len(melody), tempo_bpm=round(bpm, 3),
    )
    song = Song(song_id=f"user/{path.stem}", source="user", melody=melody, chords=(), meter=meter,
                tempo_bpm=bpm, meta={"path": str(path), "melody_track": chosen[0]})
    return song, report


def _overlaps_dropped(before: list[Note], after: tuple[Note, ...]) -> int:
    """Notes removed or shortened when the line was made monophonic."""
    kept = set(after)
    return sum(1 for n in before if n.end > n.start and n not in kept)


# ---------------------------------------------------------------------------------------------
# MusicXML


def _load_musicxml(path: Path) -> tuple[Song, MelodyReport]:
    import music21

    try:
        score = music21.converter.parse(str(path))
    except Exception as exc:  # music21 raises many kinds; all mean "not a score we can read"
        raise MelodyFileError(f"{path}: not a readable MusicXML file ({exc})") from exc
    parts = list(score.parts) if hasattr(score, "parts") else []
    if not parts:
        raise MelodyFileError(f"{path}: no parts in the score")
    part = parts[0]
    marks = score.flatten().getElementsByClass("MetronomeMark")
    bpm = float(marks[0].getQuarterBPM()) if len(marks) else 120.0
    _check_tempo(path, bpm)

    raw: list[Note] = []
    flat = part.flatten()
    for el in flat.notes:
        if isinstance(el, music21.harmony.ChordSymbol):
            continue
        start, end = float(el.offset), float(el.offset + el.quarterLength)
        if end <= start:
            continue  # grace notes
        pitches = [p.midi for p in el.pitches]
        vel = el.volume.velocity or 100
        for p in pitches:
            raw.append(Note(int(p), start, end, int(vel)))
    # Ties: music21 keeps tied notes as separate notes; merge a note into the previous one of the same
    # pitch that ends where it starts and is tied into it.
    raw = _merge_ties(flat, raw, music21)
    if not raw:
        raise MelodyFileError(f"{path}: no notes in the first part")
    melody = monophonic(raw)

    chords: list[ChordSpan] = []
    unknown: dict[str, int] = {}
    symbols = list(score.flatten().getElementsByClass(music21.harmony.ChordSymbol))
    for i, cs in enumerate(symbols):
        start = float(cs.offset)
        end = float(symbols[i + 1].offset) if i + 1 < len(symbols) else max(n.end for n in melody)
        try:
            root = cs.root().name if cs.root() is not None else ""
            bass = cs.bass().name if cs.bass() is not None else None
            chord = parse_musicxml_kind(root, cs.chordKind, bass if bass != root else None)
        except (ChordLabelError, AttributeError):
            unknown[str(cs.chordKind)] = unknown.get(str(cs.chordKind), 0) + 1
            chord = None
        if end > start:
            chords.append(ChordSpan(chord, start, end))

    ts = score.flatten().getElementsByClass("TimeSignature")
    meter = Meter(ts[0].numerator, ts[0].denominator) if len(ts) else Meter()
    name = part.partName or "part 1"
    report = MelodyReport(
        path=str(path), format="musicxml", melody_track=name,
        tracks_dropped=[p.partName or f"part {i + 2}" for i, p in enumerate(parts[1:])],
        overlapping_notes_dropped=_overlaps_dropped(raw, melody), notes=len(melody), tempo_bpm=bpm,
        chord_symbols=len(symbols), unknown_chord_symbols=unknown,
    )
    song = Song(song_id=f"user/{path.stem}", source="user", melody=melody, chords=tuple(chords), meter=meter,
                tempo_bpm=bpm, meta={"path": str(path), "melody_track": name})
    return song, report


def _merge_ties(flat, notes: list[Note], music21) -> list[Note]:
    tied_starts = set()
    for el in flat.notes:
        tie = getattr(el, "tie", None)
        if tie is not None and tie.type in ("continue", "stop"):
            tied_starts.add(float(el.offset))
    out: list[Note] = []
    for n in sorted(notes, key=lambda n: (n.start, n.pitch)):
        prev = next((m for m in reversed(out[-4:]) if m.pitch == n.pitch and abs(m.end - n.start) < 1e-9), None)
        if prev is not None and n.start in tied_starts:
            out[out.index(prev)] = Note(prev.pitch, prev.start, n.end, prev.velocity)
        else:
            out.append(n)
    return out


# ---------------------------------------------------------------------------------------------
# Writing


def write_harmonized_midi(
    path: str | Path,
    melody_notes: list[Note] | tuple[Note, ...],
    chord_events: list[tuple[float, float, list[int]]],
    bpm: float,
    *,
    chord_velocity: int = 80,
    chord_program: int = 0,
) -> None:
    """Type-1 MIDI: track 0 the melody (with the tempo), track 1 named ``chords`` with the voiced chords.

    ``chord_events`` are ``(start_beat, end_beat, [MIDI pitches])``. Melody on channel 1, chords on
    channel 2, so a DAW can route them apart.
    """
    if not MIN_BPM <= bpm <= MAX_BPM:
        raise ValueError(f"bpm {bpm} outside {MIN_BPM:g}-{MAX_BPM:g}")
    mid = mido.MidiFile(type=1, ticks_per_beat=OUT_TICKS_PER_BEAT)

    def tick(beat: float) -> int:
        return max(0, int(round(beat * OUT_TICKS_PER_BEAT)))

    def track_from(events: list[tuple[int, int, mido.Message]], head: list) -> mido.MidiTrack:
        track = mido.MidiTrack(head)
        # Offs before ons at the same tick, so a repeated pitch is re-struck, not cut.
        now = 0
        for t, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
            track.append(msg.copy(time=t - now))
            now = t
        track.append(mido.MetaMessage("end_of_track", time=0))
        return track

    mel_events = []
    for n in melody_notes:
        s, e = tick(n.start), tick(n.end)
        if e <= s:
            continue
        mel_events.append((s, 1, mido.Message("note_on", channel=0, note=int(n.pitch), velocity=int(n.velocity))))
        mel_events.append((e, 0, mido.Message("note_off", channel=0, note=int(n.pitch), velocity=0)))
    head = [
        mido.MetaMessage("track_name", name="melody", time=0),
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0),
    ]
    mid.tracks.append(track_from(mel_events, head))

    ch_events = []
    for start, end, pitches in chord_events:
        s, e = tick(start), tick(end)
        if e <= s:
            continue
        for p in sorted(set(int(p) for p in pitches)):
            ch_events.append((s, 1, mido.Message("note_on", channel=1, note=p, velocity=chord_velocity)))
            ch_events.append((e, 0, mido.Message("note_off", channel=1, note=p, velocity=0)))
    head = [
        mido.MetaMessage("track_name", name="chords", time=0),
        mido.Message("program_change", channel=1, program=chord_program, time=0),
    ]
    mid.tracks.append(track_from(ch_events, head))
    mid.save(str(path))
