"""training/rhythm_docs.py: the issue-15 sections of the generated docs come from the files they name."""
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import rhythm_docs  # noqa: E402

KEYS = ("nic", "entropy_song_mean", "changes_per_bar", "on_beat_share", "chase_share", "chord_beats", "sync_emd",
        "rhythm_diversity")


def metrics(nic, chase):
    return {"metrics": {**{k: 1.0 for k in KEYS}, "nic": nic, "chase_share": chase}}


def write_eval(folder: Path, grid: str, systems: dict) -> None:
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps({"config": {"grid": grid}, "systems": systems}))


def test_the_sweep_verdict_names_the_discriminator_that_chases_less(tmp_path):
    sweep = "/out/sweep/"  # the sweep evaluates paths: rows are matched by file name
    write_eval(tmp_path / "sweep-eval-16th", "16th", {
        "/out/rl": metrics(0.64, 0.20), sweep + "rl-s1": metrics(0.62, 0.10),
        sweep + "gapt-1.0-chord-s0": metrics(0.62, 0.12), sweep + "gapt-1.0-meter-s0": metrics(0.63, 0.19)})
    write_eval(tmp_path / "sweep-eval", "beat", {"/out/rl": metrics(0.60, 0.04)})
    text = rhythm_docs.sweep_section(tmp_path, metrics(0.79, 0.04)["metrics"])
    assert "### Grid `16th`" in text and "### Grid `beat`" in text
    assert "| mean: rl (2 seeds) | 0.630 |" in text  # seeds averaged per arm
    assert "Less chase: the chord-only one." in text
    assert "0.120 with the chord-only discriminator and 0.190" in text


def test_the_chase_curve_reads_each_runs_log(tmp_path):
    img = tmp_path / "img"
    img.mkdir()
    for name, chase in (("rl", 0.3), ("rl-norhythm", 0.5)):
        with open(tmp_path / f"{name}.log.csv", "w", newline="") as f:
            w = csv.DictWriter(f, ["step", "nic", "chase_share_free"])
            w.writeheader()
            for step in range(1, 21):
                w.writerow({"step": step, "nic": 0.6, "chase_share_free": chase if step > 10 else "nan"})
    text = rhythm_docs.chase_curve_section(tmp_path, img)
    assert "| `rl` | - | 0.300 | 0.600 |" in text and "| `rl-norhythm` | - | 0.500 |" in text
    assert (img / "chase-curves.png").stat().st_size > 1000
    assert rhythm_docs.chase_curve_section(tmp_path / "none", img) == ""  # no logs: no section


def test_a_run_resumed_by_newer_code_keeps_a_log_the_docs_can_read(tmp_path):
    """A run started before a log column existed and resumed after (the RL log gained `lateness`): the
    header grows, earlier rows are empty there, and `read_log` (make_docs) reads every row."""
    from jamcore.train.loop import append_csv

    log = tmp_path / "rl.log.csv"
    append_csv(log, {"step": 1, "nic": 0.5, "chase_share_free": 0.2})
    append_csv(log, {"step": 2, "nic": 0.6, "chase_share_free": 0.1, "lateness": 0.05})
    append_csv(log, {"step": 3, "nic": 0.7, "chase_share_free": 0.1, "lateness": 0.04})
    with open(log, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["step", "nic", "chase_share_free", "lateness"] and all(len(r) == 4 for r in rows)
    read = rhythm_docs.read_log(log)
    assert [r["step"] for r in read] == [1.0, 2.0, 3.0] and read[2]["lateness"] == 0.04


def test_the_hedge_section_tabulates_related_changes_beside_changes_a_bar():
    def system(related, changes):
        return {"metrics": {"related_change_share": related, "changes_per_bar": changes, "nic": 0.6,
                            "entropy_song_mean": 1.4}}
    systems = {"data": system(0.18, 1.41), "rl": system(0.61, 1.43), "gapt-1.0": system(0.53, 1.66),
               "other": system(0.9, 9.0)}
    text = rhythm_docs.hedge_section(systems)
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == ["data", "rl", "gapt-1.0"]  # the listed systems, in its order
    assert "| `rl` | 0.61 | 1.43 |" in text
    assert rhythm_docs.hedge_section({"rl": system(0.61, 1.43)}) == ""  # nothing to compare with
