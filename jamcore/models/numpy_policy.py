"""A NumPy mirror of ``ChordPolicy`` for the real-time path: the same maths, one session, no autograd.

At this model size a streaming step is a few dozen tiny matrix products; PyTorch's per-operator
dispatch costs more than the arithmetic. This engine holds the weights as float32 arrays, keeps its
own preallocated KV cache with a length pointer, and returns logits that equal the PyTorch model's
to 1e-4 (tested). It is built once, off the real-time path, from a loaded model.
"""
from __future__ import annotations

import numpy as np


class NumpyPolicy:
    def __init__(self, model, max_len: int | None = None):
        cfg = model.cfg
        sd = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}
        self.d = cfg.d_model
        self.h = cfg.n_heads
        self.hd = cfg.d_model // cfg.n_heads
        self.n_layers = cfg.n_layers
        self.max_len = max_len or cfg.max_len
        self.embed = sd["embed.weight"]
        self.layers = []
        for i in range(cfg.n_layers):
            p = f"blocks.{i}."
            self.layers.append({
                "n1": sd[p + "norm1.weight"], "qkv": np.ascontiguousarray(sd[p + "attn.qkv.weight"].T),
                "out": np.ascontiguousarray(sd[p + "attn.out.weight"].T), "n2": sd[p + "norm2.weight"],
                "gu": np.ascontiguousarray(sd[p + "ff.gate_up.weight"].T),
                "down": np.ascontiguousarray(sd[p + "ff.down.weight"].T),
            })
        self.norm = sd["norm.weight"]
        self.head = np.ascontiguousarray(sd["head.weight"].T)
        inv = 1.0 / (10000.0 ** (np.arange(0, self.hd, 2, dtype=np.float64) / self.hd))
        freqs = np.outer(np.arange(self.max_len, dtype=np.float64), inv)
        self.cos = np.cos(freqs).astype(np.float32)
        self.sin = np.sin(freqs).astype(np.float32)
        self.k = np.zeros((self.n_layers, self.h, self.max_len, self.hd), dtype=np.float32)
        self.v = np.zeros_like(self.k)
        self.length = 0
        self.scale = np.float32(1.0 / np.sqrt(self.hd))

    def rewind(self, length: int) -> None:
        if not 0 <= length <= self.length:
            raise ValueError(f"cannot rewind a cache of length {self.length} to {length}")
        self.length = length

    @staticmethod
    def _rms(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        return x * (1.0 / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-6)) * w

    def _rope(self, x: np.ndarray, start: int) -> np.ndarray:
        # x [H, n, hd]; pairs (even, odd) rotate together, as in the PyTorch Rotary.
        n = x.shape[1]
        cos = self.cos[start:start + n]
        sin = self.sin[start:start + n]
        x1, x2 = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = x1 * cos - x2 * sin
        out[..., 1::2] = x1 * sin + x2 * cos
        return out

    def step(self, ids, all_logits: bool = False) -> np.ndarray:
        """Append token ids (1-D) to the cache; logits of the last token [V] (or of every token [n, V])."""
        ids = np.asarray(ids, dtype=np.int64)
        n = len(ids)
        start = self.length
        end = start + n
        if end > self.max_len:
            raise ValueError(f"KV cache full ({self.max_len} positions)")
        x = self.embed[ids]
        mask = None
        if n > 1:
            qi = np.arange(start, end)[:, None]
            mask = np.arange(end)[None, :] > qi  # True = hidden (a later token)
        for li, L in enumerate(self.layers):
            h = self._rms(x, L["n1"])
            qkv = (h @ L["qkv"]).reshape(n, 3, self.h, self.hd).transpose(1, 2, 0, 3)  # [3, H, n, hd]
            q = self._rope(qkv[0], start)
            self.k[li, :, start:end] = self._rope(qkv[1], start)
            self.v[li, :, start:end] = qkv[2]
            scores = (q @ self.k[li, :, :end].transpose(0, 2, 1)) * self.scale  # [H, n, end]
            if mask is not None:
                scores = np.where(mask, -np.inf, scores)
            scores -= scores.max(-1, keepdims=True)
            p = np.exp(scores)
            p /= p.sum(-1, keepdims=True)
            y = (p @ self.v[li, :, :end]).transpose(1, 0, 2).reshape(n, self.d)
            x = x + y @ L["out"]
            h = self._rms(x, L["n2"])
            gate, up = np.split(h @ L["gu"], 2, axis=-1)
            x = x + ((gate / (1.0 + np.exp(-gate))) * up) @ L["down"]
        self.length = end
        x = self._rms(x if all_logits else x[-1:], self.norm)
        logits = x @ self.head
        return logits if all_logits else logits[0]
