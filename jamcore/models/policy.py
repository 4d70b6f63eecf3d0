"""The online chord policy: a causal decoder over ``BOS, c0, m0, c1, m1, ...`` with a value head.

``forward(ids)`` trains on whole windows; ``step(ids, cache)`` streams, appending new tokens to a KV
cache, and returns the same logits the full forward pass would (tested to 1e-4).
The value head (used by PPO) reads the same trunk: V at the token before each chord slot.
"""
from __future__ import annotations

import torch
from torch import nn

from jamcore.config import ModelConfig
from jamcore.models.transformer import Block, KVCache, RMSNorm, Rotary, init_weights
from jamcore.tokens import VOCAB_SIZE


class ChordPolicy(nn.Module):
    kind = "policy"

    def __init__(self, cfg: ModelConfig, vocab_size: int = VOCAB_SIZE):
        super().__init__()
        self.cfg = cfg
        self.vocab_size = vocab_size
        self.embed = nn.Embedding(vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = RMSNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, vocab_size, bias=False)
        self.value_head = nn.Linear(cfg.d_model, 1)
        self.rotary = Rotary(cfg.d_model // cfg.n_heads, cfg.max_len)
        init_weights(self)
        nn.init.zeros_(self.value_head.weight)
        nn.init.zeros_(self.value_head.bias)

    def trunk(self, ids: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
        x = self.embed(ids)
        for i, block in enumerate(self.blocks):
            x = block(x, self.rotary, True, cache=cache, layer=i)
        if cache is not None:
            cache.length += ids.shape[1]
        return self.norm(x)

    def forward(self, ids: torch.Tensor, with_value: bool = False):
        """Logits [B, T, V] for every next token (and values [B, T] when asked)."""
        h = self.trunk(ids)
        logits = self.head(h)
        if with_value:
            return logits, self.value_head(h).squeeze(-1)
        return logits

    def new_cache(self, batch: int = 1, max_len: int | None = None) -> KVCache:
        p = next(self.parameters())
        return KVCache(self.cfg.n_layers, batch, self.cfg.n_heads, max_len or self.cfg.max_len,
                       self.cfg.d_model // self.cfg.n_heads, dtype=p.dtype, device=p.device)

    @torch.no_grad()
    def step(self, ids: torch.Tensor, cache: KVCache, with_value: bool = False):
        """Append ``ids`` [B, n] to ``cache`` and return logits [B, n, V] (and values [B, n])."""
        h = self.trunk(ids, cache)
        logits = self.head(h)
        if with_value:
            return logits, self.value_head(h).squeeze(-1)
        return logits
