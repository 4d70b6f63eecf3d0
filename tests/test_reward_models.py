"""Coherence reward models: they learn to prefer true melody-chord pairs, round-trip as checkpoints, ensemble."""
import json

import numpy as np
import pytest
import torch

from jamcore import tokens as T
from jamcore.checkpoints import CheckpointError
from jamcore.models.saved import load_model, save_checkpoint
from jamcore.config import DataConfig, ModelConfig, override
from jamcore.eval import metrics as M
from jamcore.data.build import build_corpus
from jamcore.models.reward_models import ContrastiveReward, DiscriminativeReward, RewardEnsemble
from jamcore.music.chords import Chord
from jamcore.train.reward_models import (REWARD_PROFILES, discriminative_pairs, heldout_windows,
                                         mismatch_permutation, train_reward)

LIMIT = 30  # songs per source: ~43 train and ~10 valid songs, built in a few seconds

# The smoke profiles, set so that a fixed seed learns in seconds. The discriminative test trains on
# mismatches only: a tiny model learns "these chords belong to another song" in 150 steps, while
# "these chords are a beat late" needs the small profile (its held-out accuracy is in the model cards).
SMOKE = {
    "contrastive": REWARD_PROFILES[("smoke", "contrastive")],
    "discriminative": override(REWARD_PROFILES[("smoke", "discriminative")],
                               ["shift_fraction=0", "window_frames=64", "steps=150"]),
}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cache")
    corpus = build_corpus(DataConfig(cache_dir=d, limit=LIMIT), limit=LIMIT, workers=1, progress=False)
    return corpus, d


@pytest.fixture(scope="module")
def trained(corpus_dir, tmp_path_factory):
    """Both kinds trained once on the tiny corpus: {kind: (checkpoint stem, metrics)}."""
    corpus, _ = corpus_dir
    out = tmp_path_factory.mktemp("rewards")
    result = {}
    for kind, cfg in SMOKE.items():
        metrics = train_reward(cfg, name=f"{kind}-s0", out_dir=out, progress=False, corpus=corpus, data_limit=LIMIT)
        result[kind] = (out / f"{kind}-s0", metrics)
    return result


def _heldout(corpus, frames=64, n=32):
    # Another draw than the trainer's own evaluation windows (seed 0), same valid songs.
    w = heldout_windows(corpus, "valid", DataConfig(limit=LIMIT), frames, n, seed=7)
    perm = mismatch_permutation(w.song_ids, np.random.default_rng(0))
    return torch.from_numpy(w.melody), torch.from_numpy(w.chords), torch.from_numpy(w.chords[perm])


@pytest.mark.parametrize("kind", ["contrastive", "discriminative"])
def test_reward_prefers_the_true_pair_on_heldout_windows(corpus_dir, trained, kind):
    corpus, _ = corpus_dir
    stem, metrics = trained[kind]
    model, card = load_model(stem, kind)
    melody, chords, other = _heldout(corpus)
    with torch.no_grad():
        true_score = model.score(melody, chords)
        wrong_score = model.score(melody, other)
    assert true_score.shape == (len(melody),)
    assert float(true_score.mean()) > float(wrong_score.mean()) + 0.02
    key = "valid_pairwise_mismatch_acc"
    assert metrics[key] > 0.6 and card["metrics"][key] == pytest.approx(metrics[key])
    if kind == "discriminative":
        assert bool((true_score <= 0).all())  # a log-probability
        assert torch.allclose(model.prob_real(melody, chords).log(), true_score, atol=1e-5)
    else:
        assert bool((true_score.abs() <= 1 + 1e-5).all())  # a cosine
        emb = model.embed_chords(chords)
        assert emb.shape == (len(chords), model.cfg.d_model)
        assert torch.allclose(emb.norm(dim=-1), torch.ones(len(chords)), atol=1e-5)


def test_rewards_judge_longer_windows_than_they_trained_on(corpus_dir, trained):
    """RL episodes are longer than the training windows: the models still read them, and still agree."""
    corpus, _ = corpus_dir
    melody, chords, other = _heldout(corpus, frames=128, n=16)
    for kind in ("contrastive", "discriminative"):
        model, _ = load_model(trained[kind][0], kind)
        with torch.no_grad():
            assert float(model.score(melody, chords).mean()) > float(model.score(melody, other).mean())


@pytest.mark.parametrize("cls", [ContrastiveReward, DiscriminativeReward])
def test_checkpoint_round_trip(tmp_path, cls):
    torch.manual_seed(0)
    cfg = ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=65)
    model = cls(cfg).eval()
    save_checkpoint(model, tmp_path / "rm", {"seed": 0, "metrics": {"valid_x": 0.5}})
    loaded, card = load_model(tmp_path / "rm")
    assert type(loaded) is cls and card["kind"] == cls.kind and card["metrics"] == {"valid_x": 0.5}
    mel = torch.full((3, 16), T.note_on(60))
    ch = torch.full((3, 16), T.chord_hold(Chord(0, "maj")))
    ch[:, 0] = T.chord_on(Chord(0, "maj"))
    mel[1, 10:] = T.PAD
    ch[1, 10:] = T.PAD
    with torch.no_grad():
        assert torch.equal(model.score(mel, ch), loaded.score(mel, ch))
    with pytest.raises(CheckpointError, match="expected"):
        load_model(tmp_path / "rm", "policy")


def test_scores_ignore_frames_without_both_parts():
    """A pair is judged on the frames where both streams exist: trailing chords past the melody's end,
    or a longer PAD tail, do not change the reward."""
    torch.manual_seed(0)
    cfg = ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=65)
    c_maj, g_maj = Chord(0, "maj"), Chord(7, "maj")
    mel = torch.tensor([[T.note_on(64)] + [T.note_hold(64)] * 7 + [T.note_on(67)] * 4 + [T.PAD] * 4])
    ch = torch.tensor([[T.chord_on(c_maj)] + [T.chord_hold(c_maj)] * 7 + [T.chord_on(g_maj)] + [T.chord_hold(g_maj)] * 7])
    for cls in (ContrastiveReward, DiscriminativeReward):
        model = cls(cfg).eval()
        with torch.no_grad():
            a = model.score(mel, ch)
            b = model.score(mel[:, :12], ch[:, :12])
            c = model.score(torch.cat([mel, torch.zeros(1, 8, dtype=torch.long)], 1),
                            torch.cat([ch, torch.zeros(1, 8, dtype=torch.long)], 1))
        assert torch.allclose(a, b, atol=1e-5) and torch.allclose(a, c, atol=1e-5), cls.__name__


def test_contrastive_score_of_a_group_is_each_plays_own_score():
    """RL plays each melody several times and the contrastive judge embeds each distinct melody once: every
    play's reward is the cosine of its melody's embedding with its chords' embedding as if embedded in the
    full batch, to the bit in the shipped RL batch (4 melodies x 4 plays), to float round-off otherwise."""
    torch.manual_seed(0)
    model = ContrastiveReward(ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, max_len=65)).eval()
    rng = np.random.default_rng(0)
    for groups, exact in ((4, True), (3, False)):
        melodies = torch.from_numpy(rng.integers(T.NOTE_ON_BASE, T.CHORD_ON_BASE, (groups, 48)))
        melodies[1, 30:] = T.PAD  # a song that ends early
        mel = melodies.repeat_interleave(4, 0)
        ch = torch.from_numpy(rng.integers(T.CHORD_ON_BASE, T.VOCAB_SIZE, (4 * groups, 48)))
        ch[mel == T.PAD] = T.PAD
        with torch.no_grad():
            em, ec = model(mel, ch)  # every row embedded in the full batch
            score, expected = model.score(mel, ch), (em * ec).sum(-1)
        if exact:
            assert torch.equal(score, expected)
        assert torch.allclose(score, expected, rtol=0, atol=1e-6), (score - expected).abs().max()


def test_discriminative_fakes_keep_the_melody_and_the_length():
    rng = np.random.default_rng(0)
    b, w = 6, 32
    mel = np.stack([np.full(w, T.note_on(60 + i)) for i in range(b)]).astype(np.int64)
    ch = np.stack([[T.chord_on(Chord((i + t // 4) % 12, "maj")) for t in range(w)] for i in range(b)]).astype(np.int64)
    mel[0, 20:] = T.PAD  # a song that ends inside the window
    ch[0, 20:] = T.PAD
    songs = [f"s{i}" for i in range(b)]
    for frac in (0.0, 1.0):
        m2, c2, label = discriminative_pairs(mel, ch, songs, rng, frac, [4, 8])
        assert label.tolist() == [1] * b + [0] * b
        real_len = (m2[:b] != T.PAD).sum(1)
        assert np.array_equal(m2[:b], m2[b:])  # the same melody under real and fake chords
        assert np.array_equal(real_len, (c2[:b] != T.PAD).sum(1))
        assert np.array_equal(real_len, (c2[b:] != T.PAD).sum(1))  # length gives nothing away
        for i in range(b):
            n = real_len[i]
            if frac == 1.0:
                # Own chords, moved by k frames in one direction or the other.
                fake, real = c2[b + i, :n], ch[i]
                ok = [np.array_equal(fake, real[s:s + n]) for s in range(0, w - n + 1)]
                assert any(ok) and not np.array_equal(fake, c2[i, :n])
            else:
                assert not np.array_equal(c2[b + i, :n], c2[i, :n])  # another song's chords


def test_mismatch_permutation_avoids_the_same_song():
    rng = np.random.default_rng(0)
    ids = ["a", "a", "b", "b", "c", "c", "d", "e"]
    for _ in range(20):
        perm = mismatch_permutation(ids, rng)
        assert sorted(perm.tolist()) == list(range(len(ids)))
        assert all(ids[p] != ids[i] for i, p in enumerate(perm))


def test_ensemble_is_the_mean_of_its_members(trained, tmp_path):
    stem = trained["contrastive"][0]
    other = load_model(stem)[0]
    torch.manual_seed(1)
    for p in other.parameters():  # a second, different member of the same kind
        p.data.add_(0.05 * torch.randn_like(p))
    save_checkpoint(other, tmp_path / "contrastive-s9", {"seed": 9})
    ens = RewardEnsemble([load_model(stem)[0], load_model(tmp_path / "contrastive-s9")[0]]).eval()
    assert ens.kind == "contrastive" and not ens.training
    mel = torch.full((2, 16), T.note_on(62))
    ch = torch.full((2, 16), T.chord_on(Chord(2, "min")))
    with torch.no_grad():
        each = [m.score(mel, ch) for m in ens.members]
        assert torch.allclose(ens.score(mel, ch), (each[0] + each[1]) / 2)
        mixed = RewardEnsemble([ens.members[0], load_model(trained["discriminative"][0])[0]])
        by_kind = mixed.score_by_kind(mel, ch)
        assert set(by_kind) == {"contrastive", "discriminative"}
        assert torch.allclose(by_kind["contrastive"], each[0])
    with pytest.raises(ValueError, match="mixes kinds"):
        mixed.score(mel, ch)


def test_train_reward_command(corpus_dir, tmp_path, monkeypatch):
    from jamcore.cli import main

    _, cache = corpus_dir
    monkeypatch.setenv("JAMCORE_CACHE_DIR", str(cache))  # the corpus built above, found by its key
    rc = main(["train", "reward", "--kind", "discriminative", "--profile", "smoke", "--seed", "3",
               "--set", "steps=2", "--set", "eval_windows=8", "--data-limit", str(LIMIT),
               "--out", str(tmp_path), "--no-progress"])
    assert rc == 0
    card = json.loads((tmp_path / "discriminative-s3.json").read_text())
    assert card["kind"] == "discriminative" and card["seed"] == 3
    assert card["command"].startswith("jamcore")
    assert {"valid_acc_mismatch", "valid_acc_shift", "valid_pairwise_shift_acc"} <= set(card["metrics"])
    assert card["data"]["valid_songs"] > 0 and card["training"]["steps"] == 2
    assert (tmp_path / "discriminative-s3.safetensors").stat().st_size < 5_000_000


@pytest.mark.parametrize("kind", ["contrastive", "discriminative"])
def test_rhythm_reward_command_trains_a_rhythm_only_judge(corpus_dir, tmp_path, monkeypatch, kind):
    """`train reward --rhythm`: the card says rhythm, the loaded judge hears only timing (a transposed or
    re-harmonised track in the same rhythm scores the same), and it scores the data's chords and their
    chasing track in pairs, window by window."""
    from jamcore.cli import main
    from jamcore.train.reward_models import chase_scores

    corpus, cache = corpus_dir
    monkeypatch.setenv("JAMCORE_CACHE_DIR", str(cache))
    rc = main(["train", "reward", "--kind", kind, "--rhythm", "--profile", "smoke", "--set", "steps=4",
               "--set", "eval_windows=8", "--data-limit", str(LIMIT), "--out", str(tmp_path), "--no-progress"])
    assert rc == 0
    card = json.loads((tmp_path / f"{kind}-rhythm-s0.json").read_text())
    assert card["rhythm"] is True and card["data"]["transpose"] == [0, 0]
    assert not any("wrong" in k for k in card["metrics"])  # wrong harmony keeps the rhythm: not judged
    # It trained on chasing tracks as fakes and is measured against them on the held-out windows.
    assert card["training"]["chase_fraction"] > 0
    assert any("chase" in k for k in card["metrics"])
    model, _ = load_model(tmp_path / f"{kind}-rhythm-s0", kind)
    assert model.rhythm
    w = heldout_windows(corpus, "valid", DataConfig(limit=LIMIT), 64, 8, seed=7)
    mel, ch = torch.from_numpy(w.melody), torch.from_numpy(w.chords)
    # Every chord replaced by the next chord of the vocabulary, struck and held where the data's is.
    on = (ch >= T.CHORD_ON_BASE) & (ch < T.CHORD_HOLD_BASE)
    hold = ch >= T.CHORD_HOLD_BASE
    base = torch.where(on, T.CHORD_ON_BASE, torch.where(hold, T.CHORD_HOLD_BASE, 0))
    up_ch = torch.where(on | hold, base + (ch - base + 1) % T.N_CHORDS, ch)
    assert not torch.equal(up_ch, ch)
    assert torch.allclose(model.score(mel, ch), model.score(mel, up_ch))
    own, chase = chase_scores(model, w.melody, w.chords)
    assert own.shape == chase.shape == (8,) and np.isfinite(own).all() and np.isfinite(chase).all()
    assert not np.allclose(own, chase)  # the chase moves chord onsets: a rhythm judge sees a different input


def test_rhythm_judge_refuses_wrong_harmony_fakes(corpus_dir):
    cfg = override(REWARD_PROFILES[("smoke", "discriminative")], ["rhythm=true", "wrong_fraction=0.5"])
    with pytest.raises(Exception, match="wrong-harmony"):
        train_reward(cfg, name="x", progress=False, corpus=corpus_dir[0], data_limit=LIMIT)


def test_timing_negatives_mix_held_tracks_into_the_chase_only_when_asked():
    """``hold_fraction`` 0 leaves the chasing negatives and the random stream as they were (the shipped
    judges' recipe); 1 makes every negative the held track (every second change removed)."""
    from jamcore.rhythm import chasing_chords, held_chords
    from jamcore.train.reward_models import timing_negatives

    rng = np.random.default_rng(0)
    melody = np.array([[T.note_on(60)] + [T.note_hold(60)] * 3 + [T.note_on(62)] + [T.note_hold(62)] * 3] * 2)
    chords = np.array([[T.CHORD_ON_BASE + 1] * 1 + [T.CHORD_HOLD_BASE + 1] * 3
                       + [T.CHORD_ON_BASE + 2] + [T.CHORD_HOLD_BASE + 2] * 3] * 2)
    a, b = np.random.default_rng(5), np.random.default_rng(5)
    out = timing_negatives(melody, chords, a, 0.0)
    assert (out == np.stack([chasing_chords(m, c) for m, c in zip(melody, chords)])).all()
    assert a.random() == b.random()  # no draw
    held = timing_negatives(melody, chords, rng, 1.0)
    assert (held == np.stack([held_chords(c) for c in chords])).all()
    assert (M.chord_event_starts(held[0]).sum(), M.chord_event_starts(chords[0]).sum()) == (1, 2)
