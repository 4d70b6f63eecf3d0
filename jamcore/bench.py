"""`jamcore bench`: per-frame streaming latency of a checkpoint, against the naive full recompute.

One frame of live work = choose the chord for the next frame (masked sampling from cached logits)
plus one cached forward call of ``[c_t, m_t]``. The baseline recomputes the whole window (up to 256
frames) every frame, as a server without a KV cache would. Both run in the same process, on the same
melody, so their ratio is meaningful on any machine; absolute figures name the machine.
"""
from __future__ import annotations

import json
import os
import platform
import resource
import time

import numpy as np
import torch

from jamcore import tokens as T
from jamcore.checkpoints import DEFAULT_POLICY
from jamcore.models.numpy_policy import NumpyPolicy
from jamcore.models.saved import load_policy
from jamcore.music.meter import metric_ids
from jamcore.stream import StreamingPolicy, freeze_heap, live_chord, sample_from_logits


def add_arguments(parser) -> None:
    parser.add_argument("--checkpoint", default=DEFAULT_POLICY,
                        help=f"policy checkpoint name or path (default: {DEFAULT_POLICY}, the shipped default)")
    parser.add_argument("--frames", type=int, default=10_000, help="streamed frames to time (default 10000)")
    parser.add_argument("--naive-frames", type=int, default=200,
                        help="frames timed for the full-recompute baseline, at a full window (default 200)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1: a daemon shares the CPU)")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")


def _percentiles(xs: list[float]) -> dict[str, float]:
    a = np.asarray(xs) * 1000.0
    return {"p50_ms": float(np.percentile(a, 50)), "p99_ms": float(np.percentile(a, 99)),
            "max_ms": float(a.max()), "mean_ms": float(a.mean())}


def bench(checkpoint: str = DEFAULT_POLICY, frames: int = 10_000, naive_frames: int = 200, threads: int = 1) -> dict:
    torch.set_num_threads(threads)
    model, card = load_policy(checkpoint)
    stream = StreamingPolicy(model)
    rng = np.random.default_rng(0)
    # A plausible melody: a random walk of 8th notes with some rests.
    melody = []
    pitch = 67
    for t in range(frames):
        if t % 2 == 0:
            pitch = int(np.clip(pitch + rng.integers(-3, 4), 55, 84))
            melody.append(T.SILENCE if rng.random() < 0.1 else T.note_on(pitch))
        else:
            melody.append(T.note_hold(pitch) if melody[-1] != T.SILENCE else T.SILENCE)

    for t in range(64):  # warm-up (allocator, kernels)
        stream.push(stream.sample_chord(rng=rng), melody[t])
    stream.reset()
    freeze_heap()  # as the daemon does before it plays
    times = []
    for t in range(frames):
        t0 = time.perf_counter()
        c = live_chord(stream, t, 0, True, 0.0, 1.0, 1.0, rng)  # the live rule, past listening
        stream.push(c, melody[t])
        times.append(time.perf_counter() - t0)
    streamed = _percentiles(times)

    # Naive: recompute the full window every frame (window already full).
    w = stream.window_frames
    hist_c, hist_m = stream.history
    chords = np.array(hist_c[-w:], dtype=np.int64)
    mel = np.array(hist_m[-w:], dtype=np.int64)
    naive = []
    meter = None  # a metrical policy reads one more embedding per token, as the stream does
    if stream.uses_meter:
        meter = metric_ids(1 + 2 * w, 0, stream.bar_len)
    with torch.inference_mode():
        for i in range(naive_frames):
            seq = torch.from_numpy(T.interleave(np.roll(chords, -i), np.roll(mel, -i)))[None]
            t0 = time.perf_counter()
            logits = model(seq, meter=None if meter is None else torch.from_numpy(meter[: seq.shape[1]])[None])[0, -1].numpy()
            sample_from_logits(logits, T.CHORD_MASKS[T.VOCAB_SIZE], 1.0, 1.0, rng)
            naive.append(time.perf_counter() - t0)
    naive_p = _percentiles(naive)
    # The same full recompute with the NumPy engine, so the ratio is not just "numpy vs torch".
    engine = NumpyPolicy(model)
    naive_np = []
    for i in range(naive_frames):
        ids = T.interleave(np.roll(chords, -i), np.roll(mel, -i))
        t0 = time.perf_counter()
        engine.rewind(0)
        logits = engine.step(ids, meter=None if meter is None else meter[: len(ids)])
        sample_from_logits(logits, T.CHORD_MASKS[T.VOCAB_SIZE], 1.0, 1.0, rng)
        naive_np.append(time.perf_counter() - t0)
    naive_np_p = _percentiles(naive_np)
    best_naive = min((naive_p, naive_np_p), key=lambda p: p["p50_ms"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {
        "checkpoint": checkpoint,
        "parameters": sum(p.numel() for p in model.parameters()),
        "frames": frames,
        "window_frames": w,
        "streaming": streamed,
        "engine": stream.engine,
        "naive_full_window_torch": naive_p,
        "naive_full_window_numpy": naive_np_p,
        "speedup_p50": best_naive["p50_ms"] / streamed["p50_ms"],
        "speedup_p99": best_naive["p99_ms"] / streamed["p99_ms"],
        "peak_rss_mb": peak_mb,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus, torch {torch.__version__}, "
                   f"{threads} thread(s)",
    }


def run(args) -> int:
    r = bench(args.checkpoint, args.frames, args.naive_frames, args.threads)
    s, n, nn = r["streaming"], r["naive_full_window_torch"], r["naive_full_window_numpy"]
    print(f"checkpoint {r['checkpoint']} ({r['parameters'] / 1e6:.2f} M parameters), window {r['window_frames']} frames")
    print(f"machine: {r['machine']}")
    print(f"streaming step ({r['frames']} frames): p50 {s['p50_ms']:.3f} ms  p99 {s['p99_ms']:.3f} ms  "
          f"max {s['max_ms']:.3f} ms")
    print(f"naive full recompute of the window, torch: p50 {n['p50_ms']:.3f} ms  p99 {n['p99_ms']:.3f} ms")
    print(f"naive full recompute of the window, numpy: p50 {nn['p50_ms']:.3f} ms  p99 {nn['p99_ms']:.3f} ms")
    print(f"speed-up over the faster naive: {r['speedup_p50']:.1f}x at p50, {r['speedup_p99']:.1f}x at p99; "
          f"peak RSS {r['peak_rss_mb']:.0f} MB")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(r, f, indent=2)
    return 0
