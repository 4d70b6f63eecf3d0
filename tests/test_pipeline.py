"""The whole training pipeline, data to every checkpoint and the report, in its smoke mode."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dataclasses

import pytest

from jamcore.checkpoints import available_checkpoints
from jamcore.config import TRAIN_PROFILES
from jamcore.train.loop import training_config
from jamcore.train.reward_models import REWARD_PROFILES
from jamcore.train.rl import RL_PROFILES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_pipeline_smoke_runs_end_to_end(tmp_path):
    env = dict(os.environ, JAMCORE=f"{sys.executable} -m jamcore.cli")
    r = subprocess.run(["bash", str(ROOT / "training" / "pipeline.sh"), "smoke", str(tmp_path)], env=env,
                       capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    rewards = [f"rewards/{kind}{r}-s{seed}" for kind in ("contrastive", "discriminative") for r in ("", "-rhythm")
               for seed in (0, 1)]
    for name in ("mle", "mle-dagger", "anchor", "melody", "rl", "gapt-1.0", *rewards):
        card = json.loads((tmp_path / f"{name}.json").read_text())
        assert (tmp_path / f"{name}.safetensors").is_file()
        assert card["vocab_version"] and "metrics" in card and "command" in card
    assert json.loads((tmp_path / "gapt-1.0.json").read_text())["adv_weight"] == 1.0
    assert json.loads((tmp_path / "rl.json").read_text())["adv_weight"] == 0.0
    # The rhythm-only judges are rhythm-only, and RL and GAPT were paid by them (issue 15).
    assert all(json.loads((tmp_path / f"{n}.json").read_text())["rhythm"] == ("rhythm" in n) for n in rewards)
    for name in ("rl", "gapt-1.0"):
        log = (tmp_path / "state" / f"{name}.log.csv").read_text().splitlines()[0].split(",")
        assert {"reward_rhythm_contrastive", "reward_rhythm_discriminative"} <= set(log), name
    # The config is the truth: every stage ran its profile exactly (the pipeline passes --profile only).
    profiles = {"mle": TRAIN_PROFILES["policy"]["smoke"], "mle-dagger": TRAIN_PROFILES["dagger"]["smoke"],
                "anchor": TRAIN_PROFILES["anchor"]["smoke"],
                "melody": TRAIN_PROFILES["melody"]["smoke"], "rl": RL_PROFILES["smoke"],
                "gapt-1.0": dataclasses.replace(RL_PROFILES["smoke"], adv_weight=1.0),
                "rewards/discriminative-s1": dataclasses.replace(REWARD_PROFILES[("smoke", "discriminative")], seed=1)}
    for name, cfg in profiles.items():
        training = json.loads((tmp_path / f"{name}.json").read_text())["training"]
        assert {k: training[k] for k in training_config(cfg)} == training_config(cfg), name
    # RL started from the pipeline's own mle-dagger, itself from the pipeline's mle (not the shipped ones:
    # a smoke model could not load those), and the report scored every checkpoint it trained.
    assert json.loads((tmp_path / "rl.json").read_text())["parent"] == "mle-dagger"
    assert json.loads((tmp_path / "mle-dagger.json").read_text())["parent"] == "mle"
    # A training stage, not an accompanist: it loads by name but the device does not offer it.
    assert "mle-dagger" not in available_checkpoints(tmp_path, performable=True)
    assert {"mle", "rl", "gapt-1.0"} <= set(available_checkpoints(tmp_path, performable=True))
    metrics = json.loads((tmp_path / "state" / "eval" / "metrics.json").read_text())
    assert {"data", "mle", "mle-dagger", "rl", "gapt-1.0"} <= set(metrics["systems"])
    assert set(metrics["systems"]["gapt-1.0"]["duet"]) >= {"nic", "entropy_song_mean"}  # model vs model ran
    forecast = json.loads((tmp_path / "forecast.json").read_text())  # the data's next-beat counts, a card beside
    assert forecast["kind"] == "forecast" and forecast["data"]["songs"] == 20 and (tmp_path / "forecast.safetensors").is_file()
    # Run again: every stage is found done and skipped.
    again = subprocess.run(["bash", str(ROOT / "training" / "pipeline.sh"), "smoke", str(tmp_path)], env=env,
                           capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert again.returncode == 0 and again.stdout.count("done already") == 16, again.stdout[-2000:]


def test_two_lanes_share_one_queue_each_stage_once(tmp_path):
    """`drain` (training/stages.sh): two lanes side by side take every queued stage exactly once, and a lane
    that is busy longer takes fewer of them (the stages here take 0.2 s; the long lane starts with 1.5 s)."""
    script = f"""
        set -euo pipefail
        STATE="{tmp_path}"; LANES=2
        source "{ROOT / 'training' / 'stages.sh'}"
        run() {{ sleep 0.2; echo "$LANE $1" >> "$STATE/ran"; }}
        long_lane() {{ LANE=long; sleep 1.5; drain run "${{ITEMS[@]}}"; }}
        short_lane() {{ LANE=short; drain run "${{ITEMS[@]}}"; }}
        ITEMS=(a b c d e f g h i j)
        queue test
        lanes long_lane short_lane
    """
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    ran = [line.split() for line in (tmp_path / "ran").read_text().splitlines()]
    assert sorted(item for _, item in ran) == list("abcdefghij")
    by_lane = {lane: sum(1 for l, _ in ran if l == lane) for lane in ("long", "short")}
    assert by_lane["short"] > by_lane["long"] >= 1, by_lane


@pytest.mark.parametrize("lanes", [2, 1])
def test_killing_the_pipeline_stops_its_lanes_and_their_commands(tmp_path, lanes):
    """`lanes` killed (Ctrl-C, kill), with two lanes or one: no lane and no training command it started
    keeps running, and no lane goes on to its next stage. A lane left behind would train on while a
    rerun clears the queue's claims, two processes on the same stage."""
    train = tmp_path / "train.sh"  # a stand-in training command: notes its pid, then runs a minute
    train.write_text(f'echo $$ >> "{tmp_path}/pids"\nexec sleep 60\n')
    script = f"""
        set -euo pipefail
        STATE="{tmp_path}"; LANES={lanes}
        source "{ROOT / 'training' / 'stages.sh'}"
        lane() {{ bash "{train}" || true; echo "went on" >> "{tmp_path}/after"; }}
        lanes lane lane
    """
    survivors = _terminate_once_running(script, tmp_path / "pids", lanes)
    assert not survivors, "a lane's command outlived the killed pipeline"
    time.sleep(0.3)
    assert not (tmp_path / "after").exists(), "a lane went on to its next stage"
    assert len(_pids(tmp_path / "pids")) == lanes  # and none started another command


def test_killing_the_pipeline_during_a_step_outside_the_lanes_stops_that_step(tmp_path):
    """`guarded` (the data build, the evaluation, the docs): a kill of the script stops the command too,
    and its own children (the evaluation's worker processes), instead of orphaning them."""
    child = tmp_path / "step.sh"  # a stand-in step that starts a worker of its own, then waits
    child.write_text(f'sleep 60 & echo $! >> "{tmp_path}/pids"\necho $$ >> "{tmp_path}/pids"\nwait\n')
    script = f"""
        set -euo pipefail
        STATE="{tmp_path}"
        source "{ROOT / 'training' / 'stages.sh'}"
        guarded bash "{child}"
        echo "went on" >> "{tmp_path}/after"
    """
    survivors = _terminate_once_running(script, tmp_path / "pids", 2)
    assert not survivors, "the step or its worker outlived the killed pipeline"
    assert not (tmp_path / "after").exists()


def _terminate_once_running(script: str, pid_file: Path, n: int) -> list[int]:
    """Run ``script`` in bash; once ``n`` pids are in ``pid_file``, SIGTERM it (it must exit 143). Returns
    the pids still alive 5 s later (killed afterwards, so no test leaves a process behind)."""
    proc = subprocess.Popen(["bash", "-c", script])
    try:
        deadline = time.monotonic() + 10
        while len(_pids(pid_file)) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_pids(pid_file)) == n, "the commands should be running"
        time.sleep(0.2)
        proc.terminate()
        assert proc.wait(timeout=10) == 143
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in _pids(pid_file)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return [p for p in _pids(pid_file) if _alive(p)]
    finally:
        for p in _pids(pid_file):
            if _alive(p):
                os.kill(p, 9)
        proc.kill()


def _pids(pid_file: Path) -> list[int]:
    return [int(p) for p in pid_file.read_text().split()] if pid_file.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def test_a_report_is_stale_once_a_checkpoint_it_scores_is_retrained(tmp_path):
    """`report_current` (training/stages.sh): the evaluation is skipped only while no checkpoint in the
    folders it scores is newer than its metrics (the sweep skipped it whenever metrics existed)."""
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "a.safetensors").write_bytes(b"")
    metrics = tmp_path / "metrics.json"
    check = f'source "{ROOT / "training" / "stages.sh"}"; report_current "{metrics}" "{tmp_path}" "{tmp_path / "runs"}"'
    current = lambda: subprocess.run(["bash", "-c", check]).returncode == 0  # noqa: E731
    assert not current()  # no report yet
    metrics.write_text("{}")
    os.utime(tmp_path / "runs" / "a.safetensors", (1, 1))
    assert current()
    later = metrics.stat().st_mtime + 10  # retrained after the report
    os.utime(tmp_path / "runs" / "a.safetensors", (later, later))
    assert not current()
    absent = check.replace(str(tmp_path / "runs"), str(tmp_path / "absent"))  # a folder that is not there
    assert subprocess.run(["bash", "-c", absent]).returncode == 0  # holds no checkpoint
