"""CoCoPops reader: humdrum ``.hum`` files -> ``Song``s with melody (``**kern``) and chords (``**harte``).

Our own small line parser (music21's humdrum reader fails on Billboard and misreads the RS200 timebase).
Format notes are in ``shared/datasets/cocopops/README.md``; what this reader decides:

- Which files: every ``RollingStone/Data/*.hum`` and ``Billboard/Data/*.hum`` (``*.varms.hum`` included).
  Billboard ``*.harm`` files (chords only) are enumerated and returned as skipped with reason
  ``"no melody"``, as are RS200 songs whose ``**kern`` spine holds no pitch (rap, spoken vocals).
- Time is in beats (quarter notes), kept exact as fractions while parsing.
  RollingStone: ``*tbN`` sets the length of every following data line (``*tb2.`` dotted, ``*tb8%9`` = 9/8
  of a whole note). Billboard: ordinary humdrum rhythm: a line lasts until the earliest end of the
  events sounding in the duration-bearing spines (every ``**kern`` and ``**harm``); lines with a grace
  note, or where a spine's event has just ended with no new token, last zero; untimed tokens (``r;``)
  bound nothing. Checked: all but 2 of 17,827 inner bars (RS200) and 5 of 21,648 (Billboard) come out
  at their meter's length.
- Melody: the first ``**kern`` spine (the lead vocal: ``*VRlead`` in every Billboard file). Ties are
  merged, grace notes (``q``/``Q``) dropped, and a kern chord (``4e 4g``) keeps its top note. RS200
  melody tokens are onsets only (and RS200 writes no rests): a note ends at the next onset, capped at
  ``RS_MAX_NOTE_BEATS`` (2 beats: a held note or a pause longer than that is unknown, so we do not
  stretch notes across phrase breaks).
- Chords: ``parse_harte`` on each label; ``.`` continues the previous chord. RollingStone has two
  ``**harte`` spines (T.d.C. and D.T.): we use the one whose annotator comment matches the ``**kern``
  spine's, else the first. A label ``parse_harte`` rejects is never guessed: it is counted in
  ``meta["unknown_chords"]`` and its span is no-chord. Consecutive equal chords are merged.
- Meter: ``Song.meter`` is the meter that covers the most beats; every ``*M`` change is in
  ``meta["meter_changes"]``. Key: the first ``*X:`` token, written ``"A:maj"``, ``"C#:min"``, ``"E:dor"``.
  Tempo: median bar-to-bar tempo from the ``**timestamp`` spine (seconds of the recording), else 120.
- Times are shifted (by less than a bar, never below 0) so that the first barline lands on a whole bar
  of the first meter: beat 0 is a downbeat, as the tokenizer's bar positions expect.
- Duplicates: 12 songs are in both parts. We keep the Billboard one (real note durations and rests)
  and skip the RollingStone one with reason ``"duplicate of cocopops/bb/<name>"``.

Song ids are ``cocopops/rs/<file stem>`` and ``cocopops/bb/<file stem without .varms>``.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from jamcore.music.chords import PITCH_NAMES, Chord, ChordLabelError, parse_harte
from jamcore.music.song import ChordSpan, Meter, Note, Song, monophonic

SOURCE = "cocopops"
# RS200 gives note onsets only; a note is held until the next onset but no longer than this (beats).
RS_MAX_NOTE_BEATS = Fraction(2)
# Tempo estimates outside this range come from the untimed fermata lines some Billboard files start with.
_TEMPO_RANGE = (30.0, 300.0)

_RECIP = re.compile(r"(\d+)(?:%(\d+))?(\.*)")
_PITCH = re.compile(r"([a-gA-G])\1*([#\-n]*)")
_KEY = re.compile(r"\*([A-Ga-g])([#\-]*):([a-z]*)")
_METER = re.compile(r"\*M(\d+)/(\d+)")
_LETTER_PC = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_MODES = {"": None, "ion": "maj", "aeo": "min", "dor": "dor", "phr": "phr", "lyd": "lyd", "mix": "mix",
          "loc": "loc"}


class SkipSong(ValueError):
    """A file that holds no usable song (no melody, no chords); the message is the skip reason."""


@lru_cache(maxsize=8192)  # pure, and a song repeats the same few tokens thousands of times
def recip_beats(text: str) -> Fraction | None:
    """Beats of a humdrum duration (``**recip``) at the start of ``text``: ``4`` -> 1, ``8.`` -> 3/4,
    ``2.`` -> 3, ``8%9`` -> 9/2 (9/8 of a whole note), ``0`` -> 8 (breve); ``None`` when there is none."""
    m = _RECIP.search(text)
    if not m:
        return None
    n, num, dots = int(m.group(1)), int(m.group(2) or 1), len(m.group(3))
    whole = Fraction(2 * num, 1) if n == 0 else Fraction(num, n)
    # k dots multiply by 2 - 1/2^k (one dot: x1.5, two: x1.75).
    return 4 * whole * (2 - Fraction(1, 2 ** dots))


@lru_cache(maxsize=8192)
def kern_midi(text: str) -> int | None:
    """MIDI pitch of a kern token (``c`` = 60, ``cc`` = 72, ``B`` = 59, ``BB-`` = 46); ``None`` for a rest."""
    if "r" in text:
        return None
    m = _PITCH.search(text)
    if not m:
        return None
    letters = m.group(0).rstrip("#-n")
    pc = _LETTER_PC[letters[0].lower()]
    octave = 4 + (len(letters) - 1) if letters[0].islower() else 3 - (len(letters) - 1)
    acc = m.group(2).count("#") - m.group(2).count("-")
    return 12 * (octave + 1) + pc + acc


def _key_name(token: str) -> str | None:
    m = _KEY.fullmatch(token)
    if not m:
        return None
    pc = (_LETTER_PC[m.group(1).lower()] + m.group(2).count("#") - m.group(2).count("-")) % 12
    mode = _MODES.get(m.group(3), m.group(3)) or ("maj" if m.group(1).isupper() else "min")
    return f"{PITCH_NAMES[pc]}:{mode}"


@dataclass
class _Parsed:
    """What one pass over a file collects; times in beats before the start shift."""

    onsets: list[list] = field(default_factory=list)  # [start, end or None, midi]
    chord_events: list[tuple[Fraction, str]] = field(default_factory=list)
    meters: list[tuple[Fraction, int, int]] = field(default_factory=list)
    bars: list[Fraction] = field(default_factory=list)
    stamps: list[tuple[Fraction, float]] = field(default_factory=list)
    key: str | None = None
    end: Fraction = Fraction(0)
    grace_notes: int = 0
    kern_chords: int = 0


def _parse_lines(lines: list[str], part: str, where: str) -> _Parsed:
    """One pass over a humdrum file: the time of each line, melody onsets, chord labels, meters."""
    out = _Parsed()
    header: list[str] | None = None
    kern = harte = stamp = -1
    dur_spines: list[int] = []
    annotators: dict[int, str] = {}
    t = Fraction(0)
    tb: Fraction | None = None  # RS line length
    ends: dict[int, Fraction] = {}  # Billboard: end of the event sounding in each duration spine
    tie: list | None = None  # Billboard: the open tied note

    for lineno, line in enumerate(lines, 1):
        if not line or line.startswith("!!"):
            continue
        cells = line.split("\t")
        if line.startswith("**"):
            header = cells
            kerns = [i for i, s in enumerate(cells) if s == "**kern"]
            hartes = [i for i, s in enumerate(cells) if s == "**harte"]
            if not kerns:
                raise SkipSong("no melody")
            if not hartes:
                raise SkipSong("no chords")
            kern, harte = kerns[0], hartes[0]
            stamp = cells.index("**timestamp") if "**timestamp" in cells else -1
            dur_spines = [i for i, s in enumerate(cells) if s in ("**kern", "**harm")]
            continue
        if header is None:
            continue
        if len(cells) != len(header):
            raise ValueError(f"{where}:{lineno}: {len(cells)} cells, the header has {len(header)} "
                             "(spine splits are not supported)")
        head = line[0]
        if head == "!":
            # Local comments: RS200 names each spine's annotator on one line (!T.d.C. / !D.T.).
            for i, c in enumerate(cells):
                if c.startswith("!") and c[1:] and "=" not in c:
                    annotators[i] = c[1:]
            if kern in annotators:
                same = [i for i, s in enumerate(header) if s == "**harte" and annotators.get(i) == annotators[kern]]
                if same:
                    harte = same[0]
            continue
        if head == "*":
            for c in cells:
                if c.startswith("*tb"):
                    tb = recip_beats(c[3:])
                    if tb is None or tb <= 0:
                        raise ValueError(f"{where}:{lineno}: bad timebase {c!r}")
                    break
            for c in (cells[kern], cells[harte], *cells):
                m = _METER.fullmatch(c)
                if m:
                    meter = (int(m.group(1)), int(m.group(2)))
                    if not out.meters or out.meters[-1][1:] != meter:
                        if out.meters and out.meters[-1][0] == t:
                            out.meters.pop()
                        out.meters.append((t, *meter))
                    break
            if out.key is None:
                out.key = _key_name(cells[kern]) or _key_name(cells[harte])
            continue
        if head == "=":
            if not out.bars or out.bars[-1] != t:
                out.bars.append(t)
            continue

        # A data line at time t.
        if stamp >= 0 and cells[stamp] not in (".", ""):
            try:
                out.stamps.append((t, float(cells[stamp])))
            except ValueError:
                pass
        label = cells[harte]
        if label != ".":
            if out.chord_events and out.chord_events[-1][0] == t:
                out.chord_events.pop()  # a zero-length line before: the later label wins
            out.chord_events.append((t, label.strip()))

        if part == "rs":
            if tb is None:
                raise ValueError(f"{where}:{lineno}: data before any *tb timebase")
            tok = cells[kern]
            if tok != ".":
                midi = kern_midi(tok)
                if midi is not None:
                    out.onsets.append([t, None, midi])
            t += tb
            continue

        # Billboard: melody from the lead spine, with durations and ties.
        tok = cells[kern]
        if tok != ".":
            subs = [s for s in tok.split(" ") if s]
            sounding = [s for s in subs if "q" not in s and "Q" not in s]
            if len(sounding) < len(subs):
                out.grace_notes += len(subs) - len(sounding)
            pitched = [(kern_midi(s), s) for s in sounding]
            pitched = [(p, s) for p, s in pitched if p is not None]
            if len(pitched) > 1:
                out.kern_chords += 1
            if pitched:
                midi, sub = max(pitched)  # a kern chord in the lead spine: keep the top note
                dur = recip_beats(sub)
                if dur is not None:
                    continued = ("_" in sub or "]" in sub) and tie is not None and tie[2] == midi
                    if continued:
                        tie[1] = t + dur
                    else:
                        note = [t, t + dur, midi]
                        out.onsets.append(note)
                        tie = None
                    if "[" in sub and not continued:
                        tie = note
                    elif "]" in sub:
                        tie = None
            elif sounding:
                tie = None  # a rest ends any tie
        grace = False
        for i in dur_spines:
            c = cells[i]
            if c == ".":
                continue
            subs = [s for s in c.split(" ") if s]
            durs = [d for d in (recip_beats(s) for s in subs if "q" not in s and "Q" not in s) if d is not None]
            if durs:
                ends[i] = t + min(durs)
            elif any("q" in s or "Q" in s for s in subs):
                grace = True
            else:
                ends.pop(i, None)  # an untimed token (``r;`` fermata rest) does not bound this line
        if grace:
            # A grace note is an event of length zero in its spine, so this line lasts zero: the
            # spine's next real note starts at the same time (other spines' new events keep their ends).
            continue
        # The next line starts at the earliest end (no end is ever before t). An end equal to t (a spine
        # whose event just ended, with no new token here) makes this a zero-length line: Billboard
        # writes chord changes that fall between two melody notes that way.
        if ends:
            t = min(ends.values())
    if header is None:
        raise ValueError(f"{where}: no **header line")
    out.end = max([t] + [n[1] for n in out.onsets if n[1] is not None])
    return out


def _chord_spans(events: list[tuple[Fraction, str]], end: Fraction, unknown: Counter,
                 cache: dict[str, Chord | None | str]) -> list[tuple[Fraction, Fraction, Chord | None]]:
    """Labels with onsets -> merged (start, end, chord) spans; unreadable labels counted, made no-chord."""
    spans: list[tuple[Fraction, Fraction, Chord | None]] = []
    for i, (start, label) in enumerate(events):
        stop = events[i + 1][0] if i + 1 < len(events) else end
        if stop <= start:
            continue
        if label not in cache:
            try:
                cache[label] = parse_harte(label)
            except ChordLabelError:
                cache[label] = "?"
        chord = cache[label]
        if chord == "?":
            unknown[label] += 1
            chord = None
        if spans and spans[-1][2] == chord and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], stop, chord)
        else:
            spans.append((start, stop, chord))
    # Billboard files end with untimed ``1r;`` lines: a trailing no-chord span says nothing.
    while spans and spans[-1][2] is None:
        spans.pop()
    return spans


def _tempo(stamps: list[tuple[Fraction, float]]) -> float:
    """Median local tempo (BPM) between consecutive timestamped lines; 120 when there is none."""
    tempos = []
    for (b0, s0), (b1, s1) in zip(stamps, stamps[1:]):
        if b1 > b0 and s1 > s0:
            bpm = 60.0 * float(b1 - b0) / (s1 - s0)
            if _TEMPO_RANGE[0] <= bpm <= _TEMPO_RANGE[1]:
                tempos.append(bpm)
    return round(statistics.median(tempos), 1) if tempos else 120.0


def parse_file(path: Path, part: str, cache: dict | None = None) -> Song:
    """Read one CoCoPops ``.hum`` file of ``part`` ``"rs"`` or ``"bb"``; raises ``SkipSong`` if unusable."""
    path = Path(path)
    if part not in ("rs", "bb"):
        raise ValueError(f"part must be 'rs' or 'bb', got {part!r}")
    if path.suffix == ".harm":
        raise SkipSong("no melody")
    name = path.name.split(".")[0]
    parsed = _parse_lines(path.read_text(encoding="utf-8", errors="replace").splitlines(), part, str(path))

    if part == "rs":
        # Onsets only: hold each note until the next onset, at most RS_MAX_NOTE_BEATS.
        for note, nxt in zip(parsed.onsets, parsed.onsets[1:] + [None]):
            stop = nxt[0] if nxt is not None else parsed.end
            note[1] = min(stop, note[0] + RS_MAX_NOTE_BEATS)
    if not parsed.onsets:
        raise SkipSong("no melody")

    unknown: Counter = Counter()
    spans = _chord_spans(parsed.chord_events, parsed.end, unknown, {} if cache is None else cache)
    if not any(c is not None for _, _, c in spans):
        raise SkipSong("no chords")

    meters = parsed.meters or [(Fraction(0), 4, 4)]
    covered: Counter = Counter()
    for i, (start, num, den) in enumerate(meters):
        stop = meters[i + 1][0] if i + 1 < len(meters) else parsed.end
        covered[(num, den)] += stop - start
    meter = Meter(*max(covered, key=lambda m: (covered[m], m == meters[0][1:])))

    # Put the first barline on a whole bar of the first meter, so beat 0 is a downbeat.
    shift = Fraction(0)
    if parsed.bars:
        first_bar = parsed.bars[0]
        bar = Fraction(4 * meters[0][1], meters[0][2])
        shift = (-first_bar) % bar

    melody = monophonic([Note(int(p), float(s + shift), float(e + shift)) for s, e, p in parsed.onsets])
    chords = tuple(ChordSpan(c, float(s + shift), float(e + shift)) for s, e, c in spans)
    return Song(
        song_id=f"{SOURCE}/{part}/{name}",
        source=SOURCE,
        melody=melody,
        chords=chords,
        meter=meter,
        key=parsed.key,
        tempo_bpm=_tempo(parsed.stamps),
        meta={
            "file": f"{'RollingStone' if part == 'rs' else 'Billboard'}/Data/{path.name}",
            "part": part,
            "unknown_chords": dict(unknown),
            "meter_changes": [(float(s + shift), f"{n}/{d}") for s, n, d in meters],
            "barlines": [float(b + shift) for b in parsed.bars],
            "shift_beats": float(shift),
            "grace_notes_dropped": parsed.grace_notes,
            "kern_chords_top_note": parsed.kern_chords,
        },
    )


def artist_title(path: Path) -> str:
    """``Artist_Title`` of a CoCoPops file name (year and ``.varms`` dropped): the de-duplication key."""
    return re.sub(r"_\d{4}$", "", Path(path).name.split(".")[0])


def _cocopops_root(data_dir: Path) -> Path:
    data_dir = Path(data_dir)
    for root in (data_dir / "cocopops", data_dir):
        if (root / "RollingStone" / "Data").is_dir() and (root / "Billboard" / "Data").is_dir():
            return root
    raise FileNotFoundError(f"no CoCoPops data under {data_dir}: expected cocopops/RollingStone/Data "
                            "and cocopops/Billboard/Data (the shared datasets folder)")


def read_cocopops(data_dir: Path) -> tuple[list[Song], list[tuple[str, str]]]:
    """All CoCoPops songs with melody and chords, and the skipped files as ``(song_id, reason)``.

    ``data_dir`` is the shared datasets folder (holding ``cocopops/``) or the ``cocopops`` folder itself.
    Reasons: ``"no melody"`` (Billboard ``.harm`` chord-only files, RS200 songs without a pitched
    melody), ``"no chords"``, ``"duplicate of cocopops/bb/<name>"`` (the Billboard copy is kept),
    ``"unreadable: ..."`` (a file that breaks the parser; none do in the shared copy).
    Songs come Billboard first, then RollingStone, each in file-name order.
    """
    root = _cocopops_root(data_dir)
    songs: list[Song] = []
    skipped: list[tuple[str, str]] = []
    kept_bb: dict[str, str] = {}
    cache: dict = {}  # parse_harte results shared over files: the same labels recur thousands of times
    files = [("bb", p) for p in sorted((root / "Billboard" / "Data").iterdir()) if p.suffix in (".hum", ".harm")]
    files += [("rs", p) for p in sorted((root / "RollingStone" / "Data").iterdir()) if p.suffix == ".hum"]
    for part, path in files:
        song_id = f"{SOURCE}/{part}/{path.name.split('.')[0]}"
        dup = kept_bb.get(artist_title(path)) if part == "rs" else None
        if dup is not None:
            skipped.append((song_id, f"duplicate of {dup}"))
            continue
        try:
            song = parse_file(path, part, cache)
        except SkipSong as exc:
            skipped.append((song_id, str(exc)))
            continue
        except (ValueError, ZeroDivisionError, IndexError, UnicodeError) as exc:
            skipped.append((song_id, f"unreadable: {type(exc).__name__}: {exc}"))
            continue
        songs.append(song)
        if part == "bb":
            kept_bb[artist_title(path)] = song.song_id
    return songs, skipped


def onset_chord_tone_rate(songs: list[Song]) -> tuple[float, int]:
    """Share of melody onsets whose pitch class is in the chord sounding at the onset, and the count.

    The CoCoPops README's alignment check (about 0.62 RS200, 0.66 Billboard): far lower means melody
    and chord times disagree. Onsets under no chord are left out. A data check of this loader, not an
    evaluation metric (those live in ``jamcore.eval.metrics`` and work on frames).
    """
    hits = total = 0
    for song in songs:
        spans = [c for c in song.chords if c.chord is not None]
        j = 0
        for note in song.melody:
            while j < len(spans) and spans[j].end <= note.start:
                j += 1
            if j < len(spans) and spans[j].start <= note.start:
                total += 1
                hits += (note.pitch % 12) in spans[j].chord.pitch_classes
    return (hits / total if total else 0.0), total


if __name__ == "__main__":  # a quick report: python -m jamcore.data.cocopops [DATA_DIR]
    import sys
    import time

    from jamcore.config import default_data_dir

    t0 = time.perf_counter()
    found, skips = read_cocopops(Path(sys.argv[1]) if len(sys.argv) > 1 else default_data_dir())
    print(f"{len(found)} songs in {time.perf_counter() - t0:.1f} s; skipped: "
          f"{Counter(r.split(' of ')[0] for _, r in skips)}")
    for part in ("rs", "bb"):
        rate, n = onset_chord_tone_rate([s for s in found if s.meta["part"] == part])
        print(f"{part}: {sum(s.meta['part'] == part for s in found)} songs, chord-tone rate {rate:.3f} over {n} onsets")
    unknown: Counter = Counter()
    for s in found:
        unknown.update(s.meta["unknown_chords"])
    print(f"unknown labels ({sum(unknown.values())} spans): {unknown.most_common(15)}")
