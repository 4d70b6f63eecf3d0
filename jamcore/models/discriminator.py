"""The GAPT discriminator: an encoder over the policy's chord stream only (no melody).

It reads ``[BOS, c0 .. c{T-1}]`` (PAD after the end), and a 2-way head at BOS says "data" (1) or
"policy" (0). Seeing chords alone is deliberate: a melody-conditioned judge memorises pairs and
rewards diversity less (GAPT Table 9).

With ``cfg.metric_slots`` (GAPT's ``disc_meter``) it also hears where the bar is: each chord frame gets
the embedding of its place in the bar (``meter``: per-frame ids [B, T] as the anchor reads them,
``jamcore.music.meter``; row 0, unknown, is zero; BOS gets none), so a chord struck a 16th after the
beat is not the same input as one struck on it.
"""
from __future__ import annotations

import torch
from torch import nn

from jamcore.config import ModelConfig
from jamcore.models.transformer import Encoder, init_weights
from jamcore.tokens import BOS, PAD, VOCAB_SIZE


class ChordDiscriminator(nn.Module):
    kind = "discriminator"

    def __init__(self, cfg: ModelConfig, vocab_size: int = VOCAB_SIZE):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg, vocab_size, n_layers=cfg.n_layers, causal=False)
        self.head = nn.Linear(cfg.d_model, 2)
        self.metric = nn.Embedding(cfg.metric_slots, cfg.d_model, padding_idx=0) if cfg.metric_slots else None
        init_weights(self)
        if self.metric is not None:
            with torch.no_grad():
                self.metric.weight[0].zero_()

    def forward(self, chords: torch.Tensor, meter: torch.Tensor | None = None) -> torch.Tensor:
        """Logits [B, 2] (index 1 = data) for per-frame chord tokens [B, T] (and their bar positions
        ``meter`` [B, T], read when the discriminator has a metrical embedding)."""
        if self.metric is not None and meter is None:
            raise ValueError("this discriminator hears the bar: give it each frame's metrical id (meter)")
        bos = torch.full((chords.shape[0], 1), BOS, dtype=chords.dtype, device=chords.device)
        ids = torch.cat([bos, chords], dim=1)
        extra = None
        if self.metric is not None:
            pos = self.metric(meter)
            extra = torch.cat([torch.zeros_like(pos[:, :1]), pos], dim=1)
        h = self.encoder(ids, ids != PAD, extra)
        return self.head(h[:, 0])

    def prob_data(self, chords: torch.Tensor, meter: torch.Tensor | None = None) -> torch.Tensor:
        return self.forward(chords, meter).softmax(-1)[:, 1]
