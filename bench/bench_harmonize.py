"""Harmony benchmark: `jamcore harmonize` over the Nottingham tunes of the test split.

Each checkpoint harmonizes each held-out folk tune exactly as live (``harmonize_file``: frame by frame,
never looking ahead, listening a beat first), and we report

- note-in-chord (NIC): share of melody frames whose pitch class is in the sounding chord, pooled over
  tunes, and on the first test tune alone (the one `tests/test_harmonize.py` plays);
- NIC in the first two bars against the rest (how much a cold start costs);
- chord changes per bar and the share of them on a beat (the data: about 1.4 a bar, 90 % on a beat).

Usage: ``python bench/bench_harmonize.py --checkpoints mle gapt-1.0 --tunes 30 --seeds 1 2``; the issue's
check (the first test tune, the shipped defaults, twenty seeds): ``--tunes 1 --seeds $(seq 0 19)``.
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

from jamcore import tokens as T  # noqa: E402
from jamcore.checkpoints import DEFAULT_POLICY, DEFAULT_TEMPERATURE  # noqa: E402
from jamcore.config import DataConfig  # noqa: E402
from jamcore.data.build import assign_split  # noqa: E402
from jamcore.eval.metrics import chord_event_starts  # noqa: E402
from jamcore.harmonize import harmonize_file  # noqa: E402
from jamcore.music.time import FRAMES_PER_BEAT  # noqa: E402

BAR = 4 * FRAMES_PER_BEAT


def test_tunes(data_dir: Path, n: int) -> list[Path]:
    folder = data_dir / "nottingham" / "MIDI" / "melody"
    cfg = DataConfig(data_dir=data_dir)
    tunes = [p for p in sorted(folder.glob("*.mid")) if assign_split(f"nottingham/{p.stem}", cfg) == "test"]
    if not tunes:
        raise SystemExit(f"no Nottingham test tunes under {folder}")
    return tunes[:n]


def score(melody: list[int], chords: list[int]) -> dict:
    mel = T.TOKEN_PITCH[np.asarray(melody)]
    ch = np.asarray(chords)
    idx = T.TOKEN_CHORD[ch]
    hit = (mel >= 0) & T.TOKEN_CHORD_PCS[ch, np.maximum(mel, 0) % 12]
    voiced = mel >= 0
    early = np.arange(len(mel)) < 2 * BAR
    starts = chord_event_starts(ch) & (idx >= 0)
    first = np.argmax(idx >= 0) if (idx >= 0).any() else len(ch)
    starts[first] = False  # the first chord is not a change
    return {"hits": int(hit.sum()), "notes": int(voiced.sum()),
            "hits_early": int(hit[early].sum()), "notes_early": int(voiced[early].sum()),
            "changes": int(starts.sum()), "on_beat": int(starts[::FRAMES_PER_BEAT].sum()),
            "bars": (len(ch) - first) / BAR}


def run(checkpoint: str, tunes: list[Path], seeds: list[int], temperature: float, checkpoint_dir,
        top_p: float = 1.0) -> dict:
    tot: dict[str, float] = {}
    first_tune = []
    for i, tune in enumerate(tunes):
        for seed in seeds:
            res, _, _ = harmonize_file(tune, checkpoint=checkpoint, checkpoint_dir=checkpoint_dir,
                                       temperature=temperature, top_p=top_p, seed=seed)
            s = score(res.melody_tokens, res.chord_tokens)
            if i == 0:
                first_tune.append(s["hits"] / max(1, s["notes"]))
            for k, v in s.items():
                tot[k] = tot.get(k, 0) + v
    late_notes = tot["notes"] - tot["notes_early"]
    return {"checkpoint": checkpoint, "nic": tot["hits"] / tot["notes"], "nic_first_tune": float(np.mean(first_tune)),
            "nic_first_2_bars": tot["hits_early"] / max(1, tot["notes_early"]),
            "nic_after": (tot["hits"] - tot["hits_early"]) / max(1, late_notes),
            "changes_per_bar": tot["changes"] / tot["bars"], "on_beat": tot["on_beat"] / max(1, tot["changes"])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoints", nargs="+", default=[DEFAULT_POLICY],
                    help=f"names or paths (default: {DEFAULT_POLICY}, the shipped default)")
    ap.add_argument("--checkpoint-dir", default=None)
    ap.add_argument("--data-dir", type=Path, default=DataConfig().data_dir)
    ap.add_argument("--tunes", type=int, default=30, help="how many test tunes, in name order (default 30)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--temperature", type=float, default=DEFAULT_TEMPERATURE,
                    help=f"sampling temperature (default {DEFAULT_TEMPERATURE:g}, as harmonize and the bridge)")
    ap.add_argument("--top-p", type=float, default=1.0)
    ap.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = ap.parse_args(argv)
    tunes = test_tunes(args.data_dir, args.tunes)
    print(f"{len(tunes)} Nottingham test tunes (first: {tunes[0].name}), seeds {args.seeds}, "
          f"temperature {args.temperature:g}, top-p {args.top_p:g}; {platform.machine()}")
    rows = []
    print(f"{'checkpoint':<28} {'NIC':>6} {'tune 1':>7} {'bars 1-2':>8} {'after':>6} {'chg/bar':>8} {'on beat':>8} {'s':>5}")
    for ck in args.checkpoints:
        t0 = time.perf_counter()
        r = run(ck, tunes, args.seeds, args.temperature, args.checkpoint_dir, args.top_p)
        r["seconds"] = time.perf_counter() - t0
        rows.append(r)
        print(f"{Path(ck).name:<28} {r['nic']:6.3f} {r['nic_first_tune']:7.3f} {r['nic_first_2_bars']:8.3f} "
              f"{r['nic_after']:6.3f} {r['changes_per_bar']:8.2f} {r['on_beat']:8.2f} {r['seconds']:5.0f}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
