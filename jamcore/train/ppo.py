"""PPO: the maths as pure functions (GAE, group advantages, clipped policy loss, value loss,
full-vocabulary KL, entropy, explained variance), checked by hand in the tests; then the two steps of
the RL loop built from them: ``advantages`` (both estimators side by side) and ``ppo_update`` (one
epoch of clipped PPO over minibatches), over the policy's log-prob tables (``policy_tables``).

Shapes: ``[B, T]`` over the T chord positions of B episodes, with a ``mask`` [B, T] (True = a real
chord decision; padding after a short melody is False).
"""
from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F

from jamcore import tokens as T
from jamcore.train.rollout import allowed_chords


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


# ---------------------------------------------------------------------------------------------
# The policy's distribution over chord decisions (the constrained sampler's)


def policy_tables(policy, melody: torch.Tensor, chords: torch.Tensor, with_value: bool,
                  meter: torch.Tensor | None = None, on_grid: torch.Tensor | None = None):
    """(log-prob tables [B, T, V] of every chord decision, V(s_t) [B, T] or None, grammar masks [B, T, V]).

    ``meter``, ``on_grid``: as in ``jamcore.train.rollout.rollout`` (the grid masks the tables too)."""
    seq = torch.from_numpy(T.interleave(chords.numpy(), melody.numpy()))
    out = policy(seq[:, :-1], with_value=with_value, meter=meter)
    logits, values = (out if with_value else (out, None))
    chord_logits = logits[:, 0::2]  # BOS and every melody position predict the next chord
    allowed = allowed_chords(torch.where(chords == T.PAD, torch.full_like(chords, T.NO_CHORD), chords), on_grid)
    logp = masked_log_softmax(chord_logits, allowed)
    return logp, (values[:, 0::2] if values is not None else None), allowed


# ---------------------------------------------------------------------------------------------
# Advantages: group-relative (the shipped runs) or GAE with the value head (the paper's PPO)


def advantages(episode: torch.Tensor, local: torch.Tensor | None, dense: torch.Tensor | None,
               kl_penalty: torch.Tensor, values: torch.Tensor, mask: torch.Tensor, group: int,
               std_norm: bool = False, gamma: float = 1.0, lam: float = 0.95) -> tuple[torch.Tensor, torch.Tensor]:
    """(advantages [B, T], returns [B, T]) from the rewards of ``jamcore.rewards.Reward``.

    ``group > 1``: each decision's return is its episode reward plus its own credit (``local`` windowed
    coherence + ``dense`` harmony), centred per frame across the plays of its melody; the KL enters the
    loss instead (``ppo_update``) and returns are unused (zeros). ``group == 1``: per-decision rewards
    (the KL penalty, the episode reward on the last decision, the local credit spread over the episode
    and the dense credit) through GAE, whitened.
    """
    if group > 1:
        credit = [x for x in (local, dense) if x is not None]
        adv = group_advantages(episode, sum(credit) if credit else None, mask, group, std_norm)
        return adv, torch.zeros_like(adv)
    step_rewards = kl_penalty * mask
    last_idx = mask.long().sum(1).clamp(min=1) - 1
    step_rewards[torch.arange(len(last_idx)), last_idx] += episode
    if local is not None:
        step_rewards = step_rewards + local / mask.sum(1, keepdim=True).clamp(min=1)
    if dense is not None:
        step_rewards = step_rewards + dense * mask
    adv, returns = gae(step_rewards, values, mask, gamma, lam)
    return normalize(adv, mask), returns


# ---------------------------------------------------------------------------------------------
# One PPO update


def ppo_update(policy, opt, melody: torch.Tensor, chords: torch.Tensor, meter: torch.Tensor | None,
               old_logp: torch.Tensor, adv: torch.Tensor, returns: torch.Tensor, mask: torch.Tensor,
               references: dict[str, tuple[float, torch.Tensor]], order: torch.Tensor, cfg,
               sync: Callable | None = None, on_grid: torch.Tensor | None = None) -> dict[str, float]:
    """``cfg.epochs`` passes of clipped PPO over the minibatches of ``order`` (a permutation of the
    episodes); returns the mean diagnostics (approx_kl, clipfrac, pg_loss, v_loss, entropy).

    Group advantages (``cfg.group_size > 1``): loss = policy loss - entropy bonus + each reference's
    ``coef * KL(pi || ref)`` (``references``: name -> (coef, log-prob table [B, T, V])). GAE: policy
    loss + value loss - entropy bonus (the KL is already in the rewards). ``sync`` averages gradients
    across ranks; ``on_grid`` [B, T] is the episodes' grid (the log-probs are the masked distribution's)."""
    policy.train()
    group = cfg.group_size > 1
    # Padding frames (short songs) take NO_CHORD, an always-allowed token: a PAD there would give
    # log-probabilities of -inf and NaN ratios.
    acted = torch.where(mask, chords, torch.full_like(chords, T.NO_CHORD))
    stats = {"approx_kl": 0.0, "clipfrac": 0.0, "pg_loss": 0.0, "v_loss": 0.0, "entropy": 0.0}
    n_updates = 0
    for _ in range(cfg.epochs):
        for mb in order.chunk(cfg.minibatches):
            logp_all, values, _ = policy_tables(policy, melody[mb], chords[mb], with_value=True,
                                                meter=None if meter is None else meter[mb],
                                                on_grid=None if on_grid is None else on_grid[mb])
            logp = logp_all.gather(-1, acted[mb].unsqueeze(-1)).squeeze(-1)
            pg, diag = policy_loss(logp, old_logp[mb], adv[mb], mask[mb], cfg.clip)
            ent = masked_mean(entropy(logp_all), mask[mb])
            if group:
                vl = torch.zeros(())
                loss = pg - cfg.ent_coef * ent
                for coef, ref in references.values():
                    loss = loss + coef * masked_mean(full_kl(logp_all, ref[mb]), mask[mb])
            else:
                vl = value_loss(values, returns[mb], mask[mb])
                loss = pg + cfg.vf_coef * vl - cfg.ent_coef * ent
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if sync is not None:
                sync(policy)
            torch.nn.utils.clip_grad_norm_(policy.parameters(), cfg.grad_clip)
            opt.step()
            for k, v in (("approx_kl", diag["approx_kl"]), ("clipfrac", diag["clipfrac"]), ("pg_loss", pg),
                         ("v_loss", vl), ("entropy", ent)):
                stats[k] += float(v.detach())
            n_updates += 1
    return {k: v / max(n_updates, 1) for k, v in stats.items()}
