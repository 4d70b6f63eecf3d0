"""CoCoPops reader on the real files: timebase, kern rhythm, ties, chords, flats, alignment, counts."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from jamcore.config import default_data_dir
from jamcore.data.cocopops import (
    RS_MAX_NOTE_BEATS,
    kern_midi,
    onset_chord_tone_rate,
    parse_file,
    read_cocopops,
    recip_beats,
)
from jamcore.music.chords import Chord
from jamcore.music.song import Song

DATA = default_data_dir()
ROOT = DATA / "cocopops"
RS = ROOT / "RollingStone" / "Data"
BB = ROOT / "Billboard" / "Data"

pytestmark = pytest.mark.skipif(not RS.is_dir(), reason=f"CoCoPops data not found under {DATA}")


def rs(name: str) -> Song:
    return parse_file(RS / f"{name}.hum", "rs")


def bb(name: str) -> Song:
    return parse_file(BB / f"{name}.hum", "bb")


def notes(song: Song, start: float, stop: float) -> list[tuple[int, float, float]]:
    return [(n.pitch, n.start, n.end) for n in song.melody if start <= n.start < stop]


def chord_at(song: Song, beat: float) -> Chord | None:
    return next(c.chord for c in song.chords if c.start <= beat < c.end)


# --- durations and pitches --------------------------------------------------------------------


def test_recip_durations_in_beats() -> None:
    assert recip_beats("4") == 1
    assert recip_beats("8.") == Fraction(3, 4)
    assert recip_beats("2.") == 3
    assert recip_beats("4..") == Fraction(7, 4)
    assert recip_beats("16") == Fraction(1, 4)
    assert recip_beats("12") == Fraction(1, 3)  # triplet eighth
    assert recip_beats("8%9") == Fraction(9, 2)  # 9/8 of a whole note
    assert recip_beats("8%5") == Fraction(5, 2)
    assert recip_beats("[8.b-]") == Fraction(3, 4)
    assert recip_beats("r;") is None


def test_kern_pitches_octaves_and_flats() -> None:
    assert kern_midi("c") == 60
    assert kern_midi("cc#") == 73
    assert kern_midi("B") == 59
    assert kern_midi("BB-") == 46  # humdrum flat is '-'
    assert kern_midi("8.e-]") == 63
    assert kern_midi("4f##") == 67
    assert kern_midi("8r") is None


# --- RollingStone: timebase ---------------------------------------------------------------------


def test_rs_timebase_changes_and_onset_notes() -> None:
    song = rs("ABBA_DancingQueen_1976")
    # Bars 1-6 are one *tb1 line each; bar 7 is *tb4 (a note on its 4th line), bar 8 *tb16.
    assert song.meta["barlines"][:9] == [0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0]
    # Each RS note lasts until the next onset...
    assert notes(song, 27, 29) == [(71, 27.0, 28.0), (73, 28.0, 28.25), (71, 28.25, 28.5), (69, 28.5, 30.5)]
    # ...but no longer than RS_MAX_NOTE_BEATS: the a at 28.5 is followed by the next onset at 31.25.
    assert notes(song, 31, 32) == [(69, 31.25, 32.0)]
    assert all(n.end - n.start <= RS_MAX_NOTE_BEATS for n in song.melody)
    assert song.meter.numerator == 4 and song.meter.denominator == 4
    assert song.key == "A:maj"
    assert song.song_id == "cocopops/rs/ABBA_DancingQueen_1976"


def test_rs_dotted_timebase_and_chord_continuation() -> None:
    song = rs("BobDylan_TheTimesTheyAreAChangin_1964")
    # *tb2. : one line is a dotted half, a whole 3/4 bar.
    assert song.meter.numerator == 3 and song.meter.denominator == 4
    assert song.meta["barlines"][:6] == [0.0, 3.0, 6.0, 9.0, 12.0, 15.0]
    # G:maj then '.' for three bars: one chord span until E:min at bar 5.
    assert [(str(c.chord), c.start, c.end) for c in song.chords[:2]] == [("G", 0.0, 12.0), ("Em", 12.0, 15.0)]
    assert notes(song, 8, 12) == [(55, 8.0, 9.0), (55, 9.0, 10.0), (55, 10.0, 10.5), (55, 10.5, 12.0)]


def test_rs_rational_timebase() -> None:
    song = rs("HankWilliams_ImSoLonesomeICouldCry_1949")
    # *tb8%9: one line lasts 9/8 of a whole note, one 9/8 bar = 4.5 beats.
    assert song.meter.numerator == 9 and song.meter.denominator == 8
    assert song.meta["barlines"][:5] == [0.0, 4.5, 9.0, 13.5, 18.0]
    assert [(str(c.chord), c.start) for c in song.chords[:3]] == [("E", 0.0), ("B", 4.5), ("E", 9.0)]


def test_rs_harte_spine_follows_the_melody_annotator() -> None:
    # The kern spine of this file is D.T.'s: his chords (Bbmaj7, Am7) where T.d.C. wrote Bb, F/A.
    song = rs("SlyAndTheFamilyStone_FamilyAffair_1971")
    assert chord_at(song, 16.0) == Chord(10, "maj7")
    assert chord_at(song, 18.0) == Chord(9, "min7")


# --- Billboard: kern rhythm ---------------------------------------------------------------------


def test_bb_kern_durations_ties_and_flats() -> None:
    song = bb("ABBA_HoneyHoney_1974")
    # One untimed-tempo whole-rest line, then bar 1 at beat 4; bar 5 starts with a quarter rest.
    assert song.meta["barlines"][:5] == [4.0, 8.0, 12.0, 16.0, 20.0]
    # [8a ... 8a] across the barline is one note of a quarter.
    assert notes(song, 21, 24) == [(65, 21.0, 21.5), (65, 21.5, 22.0), (64, 22.0, 22.5), (65, 22.5, 23.0),
                                   (69, 23.5, 24.5)]
    # B-:maj is B-flat major; equal chords over the barline are one span; 2.IV + 4V splits bar 4.
    assert [(str(c.chord), c.start, c.end) for c in song.chords[:5]] == [
        ("None", 0.0, 4.0), ("F", 4.0, 12.0), ("Bb", 12.0, 19.0), ("C", 19.0, 20.0), ("F", 20.0, 28.0)]
    assert song.key == "F:maj"


def test_bb_grace_notes_take_no_time() -> None:
    song = bb("BizMarkie_JustAFriend_1990")
    bar22 = song.meta["barlines"][21]
    assert bar22 == 88.0  # a 4/4 song, bar 1 on beat 4
    # '8d#q' (grace) then '4e' on the downbeat: the e is on the beat, the d# is dropped.
    assert notes(song, bar22, bar22 + 1) == [(64, 88.0, 89.0)]
    assert chord_at(song, bar22) == Chord(5, "maj")
    assert song.meta["grace_notes_dropped"] > 0


@pytest.mark.parametrize("part,name", [
    ("rs", "ABBA_DancingQueen_1976"), ("rs", "HankWilliams_ImSoLonesomeICouldCry_1949"),
    ("bb", "ABBA_HoneyHoney_1974"), ("bb", "BizMarkie_JustAFriend_1990"), ("bb", "Genesis_Abacab_1982.varms"),
])
def test_bars_come_out_at_their_meter_length(part: str, name: str) -> None:
    song = rs(name) if part == "rs" else bb(name)
    changes = song.meta["meter_changes"]
    bars = song.meta["barlines"]
    wrong = 0
    for a, b in zip(bars[1:-1], bars[2:]):  # first and last bars may be partial
        num, den = map(int, [m for s, m in changes if s <= a][-1].split("/"))
        wrong += abs((b - a) - 4 * num / den) > 1e-9
    assert wrong <= 1 if name.startswith("Genesis") else wrong == 0


# --- alignment sanity ---------------------------------------------------------------------------


def test_onset_chord_tone_rate_on_a_few_songs() -> None:
    songs = [rs("ABBA_DancingQueen_1976"), rs("TheBeatles_LetItBe_1970"), rs("HankWilliams_ImSoLonesomeICouldCry_1949"),
             bb("ABBA_HoneyHoney_1974"), bb("TheBeatles_Help_1965.varms"), bb("ABBA_Chiquitita_1979.varms")]
    rate, onsets = onset_chord_tone_rate(songs)
    assert onsets > 1500
    assert 0.6 < rate < 0.75
    # The check sees timing errors: the melody two beats late scores clearly lower (not near zero:
    # the songs are diatonic, so even misplaced notes often fit the chord).
    late = [replace(s, melody=tuple(replace(n, start=n.start + 2, end=n.end + 2) for n in s.melody))
            for s in songs]
    assert onset_chord_tone_rate(late)[0] < rate - 0.08


def test_unknown_labels_are_counted_and_become_no_chord() -> None:
    song = bb("AndyGibb_ShadowDancing_1978.varms")
    assert song.meta["unknown_chords"] == {"G:1": 8}  # a bass note only: not a chord of our list
    # Eight bars of G:1 from beat 306 are no-chord (never guessed as G major), then the G:min7 vamp.
    assert chord_at(song, 306.0) is None
    assert chord_at(song, 337.9) is None
    assert chord_at(song, 338.0) == Chord(7, "min7")


def test_chord_only_file_is_not_a_song() -> None:
    with pytest.raises(ValueError, match="no melody"):
        parse_file(BB / "ABBA_Fernando_1976.harm", "bb")


# --- the whole set ------------------------------------------------------------------------------


@pytest.mark.slow
def test_all_files_counts_duplicates_and_alignment() -> None:
    songs, skipped = read_cocopops(DATA)
    assert len(songs) >= 350
    parts = Counter(s.meta["part"] for s in songs)
    assert parts == {"bb": 210, "rs": 168}
    reasons = Counter(r.split(" of ")[0] for _, r in skipped)
    assert reasons == {"no melody": 516, "duplicate": 12}  # 510 .harm + 6 RS without a pitched melody
    assert ("cocopops/rs/TheBeatles_Help_1965", "duplicate of cocopops/bb/TheBeatles_Help_1965") in skipped
    ids = [s.song_id for s in songs]
    assert len(ids) == len(set(ids))
    assert all(s.melody and any(c.chord is not None for c in s.chords) for s in songs)
    # The README's own check: 62% (RS200) and 66% (Billboard) of melody onsets are chord tones.
    rs_rate, _ = onset_chord_tone_rate([s for s in songs if s.meta["part"] == "rs"])
    bb_rate, _ = onset_chord_tone_rate([s for s in songs if s.meta["part"] == "bb"])
    assert 0.59 < rs_rate < 0.65
    assert 0.62 < bb_rate < 0.69
