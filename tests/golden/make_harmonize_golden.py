"""Record the chords `jamcore harmonize` plays for the shipped checkpoints on a few test tunes.

    PYTHONPATH=. .venv/bin/python tests/golden/make_harmonize_golden.py

writes tests/golden/harmonize_chords.json; ``tests/test_harmonize_golden.py`` asserts that the same
checkpoints, tunes and seeds still give exactly these chord tokens (a refactor must not change what
a performer hears). Rerun it only when a change of the chords is intended, and say why in the commit.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "harmonize_chords.json"
CHECKPOINTS = ("gapt-1.0", "mle", "rl")
SEEDS = (0, 3)


def tunes() -> list[Path]:
    """The bundled demo melody and the first three Nottingham tunes of the test split."""
    from jamcore.assets.make_demo_melody import PATH as DEMO_MELODY
    from jamcore.config import DataConfig
    from jamcore.data.build import assign_split

    folder = DataConfig().data_dir / "nottingham" / "MIDI" / "melody"
    test = [p for p in sorted(folder.glob("*.mid")) if assign_split(f"nottingham/{p.stem}", DataConfig()) == "test"]
    return [Path(DEMO_MELODY)] + test[:3]


def record() -> dict:
    from jamcore.harmonize import harmonize_file

    out = {}
    for tune in tunes():
        for name in CHECKPOINTS:
            for seed in SEEDS:
                result, _, _ = harmonize_file(tune, checkpoint=name, seed=seed)
                out[f"{tune.name}|{name}|{seed}"] = result.chord_tokens
    return out


if __name__ == "__main__":
    OUT.write_text(json.dumps(record()) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)
