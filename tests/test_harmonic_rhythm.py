"""Harmonic rhythm: the chase and the ReaLchords rhythm metrics, the grid, the rhythm-only view and the
chasing chord track, on hand-made songs whose answers are known by counting."""
import math

import numpy as np
import pytest

from jamcore import tokens as T
from jamcore.checkpoints import DEFAULT_POLICY, load_policy
from jamcore.eval import metrics as M
from jamcore.music.chords import Chord
from jamcore.music.grid import GRIDS, check_grid, grid_points, grid_positions, on_grid
from jamcore.rhythm import (RHYTHM_BOS, RHYTHM_HOLD, RHYTHM_ONSET, RHYTHM_PAD, RHYTHM_SILENCE, chasing_chords,
                            held_chords, related_restrikes, rhythm_view)
from jamcore.stream import StreamingPolicy

C, G, Am, F, Dm, Em = (Chord(0, "maj"), Chord(7, "maj"), Chord(9, "min"), Chord(5, "maj"), Chord(2, "min"),
                       Chord(4, "min"))


def chords_of(*spans):
    """Chord tokens from (chord or None, frames) spans, each struck once and held."""
    out = []
    for chord, n in spans:
        out += [T.NO_CHORD] * n if chord is None else [T.chord_on(chord)] + [T.chord_hold(chord)] * (n - 1)
    return np.array(out)


def melody_of(*spans):
    """Melody tokens from (pitch or None, frames) spans."""
    out = []
    for pitch, n in spans:
        out += [T.SILENCE] * n if pitch is None else [T.note_on(pitch)] + [T.note_hold(pitch)] * (n - 1)
    return np.array(out)


# A two-bar tune in C, one note a beat (each struck on the beat), and chords that change on beats 1 and
# 3 of each bar with the note: C (C E) | F (F A) | G (G B) | C (C E).
TUNE = melody_of((60, 4), (64, 4), (65, 4), (69, 4), (67, 4), (71, 4), (72, 4), (64, 4))
ON_BEAT = chords_of((C, 8), (F, 8), (G, 8), (C, 8))


# ---------------------------------------------------------------------------------------------
# Metrics


def test_melody_onsets_mark_struck_notes_and_repeated_pitches():
    melody = melody_of((60, 2), (None, 1), (60, 3), (60, 2))  # the same pitch struck twice in a row
    assert np.flatnonzero(M.melody_onsets(melody)).tolist() == [0, 3, 6]


def test_chords_struck_with_the_notes_do_not_chase():
    chase = M.chord_chase(TUNE, ON_BEAT)
    assert (chase.onsets, chase.chasing, chase.with_note) == (4, 0, 4)
    assert chase.chase_share == 0.0 and chase.with_note_share == 1.0
    assert M.onset_gaps(TUNE, ON_BEAT).tolist() == [0, 0, 0, 0]


def test_a_chord_one_frame_after_each_note_chases_and_scores_high_note_in_chord():
    """The counter-metric: a track that hears each note and then follows it with a chord containing it.

    Note-in-chord is high (only each note's first frame misses: 3 of 4 frames hit, above the data's
    usual 0.7-0.8), yet every one of its changes chases, one 16th behind the melody."""
    notes = [60, 64, 65, 69, 67, 71, 72, 64]
    follow = {60: C, 64: Em, 65: F, 69: Am, 67: G, 71: G, 72: C}
    melody = melody_of(*[(p, 4) for p in notes])
    spans = [(None, 1)] + [(follow[p], 4) for p in notes[:-1]] + [(follow[notes[-1]], 3)]
    chasing = chords_of(*spans)
    assert M.note_in_chord(melody, chasing).ratio >= 0.75
    chase = M.chord_chase(melody, chasing)
    assert (chase.onsets, chase.chasing, chase.with_note) == (8, 8, 0)
    assert chase.chase_share == 1.0
    assert M.onset_gaps(melody, chasing).tolist() == [1] * 8
    # On beat: none of its changes; the ReaLchords synchronisation is 1 frame off the data's timing.
    assert M.chord_rhythm(chasing).on_beat_share == 0.0
    ref = M.onset_gap_histogram(TUNE, ON_BEAT)
    assert M.sync_emd(M.onset_gap_histogram(melody, chasing), ref) == pytest.approx(1000.0)


def test_a_chord_on_a_note_right_after_another_note_is_not_a_chase():
    # Sixteenth notes: the chord at frame 1 comes one frame after a note began, but with a note of its own.
    melody = melody_of((60, 1), (62, 1), (64, 2))
    chords = chords_of((C, 1), (G, 3))
    chase = M.chord_chase(melody, chords)
    assert (chase.onsets, chase.chasing, chase.with_note) == (2, 0, 2)


def test_onset_gaps_and_their_histogram():
    melody = melody_of((None, 2), (60, 8), (None, 30))  # one note at frame 2
    chords = chords_of((C, 1), (G, 4), (F, 15), (C, 20))  # onsets at 0 (before any note), 1, 5, 20
    assert M.onset_gaps(melody, chords).tolist() == [-1, -1, 3, 18]
    hist = M.onset_gap_histogram(melody, chords)
    assert hist.size == M.ONSET_GAP_BINS + 1 and hist.sum() == 4
    assert hist[3] == 1 and hist[-1] == 3  # no note before (2) and a gap past 17 frames (1) share the last bin


def test_histogram_emd_counts_bins_moved():
    assert M.histogram_emd([1, 0, 0], [0, 0, 1]) == 2.0  # all mass moved two bins
    assert M.histogram_emd([2, 2, 0], [1, 1, 0]) == 0.0  # shares, not counts
    assert M.histogram_emd([1, 1, 0], [0, 1, 1]) == pytest.approx(1.0)  # each half of the mass moves one bin
    assert math.isnan(M.histogram_emd([0, 0], [1, 0]))
    with pytest.raises(ValueError):
        M.histogram_emd([1, 0], [1, 0, 0])


def test_chord_lengths_mean_and_rhythmic_diversity():
    chords = chords_of((C, 8), (None, 4), (G, 4), (G, 4), (F, 40))  # the re-struck G is a new chord
    assert M.chord_lengths(chords).tolist() == [8, 4, 4, 40]
    hist = M.chord_length_histogram(chords)
    assert hist.size == M.CHORD_LENGTH_BINS + 1 and hist[8] == 1 and hist[4] == 2 and hist[-1] == 1
    # Entropy of the shares (1/4, 1/2, 1/4) in nats.
    assert M.rhythm_diversity(hist) == pytest.approx(-(0.25 * math.log(0.25) * 2 + 0.5 * math.log(0.5)))
    # One length only: no rhythmic diversity at all.
    assert M.rhythm_diversity(M.chord_length_histogram(ON_BEAT)) == 0.0
    song = M.song_metrics(melody_of((60, 60)), chords)
    assert song["chord_beats"] == pytest.approx((8 + 4 + 4 + 40) / 4 / 4)


def test_corpus_pools_the_rhythm_numbers():
    chasing = chasing_chords(TUNE, ON_BEAT)
    out = M.corpus_metrics([(TUNE, ON_BEAT), (TUNE, chasing)])
    # 4 onsets each; the chasing copy chases all 4 (the first one leaves frame 0 without a chord).
    assert out["chase_share"] == pytest.approx(4 / 8)
    assert out["with_note_share"] == pytest.approx(4 / 8)
    assert out["on_beat_share"] == pytest.approx(4 / 8)
    assert out["chord_beats"] == pytest.approx((8 * 4 + (7 + 8 + 8 + 8)) / 8 / 4)
    assert out["rhythm_diversity"] > 0  # lengths 8 and 7 mixed
    song = M.song_metrics(TUNE, chasing)
    assert song["chase_share"] == 1.0 and song["with_note_share"] == 0.0


# ---------------------------------------------------------------------------------------------
# The rhythm-only view and the chasing track


def test_rhythm_view_keeps_only_silence_onset_and_hold():
    seq = np.array([T.PAD, T.BOS, T.SILENCE, T.NO_CHORD, T.note_on(60), T.note_hold(60), T.chord_on(G),
                    T.chord_hold(G), T.note_on(61)])
    assert rhythm_view(seq).tolist() == [RHYTHM_PAD, RHYTHM_BOS, RHYTHM_SILENCE, RHYTHM_SILENCE, RHYTHM_ONSET,
                                         RHYTHM_HOLD, RHYTHM_ONSET, RHYTHM_HOLD, RHYTHM_ONSET]
    # Pitch and chord names are gone: a transposed song looks the same; shape is kept (a batch).
    batch = np.stack([T.interleave(ON_BEAT, TUNE), T.interleave(T.transpose_tokens(ON_BEAT, 5),
                                                               T.transpose_tokens(TUNE, 5))])
    view = rhythm_view(batch)
    assert view.shape == batch.shape and np.array_equal(view[0], view[1])
    with pytest.raises(ValueError):
        rhythm_view([T.VOCAB_SIZE])


def test_chasing_track_delays_each_change_struck_with_a_note_by_one_frame():
    chasing = chasing_chords(TUNE, ON_BEAT)
    assert not T.chord_grammar_violations(chasing).any()
    starts, _, idx = M.chord_event_sequence(chasing)
    assert starts.tolist() == [0, 1, 9, 17, 25] and idx[0] == -1  # frame 0 has no chord yet
    assert [T.token_chord(int(chasing[s])) for s in starts[1:]] == [C, F, G, C]
    # The harmony is nearly the data's; the rhythm-only views differ exactly at the moved onsets.
    assert M.note_in_chord(TUNE, chasing).ratio >= M.note_in_chord(TUNE, ON_BEAT).ratio - 0.1
    moved = np.flatnonzero(rhythm_view(chasing) != rhythm_view(ON_BEAT))
    assert moved.tolist() == [0, 1, 8, 9, 16, 17, 24, 25]
    assert M.chord_chase(TUNE, chasing).chase_share == 1.0


def test_chasing_track_keeps_changes_between_notes_and_drops_a_swallowed_chord():
    melody = melody_of((60, 6), (None, 2), (64, 8))  # notes at frames 0 and 8
    chords = chords_of((C, 4), (Am, 4), (G, 1), (C, 7))  # Am at 4 (no note), G at 8 (a note) for one frame
    chasing = chasing_chords(melody, chords)
    starts, lengths, idx = M.chord_event_sequence(chasing)
    # C moves to 1; Am (no note at 4) stays and holds one frame longer; G moves to 9, where the next C
    # (no note at 9) already starts, so G is gone.
    assert starts.tolist() == [0, 1, 4, 9] and lengths.tolist() == [1, 3, 5, 7]
    assert idx[1:].tolist() == [T.chord_index(C), T.chord_index(Am), T.chord_index(C)]
    with pytest.raises(ValueError):
        chasing_chords(melody, chords[:-1])


def test_held_track_changes_half_as_often_on_the_songs_own_change_points():
    chords = chords_of((C, 4), (Am, 4), (None, 2), (F, 6), (G, 4), (G, 4))  # G struck twice
    held = held_chords(chords)
    assert not T.chord_grammar_violations(held).any() and held.shape == chords.shape
    starts, lengths, idx = M.chord_event_sequence(held)
    # Events 0, 2, 4 stay and hold over 1, 3, 5: C over Am, the no-chord over F, the first G over the second.
    assert starts.tolist() == [0, 8, 16] and lengths.tolist() == [8, 8, 8]
    assert idx.tolist() == [T.chord_index(C), -1, T.chord_index(G)]
    kept = np.flatnonzero(M.chord_event_starts(held))
    assert set(kept) <= set(np.flatnonzero(M.chord_event_starts(chords)))
    with pytest.raises(ValueError):
        held_chords(chords.reshape(2, -1))


def test_related_changes_count_moves_between_chords_sharing_two_notes():
    # C Am (C E kept) F (A C) Dm (F A) | N.C. | Dm again (merged) G (D only) G7 (G B D) C (G only)
    G7 = Chord(7, "7")
    chords = chords_of((C, 4), (Am, 4), (F, 4), (Dm, 4), (None, 4), (Dm, 4), (G, 4), (G7, 4), (C, 4))
    assert M.related_changes(chords) == (4, 6)  # C-Am, Am-F, F-Dm, G-G7 of the six changes of C Am F Dm G G7 C
    assert M.related_changes(ON_BEAT) == (0, 3)  # C F G C: every change moves the harmony
    assert M.related_changes(chords_of((C, 8))) == (0, 0)
    song = M.song_metrics(TUNE, ON_BEAT)
    assert song["related_change_share"] == 0.0
    pooled = M.corpus_metrics([(TUNE, ON_BEAT), (np.resize(TUNE, chords.size), chords)])
    assert pooled["related_change_share"] == pytest.approx(4 / 9)
    assert math.isnan(M.song_metrics(TUNE, chords_of((C, 32)))["related_change_share"])


def test_related_restrikes_leave_the_rhythm_judges_only_moves():
    G7 = Chord(7, "7")
    # C, C struck again, Em (E G kept), F (a move), Dm (F A kept), G (a move: D only), G7 (G B D kept)
    chords = chords_of((None, 2), (C, 4), (C, 2), (Em, 4), (F, 4), (Dm, 4), (G, 4), (G7, 4))
    view, before = rhythm_view(related_restrikes(chords)), rhythm_view(chords)
    assert np.flatnonzero(view == RHYTHM_ONSET).tolist() == [2, 12, 20]
    assert np.flatnonzero(before == RHYTHM_ONSET).tolist() == [2, 6, 8, 12, 16, 20, 24]
    held = (before == RHYTHM_ONSET) & (view != RHYTHM_ONSET)
    assert (view[held] == RHYTHM_HOLD).all() and (view[~held] == before[~held]).all()
    moves = chords_of((C, 4), (F, 4), (G7, 4), (C, 4))
    assert (related_restrikes(moves) == moves).all()  # nothing related: unchanged
    batch = np.stack([chords, np.resize(moves, chords.size)])  # rows are independent
    assert (related_restrikes(batch) == [related_restrikes(row) for row in batch]).all()


def test_rhythm_judges_hear_only_moves_when_asked():
    """``RLConfig.rhythm_moves_only``: the rhythm judges score ``related_restrikes`` of the chords; off, the
    chords as played."""
    import torch

    from jamcore.rewards import RewardSet, RewardWeights

    class Spy:
        def score(self, melody, chords):
            self.heard = chords.numpy()
            return torch.zeros(len(chords))
    chords = chords_of((C, 8), (Am, 8), (F, 8), (G, 8))  # C-Am and Am-F are related, F-G is a move
    mel, ch = torch.from_numpy(TUNE[None]), torch.from_numpy(chords[None])
    for moves_only in (False, True):
        spy = Spy()
        RewardSet(weights=RewardWeights(contrastive=0.0, discriminative=0.0, rhythm=1.0), rhythm_contrastive=spy,
                  rhythm_moves_only=moves_only).score(mel, ch)
        expected = related_restrikes(chords) if moves_only else chords
        assert (spy.heard[0] == expected).all()
    assert np.flatnonzero(rhythm_view(related_restrikes(chords)) == RHYTHM_ONSET).tolist() == [0, 24]


# ---------------------------------------------------------------------------------------------
# The grid


@pytest.mark.parametrize("grid, bar_len, points", [
    ("16th", 16, list(range(16))),
    ("beat", 16, [0, 4, 8, 12]),
    ("half", 16, [0, 8]),
    ("bar", 16, [0]),
    ("beat", 12, [0, 4, 8]),  # 3/4 (and 6/8, three quarter-note beats)
    ("half", 12, [0, 8]),  # the longer half first: 2 + 1 beats
    ("half", 20, [0, 12]),  # 5/4: 3 + 2
    ("half", 8, [0, 4]),  # 2/4
    ("beat", 6, [0, 4]),  # 3/8: beats restart at each bar line
    ("half", 2, [0]),  # a bar shorter than a beat has only its bar line
])
def test_grid_positions_from_the_meter(grid, bar_len, points):
    assert np.flatnonzero(grid_positions(grid, bar_len)).tolist() == points


def test_grid_points_follow_the_song_position():
    # Starting at song frame 14 of a 4/4 bar: beats at frames 16, 20 -> indices 2, 6.
    assert np.flatnonzero(grid_points(8, "beat", 16, first_frame=14)).tolist() == [2, 6]
    assert on_grid(32, "bar", 16) and not on_grid(36, "bar", 16) and on_grid(36, "beat", 16)
    assert set(GRIDS) == {"16th", "beat", "half", "bar"}
    with pytest.raises(ValueError, match="one of 16th, beat, half, bar"):
        check_grid("quarter")


@pytest.fixture(scope="module")
def shipped():
    model, _ = load_policy(DEFAULT_POLICY)
    return model


def play(stream, melody, rng, temperature=1.0):
    stream.reset()
    out = []
    for m in melody:
        c = stream.sample_chord(temperature, rng=rng)
        stream.push(c, int(m))
        out.append(c)
    return np.array(out)


def test_the_shipped_policy_changes_chords_only_on_grid_points_in_3_4_from_any_song_position(shipped):
    """The mask in StreamingPolicy: the shipped default policy, a tune in 3/4 whose first frame is song
    frame 5 (a live session that started mid-bar). Without a grid it changes chord between beats; with
    `beat` only on beats, with `half` only on beats 1 and 3, with `bar` only on bar lines, and the chord
    stream stays grammatical (off the grid it holds)."""
    melody = np.tile(melody_of((67, 2), (64, 2), (65, 4), (62, 4), (60, 6), (None, 2), (71, 4)), 6)  # 144 frames
    stream = StreamingPolicy(shipped, beats_per_bar=3.0)
    stream.song_frame = lambda f: f + 5
    bar_len = 12
    stream.set_grid("16th")
    free = play(stream, melody, np.random.default_rng(0))
    starts = np.flatnonzero(M.chord_event_starts(free))[1:] + 5
    assert (starts % 4 != 0).any()  # the control: unconstrained, it changes off the beat
    for grid in ("beat", "half", "bar"):
        stream.set_grid(grid)
        chords = play(stream, melody, np.random.default_rng(0))
        assert not T.chord_grammar_violations(chords).any()
        starts = np.flatnonzero(M.chord_event_starts(chords))[1:] + 5  # frame 0 starts the first event
        allowed = set(np.flatnonzero(grid_positions(grid, bar_len)).tolist())
        assert starts.size and {int(s) % bar_len for s in starts} <= allowed, (grid, starts)
    stream.set_grid("16th")
    assert np.array_equal(play(stream, melody, np.random.default_rng(0)), free)  # 16th: no constraint
    with pytest.raises(ValueError):
        stream.set_grid("quarter")


def test_the_first_chord_may_start_off_the_grid_when_the_caller_asks_for_one(shipped):
    stream = StreamingPolicy(shipped, grid="bar")
    for m in melody_of((60, 5)):
        stream.push(T.NO_CHORD, int(m))  # listening: frames 0-4 silent; frame 5 is off the bar grid
    assert stream.sample_chord(rng=np.random.default_rng(0)) == T.NO_CHORD  # off the grid: stay silent
    c = stream.sample_chord(rng=np.random.default_rng(0), allow_silence=False)
    assert T.CHORD_ON_BASE <= c < T.CHORD_HOLD_BASE
