"""The RL reward: named terms, their weights, the sum, and a per-term report.

Sequence-level terms are placed on the episode's last chord decision (as in the reference system):
- ``contrastive``, ``discriminative``: means of the reward-model ensembles (melody-chord coherence);
- ``invalid``, ``silence``, ``repetition``: rule penalties, the very definitions the evaluation uses
  (``jamcore.eval.metrics``), so reward and report cannot drift apart;
- ``adversarial`` (GAPT only): ``lambda * -log(1 - D(chords))``, added by the RL loop.
Holding one chord for a long time is deliberately *not* penalised (the long-note weight is 0, as in the
reference): that is the collapse mode RL finds and GAPT has to fix.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from jamcore.eval import metrics as M


@dataclass(frozen=True)
class RewardWeights:
    contrastive: float = 1.0
    discriminative: float = 1.0
    invalid: float = 1.0
    silence: float = 1.0
    repetition: float = 1.0


def rule_penalties(melody: np.ndarray, chords: np.ndarray) -> dict[str, np.ndarray]:
    """Per-episode rule penalties [B] (<= 0) for per-frame token arrays [B, T] (PAD frames ignored)."""
    out = {"invalid": [], "silence": [], "repetition": []}
    for m, c in zip(melody, chords):
        real = m != 0
        m, c = m[real], c[real]
        out["invalid"].append(M.invalid_penalty(m, c))
        out["silence"].append(M.silence_penalty(m, c))
        out["repetition"].append(M.repetition_penalty(c))
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()}


class RewardSet:
    """Coherence ensembles + rule penalties, each term reported on its own."""

    def __init__(self, contrastive=None, discriminative=None, weights: RewardWeights = RewardWeights()):
        self.contrastive = contrastive
        self.discriminative = discriminative
        self.weights = weights

    @torch.no_grad()
    def __call__(self, melody: np.ndarray, chords: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Total sequence reward [B] and each weighted term [B]."""
        terms: dict[str, np.ndarray] = {}
        mel_t = torch.from_numpy(np.asarray(melody, dtype=np.int64))
        ch_t = torch.from_numpy(np.asarray(chords, dtype=np.int64))
        if self.contrastive is not None and self.weights.contrastive:
            terms["contrastive"] = self.weights.contrastive * self.contrastive.score(mel_t, ch_t).float().numpy()
        if self.discriminative is not None and self.weights.discriminative:
            terms["discriminative"] = self.weights.discriminative * self.discriminative.score(mel_t, ch_t).float().numpy()
        for name, value in rule_penalties(np.asarray(melody), np.asarray(chords)).items():
            w = getattr(self.weights, name)
            if w:
                terms[name] = w * value
        total = np.zeros(len(melody), dtype=np.float32)
        for v in terms.values():
            total += v
        return total, terms
