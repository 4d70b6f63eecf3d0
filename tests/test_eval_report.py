"""`jamcore eval` end to end on a few songs: data and baseline rows, files, determinism."""
import json
import multiprocessing as mp
import time
from pathlib import Path

import numpy as np
import pytest

from jamcore import tokens as T
from jamcore.config import ModelConfig
from jamcore.eval import report as R
from jamcore.eval.parallel import run_tasks
from jamcore.eval.systems import SystemSpec, baseline_systems, data_system
from jamcore.music.chords import Chord


def synthetic_songs(n=4, beats=64):
    rng = np.random.default_rng(0)
    songs = []
    for i in range(n):
        key = int(rng.integers(0, 12))
        melody, chords = [], []
        for bar in range(beats // 4):
            root = (key + [0, 5, 7, 0][bar % 4]) % 12
            chord = Chord(root, "maj")
            chords += [T.chord_on(chord)] + [T.chord_hold(chord)] * 15
            for _ in range(4):
                p = 60 + (root + int(rng.choice([0, 4, 7, 2]))) % 12
                melody += [T.note_on(p)] + [T.note_hold(p)] * 3
        songs.append(R.EvalSong(f"s{i}", "synthetic", np.array(melody), np.array(chords), 4.0))
    return songs


def test_report_on_synthetic_songs_writes_everything(tmp_path):
    cfg = R.EvalConfig(songs=4, seed=1)
    results = R.evaluate(synthetic_songs(), [data_system()] + baseline_systems(), cfg, progress=False)
    paths = R.write_report(results, tmp_path)
    assert {p.name for p in paths} == {"metrics.json", "report.md", "metric_bars.png", "chord_rank.png",
                                       "adaptation.png"}
    data = json.loads((tmp_path / "metrics.json").read_text())
    rows = data["systems"]
    assert list(rows) == ["data", "tonic-triad", "note-triad-cheat", "note-triad-live"]
    # The anchors bracket the data the way the issue says they should.
    assert rows["tonic-triad"]["metrics"]["entropy_song_mean"] == 0.0
    assert rows["note-triad-cheat"]["metrics"]["nic"] > rows["note-triad-live"]["metrics"]["nic"]
    assert rows["note-triad-live"]["causal_check"] is True
    assert rows["note-triad-cheat"]["causal_check"] is False
    assert "adaptation" not in rows["data"] and "adaptation" in rows["note-triad-live"]
    md = (tmp_path / "report.md").read_text()
    assert "| data |" in md and "| note-triad-live |" in md
    assert "## Harmonic rhythm" in md and "sync EMD" in md


def test_a_chasing_row_scores_high_harmony_and_a_full_chase():
    """The counter-metric in the report: the cheating triads, each struck one frame after the note it
    follows, keep most of their note-in-chord but chase on every change and leave the data's timing."""
    from jamcore.eval.baselines import note_triad_cheat
    from jamcore.eval.systems import System
    from jamcore.rhythm import chasing_chords

    chaser = System("chaser", "baseline", lambda m, rng: chasing_chords(m, note_triad_cheat(m, rng)), causal=True)
    cfg = R.EvalConfig(songs=4, seed=1)
    rows = R.evaluate(synthetic_songs(), [data_system(), chaser], cfg, progress=False)["systems"]
    data, chase = rows["data"]["metrics"], rows["chaser"]["metrics"]
    assert data["chase_share"] == 0.0 and data["sync_emd"] == 0.0 and data["on_beat_share"] == 1.0
    assert chase["nic"] >= data["nic"] - 0.1
    assert chase["chase_share"] == 1.0 and chase["on_beat_share"] == 0.0
    assert chase["sync_emd"] == pytest.approx(1000.0)  # every onset one frame late: one bin, all the mass


def test_same_seed_same_numbers():
    cfg = R.EvalConfig(songs=3, seed=7)
    songs = synthetic_songs(3)
    a = R._jsonable(R.evaluate(songs, baseline_systems(), cfg, progress=False))
    b = R._jsonable(R.evaluate(songs, baseline_systems(), cfg, progress=False))
    for r in (a, b):
        for row in r["systems"].values():
            row.pop("seconds")
    assert a == b


def tiny_checkpoints(directory):
    """Two untrained policies and a melody agent: a few songs' rows in seconds."""
    torch = pytest.importorskip("torch")
    from jamcore.checkpoints import save_checkpoint
    from jamcore.models.policy import ChordPolicy

    for seed, name, kind in [(1, "tiny-a", "policy"), (2, "tiny-b", "policy"), (3, "tiny-melody", "melody")]:
        torch.manual_seed(seed)
        model = ChordPolicy(ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=2 * 160 + 1))
        model.kind = kind
        save_checkpoint(model, directory / name, {"seed": seed})


def test_two_workers_give_the_rows_one_process_gives(tmp_path):
    """Every number of every row (duets included) and the row order; checkpoints start first in workers."""
    tiny_checkpoints(tmp_path)
    cfg = R.EvalConfig(songs=2, seed=3, checkpoint_dir=str(tmp_path), melody_agent="tiny-melody")
    specs = ([SystemSpec("data", "data")] + [SystemSpec(s.name, "baseline") for s in baseline_systems()]
             + [SystemSpec(n, "checkpoint", str(tmp_path)) for n in ("tiny-a", "tiny-b")])
    songs = synthetic_songs(2, beats=40)
    one, two = (R._jsonable(R.evaluate(songs, specs, cfg, progress=False, workers=w)) for w in (1, 2))
    for r in (one, two):
        for row in r["systems"].values():
            row.pop("seconds")
    assert list(one["systems"]) == list(two["systems"]) == [s.name for s in specs]
    assert one == two
    a, b = one["systems"]["tiny-a"], one["systems"]["tiny-b"]
    assert a["duet"] and a["metrics"] != b["metrics"]  # a worker that swapped or reseeded them would show


def test_a_failing_worker_names_its_system():
    specs = [SystemSpec("data", "data"), SystemSpec("no-such-rule", "baseline")]
    with pytest.raises(RuntimeError, match="'no-such-rule' failed in a worker process: ValueError: no baseline"):
        R.evaluate(synthetic_songs(2), specs, R.EvalConfig(songs=2), progress=False, workers=2)


def test_a_failing_row_stops_the_rows_still_running():
    """The error comes at once and no worker is left computing: a row still running is killed, not
    waited for (the command sat for a whole checkpoint's row after an error or Ctrl-C)."""
    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match="'bad' failed in a worker process: ValueError"):
        run_tasks(time.sleep, [("slow", (60,)), ("bad", (-1,))], workers=2)
    assert time.monotonic() - t0 < 30
    assert not [p for p in mp.active_children() if p.is_alive()]


def test_select_songs_is_seeded_and_drops_short_songs():
    songs = synthetic_songs(6)
    songs.append(R.EvalSong("short", "synthetic", songs[0].melody[:64], songs[0].chords[:64]))
    pick = R.select_songs(songs, 3, seed=5, min_beats=32)
    assert len(pick) == 3 and all(s.song_id != "short" for s in pick)
    assert [s.song_id for s in pick] == [s.song_id for s in R.select_songs(songs, 3, 5, 32)]


def test_cut_window_starts_on_the_bar_before_the_first_note():
    melody = np.concatenate([np.full(20, T.SILENCE), np.full(300, T.note_hold(60))])
    chords = np.full(320, T.NO_CHORD)
    m, c, start = R.cut_window(melody, chords, 256, beats_per_bar=3.0)  # 12-frame bars
    assert start == 12 and len(m) == 256
    assert len(R.cut_window(melody, chords, 0, 4.0)[0]) == 320 - 16


def test_report_on_data_songs(tmp_path):
    """A few real songs (a limited corpus built into a temp cache: seconds, not minutes)."""
    from jamcore.config import DataConfig, default_data_dir

    if not Path(default_data_dir()).is_dir():
        pytest.skip("no datasets folder")
    from jamcore.data.build import build_corpus

    corpus = build_corpus(DataConfig(cache_dir=tmp_path / "cache"), limit=6, workers=1, progress=False)
    cfg = R.EvalConfig(split="train", songs=4, seed=0)
    songs = R.load_songs(cfg, corpus=corpus)
    assert 1 <= len(songs) <= 4
    results = R.evaluate(songs, [data_system()] + baseline_systems(), cfg, progress=False)
    R.write_report(results, tmp_path / "out", plots=False)
    rows = json.loads((tmp_path / "out" / "metrics.json").read_text())["systems"]
    assert 0.4 < rows["data"]["metrics"]["nic"] <= 1.0
    assert rows["note-triad-cheat"]["metrics"]["nic"] > rows["data"]["metrics"]["nic"] - 0.1


def test_cli_registers_eval():
    from jamcore.cli import build_parser

    args = build_parser().parse_args(["eval", "--checkpoints", "mle,rl", "--songs", "3", "--seed", "2",
                                      "--workers", "2"])
    assert args._module == "jamcore.eval.report" and not getattr(args, "_missing", None)
    assert args.checkpoints == "mle,rl" and args.songs == 3 and args.seed == 2 and args.workers == 2
