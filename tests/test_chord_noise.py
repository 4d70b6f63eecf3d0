"""Chord-context noise: corrupted inputs stay grammatical, targets stay the data's chords, re-spelled."""
import numpy as np

from jamcore import tokens as T
from jamcore.data.chord_noise import corrupt, respell
from jamcore.data.loader import WindowBatch
from jamcore.music.chords import Chord

C, G, F = (T.chord_index(Chord(r, "maj")) for r in (0, 7, 5))


def on(i):
    return T.CHORD_ON_BASE + i


def hold(i):
    return T.CHORD_HOLD_BASE + i


def song(n_bars=12):
    """C for a bar, G for a bar, ... as tokens, one note per frame."""
    chords, melody = [], []
    for b in range(n_bars):
        c = (C, G, F)[b % 3]
        chords += [on(c)] + [hold(c)] * 15
        melody += [T.note_on(60 + b % 5)] + [T.note_hold(60 + b % 5)] * 15
    return np.array(chords), np.array(melody)


def test_respell_turns_a_hold_after_another_chord_into_an_onset():
    targets = np.array([[on(C), hold(C), hold(C), hold(G)]])
    inputs = np.array([[on(C), on(G), hold(G), hold(G)]])
    assert respell(targets, inputs).tolist() == [[on(C), hold(C), on(C), hold(G)]]
    assert respell(targets, targets).tolist() == [[on(C), hold(C), hold(C), on(G)]]


def test_corrupt_moves_spans_keeps_grammar_and_pad_and_leaves_the_rest():
    ch, _ = song()
    batch = np.stack([ch, ch, ch, ch])
    batch[3, 150:] = T.PAD
    rng = np.random.default_rng(0)
    changed = 0
    for _ in range(20):
        inputs, span = corrupt(batch, rng, p=1.0)
        assert not any(T.chord_grammar_violations(row).any() for row in inputs[:3])
        assert (inputs[3, 150:] == T.PAD).all() and not span[3, 150:].any()
        # Outside the spans the inputs are the data's chords, up to re-spelling at a span's end.
        assert (T.TOKEN_CHORD[inputs][~span] == T.TOKEN_CHORD[batch][~span]).all()
        changed += int((T.TOKEN_CHORD[inputs][span] != T.TOKEN_CHORD[batch][span]).sum())
        assert span[:3].any(axis=1).all()  # (the padded window may draw a span in its padding)
    assert changed > 0
    inputs, span = corrupt(batch, rng, p=0.0)
    assert (inputs == batch).all() and not span.any()


def test_noised_batch_feeds_wrong_chords_but_scores_the_data():
    ch, mel = song()
    b = WindowBatch(mel[None], ch[None], ["x"], ["x"])
    clean_in, clean_t = b.online_pair()
    assert (clean_in[:, 1:] == clean_t[:, :-1]).all()  # plain next-token pairs
    rng = np.random.default_rng(1)
    chords_in, span = corrupt(ch[None], rng, p=1.0)
    noisy = WindowBatch(mel[None], ch[None], ["x"], ["x"], chords_in, span)
    inputs, targets = noisy.online_pair()
    assert (inputs[0, 1::2] == chords_in[0]).all()
    # Chord targets are the data's chords (re-spelled), melody targets inside the span are not scored.
    assert (T.TOKEN_CHORD[targets[0, 0::2]] == T.TOKEN_CHORD[ch]).all()
    mel_t = targets[0, 1::2]
    assert (mel_t[span[0]] == T.PAD).all() and (mel_t[~span[0]] == mel[~span[0]]).all()
    # Every hold target continues the chord the policy was actually fed one frame before.
    tc = targets[0, 0::2]
    holds = np.flatnonzero((tc >= T.CHORD_HOLD_BASE) & (tc < T.CHORD_HOLD_BASE + T.N_CHORDS))
    assert len(holds) and (T.TOKEN_CHORD[chords_in[0, holds - 1]] == T.TOKEN_CHORD[tc[holds]]).all()


def test_transpose_events_moves_whole_events_and_keeps_rhythm_and_grammar():
    from jamcore.data.chord_noise import transpose_events, wrong_harmony

    ch, _ = song()
    rng = np.random.default_rng(0)
    moved = transpose_events(ch[None], rng, share=0.5)[0]
    onsets = lambda c: (c >= T.CHORD_ON_BASE) & (c < T.CHORD_HOLD_BASE)  # noqa: E731
    assert (onsets(moved) == onsets(ch)).all()  # same rhythm
    changed = T.TOKEN_CHORD[moved] != T.TOKEN_CHORD[ch]
    assert 0 < changed.sum() < len(ch)
    # A chord event is moved as a whole: within each bar (one event) all frames or none changed.
    assert all(changed[b * 16:(b + 1) * 16].all() or not changed[b * 16:(b + 1) * 16].any() for b in range(12))
    assert (respell(moved[None], moved[None]) == moved[None]).all()  # grammatical as it stands
    windows = np.stack([T.transpose_tokens(ch, k) for k in range(8)])  # eight songs, eight keys
    wrong = wrong_harmony(windows, np.random.default_rng(1))
    assert (T.TOKEN_CHORD[wrong] != T.TOKEN_CHORD[windows]).any(1).all()  # every window got wrong harmony
    assert (onsets(wrong) == onsets(windows)).mean() > 0.95  # in (nearly) the data's rhythm


def test_own_chords_feed_the_models_rollouts_and_score_the_data():
    import torch

    from jamcore.config import ModelConfig
    from jamcore.models.policy import ChordPolicy
    from jamcore.train.mle import with_own_chords
    from jamcore.train.rollout import rollout

    ch, mel = song(4)
    torch.manual_seed(0)
    model = ChordPolicy(ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=129)).train()
    batch = WindowBatch(np.stack([mel] * 4), np.stack([ch] * 4), ["x"] * 4, ["x"] * 4)
    out = with_own_chords(model, batch, np.random.default_rng(0), 1.0, torch.Generator().manual_seed(5))
    assert model.training  # restored after the rollout
    expect = rollout(model.eval(), torch.from_numpy(batch.melody), 1.0, torch.Generator().manual_seed(5)).numpy()
    assert (out.chords_in == expect).all() and out.noise_span.all()
    inputs, targets = out.online_pair()
    assert (inputs[:, 1::2] == expect).all()
    assert (T.TOKEN_CHORD[targets[:, 0::2]] == T.TOKEN_CHORD[batch.chords]).all()  # the data's chords
    none = with_own_chords(model, batch, np.random.default_rng(0), 0.0, torch.Generator())
    assert none.chords_in is None


def test_span_beats_only_scores_chord_targets_in_a_span_on_beats_only():
    import torch

    from jamcore.config import ModelConfig
    from jamcore.models.policy import ChordPolicy
    from jamcore.music.time import FRAMES_PER_BEAT
    from jamcore.train.mle import batch_loss

    ch, mel = song(4)  # 64 frames
    span = np.zeros((1, len(ch)), dtype=bool)
    span[0, 16:48] = True
    noisy = WindowBatch(mel[None], ch[None], ["x"], ["x"], T.transpose_tokens(ch, 3)[None], span)
    torch.manual_seed(0)
    model = ChordPolicy(ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=129))
    _, (_, _, n_all) = batch_loss(model, "policy", noisy)
    _, (_, _, n_beats) = batch_loss(model, "policy", noisy, span_beats_only=True)
    assert n_all == 64 and n_beats == 64 - 32 + 32 // FRAMES_PER_BEAT
