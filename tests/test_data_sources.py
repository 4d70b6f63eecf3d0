"""Dataset readers on real files: Nottingham MIDI pairs, POP909 + POP909-CL alignment and its quirks."""
from collections import Counter

import numpy as np
import pytest

from jamcore.config import DataConfig
from jamcore.data.build import tokenize_song
from jamcore.data.sources import (
    BeatGrid, read_nottingham_song, read_pop909_song, read_song, nottingham_ids, pop909_ids,
)
from jamcore.data.stats import note_in_chord
from jamcore.music.chords import Chord

DATA = DataConfig().data_dir
pytestmark = pytest.mark.skipif(not (DATA / "pop909").is_dir(), reason="datasets not found")


def nic(song) -> float:
    hits, both = note_in_chord(*tokenize_song(song))
    return hits / both


def test_nottingham_tune():
    res = read_nottingham_song(DATA, "ashover1")
    song = res.song
    assert song.song_id == "nottingham/ashover1" and song.source == "nottingham"
    assert str(song.meter) == "3/4" and song.key == "G"
    assert song.melody[0].start == 2.0  # the pickup stays where the file puts it (tick 0 = bar line)
    assert song.chords[0].chord == Chord(7, "maj") and song.chords[0].start == 3.0  # G on bar 2
    assert not res.unknown
    assert 0.6 < nic(song) < 0.95


def test_nottingham_without_chords_is_skipped_with_reason():
    chordless = sorted(set(nottingham_ids(DATA)) - {p.stem for p in (DATA / "nottingham/MIDI/chords").glob("*.mid")})
    assert chordless, "the README says 13 tunes have no chords"
    res = read_song("nottingham", DATA, chordless[0])
    assert res.song is None and "no chord file" in res.skip


def test_pop909_cl_chords_land_on_the_melody_beats():
    res = read_pop909_song(DATA, "001")
    song = res.song
    assert song.meta["chord_source"] == "pop909-cl"
    assert song.meta["cl_offset_ticks"] == -40 and song.meta["cl_match"] > 0.99
    # beat_midi.txt's beat 0 sits 40 ticks into the MIDI file: events still land on whole beats.
    assert song.meta["cl_onsets_on_beat"] == 1.0
    assert all(abs(c.start - round(c.start)) < 1e-9 for c in song.chords)
    assert song.chords[0].start == 4.0 and song.chords[0].chord == Chord(11, "maj")  # B on beat 4
    assert 0.6 < nic(song) < 0.8


@pytest.mark.parametrize("sid", ["002", "100", "777"])
def test_pop909_cl_agrees_with_original_labels(sid):
    """CL corrected ~35% of labels; the roots mostly agree and the alignment is the same beat grid."""
    song = read_pop909_song(DATA, sid).song
    beats = np.loadtxt(DATA / f"pop909/POP909/{sid}/beat_midi.txt")
    grid = BeatGrid(beats[:, 0])
    shift = song.meta["shift_beats"]
    orig = {}
    for line in (DATA / f"pop909/POP909/{sid}/chord_midi.txt").read_text().splitlines():
        start, end, label = line.split()
        if label != "N":
            for b in range(round(grid(float(start))), round(grid(float(end)))):
                orig[b + shift] = label.split(":")[0]
    names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    enh = {"Db": "C#", "D#": "Eb", "Gb": "F#", "G#": "Ab", "A#": "Bb", "Cb": "B"}
    agree = total = 0
    for c in song.chords:
        if c.chord is None:
            continue
        for b in range(round(c.start), round(c.end)):
            if b in orig:
                total += 1
                agree += names[c.chord.root] == enh.get(orig[b], orig[b])
    assert agree / total > 0.75
    assert 0.6 < nic(song) < 0.85


def test_pop909_quirks():
    # "043 .mid" (with a space) is found; 367 has no CL chord track and falls back to chord_midi.txt;
    # 658 has its chords on channel 0 and no piano track.
    assert read_pop909_song(DATA, "043").song.meta["chord_source"] == "pop909-cl"
    s367 = read_pop909_song(DATA, "367").song
    assert s367.meta["chord_source"] == "pop909" and "no chord track" in s367.meta["cl_fallback"]
    s658 = read_pop909_song(DATA, "658").song
    assert s658.meta["chord_source"] == "pop909-cl" and s658.meta["cl_align"] == "chords"
    assert 0.6 < nic(s658) < 0.85


def test_pop909_low_match_falls_back():
    song = read_pop909_song(DATA, "553").song  # the CL melody does not line up (6%)
    assert song.meta["chord_source"] == "pop909" and "alignment" in song.meta["cl_fallback"]


def test_unknown_pitch_sets_are_counted_not_guessed():
    res = read_pop909_song(DATA, "100")  # one CL "chord" is a lone C#
    assert res.unknown == Counter({"pitches{C#}": 1})
    assert sum(c.chord is None for c in res.song.chords) >= 1


def test_ids():
    assert len(pop909_ids(DATA)) == 909 and len(nottingham_ids(DATA)) == 1034


def test_beat_grid_extrapolates_linearly():
    grid = BeatGrid(np.array([1.0, 1.5, 2.0, 3.0]))
    assert grid(1.25) == pytest.approx(0.5)
    assert grid(0.0) == pytest.approx(-2.0)  # first spacing 0.5 s
    assert grid(4.0) == pytest.approx(4.0)  # last spacing 1.0 s
