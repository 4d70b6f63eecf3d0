"""The perturbation (mid-song transposition) test and the cold-start measure on synthetic harmonizers."""
import math

import numpy as np
import pytest

from jamcore import tokens as T
from jamcore.eval import adaptation as A
from jamcore.music.chords import Chord


def steady_melody(pitch=60, beats=48):
    out = []
    for _ in range(beats):
        out += [T.note_on(pitch)] + [T.note_hold(pitch)] * 3
    return np.array(out)


def lagged_oracle(lag_beats):
    """Causal: each beat, the major triad on the pitch class of the note ``lag_beats`` beats ago."""
    def harmonize(melody, rng):
        out = np.full(len(melody), T.NO_CHORD, dtype=np.int64)
        prev = None
        for b in range(lag_beats, len(melody) // 4):
            pitch = T.TOKEN_PITCH[melody[4 * (b - lag_beats)]]
            if pitch < 0:
                continue
            chord = Chord(int(pitch) % 12, "maj")
            out[4 * b:4 * b + 4] = T.chord_hold(chord)
            if chord != prev:
                out[4 * b] = T.chord_on(chord)
            prev = chord
        return out
    return harmonize


def always_c(melody, rng):
    out = np.full(len(melody), T.chord_hold(Chord(0, "maj")), dtype=np.int64)
    out[0] = T.chord_on(Chord(0, "maj"))
    return out


def test_transpose_from_moves_only_notes_after_the_change():
    m = steady_melody(60, 20)
    m[5] = T.SILENCE
    moved = A.transpose_from(m, 6, start_beat=16)
    assert np.array_equal(moved[:64], m[:64])
    assert (T.TOKEN_PITCH[moved[64:]] == 66).all()
    assert moved[5] == T.SILENCE


@pytest.mark.parametrize("lag", [0, 1, 2, 3])
def test_recovery_equals_the_harmonizers_lag(lag):
    melodies = [steady_melody(60 + k) for k in range(3)]
    rngs = [np.random.default_rng(i) for i in range(3)]
    res = A.perturbation_test(lagged_oracle(lag), melodies, rngs, semitones=6, change_beat=16, window_beats=4)
    assert res.pre_level == 1.0
    assert res.recovery_mean_curve == lag
    assert res.recovery_per_song == [lag] * 3
    assert res.drop == pytest.approx(lag / 4)  # the first bar after the change misses `lag` beats of 4
    s = res.summary()
    assert s["recovered_share"] == 1.0 and s["recovery_beats_song_median"] == lag
    assert res.per_beat.shape == (48,) and np.isnan(res.per_beat[:lag]).all()


def test_a_system_that_never_follows_never_recovers():
    res = A.perturbation_test(always_c, [steady_melody(60)], [np.random.default_rng(0)])
    assert res.pre_level == 1.0
    assert math.isnan(res.recovery_mean_curve)
    assert res.summary()["recovered_share"] == 0.0
    assert np.allclose(res.sliding[19:], 0.0)


def test_recovery_beats_rules():
    curve = np.array([1.0] * 16 + [0.2, 0.5, 0.8, 0.85, 0.95, 1.0])
    # Windows wholly after the change end at beat 19 (recovery 0); 0.85 < 0.9, 0.95 >= 0.9 at beat 20.
    assert A.recovery_beats(curve, 16, 4, 1.0) == 1.0
    assert A.recovery_beats(curve, 16, 4, 1.0, tolerance=0.2) == 0.0
    assert math.isnan(A.recovery_beats(curve, 16, 4, math.nan))


def test_cold_start_counts_from_the_first_note():
    melody = np.concatenate([np.full(8, T.SILENCE), steady_melody(60, 16)])
    chords = lagged_oracle(2)(melody, None)
    cs = A.cold_start(melody, chords, n_beats=8)
    # From the first note (frame 8): the oracle's first chord comes at beat 4 (frame 16) -> 8 frames
    # of notes without a chord, then 24 frames in the chord.
    assert (cs.no_chord, cs.scored, cs.hits) == (8, 24, 24)
    assert A.cold_start(np.full(8, T.SILENCE), np.full(8, T.NO_CHORD)).scored == 0


def test_check_causal_tells_live_from_peeking():
    m = np.concatenate([steady_melody(60, 8), steady_melody(65, 8), steady_melody(67, 8)])
    assert A.check_causal(lagged_oracle(1), m)
    assert not A.check_causal(lagged_oracle(0), m)  # the chord of beat b uses beat b's note


def test_nanmean_curves_ignores_nan_and_pads():
    mean = A.nanmean_curves([np.array([1.0, np.nan, 0.0]), np.array([0.0, np.nan])])
    assert mean[0] == 0.5 and np.isnan(mean[1]) and mean[2] == 0.0
