"""The RL loop's numbers do not move under a refactor: six seeded smoke runs (group advantages, GAE,
GAPT, windowed credit, and the MLE-KL variants) against the final weights and log row recorded before
the training side was reshaped (bench/rl_equivalence.json, this machine's torch 2.13 CPU).

    PYTHONPATH=. .venv/bin/python bench/rl_equivalence.py            # ~4 min on 2 cores; exit 1 on a change
    PYTHONPATH=. .venv/bin/python bench/rl_equivalence.py --record   # after an intended change of the maths

Bit-identical is the bar on one machine; another CPU or torch build may differ in the last bits.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from jamcore.config import DataConfig  # noqa: E402
from jamcore.data.build import build_corpus  # noqa: E402
from jamcore.train.rl import train_rl  # noqa: E402
from test_rl import cfg, models  # noqa: E402  (the unit tests' smoke models and config)

RECORD = Path(__file__).with_suffix(".json")
VARIANTS = {
    "group": dict(steps=3),
    "gae": dict(steps=3, group_size=1),
    "gapt": dict(steps=3, adv_weight=1.0),
    "credit": dict(steps=3, credit_bars=1, adv_std_norm=True, harmony_onsets=True),
    "gae_credit_mle": dict(steps=3, group_size=1, credit_bars=1, kl_mle=0.01),
    "group_mle": dict(steps=3, kl_mle=0.01),
}


def run_all(tmp: Path) -> dict:
    corpus = build_corpus(DataConfig(cache_dir=tmp / "cache", limit=12), limit=12, workers=1, progress=False)
    out = {}
    for name, kw in VARIANTS.items():
        m = models(0)
        if kw.get("kl_mle"):
            m["mle"] = models(1)["policy"].eval()
        last = train_rl(cfg(**kw), name=name, out_dir=tmp / name, models=m, corpus=corpus, progress=False)
        weights = b"".join(v.detach().numpy().tobytes() for v in m["policy"].state_dict().values())
        out[name] = {"hash": hashlib.sha256(weights).hexdigest(),
                     "last": {k: v for k, v in last.items() if k != "seconds"}}
    return json.loads(json.dumps(out, default=str))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the record instead of checking against it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        now = run_all(Path(tmp))
    if args.record:
        RECORD.write_text(json.dumps(now, indent=1) + "\n")
        print(f"wrote {RECORD}")
        return 0
    was = json.loads(RECORD.read_text())
    changed = [k for k in VARIANTS if now[k] != was[k]]
    for k in VARIANTS:
        print(f"{'same   ' if k not in changed else 'CHANGED'} {k}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
