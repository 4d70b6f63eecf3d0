"""jamcore.train.gapt.key_relative_chords: chords heard relative to the melody's key (the key-hearing
discriminator), by the evaluation's own key estimate (``jamcore.eval.baselines``)."""
import numpy as np
import pytest
import torch

from jamcore import tokens as T
from jamcore.music.chords import Chord
from jamcore.eval.baselines import KK_MAJOR, KK_MINOR, key_of_histogram, pitch_class_histogram
from jamcore.rewards import RewardSet, RewardWeights
from jamcore.train.gapt import key_relative_chords


@pytest.mark.parametrize("tonic", range(12))
def test_each_key_profile_is_its_own_key(tonic):
    assert key_of_histogram(np.roll(KK_MAJOR, tonic)) == (tonic, "maj")
    assert key_of_histogram(np.roll(KK_MINOR, tonic)) == (tonic, "min")
    assert key_of_histogram(np.zeros(12)) == (0, "maj")


def scale_tune(tonic: int):
    """A major scale up from ``tonic`` (MIDI 60 + tonic), twice, and I vi V under it."""
    melody = np.array([T.note_on(60 + tonic + s) for s in (0, 2, 4, 5, 7, 9, 11, 12)] * 2)
    chords = np.array([T.chord_on(Chord(tonic % 12, "maj"))] * 6 + [T.chord_on(Chord((tonic + 9) % 12, "min"))] * 5
                      + [T.chord_on(Chord((tonic + 7) % 12, "maj"))] * 5)
    return melody, chords


def test_the_same_progression_in_any_key_is_heard_as_the_same_chords():
    heard = []
    for tonic in (2, 3, 7, 11):
        melody, chords = scale_tune(tonic)
        assert pitch_class_histogram(melody)[tonic % 12] == 4  # the tonic twice an octave apart, twice
        heard.append(key_relative_chords(melody[None], chords[None])[0])
    names = [T.token_chord(int(t)).symbol for t in heard[0]]
    assert names[0] == "C" and names[6] == "Am" and names[-1] == "G"
    assert all((h == heard[0]).all() for h in heard)
    with pytest.raises(ValueError):
        key_relative_chords(melody, chords)  # rows are songs: [B, T]


def test_a_key_hearing_discriminator_is_given_the_key_relative_chords():
    class Spy:
        def prob_data(self, chords, *rest):
            self.heard = chords
            return torch.full((len(chords),), 0.5)
    melody, chords = scale_tune(2)
    mel, ch = torch.from_numpy(melody[None]), torch.from_numpy(chords[None])
    keyed = torch.from_numpy(key_relative_chords(melody[None], chords[None]))
    spy = Spy()
    rewards = RewardSet(weights=RewardWeights(contrastive=0.0, discriminative=0.0), discriminator=spy, adv_weight=1.0)
    rewards.score(mel, ch)
    assert torch.equal(spy.heard, ch)  # the paper's D: absolute chords
    rewards.score(mel, ch, disc_chords=keyed)
    assert torch.equal(spy.heard, keyed)
