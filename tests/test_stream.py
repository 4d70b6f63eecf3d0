"""StreamingPolicy: exact streaming, unbounded sessions, grammar-constrained sampling, rewind."""
import numpy as np
import torch

from jamcore import tokens as T
from jamcore.config import ModelConfig
from jamcore.models.policy import ChordPolicy
from jamcore.stream import StreamingPolicy

CFG = ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, max_len=2 * 32 + 1)  # 32-frame window


import pytest

ENGINES = pytest.mark.parametrize("engine", ["numpy", "torch"])


def make_stream(seed=0, engine="numpy"):
    torch.manual_seed(seed)
    return StreamingPolicy(ChordPolicy(CFG).eval(), engine=engine)


def melody_tokens(n, rng):
    out = []
    prev = None
    for _ in range(n):
        mask = T.melody_slot_allowed(prev)
        tok = int(rng.choice(np.flatnonzero(mask)))
        out.append(tok)
        prev = tok
    return out


def play_with_lookahead(stream, mel, rng, imagined, before_frame=lambda t: None):
    """Live use: per frame, imagine ``imagined`` frames ahead, rewind, then push the real frame; returns
    the chords played."""
    chords = []
    for t in range(len(mel)):
        before_frame(t)
        c = stream.sample_chord(rng=rng)
        for _ in range(imagined):
            stream.push(c, stream.sample_melody(c, rng=rng))
            c = stream.sample_chord(rng=rng)
        stream.rewind(t)
        c = stream.sample_chord(rng=rng)
        chords.append(c)
        stream.push(c, mel[t])
    return chords


@ENGINES
def test_stream_chord_logits_equal_full_forward_within_window(engine):
    stream = make_stream(0, engine)
    rng = np.random.default_rng(0)
    mel = melody_tokens(20, rng)
    chords = []
    for t in range(20):
        chords.append(stream.sample_chord(rng=rng))
        stream.push(chords[-1], mel[t])
    seq = torch.from_numpy(T.interleave(np.array(chords), np.array(mel)))[None]
    with torch.no_grad():
        full = stream.model(seq)[0].numpy()
    # The logits for the next chord (frame 20) come from the last melody position.
    assert np.allclose(stream.chord_logits(), full[-1], atol=1e-4)


@ENGINES
def test_stream_runs_far_past_the_training_window_and_matches_a_fresh_window(engine):
    stream = make_stream(1, engine)
    rng = np.random.default_rng(1)
    n = 32 * 5 + 7  # five windows and change
    mel = melody_tokens(n, rng)
    chords = []
    for t in range(n):
        c = stream.sample_chord(temperature=1.0, rng=rng)
        assert T.is_chord_token(c)
        chords.append(c)
        stream.push(c, mel[t])
    assert stream.frames == n
    # After a slide the state equals a fresh forward over BOS + frames since the window start.
    start = stream._start
    assert start % 4 == 0 and n - start <= 32
    seq = torch.from_numpy(T.interleave(np.array(chords[start:]), np.array(mel[start:])))[None]
    with torch.no_grad():
        full = stream.model(seq)[0].numpy()
    assert np.allclose(stream.chord_logits(), full[-1], atol=1e-4)


@ENGINES
def test_sampling_never_emits_a_token_of_the_wrong_slot_or_an_orphan_hold(engine):
    stream = make_stream(2, engine)
    rng = np.random.default_rng(2)
    chords = []
    for t in range(200):
        # High temperature spreads probability everywhere: masks must still hold.
        c = stream.sample_chord(temperature=5.0, rng=rng)
        m = stream.sample_melody(c, temperature=5.0, rng=rng)
        assert T.is_chord_token(c), T.token_name(c)
        assert T.is_melody_token(m), T.token_name(m)
        chords.append(c)
        stream.push(c, m)
    assert not T.chord_grammar_violations(np.array(chords))[1:].any()


@ENGINES
def test_rewind_restores_the_exact_state(engine):
    stream = make_stream(3, engine)
    rng = np.random.default_rng(3)
    for t in range(10):
        c = stream.sample_chord(rng=rng)
        stream.push(c, stream.sample_melody(c, rng=rng))
    before = stream.chord_logits().copy()
    for t in range(6):  # imagined lookahead
        c = stream.sample_chord(rng=rng)
        stream.push(c, stream.sample_melody(c, rng=rng))
    stream.rewind(10)
    assert stream.frames == 10
    assert np.allclose(stream.chord_logits(), before, atol=1e-6)


def test_prime_equals_pushing_the_history():
    a, b = make_stream(4, "torch"), make_stream(4, "numpy")
    rng = np.random.default_rng(4)
    mel = melody_tokens(12, rng)
    chords = []
    for t in range(12):
        chords.append(a.sample_chord(rng=rng))
        a.push(chords[-1], mel[t])
    b.prime(chords, mel)
    assert b.frames == 12
    assert np.allclose(a.chord_logits(), b.chord_logits(), atol=1e-4)


def test_greedy_sampling_is_deterministic_and_top_p_restricts_choices():
    from jamcore.stream import sample_from_logits

    logits = np.array([0.0, 5.0, 4.9, -3.0])
    mask = np.array([True, True, True, False])
    assert sample_from_logits(logits, mask, 0.0, 1.0, None) == 1
    rng = np.random.default_rng(0)
    picks = {sample_from_logits(logits, mask, 1.0, 0.5, rng) for _ in range(200)}
    assert picks == {1}


@ENGINES
def test_lookahead_rewinds_across_window_switches_stay_exact(engine):
    """Live use: imagine a few frames ahead, rewind, push the real frame; over several windows."""
    stream = make_stream(5, engine)
    rng = np.random.default_rng(5)
    n = 32 * 4 + 3
    mel = melody_tokens(n, rng)
    chords = play_with_lookahead(stream, mel, rng, imagined=3)
    start = stream._start
    seq = torch.from_numpy(T.interleave(np.array(chords[start:]), np.array(mel[start:])))[None]
    with torch.no_grad():
        full = stream.model(seq)[0].numpy()
    assert np.allclose(stream.chord_logits(), full[-1], atol=1e-4)


def test_melody_agent_stream_matches_the_full_forward_in_melody_first_order():
    from jamcore.stream import MelodyAgentStream

    torch.manual_seed(6)
    agent = MelodyAgentStream(ChordPolicy(CFG).eval())
    rng = np.random.default_rng(6)
    mel, ch = [], []
    for t in range(20):
        m = agent.sample_melody(rng=rng)
        assert T.is_melody_token(m)
        c = int(rng.integers(T.CHORD_ON_BASE, T.CHORD_HOLD_BASE))
        agent.push(c, m)
        mel.append(m)
        ch.append(c)
    seq = torch.from_numpy(T.interleave(np.array(mel), np.array(ch)))[None]  # melody in the first slot
    with torch.no_grad():
        full = agent.model(seq)[0, -1].numpy()
    assert np.allclose(agent._logits, full, atol=1e-4)


def test_two_caches_stepped_together_equal_each_stepped_alone():
    """The batched pass a session uses to feed its next window: same logits and caches as two steps."""
    from jamcore.models.numpy_policy import NumpyPolicy, NumpyWeights, step_together

    torch.manual_seed(3)
    weights = NumpyWeights(ChordPolicy(CFG).eval())
    rng = np.random.default_rng(3)
    ids_a, ids_b = rng.integers(3, 100, 21), rng.integers(3, 100, 6)
    alone_a, alone_b, tog_a, tog_b = (NumpyPolicy(weights=weights) for _ in range(4))
    alone_a.step(ids_a), alone_b.step(ids_b), tog_a.step(ids_a), tog_b.step(ids_b)
    for new_a, new_b in (([5, 7], [T.BOS, 9, 11]), ([13], [15, 17])):
        expect_a = alone_a.step(new_a, all_logits=True)
        expect_b = alone_b.step(new_b, all_logits=True)
        got_a, got_b = step_together([(tog_a, new_a), (tog_b, new_b)], all_logits=True)
        np.testing.assert_allclose(got_a, expect_a, atol=1e-5)
        np.testing.assert_allclose(got_b, expect_b, atol=1e-5)
        assert (tog_a.length, tog_b.length) == (alone_a.length, alone_b.length)
    last_a, last_b = step_together([(tog_a, [19, 21]), (tog_b, [23])])
    np.testing.assert_allclose(last_a, alone_a.step([19, 21]), atol=1e-5)
    np.testing.assert_allclose(last_b, alone_b.step([23]), atol=1e-5)


def test_a_pair_of_caches_attends_jointly_and_equals_each_alone():
    """Paired caches (one shared array) take the joint attention path: same logits as alone."""
    from jamcore.models.numpy_policy import NumpyPolicy, NumpyWeights, step_together

    torch.manual_seed(4)
    weights = NumpyWeights(ChordPolicy(CFG).eval())
    rng = np.random.default_rng(4)
    a, b = NumpyPolicy.pair(weights)
    alone_a, alone_b = NumpyPolicy(weights=weights), NumpyPolicy(weights=weights)
    ids_a, ids_b = rng.integers(3, 100, 33), rng.integers(3, 100, 9)
    for x, y in ((a, alone_a), (b, alone_b)):
        x.step(ids_a if x is a else ids_b), y.step(ids_a if y is alone_a else ids_b)
    for new in ([5, 7], [9, 11], [13]):  # equal counts: joint path
        got_b, got_a = step_together([(b, new), (a, new)])  # either order
        np.testing.assert_allclose(got_a, alone_a.step(new), atol=1e-5)
        np.testing.assert_allclose(got_b, alone_b.step(new), atol=1e-5)
    a.rewind(20), alone_a.rewind(20)  # stale keys past a cache's end must not be seen
    got_a, got_b = step_together([(a, [15, 17]), (b, [19, 21])])
    np.testing.assert_allclose(got_a, alone_a.step([15, 17]), atol=1e-5)
    np.testing.assert_allclose(got_b, alone_b.step([19, 21]), atol=1e-5)


@ENGINES
def test_metrical_input_streams_exactly_across_windows_and_meters(engine):
    """A policy with the metrical input: every token fed live carries its frame's place in the bar, so
    after slides, lookahead rewinds and a meter change the state equals a fresh forward pass with the
    same ids; and the meter is heard (3/4 and 4/4 give different logits)."""
    from jamcore.music.meter import METRIC_SLOTS, metric_ids

    torch.manual_seed(7)
    model = ChordPolicy(ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, max_len=2 * 32 + 1,
                                    metric_slots=METRIC_SLOTS)).eval()
    with torch.no_grad():
        model.metric.weight[1:].normal_(0.0, 1.0)  # loud enough to matter for a random model
    stream = StreamingPolicy(model, engine=engine, beats_per_bar=3.0)
    rng = np.random.default_rng(7)
    n = 32 * 3 + 17  # ends where 3/4 and 4/4 disagree (frames 96-107 sit alike in both)
    mel = melody_tokens(n, rng)

    def meter_round_trip(t):
        if t == 50:
            stream.set_meter(4.0)
            stream.set_meter(3.0)  # re-read and back: still exact

    chords = play_with_lookahead(stream, mel, rng, imagined=2, before_frame=meter_round_trip)
    start = stream._start
    seq = torch.from_numpy(T.interleave(np.array(chords[start:]), np.array(mel[start:])))[None]
    meter = torch.from_numpy(metric_ids(seq.shape[1], start, 12))[None]
    with torch.no_grad():
        full = model(seq, meter=meter)[0].numpy()
    assert np.allclose(stream.chord_logits(), full[-1], atol=1e-4)
    stream.set_meter(4.0)  # re-primed: its window may start elsewhere
    start = stream._start
    seq = torch.from_numpy(T.interleave(np.array(chords[start:]), np.array(mel[start:])))[None]
    with torch.no_grad():
        full3 = model(seq, meter=torch.from_numpy(metric_ids(seq.shape[1], start, 12))[None])[0].numpy()
        full4 = model(seq, meter=torch.from_numpy(metric_ids(seq.shape[1], start, 16))[None])[0].numpy()
    assert np.allclose(stream.chord_logits(), full4[-1], atol=1e-4)
    assert not np.allclose(full3[-1], full4[-1], atol=1e-2)
