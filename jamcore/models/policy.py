"""The online chord policy: a causal decoder over ``BOS, c0, m0, c1, m1, ...`` with a value head.

``forward(ids)`` trains on whole windows; ``step(ids, cache)`` streams, appending new tokens to a KV
cache, and returns the same logits the full forward pass would (tested to 1e-4).
With ``cfg.metric_slots`` each token also gets a metrical-position embedding (``meter``: ids of the same
shape as ``ids``, see ``jamcore.music.meter``; row 0, unknown, is a zero vector).
The value head (used by PPO) reads the same trunk: V at the token before each chord slot.
"""
from __future__ import annotations

import numpy as np
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
        self.metric = nn.Embedding(cfg.metric_slots, cfg.d_model, padding_idx=0) if cfg.metric_slots else None
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = RMSNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, vocab_size, bias=False)
        self.value_head = nn.Linear(cfg.d_model, 1)
        self.rotary = Rotary(cfg.d_model // cfg.n_heads, cfg.max_len)
        init_weights(self)
        if self.metric is not None:
            with torch.no_grad():
                self.metric.weight[0].zero_()
        nn.init.zeros_(self.value_head.weight)
        nn.init.zeros_(self.value_head.bias)

    def trunk(self, ids: torch.Tensor, cache: KVCache | None = None, meter: torch.Tensor | None = None) -> torch.Tensor:
        x = self.embed(ids)
        if self.metric is not None and meter is not None:
            x = x + self.metric(meter)
        for i, block in enumerate(self.blocks):
            x = block(x, self.rotary, True, cache=cache, layer=i)
        if cache is not None:
            cache.length += ids.shape[1]
        return self.norm(x)

    def forward(self, ids: torch.Tensor, with_value: bool = False, meter: torch.Tensor | None = None):
        """Logits [B, T, V] for every next token (and values [B, T] when asked)."""
        h = self.trunk(ids, meter=meter)
        logits = self.head(h)
        if with_value:
            return logits, self.value_head(h).squeeze(-1)
        return logits

    def engine(self, max_len: int | None = None) -> "TorchEngine":
        """This network behind the streaming engine interface (``jamcore.stream``'s torch engine)."""
        return TorchEngine(self, max_len or self.cfg.max_len)

    def new_cache(self, batch: int = 1, max_len: int | None = None) -> KVCache:
        p = next(self.parameters())
        return KVCache(self.cfg.n_layers, batch, self.cfg.n_heads, max_len or self.cfg.max_len,
                       self.cfg.d_model // self.cfg.n_heads, dtype=p.dtype, device=p.device)

    @torch.no_grad()
    def step(self, ids: torch.Tensor, cache: KVCache, with_value: bool = False, meter: torch.Tensor | None = None):
        """Append ``ids`` [B, n] to ``cache`` and return logits [B, n, V] (and values [B, n])."""
        h = self.trunk(ids, cache, meter)
        logits = self.head(h)
        if with_value:
            return logits, self.value_head(h).squeeze(-1)
        return logits


class TorchEngine:
    """One KV cache of a ``ChordPolicy`` with the NumPy engine's interface (step / rewind / length)."""

    def __init__(self, model: ChordPolicy, max_len: int):
        self.model = model
        self.cache = model.new_cache(1, max_len)

    @property
    def length(self) -> int:
        return self.cache.length

    def rewind(self, length: int) -> None:
        self.cache.rewind(length)

    def step(self, ids, all_logits: bool = False, meter=None) -> np.ndarray:
        with torch.inference_mode():
            m = None if meter is None else torch.as_tensor(np.asarray(meter, dtype=np.int64))[None]
            out = self.model.step(torch.as_tensor(np.asarray(ids, dtype=np.int64))[None], self.cache, meter=m)[0]
        out = out.float().numpy()
        return out if all_logits else out[-1]
