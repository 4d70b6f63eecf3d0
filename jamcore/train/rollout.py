"""The batched sampler RL and own-chord MLE share: the policy plays chords online against forced melody
frames, grammar-constrained exactly as the live stream samples (``jamcore.tokens.CHORD_MASKS``).

The chord for frame t is sampled given melody frames before t, then the data's melody token for frame
t is forced; one cached forward call of two tokens per frame.
"""
from __future__ import annotations

import torch

from jamcore import tokens as T

CHORD_MASKS = torch.from_numpy(T.CHORD_MASKS)


def allowed_chords(chords: torch.Tensor) -> torch.Tensor:
    """[B, T, V] grammar mask of each chord decision given the chord before it (none at t=0)."""
    prev = torch.full_like(chords, T.VOCAB_SIZE)
    prev[:, 1:] = chords[:, :-1]
    return CHORD_MASKS[prev]


@torch.no_grad()
def rollout(policy, melody: torch.Tensor, temperature: float, generator: torch.Generator,
            meter: torch.Tensor | None = None) -> torch.Tensor:
    """Chords [B, T] (torch long; PAD where the melody is PAD) played online against ``melody`` [B, T].

    ``meter``: metrical ids [B, 2T] of the online sequence's tokens (``WindowBatch.meter``), or None."""
    b, t = melody.shape
    cache = policy.new_cache(b, 1 + 2 * t)
    chords = torch.full((b, t), T.PAD, dtype=torch.long)
    m = (lambda i, j: None) if meter is None else (lambda i, j: meter[:, i:j])
    logits = policy.step(torch.full((b, 1), T.BOS, dtype=torch.long), cache, meter=m(0, 1))[:, -1]
    prev = torch.full((b,), T.VOCAB_SIZE, dtype=torch.long)
    for i in range(t):
        z = logits.masked_fill(~CHORD_MASKS[prev], float("-inf")) / max(temperature, 1e-6)
        c = torch.multinomial(z.softmax(-1), 1, generator=generator).squeeze(1)
        chords[:, i] = c
        prev = c
        if i + 1 < t:
            logits = policy.step(torch.stack([c, melody[:, i]], dim=1), cache, meter=m(2 * i + 1, 2 * i + 3))[:, -1]
    chords[melody == T.PAD] = T.PAD
    return chords
