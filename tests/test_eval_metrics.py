"""Metrics on hand-made songs whose answers are known by counting."""
import math

import numpy as np
import pytest

from jamcore import tokens as T
from jamcore.eval import metrics as M
from jamcore.music.chords import Chord

C, G, Am, F = Chord(0, "maj"), Chord(7, "maj"), Chord(9, "min"), Chord(5, "maj")
C7 = Chord(0, "7")


def chords_of(*spans):
    """Chord tokens from (chord or None, frames) spans, each struck once and held."""
    out = []
    for chord, n in spans:
        if chord is None:
            out += [T.NO_CHORD] * n
        else:
            out += [T.chord_on(chord)] + [T.chord_hold(chord)] * (n - 1)
    return np.array(out)


def melody_of(*spans):
    """Melody tokens from (pitch or None, frames) spans."""
    out = []
    for pitch, n in spans:
        out += [T.SILENCE] * n if pitch is None else [T.note_on(pitch)] + [T.note_hold(pitch)] * (n - 1)
    return np.array(out)


def test_note_in_chord_counts_each_frame_kind():
    # 16 frames: C chord for 8, no chord for 4, G for 4. Melody: C4 (in C) 4 frames, D4 (not in C)
    # 4 frames, E4 over no chord 4 frames, silence over G 4 frames.
    chords = chords_of((C, 8), (None, 4), (G, 4))
    melody = melody_of((60, 4), (62, 4), (64, 4), (None, 4))
    nic = M.note_in_chord(melody, chords)
    assert (nic.hits, nic.scored, nic.no_chord, nic.no_melody, nic.empty) == (4, 8, 4, 4, 0)
    assert nic.ratio == 0.5
    frames = M.note_in_chord_frames(melody, chords)
    assert np.array_equal(frames[:8], [1, 1, 1, 1, 0, 0, 0, 0])
    assert np.isnan(frames[8:]).all()
    assert np.allclose(M.note_in_chord_per_beat(melody, chords), [1.0, 0.0, np.nan, np.nan], equal_nan=True)


def test_note_in_chord_nan_when_nothing_scored_and_pooling_sums():
    empty = M.note_in_chord(melody_of((None, 8)), chords_of((C, 8)))
    assert math.isnan(empty.ratio) and empty.no_melody == 8
    a = M.note_in_chord(melody_of((60, 4)), chords_of((C, 4)))
    b = M.note_in_chord(melody_of((61, 12)), chords_of((C, 12)))
    assert (a + b).ratio == pytest.approx(4 / 16)  # micro average, not the mean of 1.0 and 0.0


def test_sliding_window_is_trailing_one_bar():
    melody = melody_of((60, 32))
    chords = chords_of((C, 16), (Chord(2, "maj"), 16))  # the held C fits C major, not D major
    curve = M.note_in_chord_sliding(melody, chords, window_beats=4)
    assert np.allclose(curve, [1, 1, 1, 1, 0.75, 0.5, 0.25, 0.0])


def test_one_repeated_chord_entropy_zero_and_run_is_song_length():
    n = 64
    chords = chords_of((C, n))
    assert M.chord_entropy(chords) == 0.0
    assert M.longest_chord_run_frames(chords) == n
    assert M.longest_chord_run_beats(chords) == n / 4
    # Re-struck every beat: still one chord for the run, and 16 repeated events.
    struck = chords_of(*[(C, 4)] * 16)
    assert M.longest_chord_run_beats(struck) == 16
    assert M.chord_entropy(struck) == 0.0
    assert list(M.repeated_event_runs(struck)) == [16]
    assert M.repetition_penalty(struck) == pytest.approx(-1.6)
    assert M.repetition_penalty(chords_of(*[(C, 4)] * 4)) == 0.0  # 4 repeats is within the rule


def test_two_chord_alternation():
    chords = chords_of(*[(C, 4), (G, 4)] * 8)  # 64 frames, one chord per beat
    assert M.chord_entropy(chords) == pytest.approx(math.log(2))
    assert M.distinct_chords(chords) == {T.chord_index(C), T.chord_index(G)}
    cg = (T.chord_index(C), T.chord_index(G))
    assert M.progressions(chords, 4) == {cg + cg, cg[::-1] + cg[::-1]}
    assert M.longest_chord_run_beats(chords) == 1
    r = M.chord_rhythm(chords, beats_per_bar=4)
    assert (r.onsets, r.bars, r.changes_per_bar) == (16, 4, 4.0)
    assert r.on_bar_share == 0.25 and r.on_beat_share == 1.0
    assert M.song_metrics(melody_of((60, 64)), chords)["entropy_norm"] == pytest.approx(math.log(2) / math.log(168))


def test_progressions_merge_repeats_and_skip_no_chord():
    chords = chords_of((C, 4), (C, 4), (None, 4), (G, 4), (Am, 4), (F, 4), (C, 4))
    assert list(M.chord_changes(chords)) == [T.chord_index(c) for c in (C, G, Am, F, C)]
    assert len(M.progressions(chords, 4)) == 2


def test_rhythm_counts_exactly():
    chords = chords_of((C, 12), (G, 2), (Am, 10))  # 3/4 (12-frame bars): onsets at 0, 12 and 14
    r = M.chord_rhythm(chords, beats_per_bar=3)
    assert (r.onsets, r.on_bar, r.on_beat) == (3, 2, 2)


def test_vendi_identical_vs_orthogonal():
    assert M.vendi_score(np.ones((5, 3))) == pytest.approx(1.0)
    assert M.vendi_score(np.eye(6)) == pytest.approx(6.0)
    assert M.vendi_score(np.eye(6) * 3.0) == pytest.approx(6.0)  # cosine: scale-free
    two = np.array([[1.0, 0], [1.0, 0], [0, 1.0], [0, 1.0]])
    assert M.vendi_score(two) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        M.vendi_score(np.zeros((2, 3)))


def test_transition_bag_embedding_absolute_and_relative():
    song = chords_of((C, 4), (G, 4), (Am, 4), (F, 4))
    same = chords_of((C, 8), (G, 2), (Am, 2), (F, 4))  # same events, other durations
    moved = T.transpose_tokens(song, 2)
    emb = M.transition_bag_embedding([song, same, moved])
    assert emb.shape[0] == 3 and emb[0].sum() == 5  # START->C, C->G, G->Am, Am->F, F->END
    assert np.array_equal(emb[0], emb[1])
    assert M.vendi_score(emb[[0, 2]]) == pytest.approx(2.0)  # transposition-aware: a new sequence
    rel = M.transition_bag_embedding([song, moved], relative=True)
    assert np.array_equal(rel[0], rel[1])  # transposition-invariant
    held = M.transition_bag_embedding([chords_of((C, 64))])
    assert held.sum() == 2  # START->C->END: a held chord is not a zero row


def test_silence_and_invalid_tokens():
    melody = melody_of((60, 32))
    chords = chords_of((None, 8), (C, 24))
    assert M.chord_silence_share(melody, chords) == 0.25
    assert M.silence_penalty(melody, chords) == 0.0  # the first 8 frames are exempt
    late = chords_of((C, 8), (None, 8), (C, 16))
    assert M.silence_penalty(melody, late) == pytest.approx(-0.8)
    bad = chords_of((C, 8)).copy()
    bad[4] = T.chord_hold(G)  # a hold of a chord that was never struck
    bad[6] = T.note_on(60)  # a melody token in a chord slot
    inv = M.invalid_chord_frames(bad)
    # 4: G held after C; 5: C held after G; 6: wrong slot; 7: C held after a non-chord.
    assert list(np.flatnonzero(inv)) == [4, 5, 6, 7]
    assert M.invalid_penalty(melody_of((60, 8)), bad) == -10.0
    assert M.invalid_penalty(melody_of((None, 8)), bad) == 0.0  # only frames under melody count


def test_pitch_classes_per_chord_event_weighted():
    chords = chords_of((C, 60), (C7, 4))  # one long triad, one short seventh
    assert M.pitch_classes_per_chord(chords) == (7, 2)
    assert M.song_metrics(melody_of((60, 64)), chords)["pcs_per_chord"] == 3.5


def test_corpus_metrics_pooled_vs_song_mean():
    songs_in_keys = [(melody_of((60 + k, 64)), T.transpose_tokens(chords_of((C, 64)), k)) for k in range(4)]
    m = M.corpus_metrics(songs_in_keys)
    assert m["entropy_song_mean"] == 0.0  # each song holds one chord
    assert m["entropy_pooled"] == pytest.approx(math.log(4))  # but four keys
    assert m["distinct_chords_song_mean"] == 1 and m["distinct_chords_total"] == 4
    assert m["nic"] == 1.0 and m["longest_run_beats_max"] == 16
    assert m["vendi_bag"] == pytest.approx(4.0) and m["vendi_bag_rel"] == pytest.approx(1.0)
    assert m["no_chord_share"] == 0.0 and m["invalid_share"] == 0.0


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="differ in length"):
        M.note_in_chord(melody_of((60, 4)), chords_of((C, 8)))
    with pytest.raises(ValueError, match="ids in"):
        M.chord_histogram(np.array([T.VOCAB_SIZE]))


def test_sparse_transition_vendi_matches_dense_and_handles_empty_songs():
    rng = np.random.default_rng(0)
    songs = [T.CHORD_ON_BASE + rng.integers(0, 168, 64) for _ in range(12)]
    songs += [chords_of((C, 64)), chords_of((C, 64)), np.zeros(0, dtype=np.int64)]
    for rel in (False, True):
        dense = M.vendi_score(M.transition_bag_embedding(songs, relative=rel))
        assert M.transition_bag_vendi(songs, relative=rel, chunk_columns=50) == pytest.approx(dense)
    m = M.corpus_metrics([(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)), (melody_of((60, 8)), chords_of((C, 8)))])
    assert m["nic"] == 1.0


def test_lateness_tells_chords_that_echo_the_last_beat_from_chords_that_meet_the_note():
    """A stepwise tune of quarter notes (C E G B A F D G, one chord a beat that holds its note): its own
    chords fit every note and fit the beat before worse (lateness < 0); the same chords a beat behind, on
    the beat (so the one-16th chase share cannot see them), fit the melody a beat ago, not the one they
    sound with (lateness > 0)."""
    Dm, Em = Chord(2, "min"), Chord(4, "min")
    tune = [(60, C), (64, Em), (67, G), (71, Em), (69, Am), (65, F), (62, Dm), (67, G)]
    melody = melody_of(*[(p, 4) for p, _ in tune])
    on_time = chords_of(*[(c, 4) for _, c in tune])
    behind = chords_of((C, 4), *[(c, 4) for _, c in tune[:-1]])
    assert M.note_in_chord(melody, on_time).ratio == 1.0
    assert M.song_metrics(melody, on_time)["lateness"] < -0.3
    late = M.song_metrics(melody, behind)
    assert late["nic_beat_late"] == 1.0 and late["lateness"] > 0.3
    assert late["chase_share"] == 0.0 and late["on_beat_share"] == 1.0  # the 16th chase does not see it
    pooled = M.corpus_metrics([(melody, on_time), (melody, behind)])
    assert pooled["nic_beat_late"] == pytest.approx(
        (M.note_in_chord_late(melody, on_time).hits + M.note_in_chord_late(melody, behind).hits) / (2 * 28))
