"""GAPT: the adversarial reward and the two-stage discriminator schedule."""
import numpy as np
import torch

from jamcore import tokens as T
from jamcore.config import ModelConfig
from jamcore.models.discriminator import ChordDiscriminator
from jamcore.music.chords import Chord
from jamcore.music.meter import METRIC_SLOTS
from jamcore.train.gapt import DiscriminatorSchedule, ScheduleConfig, adversarial_reward, discriminator_step


def test_adversarial_reward_is_monotone_in_d():
    d = torch.linspace(0.0, 0.999, 200)
    r = adversarial_reward(d)
    assert (r[1:] > r[:-1]).all()
    assert abs(float(adversarial_reward(torch.tensor(0.0)))) < 1e-5
    # The paper's reference point: r = 1 at D = 1 - 1/e.
    assert abs(float(adversarial_reward(torch.tensor(1 - 1 / 2.718281828))) - 1.0) < 1e-3


def test_schedule_trains_every_k_in_warmup_then_only_above_threshold():
    s = DiscriminatorSchedule(ScheduleConfig(warmup_steps=10, every=5, window=3, threshold=1.0))
    trained = []
    # Warm-up: the rewards do not matter (even very high ones).
    for step in range(10):
        trained.append(s.should_train(step))
        s.record(5.0 if step % 2 else 0.0)
    assert [i for i, t in enumerate(trained) if t] == [0, 5]
    # After warm-up: driven by the running mean of the last 3 recorded rewards.
    for r in (0.2, 0.3, 0.4):
        s.record(r)
    assert not s.should_train(10)  # the policy is not fooling D: freeze it
    for r in (1.5, 1.5, 1.5):
        s.record(r)
    assert s.should_train(11)  # it is: D trains
    s.record(0.0)
    assert not s.should_train(12)  # mean of (1.5, 1.5, 0.0) = 1.0 is not *above* the threshold
    s.record(0.0)
    s.record(0.0)
    assert not s.should_train(13)
    assert DiscriminatorSchedule(ScheduleConfig(warmup_steps=0)).should_train(0) is False  # no history yet



def _bar_streams(firsts: np.ndarray, rng: np.random.Generator, late: int):
    """Chord streams of 32 frames starting at song frames ``firsts`` of 4/4 bars, a new chord every beat,
    struck ``late`` frames after it; with each frame's metrical id (1 + place in the bar)."""
    chords, meter = [], []
    for first in firsts:
        pos = int(first) + np.arange(32)
        roots = rng.integers(12, size=32)
        row, cur = [], 0
        for t in range(32):
            if t == 0 or (pos[t] - late) % 4 == 0:
                cur = int(roots[t])
                row.append(T.chord_on(Chord(cur, "maj")))
            else:
                row.append(T.chord_hold(Chord(cur, "maj")))
        chords.append(row)
        meter.append(1 + pos % 16)
    return torch.tensor(chords), torch.tensor(np.stack(meter))


def test_a_discriminator_that_hears_the_bar_tells_chords_on_the_beat_from_chasing_ones():
    """Chords on the beat (data) vs chords a 16th late (policy), windows at random places in the bar:
    the paper's chord-only D cannot tell them apart (both change chord every 4 frames); the D with the
    metrical embedding (``disc_meter``) learns to."""
    accuracy = {}
    for hears_bar in (False, True):
        rng = np.random.default_rng(0)
        torch.manual_seed(0)
        cfg = ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=33,
                          metric_slots=METRIC_SLOTS if hears_bar else 0)
        disc = ChordDiscriminator(cfg)
        opt = torch.optim.AdamW(disc.parameters(), lr=3e-3)
        for _ in range(60):
            firsts = rng.integers(16, size=16)
            (data, meter), (late, _) = _bar_streams(firsts, rng, 0), _bar_streams(firsts, rng, 1)
            discriminator_step(disc, opt, late, data, 0.0, meter=meter if hears_bar else None)
        firsts = rng.integers(16, size=64)
        (data, meter), (late, _) = _bar_streams(firsts, rng, 0), _bar_streams(firsts, rng, 1)
        heard = (lambda c: (c, meter)) if hears_bar else (lambda c: (c,))
        with torch.no_grad():
            p_data, p_late = disc.prob_data(*heard(data)), disc.prob_data(*heard(late))
        accuracy[hears_bar] = float(torch.cat([p_data > 0.5, p_late <= 0.5]).float().mean())
    assert accuracy[True] >= 0.9, accuracy
    assert accuracy[False] <= 0.7, accuracy
