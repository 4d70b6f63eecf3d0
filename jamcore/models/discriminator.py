"""The GAPT discriminator: an encoder over the policy's chord stream only (no melody).

It reads ``[BOS, c0 .. c{T-1}]`` (PAD after the end), and a 2-way head at BOS says "data" (1) or
"policy" (0). Seeing chords alone is deliberate: a melody-conditioned judge memorises pairs and
rewards diversity less (GAPT Table 9).
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
        init_weights(self)

    def forward(self, chords: torch.Tensor) -> torch.Tensor:
        """Logits [B, 2] (index 1 = data) for per-frame chord tokens [B, T]."""
        bos = torch.full((chords.shape[0], 1), BOS, dtype=chords.dtype, device=chords.device)
        ids = torch.cat([bos, chords], dim=1)
        h = self.encoder(ids, ids != PAD)
        return self.head(h[:, 0])

    def prob_data(self, chords: torch.Tensor) -> torch.Tensor:
        return self.forward(chords).softmax(-1)[:, 1]
