"""The batched sampler RL and own-chord MLE share: the policy plays chords online against forced melody
frames, grammar-constrained exactly as the live stream samples (``jamcore.tokens.CHORD_MASKS``).

The chord for frame t is sampled given melody frames before t, then the data's melody token for frame
t is forced; one cached forward call of two tokens per frame.

``on_grid`` (RL's harmonic-rhythm grid, ``jamcore.music.grid``): where it is False the chord slot may
only continue what sounds, the very mask ``StreamingPolicy.chord_mask`` applies off the grid; the PPO
log-probabilities (``allowed_chords``) use the same masked distribution.
"""
from __future__ import annotations

import torch

from jamcore import tokens as T
from jamcore.stream import CONTINUE_MASKS as _CONTINUE_MASKS

CHORD_MASKS = torch.from_numpy(T.CHORD_MASKS)
CONTINUE_MASKS = torch.from_numpy(_CONTINUE_MASKS)


def allowed_chords(chords: torch.Tensor, on_grid: torch.Tensor | None = None) -> torch.Tensor:
    """[B, T, V] mask of each chord decision given the chord before it (none at t=0): the grammar, and
    off the grid (``on_grid`` [B, T] False) only what continues the sounding chord."""
    prev = torch.full_like(chords, T.VOCAB_SIZE)
    prev[:, 1:] = chords[:, :-1]
    if on_grid is None:
        return CHORD_MASKS[prev]
    return torch.where(on_grid.unsqueeze(-1), CHORD_MASKS[prev], CONTINUE_MASKS[prev])


@torch.no_grad()
def rollout(policy, melody: torch.Tensor, temperature: float, generator: torch.Generator,
            meter: torch.Tensor | None = None, on_grid: torch.Tensor | None = None) -> torch.Tensor:
    """Chords [B, T] (torch long; PAD where the melody is PAD) played online against ``melody`` [B, T].

    ``meter``: metrical ids [B, 2T] of the online sequence's tokens (``WindowBatch.meter``), or None;
    ``on_grid``: [B, T] where a chord may change (None: everywhere)."""
    b, t = melody.shape
    cache = policy.new_cache(b, 1 + 2 * t)
    chords = torch.full((b, t), T.PAD, dtype=torch.long)
    m = (lambda i, j: None) if meter is None else (lambda i, j: meter[:, i:j])
    logits = policy.step(torch.full((b, 1), T.BOS, dtype=torch.long), cache, meter=m(0, 1))[:, -1]
    prev = torch.full((b,), T.VOCAB_SIZE, dtype=torch.long)
    for i in range(t):
        allowed = CHORD_MASKS[prev]
        if on_grid is not None:
            allowed = torch.where(on_grid[:, i:i + 1], allowed, CONTINUE_MASKS[prev])
        z = logits.masked_fill(~allowed, float("-inf")) / max(temperature, 1e-6)
        c = torch.multinomial(z.softmax(-1), 1, generator=generator).squeeze(1)
        chords[:, i] = c
        prev = c
        if i + 1 < t:
            logits = policy.step(torch.stack([c, melody[:, i]], dim=1), cache, meter=m(2 * i + 1, 2 * i + 3))[:, -1]
    chords[melody == T.PAD] = T.PAD
    return chords
