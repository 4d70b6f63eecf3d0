"""Users' melody files: picking the melody line, the errors users see, and the harmonized MIDI output."""
import mido
import pytest

from jamcore.music.midi_io import MelodyFileError, load_user_melody, write_harmonized_midi
from jamcore.music.song import Note


def _write(path, tracks, tempo_bpm=120.0, tpb=480):
    """tracks: list of (name, channel, [(pitch, start_beat, end_beat)])."""
    mid = mido.MidiFile(type=1, ticks_per_beat=tpb)
    meta = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0)])
    mid.tracks.append(meta)
    for name, ch, notes in tracks:
        ev = []
        for p, s, e in notes:
            ev += [(int(s * tpb), 1, mido.Message("note_on", channel=ch, note=p, velocity=90)),
                   (int(e * tpb), 0, mido.Message("note_off", channel=ch, note=p, velocity=0))]
        tr = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0)])
        now = 0
        for t, _, m in sorted(ev, key=lambda x: (x[0], x[1])):
            tr.append(m.copy(time=t - now))
            now = t
        mid.tracks.append(tr)
    mid.save(str(path))
    return path


SCALE = [(60 + i, i * 1.0, i + 1.0) for i in range(8)]
CHORDS = [(p, b, b + 2.0) for b in (0.0, 2.0, 4.0, 6.0) for p in (48, 52, 55)]


def test_named_melody_track_wins(tmp_path):
    path = _write(tmp_path / "a.mid", [("Piano", 0, CHORDS + [(84, 0, 8)]), ("Lead Vocal", 1, SCALE)])
    song, report = load_user_melody(path)
    assert [n.pitch for n in song.melody] == list(range(60, 68))
    assert report.melody_track == "Lead Vocal" and report.tracks_dropped == ["Piano"]


def test_highest_monophonic_line_without_names(tmp_path):
    bass = [(36 + i % 3, i * 1.0, i + 1.0) for i in range(8)]
    path = _write(tmp_path / "b.mid", [("Track 1", 0, bass), ("Track 2", 1, SCALE), ("Track 3", 2, CHORDS)])
    song, report = load_user_melody(path)
    assert report.melody_track == "Track 2" and len(song.melody) == 8
    assert song.melody[0].start == 0.0 and song.melody[-1].end == 8.0


def test_overlaps_are_reported(tmp_path):
    notes = SCALE + [(72, 0.5, 1.5)]  # one overlapping note on the melody track
    path = _write(tmp_path / "c.mid", [("melody", 0, notes)])
    song, report = load_user_melody(path)
    assert report.overlapping_notes_dropped >= 1
    assert all(a.end <= b.start for a, b in zip(song.melody, song.melody[1:]))


def test_errors(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("C D E F G")
    with pytest.raises(MelodyFileError, match="not a MIDI or MusicXML"):
        load_user_melody(text)
    with pytest.raises(MelodyFileError, match="no notes"):
        load_user_melody(_write(tmp_path / "empty.mid", [("melody", 0, [])]))
    with pytest.raises(MelodyFileError, match="chordal"):
        load_user_melody(_write(tmp_path / "chords.mid", [("Piano", 0, CHORDS)]))
    with pytest.raises(MelodyFileError, match="BPM"):
        load_user_melody(_write(tmp_path / "slow.mid", [("melody", 0, SCALE)], tempo_bpm=10))
    with pytest.raises(MelodyFileError, match="BPM"):
        load_user_melody(_write(tmp_path / "fast.mid", [("melody", 0, SCALE)], tempo_bpm=500))
    bad = tmp_path / "broken.mid"
    bad.write_bytes(b"MThd\x00\x00")
    with pytest.raises(MelodyFileError):
        load_user_melody(bad)
    with pytest.raises(MelodyFileError, match="no such file"):
        load_user_melody(tmp_path / "missing.mid")
    assert issubclass(MelodyFileError, ValueError)


def test_musicxml_melody_and_chord_symbols(tmp_path):
    import music21

    s = music21.stream.Score()
    p = music21.stream.Part()
    p.partName = "Voice"
    p.append(music21.tempo.MetronomeMark(number=100))
    p.append(music21.meter.TimeSignature("3/4"))
    p.insert(0, music21.harmony.ChordSymbol("C"))
    p.insert(3, music21.harmony.ChordSymbol("G7"))
    for pitch in ["C4", "E4", "G4", "B3", "D4", "F4"]:
        p.append(music21.note.Note(pitch, quarterLength=1.0))
    s.insert(0, p)
    path = tmp_path / "tune.musicxml"
    s.write("musicxml", fp=str(path))
    song, report = load_user_melody(path)
    assert [n.pitch for n in song.melody] == [60, 64, 67, 59, 62, 65]
    assert report.format == "musicxml" and report.tempo_bpm == 100 and str(song.meter) == "3/4"
    assert [str(c.chord) for c in song.chords] == ["C", "G7"] and song.chords[1].start == 3.0


def test_write_harmonized_midi_round_trip(tmp_path):
    melody = [Note(60 + i, i * 1.0, i + 1.0, 90) for i in range(4)] + [Note(64, 4.0, 5.0), Note(64, 5.0, 6.0)]
    chords = [(0.0, 2.0, [48, 52, 55]), (2.0, 4.0, [43, 47, 50, 53]), (4.0, 6.0, [48, 52, 55])]
    out = tmp_path / "out.mid"
    write_harmonized_midi(out, melody, chords, bpm=96)
    mid = mido.MidiFile(str(out))
    assert mid.type == 1 and len(mid.tracks) == 2 and mid.tracks[1].name == "chords"
    tempos = [m.tempo for m in mid.tracks[0] if m.type == "set_tempo"]
    assert tempos == [mido.bpm2tempo(96)]
    song, report = load_user_melody(out)  # the melody track reads back exactly (repeated E re-struck)
    assert [(n.pitch, n.start, n.end) for n in song.melody] == [(n.pitch, n.start, n.end) for n in melody]
    assert report.melody_track == "melody" and report.tracks_dropped == ["chords"]
    ons = [m for m in mid.tracks[1] if m.type == "note_on" and m.velocity > 0]
    assert len(ons) == 10
