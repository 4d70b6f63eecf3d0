"""The whole training pipeline, data to every checkpoint and the report, in its smoke mode."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_pipeline_smoke_runs_end_to_end(tmp_path):
    env = dict(os.environ, JAMCORE=f"{sys.executable} -m jamcore.cli")
    r = subprocess.run(["bash", str(ROOT / "training" / "pipeline.sh"), "smoke", str(tmp_path)], env=env,
                       capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    for name in ("mle", "anchor", "melody", "rl", "gapt-1.0", "rewards/contrastive-s0", "rewards/contrastive-s1",
                 "rewards/discriminative-s0", "rewards/discriminative-s1"):
        card = json.loads((tmp_path / f"{name}.json").read_text())
        assert (tmp_path / f"{name}.safetensors").is_file()
        assert card["vocab_version"] and "metrics" in card and "command" in card
    assert json.loads((tmp_path / "gapt-1.0.json").read_text())["adv_weight"] == 1.0
    assert json.loads((tmp_path / "rl.json").read_text())["adv_weight"] == 0.0
    metrics = json.loads((tmp_path / "state" / "eval" / "metrics.json").read_text())
    assert {"data", "mle", "rl", "gapt-1.0"} <= set(metrics["systems"])
    assert metrics["systems"]["gapt-1.0"]["duet"]["nic"] >= 0  # model vs model ran
    # Run again: every stage is found done and skipped.
    again = subprocess.run(["bash", str(ROOT / "training" / "pipeline.sh"), "smoke", str(tmp_path)], env=env,
                           capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert again.returncode == 0 and again.stdout.count("done already") == 9, again.stdout[-2000:]
