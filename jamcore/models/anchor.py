"""The offline anchor: an encoder-decoder that sees the whole melody and emits chord frames.

Encoder input ``[BOS, m0 .. m{T-1}]`` (bidirectional); decoder input ``[BOS, c0 .. c{T-2}]`` (causal,
cross-attending to the melody) predicts ``c0 .. c{T-1}``. In RL it is the KL anchor: it knows the
future melody, which is how the live policy learns to anticipate. With ``cfg.metric_slots`` it also hears
each frame's place in its bar (``meter``: per-frame ids [B, T], ``jamcore.music.meter``), added to melody
frame t in the encoder and to the decoder position that predicts chord t, as the policy does.
"""
from __future__ import annotations

import torch
from torch import nn

from jamcore.config import ModelConfig
from jamcore.models.transformer import Block, Encoder, RMSNorm, Rotary, init_weights
from jamcore.tokens import BOS, PAD, VOCAB_SIZE


class OfflineAnchor(nn.Module):
    kind = "anchor"

    def __init__(self, cfg: ModelConfig, vocab_size: int = VOCAB_SIZE):
        super().__init__()
        self.cfg = cfg
        self.vocab_size = vocab_size
        self.encoder = Encoder(cfg, vocab_size, n_layers=cfg.n_encoder_layers, causal=False)
        self.embed = nn.Embedding(vocab_size, cfg.d_model)
        self.metric = nn.Embedding(cfg.metric_slots, cfg.d_model, padding_idx=0) if cfg.metric_slots else None
        self.blocks = nn.ModuleList(Block(cfg, cross=True) for _ in range(cfg.n_layers))
        self.norm = RMSNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, vocab_size, bias=False)
        self.rotary = Rotary(cfg.d_model // cfg.n_heads, cfg.max_len)
        init_weights(self)
        if self.metric is not None:
            with torch.no_grad():
                self.metric.weight[0].zero_()

    def forward(self, melody: torch.Tensor, chords: torch.Tensor, meter: torch.Tensor | None = None) -> torch.Tensor:
        """Logits [B, T, V] for chord frame t given the whole melody and chords before t.

        ``melody`` and ``chords`` are per-frame tokens [B, T] (PAD after the end).
        """
        b = melody.shape[0]
        bos = torch.full((b, 1), BOS, dtype=melody.dtype, device=melody.device)
        enc_in = torch.cat([bos, melody], dim=1)
        enc_mask = enc_in != PAD
        frame_pos = self.metric(meter) if self.metric is not None and meter is not None else None  # [B, T, d]
        extra = None if frame_pos is None else torch.cat([torch.zeros_like(frame_pos[:, :1]), frame_pos], 1)
        memory = self.encoder(enc_in, enc_mask, extra)  # BOS gets no bar position
        dec_in = torch.cat([bos, chords[:, :-1]], dim=1)
        x = self.embed(dec_in)
        if frame_pos is not None:
            x = x + frame_pos
        for block in self.blocks:
            x = block(x, self.rotary, True, memory=memory, memory_mask=enc_mask)
        return self.head(self.norm(x))
