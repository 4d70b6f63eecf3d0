"""training/anchor_advice.py: the anchor's advice is scored on the beat it would sound over, as the policy's is."""
import sys
from pathlib import Path

import numpy as np
import torch

from jamcore import tokens as T
from jamcore.config import ModelConfig
from jamcore.models.anchor import OfflineAnchor
from jamcore.music.chords import Chord
from jamcore.music.meter import METRIC_SLOTS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import anchor_advice  # noqa: E402

BEATS = 8
W = 4 * BEATS
C, G = Chord(0, "maj"), Chord(7, "maj")


def tune():
    """Beats alternate C (60) and D (62), one note a beat; the right chord for each beat is C major, then G."""
    mel = np.zeros((1, W), dtype=np.int64)
    right = np.zeros((1, W), dtype=np.int64)
    for b in range(BEATS):
        pitch, chord = (60, C) if b % 2 == 0 else (62, G)
        mel[0, 4 * b] = T.note_on(pitch)
        mel[0, 4 * b + 1:4 * b + 4] = T.note_hold(pitch)
        right[0, 4 * b] = T.chord_on(chord)
        right[0, 4 * b + 1:4 * b + 4] = T.chord_hold(chord)
    meter = torch.from_numpy(1 + np.arange(W) % 16)[None]
    return torch.from_numpy(mel), meter, right


def anchor():
    torch.manual_seed(0)
    cfg = ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, n_encoder_layers=1, metric_slots=METRIC_SLOTS,
                      max_len=W + 1)
    return OfflineAnchor(cfg).eval()


class Oracle(torch.nn.Module):
    """An anchor whose logits at decoder position t name ``chords[t]``: the one that knows each beat's chord."""

    def __init__(self, chords: np.ndarray):
        super().__init__()
        self.chords = torch.from_numpy(chords)

    def forward(self, melody, chords, meter=None):
        logits = torch.full((*melody.shape, T.VOCAB_SIZE), -20.0)
        logits.scatter_(2, self.chords.unsqueeze(-1), 20.0)
        return logits


def test_a_policy_playing_each_beats_chord_scores_one_and_a_beat_late_scores_zero():
    mel, meter, right = tune()
    late = np.roll(right, 4, axis=1)  # each chord a beat after its note: every note misses
    late[0, :4] = T.NO_CHORD
    late[0, 4] = T.chord_on(C)
    gen = torch.Generator().manual_seed(0)
    # The anchor's chord for beat t comes from its position t, judged on beat t: an oracle scores 1 on the
    # late policy's history, and the late policy scores 0.
    (by_anchor, policy), scored = anchor_advice.advice(Oracle(right), mel, meter, late, 1.0, gen)
    assert by_anchor == 1.0 and policy == 0.0 and scored == 4 * (BEATS - 1)  # the first beat: listening
    (by_anchor, policy), _ = anchor_advice.advice(Oracle(late), mel, meter, right, 1.0, gen)
    assert by_anchor == 0.0 and policy == 1.0


def test_the_anchor_free_running_changes_chord_on_beats_only_and_keeps_the_grammar():
    mel, meter, _ = tune()
    chords = anchor_advice.free_running(anchor(), mel, meter, 1.0, torch.Generator().manual_seed(0))[0]
    assert (chords[:4] == T.NO_CHORD).all()
    assert not T.chord_grammar_violations(chords).any()
    for t in range(4, W):
        if t % 4:  # off the beat: the sounding chord continues
            prev = T.TOKEN_CHORD[chords[t - 1]]
            assert chords[t] == (T.chord_hold(T.token_chord(chords[t - 1])) if prev >= 0 else T.NO_CHORD)
