"""The harmonic-rhythm sections of docs/reward-hacking.md and docs/gapt.md (issue 15), for make_docs.py.

- ``judges_section``: does each coherence judge (harmony and rhythm-only) score a test window's own chords
  above its chasing track (``jamcore.rhythm.chasing_chords``)? A table and a figure.
- ``chase_curve_section``: the chase share of the training rollouts over PPO steps, with and without the
  rhythm judges and the discriminator (the ``chase_share_free`` column of each run's log).
- ``hedge_section``: the share of chord changes to a related chord (two or more pitch classes kept), per
  system: the onsets the rhythm judges pay for that move no harmony.
- ``sweep_section``: ``training/disc_sweep.sh``'s runs side by side, at the 16th grid (where a chase can
  show) and at the default grid, with the verdict on the two discriminators.

Every figure is computed from files; nothing here is typed in by hand.
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)
import numpy as np  # noqa: E402

RHYTHM_COLUMNS = [
    ("nic", "NIC", "{:.3f}"),
    ("entropy_song_mean", "H song-mean", "{:.3f}"),
    ("changes_per_bar", "changes/bar", "{:.2f}"),
    ("related_change_share", "related changes", "{:.2f}"),
    ("on_beat_share", "on a beat", "{:.2f}"),
    ("chase_share", "chase", "{:.3f}"),
    ("lateness", "lateness", "{:+.3f}"),
    ("chord_beats", "chord length (beats)", "{:.2f}"),
    ("sync_emd", "sync EMD", "{:.0f}"),
    ("rhythm_diversity", "rhythmic diversity", "{:.2f}"),
]
SWEEP_RUNS = {  # run -> (arm, seed); the files training/disc_sweep.sh writes
    "rl": ("rl", 0), "rl-s1": ("rl", 1), "rl-norhythm": ("rl without the rhythm judges", 0),
    "gapt-1.0-chord-s0": ("gapt-1.0, chord-only D", 0), "gapt-1.0-chord-s1": ("gapt-1.0, chord-only D", 1),
    "gapt-1.0-meter-s0": ("gapt-1.0, D hears the bar", 0), "gapt-1.0-meter-s1": ("gapt-1.0, D hears the bar", 1),
}


def fmt_value(value, fmt: str) -> str:
    """A table cell: ``fmt`` of the value, '-' for a missing or NaN one."""
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt.format(value)


def rhythm_table(rows: dict[str, dict]) -> str:
    """Markdown table, one row per ``name -> metrics``."""
    lines = ["| system | " + " | ".join(c[1] for c in RHYTHM_COLUMNS) + " |",
             "| --- |" + " ---: |" * len(RHYTHM_COLUMNS)]
    for name, m in rows.items():
        lines.append(f"| {name} | " + " | ".join(fmt_value(m.get(k), f) for k, _, f in RHYTHM_COLUMNS) + " |")
    return "\n".join(lines)


def read_log(path: Path) -> list[dict]:
    """A training run's ``NAME.log.csv`` as rows of floats (empty if the run has no log)."""
    if not path.is_file():
        return []
    with open(path) as f:
        return [{k: float(v) if v not in ("", None) else math.nan for k, v in r.items()} for r in csv.DictReader(f)]


def _smooth(values: list[float], k: int = 9) -> np.ndarray:
    """Running mean over ``k`` steps, ignoring NaN (steps that drew no 16th-grid episode)."""
    v = np.asarray(values, dtype=float)
    out = np.full_like(v, np.nan)
    for i in range(len(v)):
        w = v[max(0, i - k + 1):i + 1]
        w = w[~np.isnan(w)]
        if w.size:
            out[i] = w.mean()
    return out


# ---------------------------------------------------------------------------------------------
# Do the judges hear the chase?


def judge_chase_ranking(rewards_dir: Path, data_dir: str | None, windows: int = 256,
                        frames: tuple[int, ...] = (128, 256)) -> dict[str, dict[int, dict]]:
    """For every judge in ``rewards_dir``: on ``windows`` test windows of each length, the share where
    the data's own chords score above their chasing track (among windows where the chase moves an
    onset), and the mean scores. Loads torch (a training-side report)."""
    from jamcore.config import DataConfig
    from jamcore.data.build import load_corpus
    from jamcore.models.saved import load_model
    from jamcore.train.reward_models import chase_scores, heldout_windows

    data_cfg = DataConfig(**({"data_dir": Path(data_dir)} if data_dir else {}))
    corpus = load_corpus(data_cfg, progress=False)
    test = {n: heldout_windows(corpus, "test", data_cfg, n, windows, seed=0) for n in frames}
    out: dict[str, dict[int, dict]] = {}
    for card in sorted(rewards_dir.glob("*.json")):
        if "wrong" in card.stem:
            continue  # the reward-hacking baseline's judge: not in the ensembles
        model, _ = load_model(card.with_suffix(""))
        out[card.stem] = {}
        for n, w in test.items():
            try:
                own, chase = chase_scores(model, w.melody, w.chords)
            except ValueError:  # a judge that reads shorter windows (the smoke profile's)
                out[card.stem][n] = {"above": math.nan, "windows": 0, "own": math.nan, "chase": math.nan}
                continue
            moved = own != chase
            out[card.stem][n] = {"above": float(np.mean((own > chase)[moved])) if moved.any() else math.nan,
                                 "windows": int(moved.sum()), "own": float(own.mean()), "chase": float(chase.mean())}
    return out


def judges_section(ranking: dict[str, dict[int, dict]], img: Path) -> str:
    names = list(ranking)
    lengths = sorted({n for r in ranking.values() for n in r})
    fig, ax = plt.subplots(figsize=(8, 3.6))
    width = 0.8 / max(1, len(lengths))
    for j, n in enumerate(lengths):
        ax.bar(np.arange(len(names)) + j * width, [ranking[k][n]["above"] for k in names], width,
               label=f"{n}-frame windows")
    ax.axhline(0.5, color="grey", lw=1, ls="--")
    ax.set_xticks(np.arange(len(names)) + width * (len(lengths) - 1) / 2)
    ax.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share: data's chords above the chase")
    ax.set_title("Do the judges hear the chase? (test windows; 0.5 = blind)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(img / "judges-chase.png", dpi=90)
    plt.close(fig)
    lines = ["| judge | " + " | ".join(f"{n} frames: data above chase (windows)" for n in lengths) + " |",
             "| --- |" + " ---: |" * len(lengths)]
    for k in names:
        lines.append(f"| `{k}` | " + " | ".join(f"{ranking[k][n]['above']:.3f} ({ranking[k][n]['windows']})"
                                                 for n in lengths) + " |")
    return ("## Do the judges hear the chase?\n\n"
            "`chase_scores` (jamcore/train/reward_models.py) scores each test window's own chords and its chasing "
            "track: the same chords, but every change that comes with a melody note struck one 16th later, as a "
            "policy that waits for the note. The share of windows (where the chase moves an onset) in which the "
            "data's own chords score higher:\n\n" + "\n".join(lines) + "\n\n![judges and the chase](img/judges-chase.png)\n\n"
            "The harmony judges were trained on mismatched and (discriminative) shifted or wrong-harmony chords; "
            "the chase keeps the data's harmony, so they are near chance by design. The rhythm-only judges "
            "(`--rhythm`) train with chasing tracks among their fakes (`chase_fraction`; contrastive: as hard "
            "negatives), because trained on mismatches and whole-beat shifts alone a rhythm judge of this size "
            "ranked the chase at chance. These windows are from the test split, which no judge trained on.\n")


# ---------------------------------------------------------------------------------------------
# The chase over RL steps


def chase_curve_section(state: Path, img: Path) -> str:
    curves = {name: read_log(state / f"{name}.log.csv") for name in SWEEP_RUNS}
    curves = {k: v for k, v in curves.items() if v and "chase_share_free" in v[0]}
    if not curves:
        return ""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for name, rows in curves.items():
        steps = [r["step"] for r in rows]
        style = "--" if "norhythm" in name else ("-." if "meter" in name else "-")
        axes[0].plot(steps, _smooth([r["chase_share_free"] for r in rows]), style, label=name)
        axes[1].plot(steps, _smooth([r["nic"] for r in rows]), style, label=name)
    axes[0].set_title("chase share of the rollouts free to change on any 16th", fontsize=9)
    axes[1].set_title("note-in-chord of all rollouts", fontsize=9)
    for ax in axes:
        ax.set_xlabel("PPO step (running mean of 9)", fontsize=8)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(img / "chase-curves.png", dpi=90)
    plt.close(fig)
    def tail(rows, key):
        v = [r[key] for r in rows[-10:] if not math.isnan(r[key])]
        return float(np.mean(v)) if v else math.nan
    lines = ["| run | chase, first 10 steps | chase, last 10 steps | NIC, last 10 steps |", "| --- | ---: | ---: | ---: |"]
    for name, rows in curves.items():
        first = [r["chase_share_free"] for r in rows[:10] if not math.isnan(r["chase_share_free"])]
        lines.append(f"| `{name}` | {fmt_value(float(np.mean(first)) if first else math.nan, '{:.3f}')} | "
                     f"{fmt_value(tail(rows, 'chase_share_free'), '{:.3f}')} | {fmt_value(tail(rows, 'nic'), '{:.3f}')} |")
    return ("## The chase over RL steps\n\n"
            "Which reward pays for the chase: the harmony credit (`RewardSet.harmony_credit`) pays each chord "
            "decision for the note-in-chord of the bar ahead, and a chord changed one 16th after a new note is "
            "heard fits that note; nothing else in the pre-issue-15 reward looks at timing. `rl-norhythm` is `rl` without them "
            "(no rhythm judges, no grid drawn); `rl` and `gapt-1.0-*` add the rhythm-only judges and draw a "
            "grid per episode (the chase is measured on the episodes that drew the 16th grid, a quarter of them). "
            "From `NAME.log.csv` of each run (training melodies, temperature 1):\n\n"
            + "\n".join(lines) + "\n\n![the chase over RL steps](img/chase-curves.png)\n")


HEDGE_SYSTEMS = ("data", "mle", "mle-dagger", "rl", "gapt-0.25", "gapt-1.0", "gapt-4.0", "rl-hack", "note-triad-live")


def hedge_section(systems: dict) -> str:
    """The hedge: related changes beside changes a bar and note-in-chord, per system of the evaluation."""
    rows = [n for n in HEDGE_SYSTEMS if n in systems and "related_change_share" in systems[n]["metrics"]]
    if "data" not in rows:
        return ""
    cols = [("related_change_share", "related changes", "{:.2f}"), ("changes_per_bar", "changes/bar", "{:.2f}"),
            ("nic", "NIC", "{:.3f}"), ("entropy_song_mean", "H song-mean", "{:.3f}")]
    lines = ["| system | " + " | ".join(c[1] for c in cols) + " |", "| --- |" + " ---: |" * len(cols)]
    for n in rows:
        m = systems[n]["metrics"]
        lines.append(f"| `{n}` | " + " | ".join(fmt_value(m.get(k), f) for k, _, f in cols) + " |")
    return ("## The hedge: changes that move no harmony\n\n"
            "A second hack, under the chase. A change to a *related* chord, one that keeps two or more pitch "
            "classes of the chord before (D to Bm or D7, C to Em), keeps the melody's likeliest notes in the "
            "chord: the harmony credit loses nothing by it, and the accompanist seems to move while the harmony "
            "stands still; the moves a tune needs (I to IV or V, which keep one note or none) come less often. "
            "*Related changes* (`docs/metrics.md`) is the share of chord changes of that kind, the "
            "counter-metric of changes a bar and of within-song entropy (moving among three safe chords keeps "
            "the entropy up). On the same songs and settings as above:\n\n"
            + "\n".join(lines) + "\n\n"
            "Which terms move it, run by run (the rhythm judges, the start from `mle-dagger`, the anchor KL, the "
            "discriminator's weight; the rhythm judges hearing only moves; a discriminator that hears the key): "
            "`training/gapt_levers.md`, item 18.\n")


# ---------------------------------------------------------------------------------------------
# The discriminator sweep


def _arm_means(systems: dict) -> dict[str, dict]:
    arms: dict[str, list[dict]] = {}
    for name, (arm, _) in SWEEP_RUNS.items():
        if name in systems:
            arms.setdefault(arm, []).append(systems[name]["metrics"])
    return {arm: {k: float(np.mean([m[k] for m in ms if k in m])) for k, _, _ in RHYTHM_COLUMNS}
            | {"seeds": len(ms)} for arm, ms in arms.items()}


def _temperatures(evals: dict[str, dict]) -> str:
    """The sampling temperature of the sweep's evaluations: one value, or one per grid if they differ."""
    temps = {grid: ev["config"].get("temperature", "?") for grid, ev in evals.items()}
    if len(set(temps.values())) == 1:
        return f"{next(iter(temps.values()))}"
    return ", ".join(f"{t} at grid `{g}`" for g, t in temps.items())


def _recalls(evals: dict[str, dict]) -> str:
    """The recall strength of the sweep's evaluations (``jamcore.recall``; 0 before it existed)."""
    values = sorted({f"{ev['config'].get('recall', 0.0):g}" for ev in evals.values()})
    return " / ".join(values)


def sweep_section(state: Path, data_metrics: dict | None = None) -> str:
    evals = {grid: state / d / "metrics.json" for grid, d in (("16th", "sweep-eval-16th"), ("default", "sweep-eval"))}
    evals = {g: json.loads(p.read_text()) for g, p in evals.items() if p.is_file()}
    if not evals:
        return ""
    evaluated = {Path(k).name for ev in evals.values() for k in ev["systems"]}  # the sweep evaluates paths
    parts = ["## Rhythm: two discriminators, same seeds (issue 15)\n",
             "`training/disc_sweep.sh`: `rl` (no discriminator) and `gapt-1.0` with the paper's chord-only "
             "discriminator and with one that also hears each frame's place in the bar (`disc_meter`), seeds 0 "
             "and 1 each, every run with the rhythm-only judges and a grid drawn per episode; `rl-norhythm` is `rl` "
             f"without the rhythm judges and the grid draw (seed 0). Test split, 50 songs, temperature {_temperatures(evals)}, recall {_recalls(evals)}. "
             "Runs in this evaluation: " + ", ".join(f"`{n}`" for n in SWEEP_RUNS if n in evaluated) + "."]
    verdict = None
    for grid, ev in evals.items():
        systems = {Path(k).name: v for k, v in ev["systems"].items()}  # the sweep evaluates paths
        label = ev["config"].get("grid", grid)
        rows = {}
        if data_metrics:
            rows["`data`"] = data_metrics
        rows.update({f"`{n}`": systems[n]["metrics"] for n in SWEEP_RUNS if n in systems})
        means = _arm_means(systems)
        rows.update({f"mean: {arm} ({m['seeds']} seeds)": m for arm, m in means.items()})
        parts.append(f"\n### Grid `{label}`\n\n" + rhythm_table(rows))
        if grid == "16th":
            chord, meter = means.get("gapt-1.0, chord-only D"), means.get("gapt-1.0, D hears the bar")
            base = means.get("rl")
            if chord and meter and base:
                better = "the one that hears the bar" if meter["chase_share"] < chord["chase_share"] else "the chord-only one"
                verdict = (f"At the 16th grid, where the policy may chase, the mean chase share is {chord['chase_share']:.3f} "
                           f"with the chord-only discriminator and {meter['chase_share']:.3f} with the one that hears "
                           f"the bar (`rl` without one: {base['chase_share']:.3f}); note-in-chord {chord['nic']:.3f} vs "
                           f"{meter['nic']:.3f} (`rl` {base['nic']:.3f}); within-song entropy {chord['entropy_song_mean']:.3f} vs "
                           f"{meter['entropy_song_mean']:.3f} (`rl` {base['entropy_song_mean']:.3f}). Less chase: {better}.")
    if verdict:
        parts.append("\n" + verdict)
    return "\n".join(parts) + "\n"


__all__ = ["RHYTHM_COLUMNS", "SWEEP_RUNS", "fmt_value", "read_log", "rhythm_table", "judge_chase_ranking", "judges_section",
           "chase_curve_section", "sweep_section"]
