"""MLE training: a smoke run learns, resume continues exactly, and 2-process torchrun stays in sync."""
import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from jamcore.models.saved import load_model
from jamcore.config import PROFILES, DataConfig
from jamcore.data.build import build_corpus
from jamcore.train.loop import lr_at
from jamcore.train.mle import train

LIMIT = 12


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    cfg = DataConfig(cache_dir=tmp_path_factory.mktemp("cache"), limit=LIMIT)
    return build_corpus(cfg, limit=LIMIT, workers=1, progress=False)


def smoke(**kw):
    return dataclasses.replace(PROFILES["smoke"], **kw)


def test_lr_schedule_warms_up_then_decays_to_the_floor():
    cfg = PROFILES["small"]
    assert lr_at(0, cfg) < lr_at(cfg.warmup_steps - 1, cfg) <= cfg.lr
    assert abs(lr_at(cfg.steps, cfg) - cfg.lr * cfg.min_lr_ratio) < 1e-12
    mid = [lr_at(s, cfg) for s in range(cfg.warmup_steps, cfg.steps)]
    assert all(a >= b for a, b in zip(mid, mid[1:]))


def test_smoke_policy_run_lowers_validation_loss_and_writes_a_card(tmp_path, corpus):
    cfg = smoke(steps=30, lr=3e-3, eval_every=30, checkpoint_every=30)
    metrics = train(cfg, kind="policy", name="mle", out_dir=tmp_path, corpus=corpus, progress=False)
    model, card = load_model(tmp_path / "mle", "policy")
    first = card["history"][0]
    assert metrics["valid_loss"] < 6.0  # log(517) = 6.25 at chance
    assert card["metrics"]["valid_chord_accuracy"] == metrics["valid_chord_accuracy"]
    assert card["seed"] == cfg.seed and "command" in card and card["data"]["train_songs"] > 0
    assert first["step"] == 30


def test_fine_tune_starts_from_the_given_weights_and_names_its_parent(tmp_path, corpus):
    from jamcore.errors import CheckpointError

    train(smoke(steps=3), kind="policy", name="base", out_dir=tmp_path, corpus=corpus, progress=False)
    base, _ = load_model(tmp_path / "base", "policy")
    # lr 0: the fine-tune cannot move the weights, so it must end exactly where it started.
    train(smoke(steps=2, lr=0.0, init=str(tmp_path / "base")), kind="policy", name="ft", out_dir=tmp_path,
          corpus=corpus, progress=False)
    ft, card = load_model(tmp_path / "ft", "policy")
    assert card["parent"] == str(tmp_path / "base")
    assert all(torch.equal(a, b) for a, b in zip(base.state_dict().values(), ft.state_dict().values()))
    with pytest.raises(CheckpointError, match="init=nowhere"):
        train(smoke(steps=1, init="nowhere"), kind="policy", name="x", out_dir=tmp_path, corpus=corpus,
              progress=False)


def test_dagger_round_starts_from_the_mle_found_in_the_given_directory(tmp_path, corpus):
    """`jamcore train dagger`: its profile starts from `mle` looked up in --checkpoint-dir (the pipeline's
    OUT, not the shipped one), trains on the policy's own chords, and names its parent."""
    from jamcore.config import TRAIN_PROFILES

    train(smoke(steps=3), kind="policy", name="mle", out_dir=tmp_path, corpus=corpus, progress=False)
    cfg = dataclasses.replace(TRAIN_PROFILES["dagger"]["smoke"], steps=2, lr=0.0)
    assert cfg.init == "mle" and cfg.own_chords > 0 and cfg.span_beats_only
    train(cfg, kind="policy", name="mle-dagger", out_dir=tmp_path, corpus=corpus, progress=False,
          init_dir=str(tmp_path))
    mle, _ = load_model(tmp_path / "mle", "policy")
    dagger, card = load_model(tmp_path / "mle-dagger", "policy")
    assert card["parent"] == "mle" and card["training"]["own_chords"] == cfg.own_chords
    assert all(torch.equal(a, b) for a, b in zip(mle.state_dict().values(), dagger.state_dict().values()))


def test_smoke_anchor_run(tmp_path, corpus):
    metrics = train(smoke(steps=4), kind="anchor", name="anchor", out_dir=tmp_path, corpus=corpus, progress=False)
    model, card = load_model(tmp_path / "anchor", "anchor")
    assert card["kind"] == "anchor" and metrics["valid_loss"] > 0


def test_anchor_round_plays_the_named_policy_frozen_and_records_its_weights(tmp_path, corpus, monkeypatch):
    """`--set own_chords=... own_chords_from=POLICY` for the anchor: the chords of those windows are played by
    POLICY's weights, frozen (what the anchor judges in RL), and the card records which weights; without a
    policy to play them the run stops with a message that says what to set."""
    from jamcore.errors import CheckpointError

    train(smoke(steps=3), kind="policy", name="mle", out_dir=tmp_path, corpus=corpus, progress=False)
    with pytest.raises(CheckpointError, match="own_chords_from"):
        train(smoke(steps=1, own_chords=1.0), kind="anchor", name="x", out_dir=tmp_path, corpus=corpus, progress=False)
    import jamcore.train.mle as mle_module

    played_by = []
    real_rollout = mle_module.rollout

    def spy(model, *args, **kw):
        played_by.append(model)
        return real_rollout(model, *args, **kw)

    monkeypatch.setattr(mle_module, "rollout", spy)
    cfg = smoke(steps=3, own_chords=1.0, own_chords_from="mle")
    train(cfg, kind="anchor", name="own", out_dir=tmp_path, corpus=corpus, progress=False, init_dir=str(tmp_path))
    mle, mle_card = load_model(tmp_path / "mle", "policy")
    _, card = load_model(tmp_path / "own", "anchor")
    assert len(played_by) == 3 and all(p is played_by[0] for p in played_by)
    player = played_by[0]
    assert player.kind == "policy" and not any(p.requires_grad for p in player.parameters())
    assert all(torch.equal(a, b) for a, b in zip(mle.state_dict().values(), player.state_dict().values()))
    assert card["training"]["own_chords_from"] == "mle"
    assert card["own_chords_from_sha256"] == mle_card["weights_sha256"]


@pytest.mark.parametrize("own_chords", [0.0, 0.5])
def test_resume_after_an_interrupted_run_continues_from_the_saved_step(tmp_path, corpus, own_chords):
    """Exactly, also when half the windows are fed the policy's own sampled chords."""
    cfg = smoke(steps=6, checkpoint_every=3, eval_every=3, own_chords=own_chords)
    train(cfg, name="a", out_dir=tmp_path / "full", corpus=corpus, progress=False)
    # Interrupted: stops after step 3 (its periodic save), then resumed to the end.
    train(cfg, name="a", out_dir=tmp_path / "cut", corpus=corpus, progress=False, stop_after=3)
    import json

    saved = json.loads((tmp_path / "cut" / "a-state.json").read_text())
    assert saved["step"] == 3
    assert not (tmp_path / "cut" / "a.safetensors").exists()
    train(cfg, name="a", out_dir=tmp_path / "cut", corpus=corpus, progress=False, resume=True)
    full, _ = load_model(tmp_path / "full" / "a", "policy")
    resumed, card = load_model(tmp_path / "cut" / "a", "policy")
    assert [h["step"] for h in card["history"]] == [3, 6]
    for (k, a), (_, b) in zip(full.state_dict().items(), resumed.state_dict().items()):
        assert torch.allclose(a, b, atol=1e-6), k


@pytest.mark.slow
@pytest.mark.parametrize("stage,kind", [(["mle"], "policy"), (["reward", "--kind", "contrastive"], "contrastive")])
def test_torchrun_two_processes_end_with_identical_weights(tmp_path, corpus, stage, kind):
    """Every trainer is torchrun-ready: two gloo processes on CPU average their gradients and end in step."""
    torchrun = shutil.which("torchrun", path=str(Path(sys.executable).parent))
    assert torchrun, "torchrun not found next to the interpreter"
    env = dict(os.environ, JAMCORE_CACHE_DIR=str(tmp_path / "cache"), OMP_NUM_THREADS="1")
    cmd = [torchrun, "--standalone", "--nproc_per_node=2", "-m", "jamcore.cli", "train", *stage, "--profile", "smoke",
           "--set", "steps=4", "--data-limit", str(LIMIT), "--out", str(tmp_path / "ddp"), "--no-progress",
           "--name", "ddp"]
    # Build the small corpus once first, so the two ranks do not both build it.
    subprocess.run([sys.executable, "-m", "jamcore.cli", "data", "build", "--limit", str(LIMIT), "--workers", "1"],
                   env=env, check=True, capture_output=True)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    # Rank 0 writes the checkpoint; every rank also leaves its final weights beside it.
    from safetensors.torch import load_file

    r0 = load_file(str(tmp_path / "ddp" / "ddp.rank0.safetensors"))
    r1 = load_file(str(tmp_path / "ddp" / "ddp.rank1.safetensors"))
    assert r0.keys() == r1.keys()
    for k in r0:
        assert torch.equal(r0[k], r1[k]), k
    final = load_model(tmp_path / "ddp" / "ddp", kind)[0].state_dict()
    assert all(torch.equal(final[k], r0[k]) for k in r0)


def test_torchrun_on_a_gpu_machine_still_talks_gloo(monkeypatch):
    """The trainers keep their tensors on the CPU, and NCCL refuses CPU tensors: a machine that merely
    has CUDA must not switch the ranks to NCCL (the first gradient all-reduce would fail there)."""
    from jamcore.train import loop

    chosen = []
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(loop.dist, "init_process_group", lambda backend, **kw: chosen.append(backend))
    monkeypatch.setattr(loop.dist, "get_rank", lambda: 1)
    assert loop.dist_setup() == (1, 2, loop.dist)
    assert chosen == ["gloo"]


def test_training_windows_carry_bar_positions_where_the_data_changes_chord(corpus):
    """The metrical input: each window knows where its song's bar lines are (song frame 0 is a
    downbeat), and the data's chord changes do cluster on the ids it marks as a bar's first frame."""
    import numpy as np

    from jamcore import tokens as T
    from jamcore.data.loader import WindowSampler
    from jamcore.eval.metrics import chord_event_starts

    sampler = WindowSampler(corpus, "train", DataConfig(), 64, seed=0)
    batch = sampler.sample(64)
    ids = batch.meter(2 * 64)
    assert ids.shape == (64, 128)
    assert np.array_equal(ids[:, 0], 1 + batch.first_frame % batch.bar_len)  # BOS: frame 0's place
    assert np.array_equal(ids[:, 2], 1 + (batch.first_frame + 1) % batch.bar_len)  # m0 predicts frame 1
    on_bar = changes = 0
    for c, row in zip(batch.chords, ids):
        starts = chord_event_starts(c) & (T.TOKEN_CHORD[c] >= 0)
        starts[0] = False  # a window's first frame is not a change
        changes += int(starts.sum())
        on_bar += int((starts & (row[1::2] == 1)).sum())  # the chord token of frame t carries frame t's id
    assert changes > 50 and on_bar / changes > 0.3, (on_bar, changes)  # chance: 1/16 in 4/4


def test_onset_identity_loss_scores_which_chord_not_whether_to_change():
    """The chord-identity term (``onset_weight``) looks only at chord-onset targets, ignores a shift of
    every onset logit (it does not push the policy to change chord more or less), and rises when the
    target chord loses probability to another chord."""
    from jamcore import tokens as T
    from jamcore.train.mle import onset_identity_loss

    torch.manual_seed(0)
    logits = torch.randn(2, 6, T.VOCAB_SIZE)
    on, hold = T.CHORD_ON_BASE + 7, T.CHORD_HOLD_BASE + 7
    targets = torch.tensor([[on, hold, hold, T.PAD, T.NOTE_ON_BASE, on + 1], [hold] * 6])
    base = onset_identity_loss(logits, targets)
    shifted = logits.clone()
    shifted[..., T.CHORD_ON_BASE:T.CHORD_HOLD_BASE] += 5.0
    assert torch.allclose(onset_identity_loss(shifted, targets), base)
    worse = logits.clone()
    worse[0, 0, on] -= 3.0
    assert onset_identity_loss(worse, targets) > base + 1.0
    assert float(onset_identity_loss(logits, torch.full_like(targets, hold))) == 0.0
