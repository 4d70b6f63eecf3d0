"""Transformer blocks shared by every network: pre-norm RMSNorm, rotary positions, SwiGLU, KV cache.

Networks here see integer ids only. The KV cache is a preallocated buffer with a length pointer, so
a streaming step appends in place and ``rewind`` (dropping imagined frames) is O(1).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from jamcore.config import ModelConfig


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Rotary(nn.Module):
    """Rotary position embedding tables (not parameters: rebuilt from the shape, never saved)."""

    def __init__(self, head_dim: int, max_len: int, base: float = 10000.0):
        super().__init__()
        inv = 1.0 / (base ** (torch.arange(0, head_dim, 2).float() / head_dim))
        t = torch.arange(max_len).float()
        freqs = torch.outer(t, inv)
        self.register_buffer("cos", freqs.cos(), persistent=False)
        self.register_buffer("sin", freqs.sin(), persistent=False)

    def apply(self, x: torch.Tensor, start: int) -> torch.Tensor:
        """Rotate ``x`` [B, H, T, hd] whose first position is ``start``."""
        t = x.shape[-2]
        cos = self.cos[start:start + t]
        sin = self.sin[start:start + t]
        x1, x2 = x[..., 0::2], x[..., 1::2]
        out = torch.empty_like(x)
        out[..., 0::2] = x1 * cos - x2 * sin
        out[..., 1::2] = x1 * sin + x2 * cos
        return out


class KVCache:
    """Keys and values of every self-attention layer, preallocated to ``max_len`` positions."""

    def __init__(self, n_layers: int, batch: int, n_heads: int, max_len: int, head_dim: int,
                 dtype=torch.float32, device=None):
        shape = (n_layers, batch, n_heads, max_len, head_dim)
        self.k = torch.zeros(shape, dtype=dtype, device=device)
        self.v = torch.zeros(shape, dtype=dtype, device=device)
        self.length = 0
        self.max_len = max_len

    def rewind(self, length: int) -> None:
        if not 0 <= length <= self.length:
            raise ValueError(f"cannot rewind a cache of length {self.length} to {length}")
        self.length = length


class SelfAttention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.head_dim = cfg.d_model // cfg.n_heads
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model, bias=False)
        self.out = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.dropout = cfg.attention_dropout

    def forward(self, x: torch.Tensor, rotary: Rotary, causal: bool, pad_mask: torch.Tensor | None = None,
                cache: KVCache | None = None, layer: int = 0) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        start = cache.length if cache is not None else 0
        q = rotary.apply(q, start)
        k = rotary.apply(k, start)
        if cache is not None:
            end = start + t
            if end > cache.max_len:
                raise ValueError(f"KV cache full ({cache.max_len} positions)")
            cache.k[layer, :, :, start:end] = k
            cache.v[layer, :, :, start:end] = v
            k = cache.k[layer, :, :, :end]
            v = cache.v[layer, :, :, :end]
            if t == 1:
                mask = None  # one new query sees everything cached: no mask needed
            else:
                # New query i (absolute start+i) sees keys 0..start+i.
                qi = torch.arange(start, end, device=x.device)[:, None]
                ki = torch.arange(end, device=x.device)[None, :]
                mask = ki <= qi
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            mask = None
            if pad_mask is not None:
                # pad_mask [B, T] True = real token; keys that are padding are hidden.
                mask = pad_mask[:, None, None, :]
                if causal:
                    mask = mask & torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                                   dropout_p=self.dropout if self.training else 0.0)
            else:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=causal,
                                                   dropout_p=self.dropout if self.training else 0.0)
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class CrossAttention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.head_dim = cfg.d_model // cfg.n_heads
        self.q = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.kv = nn.Linear(cfg.d_model, 2 * cfg.d_model, bias=False)
        self.out = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.dropout = cfg.attention_dropout

    def forward(self, x: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor | None) -> torch.Tensor:
        b, t, d = x.shape
        q = self.q(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        k, v = self.kv(memory).view(b, memory.shape[1], 2, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        mask = None if memory_mask is None else memory_mask[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                           dropout_p=self.dropout if self.training else 0.0)
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class SwiGLU(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        hidden = int(cfg.ff_mult * cfg.d_model * 2 / 3)
        self.gate_up = nn.Linear(cfg.d_model, 2 * hidden, bias=False)
        self.down = nn.Linear(hidden, cfg.d_model, bias=False)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up(x).chunk(2, dim=-1)
        return self.drop(self.down(F.silu(gate) * up))


class Block(nn.Module):
    """Pre-norm block: self-attention, optional cross-attention, SwiGLU feed-forward."""

    def __init__(self, cfg: ModelConfig, cross: bool = False):
        super().__init__()
        self.norm1 = RMSNorm(cfg.d_model)
        self.attn = SelfAttention(cfg)
        self.cross = CrossAttention(cfg) if cross else None
        self.norm_cross = RMSNorm(cfg.d_model) if cross else None
        self.norm2 = RMSNorm(cfg.d_model)
        self.ff = SwiGLU(cfg)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, rotary, causal, pad_mask=None, cache=None, layer=0, memory=None, memory_mask=None):
        x = x + self.drop(self.attn(self.norm1(x), rotary, causal, pad_mask, cache, layer))
        if self.cross is not None:
            x = x + self.drop(self.cross(self.norm_cross(x), memory, memory_mask))
        return x + self.ff(self.norm2(x))


class Encoder(nn.Module):
    """Bidirectional (or causal) stack over token ids; used by the anchor and the reward models."""

    def __init__(self, cfg: ModelConfig, vocab_size: int, n_layers: int | None = None, causal: bool = False):
        super().__init__()
        self.cfg = cfg
        self.causal = causal
        self.embed = nn.Embedding(vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(n_layers or cfg.n_layers))
        self.norm = RMSNorm(cfg.d_model)
        self.rotary = Rotary(cfg.d_model // cfg.n_heads, cfg.max_len)

    def forward(self, ids: torch.Tensor, pad_mask: torch.Tensor | None = None,
                extra: torch.Tensor | None = None) -> torch.Tensor:
        """``extra``: embeddings [B, T, d] added to the token embeddings (the anchor's bar positions)."""
        x = self.embed(ids)
        if extra is not None:
            x = x + extra
        for block in self.blocks:
            x = block(x, self.rotary, self.causal, pad_mask)
        return self.norm(x)


def init_weights(module: nn.Module) -> None:
    """Small normal init (GPT-2 style); residual projections scaled by depth."""
    for name, p in module.named_parameters():
        if p.dim() >= 2:
            std = 0.02
            if name.endswith("out.weight") or name.endswith("down.weight"):
                n_layers = sum(1 for m in module.modules() if isinstance(m, Block))
                std = 0.02 / math.sqrt(2 * max(n_layers, 1))
            nn.init.normal_(p, mean=0.0, std=std)
