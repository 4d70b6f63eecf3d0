"""What the bridge's commit lag costs: the evaluation's loop against the bridge, on the same songs.

`jamcore eval` plays each checkpoint through the live loop (``jamcore.stream.play``): the chord of frame t
is sampled from the melody before t, the paper's protocol. The bridge cannot do quite that: it commits
each chord ``commit_beats`` before it sounds (so the device has it in time), and plans the frames between
the last note heard and that chord on the policy's own imagined melody. This benchmark plays the same
test songs (the evaluation's 50, same seed) both ways, the bridge on simulated time
(``bridge.demo.simulate_session``, default settings: commit 1 beat, lookahead 2), and reports the
harmony and harmonic-rhythm figures of each, so the README can say how far the evaluation's numbers
are from what a performer hears.

The two loops draw their random numbers differently (one generator per song against one per frame),
so a single sampling seed is not a paired comparison: the figures are means over ``--seeds``, with
their range.

Usage: ``python bench/bench_commit_lag.py --checkpoints gapt-1.0 rl mle --seeds 0 1 2 [--songs 50]
[--out FILE.json]``.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bridge.demo import simulate_session  # noqa: E402
from bridge.session import Settings  # noqa: E402
from jamcore import tokens as T  # noqa: E402
from jamcore.checkpoints import DEFAULT_POLICY, DEFAULT_TEMPERATURE, load_policy_weights  # noqa: E402
from jamcore.eval import metrics as M  # noqa: E402
from jamcore.eval.report import EvalConfig, load_songs  # noqa: E402
from jamcore.eval.systems import checkpoint_harmonizer  # noqa: E402
from jamcore.music.grid import DEFAULT_GRID  # noqa: E402
from jamcore.music.time import FRAMES_PER_BEAT  # noqa: E402
from jamcore.stream import StreamingPolicy  # noqa: E402

FIGURES = ("nic", "entropy_song_mean", "changes_per_bar", "chase_share", "on_beat_share")
BPM = 110.0  # any tempo: the simulated bridge's timing is exact; the lag is counted in beats


def eval_loop(policy: StreamingPolicy, song, seed: int) -> np.ndarray:
    """The evaluation's own harmonizer (``jamcore eval``'s checkpoint rows), seeded as it seeds."""
    return checkpoint_harmonizer(policy)(song.melody, np.random.default_rng(seed), song.beats_per_bar)


def bridge_loop(policy: StreamingPolicy, song, seed: int, commit_beats: float) -> np.ndarray:
    settings = Settings(commit_beats=commit_beats, beats_per_bar=song.beats_per_bar, grid=DEFAULT_GRID)
    n = len(song.melody)
    chords = simulate_session(T.decode_melody(song.melody), policy, settings, seed=seed, bpm=BPM,
                              end_beat=n / FRAMES_PER_BEAT)
    out = np.full(n, T.NO_CHORD, dtype=np.int64)
    out[: min(n, len(chords))] = chords[:n]
    return out


def figures(songs, outputs) -> dict[str, float]:
    m = M.corpus_metrics([(s.melody, c) for s, c in zip(songs, outputs)], [s.beats_per_bar for s in songs])
    return {k: round(float(m[k]), 4) for k in FIGURES}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoints", nargs="+", default=[DEFAULT_POLICY])
    ap.add_argument("--songs", type=int, default=50, help="test songs (the evaluation's choice; default 50)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="sampling seeds (default 0 1 2)")
    ap.add_argument("--song-seed", type=int, default=0, help="the evaluation's choice of songs (default 0)")
    ap.add_argument("--commit-beats", type=float, default=Settings.commit_beats,
                    help="the bridge's commit lag in beats (default: the bridge's default)")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--out", default=None, help="write the figures as JSON here too")
    args = ap.parse_args(argv)
    songs = load_songs(EvalConfig(songs=args.songs, seed=args.song_seed), args.data_dir)
    result = {"machine": f"{platform.machine()} {platform.processor() or ''}".strip(), "songs": len(songs),
              "temperature": DEFAULT_TEMPERATURE, "grid": DEFAULT_GRID, "commit_beats": args.commit_beats,
              "seeds": args.seeds, "checkpoints": {}}
    print(f"{len(songs)} test songs, temperature {DEFAULT_TEMPERATURE:g}, grid {DEFAULT_GRID}, "
          f"bridge commit {args.commit_beats:g} beat; mean (min-max) over seeds {args.seeds}")
    print("| checkpoint | loop | " + " | ".join(FIGURES) + " |")
    for name in args.checkpoints:
        weights, _ = load_policy_weights(name, None)
        policy = StreamingPolicy(weights, grid=DEFAULT_GRID)
        rows = {}
        for loop in ("eval", "bridge"):
            t0 = time.perf_counter()
            per_seed = []
            for seed in args.seeds:
                if loop == "eval":
                    outputs = [eval_loop(policy, s, seed) for s in songs]
                else:
                    outputs = [bridge_loop(policy, s, seed, args.commit_beats) for s in songs]
                per_seed.append(figures(songs, outputs))
            rows[loop] = {k: {"mean": round(float(np.mean([f[k] for f in per_seed])), 4),
                              "min": min(f[k] for f in per_seed), "max": max(f[k] for f in per_seed)}
                          for k in FIGURES}
            rows[loop]["seconds"] = round(time.perf_counter() - t0, 1)
            cells = (f"{rows[loop][k]['mean']:.3f} ({rows[loop][k]['min']:.3f}-{rows[loop][k]['max']:.3f})"
                     for k in FIGURES)
            print(f"| {name} | {loop} | " + " | ".join(cells) + " |", flush=True)
        result["checkpoints"][name] = rows
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
