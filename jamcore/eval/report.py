"""`jamcore eval`: every metric for the data, the rule baselines and each checkpoint, side by side.

For each system the same N test songs are harmonized (cold start, as live) and measured:
``metrics.json`` (all numbers, curves, config, machine), ``report.md`` (two tables) and PNG plots
(metric bars, chord-frequency rank against the data, the adaptation curve around the transposition).

Songs: N songs drawn from the split with ``--seed`` (a sorted, seeded choice, so the same seed gives
the same songs), each cut to one window of ``--frames`` frames (default 256 = 64 beats, the training
window; 0 = whole songs) starting at the bar line before its first melody note, so long instrumental
intros do not fill the window with silence. Bar lines are assumed at the song's frame 0 + k bars.
Randomness (checkpoint sampling) comes from one generator per (seed, system, song), so a row does not
change when other rows are added, nor with the process that computes it (``--workers``: systems side by
side in worker processes, ``jamcore.eval.parallel``). Definitions of every number: docs/metrics.md.

Model-vs-model sessions (a learned melody agent as partner) will add rows through
``jamcore.eval.systems.play_duet``; this command evaluates against fixed test melodies only for now.
"""
from __future__ import annotations

import json
import math
import os
import platform
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

import matplotlib
import numpy as np
import torch
from tqdm import tqdm

from jamcore.checkpoints import DEFAULT_TEMPERATURE, CheckpointError, load_policy_weights, resolve
from jamcore.config import DataConfig
from jamcore.data.build import load_corpus
from jamcore.errors import CommandError
from jamcore.eval import adaptation as A
from jamcore.eval import metrics as M
from jamcore.eval.parallel import run_tasks, usable_cpus
from jamcore.eval.systems import System, SystemSpec, baseline_systems, build_system, play_duet
from jamcore.forecast import DEFAULT_FORECAST
from jamcore.lean_options import add_lean_arguments, check_lean_arguments
from jamcore.models.saved import load_model
from jamcore.music.grid import DEFAULT_GRID, GRIDS
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.recall import DEFAULT_RECALL
from jamcore.stream import MelodyAgentStream

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)


@dataclass(frozen=True)
class EvalConfig:
    checkpoints: tuple[str, ...] = ()
    checkpoint_dir: str | None = None
    split: str = "test"
    songs: int = 50
    seed: int = 0
    window_frames: int = 256  # 0: whole songs
    min_beats: int = 32  # a song must reach past the change beat with room to recover
    semitones: int = A.TRANSPOSE_SEMITONES
    change_beat: int = A.CHANGE_BEAT
    window_beats: int = 4  # the sliding NIC window: one 4/4 bar for every song
    cold_start_beats: int = A.COLD_START_BEATS
    temperature: float = DEFAULT_TEMPERATURE  # what a performer hears (jamcore.checkpoints)
    top_p: float = 1.0
    grid: str = DEFAULT_GRID  # where checkpoints may change chord (jamcore.music.grid)
    recall: float = DEFAULT_RECALL  # strength of the checkpoints' recall of repeated passages (jamcore.recall)
    forecast: float = DEFAULT_FORECAST  # strength of the data's forecast of the next beat (jamcore.forecast)
    embed: str | None = None  # contrastive reward checkpoint whose chord encoder embeds songs for Vendi
    melody_agent: str | None = None  # melody-agent checkpoint for model-vs-model duets


_EMBEDDERS: dict[str, Any] = {}


def chord_embedder(name: str | None, directory: str | None = None):
    """``chord arrays -> [N, D]`` from a contrastive reward model's chord encoder (None: no embedding)."""
    if not name:
        return None
    if name not in _EMBEDDERS:
        model, _ = load_model(name, "contrastive", directory)

        def embed(chord_seqs):
            n = max(len(c) for c in chord_seqs)
            batch = np.zeros((len(chord_seqs), n), dtype=np.int64)
            for i, c in enumerate(chord_seqs):
                batch[i, : len(c)] = c
            with torch.no_grad():
                return model.embed_chords(torch.from_numpy(batch)).float().numpy()

        _EMBEDDERS[name] = embed
    return _EMBEDDERS[name]


@dataclass
class EvalSong:
    song_id: str
    source: str
    melody: np.ndarray
    chords: np.ndarray
    beats_per_bar: float = 4.0
    start_frame: int = 0  # where the window starts in the original song


# ---------------------------------------------------------------------------------------------
# Songs


def cut_window(melody: np.ndarray, chords: np.ndarray, window_frames: int, beats_per_bar: float
               ) -> tuple[np.ndarray, np.ndarray, int]:
    """The window of ``window_frames`` from the bar line at or before the first note (0 = to the end)."""
    notes = np.flatnonzero(M.note_frames(melody))
    bar = M.frames_per_bar(beats_per_bar)
    start = int(notes[0]) // bar * bar if notes.size else 0
    end = len(melody) if window_frames <= 0 else min(len(melody), start + window_frames)
    return np.asarray(melody[start:end], dtype=np.int64), np.asarray(chords[start:end], dtype=np.int64), start


def select_songs(candidates: Sequence[EvalSong], n: int, seed: int, min_beats: int) -> list[EvalSong]:
    """A seeded choice of ``n`` songs long enough for the perturbation test, in song-id order."""
    long_enough = [s for s in candidates if len(s.melody) >= min_beats * FRAMES_PER_BEAT]
    long_enough.sort(key=lambda s: (s.source, s.song_id))
    if n >= len(long_enough):
        return long_enough
    pick = np.sort(np.random.default_rng(seed).choice(len(long_enough), size=n, replace=False))
    return [long_enough[i] for i in pick]


def load_songs(cfg: EvalConfig, data_dir: str | None = None, corpus=None) -> list[EvalSong]:
    """Songs of ``cfg.split`` from the token corpus (``jamcore.data.build``), cut to evaluation windows.

    ``corpus`` (a ``TokenCorpus``) skips loading; otherwise the cached corpus for ``data_dir`` is read
    (and built first if there is no cache, which takes minutes).
    """
    if corpus is None:
        dcfg = DataConfig() if data_dir is None else DataConfig(data_dir=Path(data_dir))
        corpus = load_corpus(dcfg)
    songs = []
    for rec in corpus.split(cfg.split):
        melody, chords = corpus.tokens(rec)
        bpb = rec.beats_per_bar
        m, c, start = cut_window(np.asarray(melody), np.asarray(chords), cfg.window_frames, bpb)
        songs.append(EvalSong(rec.song_id, rec.source, m, c, bpb, start))
    if not songs:
        raise ValueError(f"the {cfg.split!r} split has no songs")
    return select_songs(songs, cfg.songs, cfg.seed, cfg.min_beats)


# ---------------------------------------------------------------------------------------------
# Evaluation


def _rng(seed: int, system: str, song: int, stream: int = 0) -> np.random.Generator:
    """One generator per (seed, system, song, stream): rows stay identical when others are added."""
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(system.encode()), song, stream]))


def evaluate_system(system: System, songs: Sequence[EvalSong], cfg: EvalConfig, progress=None) -> dict:
    """All numbers and curves of one system on the songs (``progress``: a tqdm bar to advance)."""
    t0 = time.perf_counter()
    outputs = []
    for i, s in enumerate(songs):
        if system.harmonize is None:
            chords = s.chords
        else:
            meter = {"beats_per_bar": s.beats_per_bar} if system.kind == "checkpoint" else {}
            # Seeded as `jamcore harmonize --seed`: the same song, checkpoint and seed play the same chords.
            chords = np.asarray(system.harmonize(s.melody, np.random.default_rng(cfg.seed), **meter), dtype=np.int64)
            if chords.shape != s.melody.shape:
                raise ValueError(f"system {system.name!r} returned {chords.shape} chords for {s.melody.shape} frames")
        outputs.append(chords)
        if progress is not None:
            progress.update(1)
    pairs = [(s.melody, c) for s, c in zip(songs, outputs)]
    metrics = M.corpus_metrics(pairs, [s.beats_per_bar for s in songs],
                               embed=chord_embedder(cfg.embed, cfg.checkpoint_dir))
    cold = M.NoteInChord(0, 0, 0, 0, 0)
    for m, c in pairs:
        cold = cold + A.cold_start(m, c, cfg.cold_start_beats)
    metrics["cold_start_nic"] = cold.ratio
    heard = cold.scored + cold.no_chord  # note frames in the cold-start span
    metrics["cold_start_no_chord_share"] = cold.no_chord / heard if heard else math.nan
    per_beat = A.nanmean_curves([M.note_in_chord_per_beat(m, c) for m, c in pairs])
    sliding = A.nanmean_curves([M.note_in_chord_sliding(m, c, cfg.window_beats) for m, c in pairs])
    hists = np.array([M.chord_histogram(c) for c in outputs], dtype=float)
    hist = hists.sum(axis=0).astype(np.int64)
    # Within-song rank curve: share of the k-th most used chord of each song, averaged over songs.
    # Key-free, so a held chord shows as (1, 0, 0...) however many keys the songs are in.
    totals = hists.sum(axis=1, keepdims=True)
    shares = np.sort(hists / np.maximum(totals, 1), axis=1)[:, ::-1][totals[:, 0] > 0]
    rank_within = shares.mean(axis=0) if len(shares) else np.zeros(hists.shape[1])
    result: dict[str, Any] = {
        "kind": system.kind,
        "causal": system.causal,
        "note": system.note,
        "metrics": metrics,
        "curves": {"nic_per_beat": per_beat, "nic_sliding": sliding},
        "chord_histogram": hist,
        "rank_within_song": rank_within[: int(np.count_nonzero(rank_within))],
        # Pooled over songs; the onset-gap one is compared with the data's (sync_emd, set in ``evaluate``).
        "rhythm_histograms": {
            "onset_gap": np.sum([M.onset_gap_histogram(m, c) for m, c in pairs], axis=0),
            "chord_length": np.sum([M.chord_length_histogram(c) for c in outputs], axis=0),
        },
    }
    if system.harmonize is not None:
        adapt = A.perturbation_test(
            system.harmonize, [s.melody for s in songs],
            [_rng(cfg.seed, system.name, i, 1) for i in range(len(songs))],
            semitones=cfg.semitones, change_beat=cfg.change_beat, window_beats=cfg.window_beats,
        )
        if progress is not None:
            progress.update(len(songs))
        result["adaptation"] = adapt.summary()
        result["curves"]["adapt_per_beat"] = adapt.per_beat
        result["curves"]["adapt_sliding"] = adapt.sliding
        # The live claim checked on the first song: the cheating rule must fail it, a policy pass it.
        result["causal_check"] = A.check_causal(system.harmonize, songs[0].melody, cfg.seed)
    if system.agent is not None and cfg.melody_agent:
        result["duet"] = duet_metrics(system.agent, songs, cfg)
    result["seconds"] = time.perf_counter() - t0
    return result


def duet_metrics(chord_agent, songs: Sequence[EvalSong], cfg: EvalConfig) -> dict:
    """Model vs model: the chord policy against the learned melody agent, one duet per song slot.

    Both pick frame t from the shared history before t. The melody agent reacts to the chords, so this
    is the setting where a policy's own choices come back to it.
    """
    model, _ = load_model(cfg.melody_agent, "melody", cfg.checkpoint_dir)
    agent = MelodyAgentStream(model)
    n = min(cfg.window_frames or agent.window_frames, agent.window_frames)
    pairs = [play_duet(chord_agent, agent, n, _rng(cfg.seed, "duet", i), cfg.temperature, cfg.top_p)
             for i in range(len(songs))]
    m = M.corpus_metrics(pairs, [s.beats_per_bar for s in songs], embed=chord_embedder(cfg.embed, cfg.checkpoint_dir))
    return {k: m.get(k) for k in ("nic", "entropy_song_mean", "distinct_chords_song_mean", "vendi_bag",
                                  "vendi_embed", "longest_run_beats_song_mean", "chord_silence")}


def evaluate(songs: Sequence[EvalSong], systems: Sequence[System | SystemSpec], cfg: EvalConfig,
             progress: bool = True, workers: int = 1) -> dict:
    """Run every system on the songs; returns the JSON-ready results (NaN kept as float here).

    ``systems``: rows, or specs built when their turn comes. With ``workers`` > 1 (specs only) the
    systems are evaluated side by side in that many processes; the results are the same, in the same order.
    """
    if not songs:
        raise ValueError("no songs to evaluate")
    units = sum(_units(s, songs) for s in systems)
    results: dict[str, Any] = {
        "config": asdict(cfg),
        "machine": _machine(),
        "songs": [{"id": s.song_id, "source": s.source, "frames": len(s.melody), "beats_per_bar": s.beats_per_bar,
                   "start_frame": s.start_frame} for s in songs],
        "systems": {},
    }
    with tqdm(total=units, desc="eval", unit="song", disable=not progress, leave=False) as bar:
        if workers > 1:
            rows = _evaluate_in_workers(songs, systems, cfg, workers, bar)
        else:
            rows = {}
            for system in systems:
                bar.set_postfix_str(system.name)
                if isinstance(system, SystemSpec):
                    system = build_system(system)
                rows[system.name] = evaluate_system(system, songs, cfg, bar)
    results["systems"] = {s.name: rows[s.name] for s in systems}  # the report's row order
    add_sync_emd(results["systems"])
    return results


def _units(system: System | SystemSpec, songs: Sequence[EvalSong]) -> int:
    """Progress units: a song played, and again with the perturbation test (none for the data row)."""
    return len(songs) * (1 if system.kind == "data" else 2)


def _evaluate_in_workers(songs: Sequence[EvalSong], specs: Sequence[System | SystemSpec], cfg: EvalConfig,
                         workers: int, bar) -> dict[str, dict]:
    if not all(isinstance(s, SystemSpec) for s in specs):
        raise TypeError("worker processes take SystemSpecs, not built systems")
    longest_first = sorted(specs, key=lambda s: s.kind != "checkpoint")  # stable: given order otherwise
    units = {s.name: _units(s, songs) for s in specs}

    def done(name: str, row: dict) -> None:
        bar.set_postfix_str(name)
        bar.update(units[name])

    return run_tasks(_evaluate_spec, [(s.name, (s, songs, cfg)) for s in longest_first], workers, done)


def _evaluate_spec(spec: SystemSpec, songs: Sequence[EvalSong], cfg: EvalConfig) -> dict:
    """One row in a worker process (module level, so the worker can import it)."""
    return evaluate_system(build_system(spec), songs, cfg)


def add_sync_emd(systems: dict[str, dict]) -> None:
    """ReaLchords' synchronisation of every row against the data row's onset gaps (none without one)."""
    ref = next((r for r in systems.values() if r["kind"] == "data"), None)
    if ref is None:
        return
    for r in systems.values():
        gaps = r["rhythm_histograms"]["onset_gap"]
        r["metrics"]["sync_emd"] = M.sync_emd(gaps, ref["rhythm_histograms"]["onset_gap"])


def _machine() -> dict[str, Any]:
    return {"platform": platform.platform(), "python": platform.python_version(), "numpy": np.__version__,
            "cpus": os.cpu_count()}


# ---------------------------------------------------------------------------------------------
# Writing: JSON, Markdown, plots


def _jsonable(x: Any) -> Any:
    """numpy -> lists/floats; NaN/inf -> None (strict JSON has no NaN)."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x) if math.isfinite(x) else None
    return x


def _fmt(v: Any, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and v.is_integer() and abs(v) >= 10:
        return f"{int(v)}"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


# (key in metrics / adaptation, column header)
TABLE_HARMONY_DIVERSITY = [
    ("nic", "NIC"), ("nic_song_mean", "NIC song-mean"), ("cold_start_nic", "cold-start NIC"),
    ("entropy_pooled", "H pooled (nats)"), ("entropy_song_mean", "H song-mean (nats)"),
    ("entropy_song_mean_norm", "H song-mean / log 168"),
    ("distinct_chords_song_mean", "chords/song"), ("distinct_chords_total", "chords total"),
    ("distinct_prog4_song_mean", "4-progs/song"), ("distinct_prog4_total", "4-progs total"),
    ("vendi_bag", "Vendi (bag, abs)"), ("vendi_bag_rel", "Vendi (bag, rel)"), ("vendi_embed", "Vendi (contrastive emb.)"),
    ("pcs_per_chord", "pcs/chord"),
]
TABLE_RULES = [
    ("longest_run_beats_song_mean", "longest run (beats, mean)"), ("longest_run_beats_max", "longest run (max)"),
    ("repeat_runs_over_song_mean", ">4 repeats/song"), ("chord_silence", "chord silence"),
    ("invalid_share", "invalid"),
]
TABLE_RHYTHM = [
    ("chase_share", "chase"), ("with_note_share", "with a note"), ("on_beat_share", "on beat"),
    ("on_bar_share", "on bar line"), ("changes_per_bar", "onsets/bar"), ("related_change_share", "related changes"),
    ("chord_beats", "chord length (beats)"), ("sync_emd", "sync EMD (x1e3)"), ("rhythm_diversity", "rhythm diversity (nats)"),
    ("nic_beat_late", "NIC a beat late"), ("lateness", "lateness"),
]
TABLE_ADAPTATION = [
    ("pre_level", "NIC before"), ("drop", "drop"), ("recovery_beats", "recovery (beats, mean curve)"),
    ("recovery_beats_song_median", "recovery (song median)"), ("recovered_share", "songs recovered"),
]


def markdown_report(results: dict) -> str:
    cfg = results["config"]
    systems = results["systems"]
    n = len(results["songs"])
    sources = sorted({s["source"] for s in results["songs"]})
    lines = [
        "# jamcore evaluation",
        "",
        f"{n} songs from the `{cfg['split']}` split ({', '.join(sources)}), windows of "
        f"{cfg['window_frames'] or 'all'} frames from the bar before the first note, cold start; seed "
        f"{cfg['seed']}; checkpoints at temperature {cfg['temperature']:g}, top-p {cfg['top_p']:g}, grid "
        f"{cfg.get('grid', DEFAULT_GRID)}, recall {cfg.get('recall', 0.0):g}, forecast {cfg.get('forecast', 0.0):g}; machine: {results['machine']['platform']}, {results['machine']['cpus']} CPUs. "
        "Definitions: docs/metrics.md. NIC alone is gameable (see note-triad-cheat): read it beside the "
        "diversity columns.",
        "",
        "## Harmony and diversity",
        "",
    ]

    def table(columns, source_key):
        head = "| system | " + " | ".join(h for _, h in columns) + " |"
        sep = "| --- | " + " | ".join("---:" for _ in columns) + " |"
        rows = [head, sep]
        for name, r in systems.items():
            src = r.get(source_key) or {}
            rows.append(f"| {name} | " + " | ".join(_fmt(src.get(k)) for k, _ in columns) + " |")
        return rows

    lines += table(TABLE_HARMONY_DIVERSITY, "metrics")
    lines += ["", "## Harmonic rhythm", "",
              "Shares of chord onsets: one frame after a melody onset and not on one (chase), struck with a "
              "melody onset, on a beat, on a bar line. Related changes: the share of chord changes to a chord "
              "that keeps at least two pitch classes of the one before (D to Bm, C to Em; the counter-metric of "
              "onsets/bar: changes that barely move the harmony). Sync EMD: ReaLchords' synchronisation against the data "
              "row (0 = the data's timing); rhythm diversity: entropy of chord lengths. NIC a beat late: each "
              "chord against the melody one beat before it; lateness: that minus NIC (above 0: the chords "
              "fit the melody just played better than the one they sound with, a beat behind).", ""]
    lines += table(TABLE_RHYTHM, "metrics")
    lines += ["", "## Rule penalties", ""]
    lines += table(TABLE_RULES, "metrics")
    if any(r.get("duet") for r in systems.values()):
        lines += ["", f"## Model vs model: each policy against the melody agent `{cfg.get('melody_agent')}`", ""]
        duet_cols = [("nic", "NIC"), ("entropy_song_mean", "H song-mean (nats)"),
                     ("distinct_chords_song_mean", "chords/song"), ("vendi_bag", "Vendi (bag)"),
                     ("vendi_embed", "Vendi (contrastive emb.)"), ("longest_run_beats_song_mean", "longest run (beats)")]
        head = "| system | " + " | ".join(h for _, h in duet_cols) + " |"
        lines += [head, "| --- | " + " | ".join("---:" for _ in duet_cols) + " |"]
        for name, r in systems.items():
            if r.get("duet"):
                lines.append(f"| {name} | " + " | ".join(_fmt(r["duet"].get(k)) for k, _ in duet_cols) + " |")
    lines += ["", f"## Adaptation: melody transposed {cfg['semitones']:+d} semitones from beat "
              f"{cfg['change_beat']}, NIC over a sliding {cfg['window_beats']}-beat window", "",
              "Recovery: beats after the change until the first window wholly after it is back within 10% "
              "of the NIC before the change. The data row has no answer to a changed melody.", ""]
    lines += table(TABLE_ADAPTATION, "adaptation")
    lines += ["", "## Systems", ""]
    for name, r in systems.items():
        check = r.get("causal_check")
        check_txt = "" if check is None else f"; causality check {'passed' if check else 'FAILED'}"
        causal = {True: "causal", False: "not causal", None: "reference"}[r["causal"]]
        lines.append(f"- **{name}** ({r['kind']}, {causal}{check_txt}): "
                     f"{r['note']}; {r['seconds']:.1f} s")
    lines.append("")
    return "\n".join(lines)


_BAR_METRICS = [
    ("nic", "NIC"), ("cold_start_nic", "cold-start NIC"), ("entropy_song_mean", "H song-mean (nats)"),
    ("chase_share", "chase share"), ("distinct_chords_song_mean", "chords/song"), ("vendi_bag", "Vendi (bag)"),
    ("longest_run_beats_song_mean", "longest run (beats)"), ("pcs_per_chord", "pcs/chord"),
    ("changes_per_bar", "onsets/bar"),
]


def write_plots(results: dict, out: Path) -> list[Path]:
    """metric_bars.png, chord_rank.png, adaptation.png (matplotlib, headless)."""
    systems = results["systems"]
    names = list(systems)
    colors = {n: ("black" if systems[n]["kind"] == "data" else f"C{i}") for i, n in enumerate(names)}
    paths = []

    fig, axes = plt.subplots(3, 3, figsize=(12, 9))
    for ax, (key, title) in zip(axes.flat, _BAR_METRICS):
        vals = [systems[n]["metrics"].get(key) for n in names]
        vals = [np.nan if v is None else v for v in vals]
        ax.bar(range(len(names)), vals, color=[colors[n] for n in names])
        ax.set_title(title, fontsize=10)
        ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=8)
    fig.suptitle(f"jamcore eval: {len(results['songs'])} {results['config']['split']} songs")
    fig.tight_layout()
    paths.append(out / "metric_bars.png")
    fig.savefig(paths[-1], dpi=90)
    plt.close(fig)

    fig, (ax_song, ax_pool) = plt.subplots(1, 2, figsize=(12, 4.5))
    for n in names:
        width = 2.5 if systems[n]["kind"] == "data" else 1.2
        r = np.asarray(systems[n]["rank_within_song"], dtype=float)
        if r.size:
            ax_song.plot(np.arange(1, r.size + 1), r, marker=".", label=n, color=colors[n], lw=width)
        h = np.sort(np.asarray(systems[n]["chord_histogram"], dtype=float))[::-1]
        h = h[h > 0]
        if h.size:
            ax_pool.plot(np.arange(1, h.size + 1), h / h.sum(), marker=".", label=n, color=colors[n], lw=width)
    ax_song.set_title("within each song (mean over songs): collapse = a short, steep curve", fontsize=10)
    ax_pool.set_title("pooled over songs (keys add up: hides collapse)", fontsize=10)
    for ax in (ax_song, ax_pool):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("chord rank")
        ax.set_ylabel("share of chord frames")
        ax.legend(fontsize=8)
    fig.suptitle("chord-frequency rank")
    fig.tight_layout()
    paths.append(out / "chord_rank.png")
    fig.savefig(paths[-1], dpi=90)
    plt.close(fig)

    cfg = results["config"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for n in names:
        curves = systems[n]["curves"]
        if "adapt_sliding" in curves:
            y = np.asarray(curves["adapt_sliding"], dtype=float)
            ax.plot(np.arange(y.size), y, label=n, color=colors[n])
        elif systems[n]["kind"] == "data":
            y = np.asarray(curves["nic_sliding"], dtype=float)
            ax.plot(np.arange(y.size), y, label=f"{n} (no transposition)", color="black", ls="--")
    ax.axvline(cfg["change_beat"], color="grey", ls=":")
    ax.set_xlabel("beat (value = NIC of the bar ending at this beat)")
    ax.set_ylabel("note-in-chord")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"adaptation: melody {cfg['semitones']:+d} semitones from beat {cfg['change_beat']}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    paths.append(out / "adaptation.png")
    fig.savefig(paths[-1], dpi=90)
    plt.close(fig)
    return paths


def write_report(results: dict, out: Path, plots: bool = True) -> list[Path]:
    """Write metrics.json, report.md and (optionally) the plots into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "metrics.json", out / "report.md"]
    written[0].write_text(json.dumps(_jsonable(results), indent=1, sort_keys=False) + "\n")
    written[1].write_text(markdown_report(results))
    if plots:
        written += write_plots(results, out)
    return written


# ---------------------------------------------------------------------------------------------
# Command line


def add_arguments(parser) -> None:
    parser.add_argument("--checkpoints", default="",
                        help="comma-separated policy checkpoints (names or paths), e.g. mle,rl,gapt-1.0; "
                             "empty: the data and the baselines only")
    parser.add_argument("--checkpoint-dir", default=None, help="directory to look for checkpoints in first")
    parser.add_argument("--split", default="test", choices=("train", "valid", "test"))
    parser.add_argument("--songs", type=int, default=50, help="number of songs (default 50)")
    parser.add_argument("--seed", type=int, default=0, help="song choice and sampling seed (default 0)")
    parser.add_argument("--frames", type=int, default=256, help="window length in frames, 0 = whole songs")
    parser.add_argument("--out", default="runs/eval", help="output directory (default runs/eval)")
    parser.add_argument("--data-dir", default=None, help="datasets directory (default: ../shared/datasets)")
    parser.add_argument("--temperature", type=float, default=DEFAULT_TEMPERATURE,
                        help=f"checkpoint sampling temperature (default {DEFAULT_TEMPERATURE:g}, as live)")
    parser.add_argument("--top-p", type=float, default=1.0, help="checkpoint nucleus sampling")
    parser.add_argument("--grid", default=DEFAULT_GRID, choices=GRIDS,
                        help=f"where checkpoints may change chord: every 16th, beat, half bar or bar "
                             f"(default {DEFAULT_GRID})")
    add_lean_arguments(parser)
    parser.add_argument("--transpose", type=int, default=A.TRANSPOSE_SEMITONES,
                        help="semitones of the mid-song transposition (default +6)")
    parser.add_argument("--embed", default="contrastive-s0",
                        help="contrastive reward checkpoint for the learned-embedding Vendi score ('none' to skip)")
    parser.add_argument("--melody-agent", default="melody",
                        help="melody-agent checkpoint for model-vs-model duets ('none' to skip)")
    parser.add_argument("--no-baselines", action="store_true", help="skip the three rule baselines")
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    parser.add_argument("--workers", type=int, default=0,
                        help="processes scoring systems side by side, one thread each; 1: all in this "
                             "process. Default 0: one per usable CPU, at most one per checkpoint (the rows "
                             "are independent, so a process per core keeps every core busy; the rule rows "
                             "cost less than starting a worker)")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads with --workers 1 (0: torch's default)")


def _optional_checkpoint(name: str | None, directory: str | None, what: str) -> str | None:
    if not name or name.lower() == "none":
        return None
    try:
        resolve(name, directory)
    except CheckpointError:
        print(f"note: no {name!r} checkpoint: the {what} part of the report is left out")
        return None
    return name


def _embed_name(args) -> str | None:
    """The --embed checkpoint if it can be found, else None (the model-free Vendi scores remain)."""
    if not args.embed or args.embed.lower() == "none":
        return None
    try:
        resolve(args.embed, args.checkpoint_dir)
    except CheckpointError:
        print(f"note: no {args.embed!r} checkpoint: the learned-embedding Vendi score is left out")
        return None
    return args.embed


def run(args) -> int:
    check_lean_arguments(args)
    names = tuple(n.strip() for n in args.checkpoints.split(",") if n.strip())
    cfg = EvalConfig(checkpoints=names, checkpoint_dir=args.checkpoint_dir, split=args.split, songs=args.songs,
                     seed=args.seed, window_frames=args.frames, semitones=args.transpose,
                     temperature=args.temperature, top_p=args.top_p, grid=args.grid, recall=args.recall, forecast=args.forecast,
                     embed=_embed_name(args),
                     melody_agent=_optional_checkpoint(args.melody_agent, args.checkpoint_dir, "melody agent"))
    specs = [SystemSpec("data", "data")]
    specs += [] if args.no_baselines else [SystemSpec(s.name, "baseline") for s in baseline_systems()]
    for n in names:
        load_policy_weights(n, args.checkpoint_dir)  # an unusable checkpoint fails now, not minutes into the run
        specs.append(SystemSpec(n, "checkpoint", args.checkpoint_dir, args.temperature, args.top_p, args.grid,
                                args.recall, args.forecast))
    if args.workers < 0:
        raise CommandError(f"--workers must be 0 (one per CPU) or more, not {args.workers}")
    workers = args.workers or max(1, min(usable_cpus(), len(names)))
    if workers == 1 and args.threads:
        torch.set_num_threads(args.threads)
    try:
        songs = load_songs(cfg, args.data_dir)
    except (ModuleNotFoundError, FileNotFoundError, ValueError) as exc:
        raise CommandError(f"cannot load the {args.split!r} songs: {exc}") from exc
    results = evaluate(songs, specs, cfg, workers=workers)
    paths = write_report(results, Path(args.out), plots=not args.no_plots)
    print(markdown_report(results))
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
