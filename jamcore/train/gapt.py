"""GAPT's adversarial part: the reward from the discriminator, its update, and its two-stage schedule.

- ``adversarial_reward`` (a reward term, so it lives in ``jamcore.rewards``): ``r_adv = -log(1 - D + eps)``,
  D = P(chords are data). Monotone in D; 0 when D is sure the chords are the policy's, large when the
  policy fools it.
- ``discriminator_step``: one gradient step on fresh rollouts (label 0) vs the data chords paired
  with the same melodies (label 1), cross-entropy with label smoothing 0.1.
- ``DiscriminatorSchedule``: during warm-up D trains every k policy steps; afterwards only while the
  running mean of r_adv over the last few steps is above a threshold, i.e. while the policy is
  fooling it. That keeps D from racing ahead and the adversarial reward informative.
- ``key_relative_chords``: the chords a discriminator that hears the key reads (``RLConfig.disc_key``; tried,
  not shipped: training/gapt_levers.md, item 18).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from jamcore import tokens as T
from jamcore.eval.baselines import estimate_key
from jamcore.rewards import adversarial_reward

__all__ = ["adversarial_reward", "ScheduleConfig", "DiscriminatorSchedule", "discriminator_step"]

@dataclass(frozen=True)
class ScheduleConfig:
    warmup_steps: int = 30  # policy steps in the warm-up stage
    every: int = 5  # warm-up: D trains every k policy steps (and on the first)
    window: int = 3  # later: running mean of r_adv over the last `window` steps ...
    # ... must exceed this for D to train (r_adv 0.5 <=> D ~ 0.39). The paper's 1.0 (D ~ 0.63) never
    # fired after warm-up at this scale (r_adv stayed 0.3-0.7), so D froze and the policy learnt to please
    # a stale judge; see docs/gapt.md.
    threshold: float = 0.5


@dataclass
class DiscriminatorSchedule:
    cfg: ScheduleConfig = ScheduleConfig()
    history: deque = field(default_factory=lambda: deque(maxlen=64))

    def record(self, mean_r_adv: float) -> None:
        """Add one policy step's mean adversarial reward."""
        self.history.append(float(mean_r_adv))

    def running_mean(self) -> float:
        recent = list(self.history)[-self.cfg.window:]
        return sum(recent) / len(recent) if recent else float("nan")

    def should_train(self, step: int) -> bool:
        """Whether D trains at policy step ``step`` (0-based), given the rewards recorded so far."""
        if step < self.cfg.warmup_steps:
            return step == 0 or step % self.cfg.every == 0
        mean = self.running_mean()
        return mean == mean and mean > self.cfg.threshold  # NaN (no history) reads as False

    def state(self) -> dict:
        return {"history": list(self.history)}

    def load(self, state: dict) -> None:
        self.history.clear()
        self.history.extend(state.get("history", []))


def discriminator_step(disc, opt, policy_chords: torch.Tensor, data_chords: torch.Tensor,
                       label_smoothing: float = 0.1, grad_clip: float = 1.0, sync=None,
                       meter: torch.Tensor | None = None) -> dict[str, float]:
    """One update of D on a batch of policy chords (0) and data chords (1). Returns loss and accuracy.

    ``meter`` [B, T] (a discriminator that hears the bar): the frames' bar positions, the same for both
    halves, as the policy's chords and the data's are for the same melody windows."""
    disc.train()
    x = torch.cat([policy_chords, data_chords], dim=0)
    y = torch.cat([torch.zeros(len(policy_chords), dtype=torch.long),
                   torch.ones(len(data_chords), dtype=torch.long)])
    logits = disc(x) if meter is None else disc(x, torch.cat([meter, meter], dim=0))
    loss = F.cross_entropy(logits, y, label_smoothing=label_smoothing)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if sync is not None:
        sync(disc)
    torch.nn.utils.clip_grad_norm_(disc.parameters(), grad_clip)
    opt.step()
    disc.eval()
    with torch.no_grad():
        acc = float((logits.argmax(-1) == y).float().mean())
    return {"d_loss": float(loss.detach()), "d_accuracy": acc}


def key_relative_chords(melody, chords) -> np.ndarray:
    """Chord tokens [B, T] transposed so that each row's key, estimated from its melody
    (``jamcore.eval.baselines.estimate_key``), has its tonic on C: the same progression in any key becomes the same tokens (a
    vi is an Am in C major, an i a Cm). What a discriminator that hears the key reads (``RLConfig.disc_key``)."""
    m, c = np.asarray(melody, dtype=np.int64), np.asarray(chords, dtype=np.int64)
    if m.shape != c.shape or m.ndim != 2:
        raise ValueError(f"melody and chords must be [B, T] of one shape, got {m.shape} and {c.shape}")
    out = np.empty_like(c)
    for i, row in enumerate(m):
        tonic, _ = estimate_key(row)
        out[i] = T.transpose_tokens(c[i], -tonic)
    return out
