"""The rule baselines: key estimate, the held tonic, and the note-triad rules with and without peeking."""
import numpy as np

from jamcore import tokens as T
from jamcore.eval import baselines as B
from jamcore.eval import metrics as M
from jamcore.eval.adaptation import check_causal
from jamcore.music.chords import Chord


def one_note_per_beat(pitches):
    out = []
    for p in pitches:
        out += [T.note_on(p)] + [T.note_hold(p)] * 3
    return np.array(out)


C_MAJOR_TUNE = [60, 62, 64, 65, 67, 65, 64, 62, 60, 64, 67, 72, 67, 64, 62, 60]  # scale up and down, arpeggio


def test_estimate_key_major_minor_and_transposed():
    assert B.estimate_key(one_note_per_beat(C_MAJOR_TUNE)) == (0, "maj")
    a_minor = [57, 59, 60, 62, 64, 65, 68, 69, 64, 60, 57, 64, 68, 71, 69, 57]  # harmonic A minor
    assert B.estimate_key(one_note_per_beat(a_minor)) == (9, "min")
    assert B.estimate_key(one_note_per_beat([p + 3 for p in C_MAJOR_TUNE])) == (3, "maj")
    assert B.estimate_key(np.full(16, T.SILENCE)) == (0, "maj")


def test_tonic_triad_held_all_song():
    melody = one_note_per_beat(C_MAJOR_TUNE)
    chords = B.tonic_triad(melody)
    assert len(chords) == len(melody)
    assert chords[0] == T.chord_on(Chord(0, "maj")) and (chords[1:] == T.chord_hold(Chord(0, "maj"))).all()
    assert M.chord_entropy(chords) == 0.0
    assert M.longest_chord_run_beats(chords) == len(C_MAJOR_TUNE)
    assert not M.invalid_chord_frames(chords).any()


def test_cheating_rule_reaches_nic_one_when_a_triad_always_exists():
    # One pitch class per beat: some major or minor triad always contains it.
    rng = np.random.default_rng(3)
    melody = one_note_per_beat(rng.integers(55, 80, size=32))
    chords = B.note_triad_cheat(melody)
    assert M.note_in_chord(melody, chords).ratio == 1.0
    assert not M.invalid_chord_frames(chords).any()
    assert not check_causal(B.note_triad_cheat, melody)  # it peeks, and the check sees it


def test_live_rule_uses_previous_beat_only():
    melody = one_note_per_beat(C_MAJOR_TUNE)
    live = B.note_triad_live(melody)
    assert (live[:4] == T.NO_CHORD).all()  # nothing heard yet: no chord
    # Its chord for beat b is the cheat's chord for beat b-1 up to tie-breaking: here it covers that note.
    for b in range(1, len(C_MAJOR_TUNE)):
        pcs = T.TOKEN_CHORD_PCS[live[4 * b]]
        assert pcs[C_MAJOR_TUNE[b - 1] % 12]
    assert check_causal(B.note_triad_live, melody)
    assert not M.invalid_chord_frames(live).any()


def test_rules_hold_a_kept_triad_instead_of_restriking():
    melody = one_note_per_beat([60] * 8)
    chords = B.note_triad_cheat(melody)
    assert list(M.repeated_event_runs(chords)) == [1]  # struck once, held for 8 beats
    assert M.longest_chord_run_beats(chords) == 8


def test_partial_last_beat_and_silence_keep_previous_chord():
    melody = np.concatenate([one_note_per_beat([64]), np.full(6, T.SILENCE)])  # 10 frames
    chords = B.note_triad_cheat(melody)
    assert len(chords) == 10 and (T.TOKEN_CHORD[chords] >= 0).all()
    assert (chords[1:] >= T.CHORD_HOLD_BASE).all()
