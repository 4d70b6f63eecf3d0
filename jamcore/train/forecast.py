"""`jamcore train forecast`: count the data's short-context statistics of the next beat's melody.

Writes ``OUT.safetensors`` + ``OUT.json`` (``jamcore.forecast.MelodyForecast``; default: the shipped
``jamcore/checkpoints/forecast``) from the training split of the licensed sources (Nottingham and POP909:
``../shared/datasets``, never copied). No randomness and no gradient: one pass over the songs, seconds.
The card records the command line, the data and the context.
"""
from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

from jamcore.config import DataConfig
from jamcore.data.build import load_corpus
from jamcore.errors import CommandError
from jamcore.forecast import CONTEXT_NOTES, LAG_FRAMES, SHIPPED, MelodyForecast

LICENSED = ("nottingham", "pop909")


def add_arguments(parser) -> None:
    parser.add_argument("--data-dir", default=None, help="datasets directory (default: ../shared/datasets)")
    parser.add_argument("--sources", default=",".join(LICENSED),
                        help=f"sources to count, comma-separated (default: the licensed ones, {','.join(LICENSED)})")
    parser.add_argument("--out", default=str(SHIPPED), help=f"output path without extension (default: {SHIPPED})")
    parser.add_argument("--profile", default="small", choices=("smoke", "small"),
                        help="smoke: the first 20 songs (for tests); small: every training song (default)")


def run(args) -> int:
    sources = tuple(s.strip() for s in args.sources.split(",") if s.strip())
    corpus = load_corpus(DataConfig() if args.data_dir is None else DataConfig(data_dir=Path(args.data_dir)))
    records = [r for r in corpus.split("train") if r.source in sources]
    if args.profile == "smoke":
        records = records[:20]
    if not records:
        raise CommandError(f"no training songs from {', '.join(sources)}")
    t0 = time.time()
    model = MelodyForecast(notes=CONTEXT_NOTES, lag=LAG_FRAMES)
    for rec in records:
        melody, _ = corpus.tokens(rec)
        model.add_song(melody, rec.beats_per_bar)
    card = {
        "command": "jamcore " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "data": {"sources": list(sources), "split": "train", "songs": len(records)},
        "seed": None,
        "profile": args.profile,
        "what": "pitch-class counts of each beat's melody after the last notes struck a beat before it, "
                "above the tonic of the song's melody, by mode and place in the bar (jamcore.forecast)",
        "wall_seconds": round(time.time() - t0, 1),
    }
    model.save(args.out, card)
    print(f"counted {len(records)} songs into {len(model.counts)} contexts: {Path(args.out).with_suffix('.safetensors')}")
    return 0
