"""A NumPy mirror of ``ChordPolicy`` for the real-time path: the same maths, no autograd.

At this model size a streaming step is a few dozen tiny matrix products; PyTorch's per-operator
dispatch costs more than the arithmetic. ``NumpyWeights`` holds the weights once as float32 arrays;
each ``NumpyPolicy`` is one KV cache (preallocated, with a length pointer) over shared weights, and
returns logits that equal the PyTorch model's to 1e-4 (tested). Built once, off the real-time path.

``step_together`` advances several caches of the same weights in one pass: the weight products run
once over all their rows (a 128 x 1024 product costs about the same for 2 rows as for 4: it is bound by
reading the weights), only attention runs per cache. A live session uses it on the frames where it
feeds its next window's cache alongside the current one.
"""
from __future__ import annotations

import numpy as np

from jamcore.tokens import VOCAB_SIZE


class NumpyWeights:
    """The policy's weights as contiguous float32 arrays, laid out for ``x @ W``, plus rotary tables.

    ``NumpyWeights(model)`` copies a PyTorch ``ChordPolicy``; ``from_state(cfg, arrays)`` takes the
    tensors of a checkpoint as NumPy arrays (``jamcore.checkpoints.load_policy_weights``: no torch)."""

    def __init__(self, model=None, max_len: int | None = None, *, cfg=None, state: dict | None = None):
        if model is not None:
            cfg = model.cfg
            state = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}
        self.cfg = cfg
        self.state = state  # the checkpoint's arrays by name (blends mix these)
        sd = {k: np.asarray(v, dtype=np.float32) for k, v in state.items()}
        self.d = cfg.d_model
        self.h = cfg.n_heads
        self.hd = cfg.d_model // cfg.n_heads
        self.n_layers = cfg.n_layers
        self.max_len = max_len or cfg.max_len
        self.embed = sd["embed.weight"]
        self.metric = sd.get("metric.weight")  # metrical-position rows (jamcore.music.meter), if the model has them
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
        # Rotary tables at full head width: pair (2i, 2i+1) rotates by angle i, so
        # rope(x) = x * cos + swap(x) * sin with swap(x)[2i] = -x[2i+1], swap(x)[2i+1] = x[2i].
        inv = 1.0 / (10000.0 ** (np.arange(0, self.hd, 2, dtype=np.float64) / self.hd))
        freqs = np.repeat(np.outer(np.arange(self.max_len, dtype=np.float64), inv), 2, axis=1)
        self.cos = np.cos(freqs).astype(np.float32)
        self.sin = (np.sin(freqs) * np.tile([-1.0, 1.0], self.hd // 2)).astype(np.float32)
        self.scale = np.float32(1.0 / np.sqrt(self.hd))

    @classmethod
    def from_state(cls, cfg, state: dict, max_len: int | None = None) -> "NumpyWeights":
        return cls(cfg=cfg, state=state, max_len=max_len)

    @staticmethod
    def expected_shapes(cfg, vocab_size: int = VOCAB_SIZE) -> dict[str, tuple[int, ...]]:
        """Every tensor of a ``ChordPolicy`` checkpoint with its shape (the strict load checks them)."""
        d, hidden = cfg.d_model, int(cfg.ff_mult * cfg.d_model * 2 / 3)
        shapes = {"embed.weight": (vocab_size, d), "norm.weight": (d,), "head.weight": (vocab_size, d),
                  "value_head.weight": (1, d), "value_head.bias": (1,)}
        if cfg.metric_slots:
            shapes["metric.weight"] = (cfg.metric_slots, d)
        for i in range(cfg.n_layers):
            p = f"blocks.{i}."
            shapes.update({p + "norm1.weight": (d,), p + "attn.qkv.weight": (3 * d, d), p + "attn.out.weight": (d, d),
                           p + "norm2.weight": (d,), p + "ff.gate_up.weight": (2 * hidden, d),
                           p + "ff.down.weight": (d, hidden)})
        return shapes


def _rms(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    ms = (x * x) @ np.full(x.shape[-1], 1.0 / x.shape[-1], dtype=np.float32)  # mean square per row
    return x * (w / np.sqrt(ms[:, None] + np.float32(1e-6)))


def _mm(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``x @ w`` for a few rows: one matrix-vector product per row. BLAS packs the weights for a
    matrix-matrix product, which at 2-4 rows costs 2-4x the products themselves (measured with
    OpenBLAS on x86)."""
    if len(x) == 1 or len(x) > 4:
        return x @ w
    out = np.empty((len(x), w.shape[1]), dtype=np.float32)
    for i in range(len(x)):
        np.matmul(x[i], w, out=out[i])
    return out


class NumpyPolicy:
    """One KV cache of the policy: ``step`` appends tokens and returns logits."""

    def __init__(self, model=None, max_len: int | None = None, weights: NumpyWeights | None = None,
                 _block=None):
        self.w = weights or (model if isinstance(model, NumpyWeights) else NumpyWeights(model, max_len))
        self.max_len = min(max_len or self.w.max_len, self.w.max_len)
        w = self.w
        if _block is None:
            # Keys are stored transposed ([.., hd, position]) so that q @ K is a plain product.
            self.k = np.zeros((w.n_layers, w.h, w.hd, self.max_len), dtype=np.float32)
            self.v = np.zeros((w.n_layers, w.h, self.max_len, w.hd), dtype=np.float32)
            self._pair = None
        else:  # one slot of a pair's shared storage (see ``pair``)
            k, v, slot = _block
            self.k, self.v = k[:, slot], v[:, slot]
            self._pair = (k, v, slot)
        self.length = 0

    @classmethod
    def pair(cls, weights: NumpyWeights, max_len: int | None = None) -> tuple["NumpyPolicy", "NumpyPolicy"]:
        """Two caches whose keys and values live in one array, so that ``step_together`` runs the
        attention of both in one product (the per-call overhead of NumPy, not arithmetic, is the cost
        at this size)."""
        m = min(max_len or weights.max_len, weights.max_len)
        k = np.zeros((weights.n_layers, 2, weights.h, weights.hd, m), dtype=np.float32)
        v = np.zeros((weights.n_layers, 2, weights.h, m, weights.hd), dtype=np.float32)
        return cls(max_len=m, weights=weights, _block=(k, v, 0)), cls(max_len=m, weights=weights, _block=(k, v, 1))

    def __getstate__(self) -> dict:
        """Pickles with a pair's storage once: its keys and values are views of it, rebuilt on loading
        (pickled as they are, the two caches would each get a copy that ``step_together`` never sees)."""
        state = self.__dict__.copy()
        if self._pair is not None:
            del state["k"], state["v"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if self._pair is not None:
            k, v, slot = self._pair
            self.k, self.v = k[:, slot], v[:, slot]

    def rewind(self, length: int) -> None:
        if not 0 <= length <= self.length:
            raise ValueError(f"cannot rewind a cache of length {self.length} to {length}")
        self.length = length

    def step(self, ids, all_logits: bool = False, meter=None) -> np.ndarray:
        """Append token ids (1-D) to the cache; logits of the last token [V] (or of every token [n, V]).
        ``meter``: the tokens' metrical ids (same length), for a model with a metrical input."""
        return step_together([(self, ids, meter)], all_logits)[0]


def step_together(jobs, all_logits: bool = False) -> list[np.ndarray]:
    """Append ``ids`` to each ``(cache, ids[, meter])`` of ``jobs`` (distinct caches over the same weights)
    in one forward pass; per job, the logits of its last token [V] (or of each of its tokens [n, V])."""
    w = jobs[0][0].w
    spans, positions, ids_all, meter_all = [], [], [], []
    row = 0
    for job in jobs:
        cache, ids = job[0], job[1]
        meter = job[2] if len(job) > 2 else None
        if cache.w is not w:
            raise ValueError("step_together needs caches over the same weights")
        ids = np.asarray(ids, dtype=np.int64)
        n = len(ids)
        start, end = cache.length, cache.length + n
        if end > cache.max_len:
            raise ValueError(f"KV cache full ({cache.max_len} positions)")
        spans.append((cache, row, row + n, start, end))
        positions.append(np.arange(start, end))
        ids_all.append(ids)
        meter_all.append(np.zeros(n, dtype=np.int64) if meter is None else np.asarray(meter, dtype=np.int64))
        row += n
    pos = np.concatenate(positions)
    if len({id(c) for c, *_ in spans}) != len(spans):
        raise ValueError("step_together needs distinct caches")
    # The two slots of one pair, each taking the same number of tokens: one attention product for both.
    a, b = (spans[0][0], spans[1][0]) if len(spans) == 2 else (None, None)
    joint = (a is not None and a._pair is not None and b._pair is not None and a._pair[0] is b._pair[0]
             and spans[0][2] - spans[0][1] == spans[1][2] - spans[1][1])
    cos, sin = w.cos[pos][:, None, :], w.sin[pos][:, None, :]  # [N, 1, hd]
    x = w.embed[np.concatenate(ids_all)]
    if w.metric is not None:
        x = x + w.metric[np.concatenate(meter_all)]  # row 0 (unknown) is zero
    n_all = len(pos)
    for li, L in enumerate(w.layers):
        h = _rms(x, L["n1"])
        qkv = _mm(h, L["qkv"]).reshape(n_all, 3, w.h, w.hd)
        qk = qkv[:, :2]  # [N, 2, H, hd]: queries and keys rotate alike
        swapped = qk.reshape(n_all, 2, w.h, w.hd // 2, 2)[..., ::-1].reshape(n_all, 2, w.h, w.hd)
        qk = qk * cos[:, None] + swapped * sin[:, None]
        y = np.empty((n_all, w.d), dtype=np.float32)
        if joint:
            _joint_attention(w, li, spans, qk, qkv, y)
            spans_here = ()
        else:
            spans_here = spans
        for cache, r0, r1, start, end in spans_here:
            cache.k[li, :, :, start:end] = qk[r0:r1, 1].transpose(1, 2, 0)
            cache.v[li, :, start:end] = qkv[r0:r1, 2].transpose(1, 0, 2)
            q = qk[r0:r1, 0].transpose(1, 0, 2)  # [H, n, hd]
            scores = (q @ cache.k[li, :, :, :end]) * w.scale  # [H, n, end]
            for i in range(r1 - r0 - 1):  # causal within the new tokens
                scores[:, i, start + i + 1:] = -np.inf
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            # normalise after the product: [H, n, hd] divisions instead of [H, n, end]
            y[r0:r1] = ((scores @ cache.v[li, :, :end]) / scores.sum(-1, keepdims=True)).transpose(1, 0, 2).reshape(
                r1 - r0, w.d)
        x = x + _mm(y, L["out"])
        gu = _mm(_rms(x, L["n2"]), L["gu"])
        half = gu.shape[1] // 2
        gate = gu[:, :half]
        x = x + _mm((gate / (1.0 + np.exp(-gate))) * gu[:, half:], L["down"])
    if all_logits:
        logits = _mm(_rms(x, w.norm), w.head)
        out = [logits[r0:r1] for _, r0, r1, _, _ in spans]
    else:
        last = [r1 - 1 for _, _, r1, _, _ in spans]
        logits = _mm(_rms(x[last], w.norm), w.head)
        out = list(logits)
    for cache, _, _, _, end in spans:
        cache.length = end
    return out


def _joint_attention(w: NumpyWeights, li: int, spans, qk: np.ndarray, qkv: np.ndarray, y: np.ndarray) -> None:
    """Attention of layer ``li`` for the two caches of one pair, each with the same number n of new
    tokens, in single products over both slots (positions past a cache's own end are masked)."""
    (ca, a0, a1, sa, ea), (cb, b0, b1, sb, eb) = spans
    k_all, v_all, _ = ca._pair
    n = a1 - a0
    for cache, r0, r1, start, end in spans:
        cache.k[li, :, :, start:end] = qk[r0:r1, 1].transpose(1, 2, 0)
        cache.v[li, :, start:end] = qkv[r0:r1, 2].transpose(1, 0, 2)
    slot_a, slot_b = ca._pair[2], cb._pair[2]
    q = np.empty((2, w.h, n, w.hd), dtype=np.float32)
    q[slot_a] = qk[a0:a1, 0].transpose(1, 0, 2)
    q[slot_b] = qk[b0:b1, 0].transpose(1, 0, 2)
    end = max(ea, eb)
    scores = (q @ k_all[li, :, :, :, :end]) * w.scale  # [2, H, n, end]
    for slot, start in ((slot_a, sa), (slot_b, sb)):
        for i in range(n):  # causal: query i sees positions up to start + i of its own cache
            scores[slot, :, i, start + i + 1:] = -np.inf
    scores -= scores.max(-1, keepdims=True)
    np.exp(scores, out=scores)
    out = (scores @ v_all[li, :, :, :end]) / scores.sum(-1, keepdims=True)  # [2, H, n, hd]
    y[a0:a1] = out[slot_a].transpose(1, 0, 2).reshape(n, w.d)
    y[b0:b1] = out[slot_b].transpose(1, 0, 2).reshape(n, w.d)
