"""PPO maths as pure functions: GAE, clipped policy loss, value loss, full-vocabulary KL, entropy,
explained variance. Tensors in, tensors out; no model, no data, so each piece is checked by hand in
the tests.

Shapes: ``[B, T]`` over the T chord positions of B episodes, with a ``mask`` [B, T] (True = a real
chord decision; padding after a short melody is False).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over the real positions. ``where``, not a product: padding may hold inf or NaN."""
    mask = mask.bool()
    return torch.where(mask, x, torch.zeros_like(x)).sum() / mask.sum().clamp(min=1).to(x.dtype)


def gae(rewards: torch.Tensor, values: torch.Tensor, mask: torch.Tensor, gamma: float = 1.0,
        lam: float = 0.95) -> tuple[torch.Tensor, torch.Tensor]:
    """Generalised advantage estimation over chord positions; returns (advantages, returns).

    The episode ends after its last real position: the value beyond it is 0.
    """
    b, t = rewards.shape
    m = mask.to(rewards.dtype)
    adv = torch.zeros_like(rewards)
    last = torch.zeros(b, dtype=rewards.dtype, device=rewards.device)
    for i in reversed(range(t)):
        next_value = values[:, i + 1] * m[:, i + 1] if i + 1 < t else torch.zeros_like(last)
        delta = rewards[:, i] + gamma * next_value - values[:, i]
        last = delta + gamma * lam * last * (m[:, i + 1] if i + 1 < t else 0.0)
        adv[:, i] = last * m[:, i]
    return adv, (adv + values) * m


def group_advantages(episode_reward: torch.Tensor, per_decision: torch.Tensor | None, mask: torch.Tensor,
                     group: int, std_norm: bool = False) -> torch.Tensor:
    """Group-relative advantages [B, T] (Dr.GRPO; GRPO with ``std_norm``).

    Rows come in groups of ``group`` consecutive plays of one melody. A decision's return is its
    episode's reward [B] plus its own ``per_decision`` credit [B, T] (or None); it is centred against
    the same frame of the other plays of its melody, so the melody's own difficulty cancels and a
    decision is judged against what the other plays did at that moment.
    """
    b, t = mask.shape
    r = episode_reward.view(-1, 1).expand(-1, t)
    if per_decision is not None:
        r = r + per_decision
    r = r.reshape(-1, group, t)
    centred = r - r.mean(1, keepdim=True)
    if std_norm:
        centred = centred / (r.std(1, keepdim=True) + 1e-3)
    return centred.reshape(b, t) * mask


def normalize(adv: torch.Tensor, mask: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """Whiten advantages over the real positions of the batch."""
    mean = masked_mean(adv, mask)
    var = masked_mean((adv - mean) ** 2, mask)
    return (adv - mean) / (var.sqrt() + eps) * mask.to(adv.dtype)


def policy_loss(logp: torch.Tensor, old_logp: torch.Tensor, adv: torch.Tensor, mask: torch.Tensor,
                clip: float = 0.2) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Clipped surrogate loss (to minimise) and its diagnostics: approx_kl, clipfrac."""
    # Padding is zeroed before exp: a NaN there would poison the gradient even under a mask.
    log_ratio = torch.where(mask.bool(), logp - torch.where(mask.bool(), old_logp, logp.detach()),
                            torch.zeros_like(logp))
    ratio = log_ratio.exp()
    unclipped = -adv * ratio
    clipped = -adv * ratio.clamp(1.0 - clip, 1.0 + clip)
    loss = masked_mean(torch.maximum(unclipped, clipped), mask)
    with torch.no_grad():
        # The low-variance estimator of KL(old || new): E[(r - 1) - log r].
        approx_kl = masked_mean((ratio - 1.0) - log_ratio, mask)
        clipfrac = masked_mean(((ratio - 1.0).abs() > clip).to(logp.dtype), mask)
    return loss, {"approx_kl": approx_kl, "clipfrac": clipfrac}


def value_loss(values: torch.Tensor, returns: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return 0.5 * masked_mean((values - returns) ** 2, mask)


def masked_log_softmax(logits: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
    """log-probabilities over the allowed tokens only (the constrained sampler's distribution)."""
    return F.log_softmax(logits.masked_fill(~allowed, float("-inf")), dim=-1)


def entropy(logp: torch.Tensor) -> torch.Tensor:
    """Entropy per position of a (masked) log-probability table [..., V]."""
    p = logp.exp()
    return -(p * torch.where(p > 0, logp, torch.zeros_like(logp))).sum(-1)


def full_kl(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """KL(pi || ref) per position over the whole vocabulary: sum_v pi(v) (log pi(v) - log ref(v))."""
    p = logp.exp()
    diff = torch.where(p > 0, logp - ref_logp, torch.zeros_like(logp))
    return (p * diff).sum(-1)


def explained_variance(values: torch.Tensor, returns: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """1 - Var[returns - values] / Var[returns] over real positions (1 is perfect, <= 0 useless)."""
    var_r = masked_mean((returns - masked_mean(returns, mask)) ** 2, mask)
    res = returns - values
    var_res = masked_mean((res - masked_mean(res, mask)) ** 2, mask)
    return 1.0 - var_res / var_r.clamp(min=1e-8)
