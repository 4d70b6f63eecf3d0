"""GAPT: the adversarial reward and the two-stage discriminator schedule."""
import torch

from jamcore.train.gapt import DiscriminatorSchedule, ScheduleConfig, adversarial_reward


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
