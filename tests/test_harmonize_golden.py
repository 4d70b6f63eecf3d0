"""What a performer hears does not drift: the shipped checkpoints play exactly the recorded chords.

The fixture (tests/golden/harmonize_chords.json) was recorded by tests/golden/make_harmonize_golden.py
before the training side was refactored; same tunes, checkpoints and seeds must give the same tokens.
It was recorded before recall (``jamcore.recall``) and the forecast (``jamcore.forecast``) existed: with
both off the policy's path must be exactly what it was (they are tested in tests/test_recall.py and
tests/test_forecast.py).
"""
import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

import make_harmonize_golden as golden  # noqa: E402


@pytest.mark.parametrize("tune", [t.name for t in golden.tunes()])
def test_shipped_checkpoints_play_the_recorded_chords(tune):
    from jamcore.harmonize import harmonize_file

    expected = json.loads(golden.OUT.read_text())
    path = next(t for t in golden.tunes() if t.name == tune)
    for name in golden.CHECKPOINTS:
        for seed in golden.SEEDS:
            result, _, _ = harmonize_file(path, checkpoint=name, seed=seed, recall=0.0, forecast=0.0)
            assert result.chord_tokens == expected[f"{tune}|{name}|{seed}"], (tune, name, seed)
