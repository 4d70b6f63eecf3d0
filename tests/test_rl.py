"""RL/GAPT loop, end to end on a smoke profile with real data and a real (model-free) harmony reward."""
import dataclasses

import numpy as np
import pytest
import torch

from jamcore.config import PROFILES, DataConfig, ModelConfig
from jamcore.data.build import build_corpus
from jamcore.data.loader import WindowSampler
from jamcore.eval import metrics as M
from jamcore.models.anchor import OfflineAnchor
from jamcore.models.policy import ChordPolicy
from jamcore.rewards import RewardWeights, rule_penalties
from jamcore.train.rl import RL_PROFILES, checkpoint_name, train_rl
from jamcore import tokens as T


class NoteInChordScore:
    """A real, model-free coherence reward standing in for the learned ensembles: the note-in-chord ratio."""

    def score(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        out = []
        for m, c in zip(melody.numpy(), chords.numpy()):
            r = M.note_in_chord(m[m != 0], c[m != 0]).ratio
            out.append(0.0 if r != r else r)
        return torch.tensor(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    cfg = DataConfig(cache_dir=tmp_path_factory.mktemp("cache"), limit=12)
    return build_corpus(cfg, limit=12, workers=1, progress=False)


def models(seed=0, metric=True):
    torch.manual_seed(seed)
    mc = PROFILES["smoke"].model if metric else dataclasses.replace(PROFILES["smoke"].model, metric_slots=0)
    return {"policy": ChordPolicy(dataclasses.replace(mc, max_len=65)),
            "anchor": OfflineAnchor(dataclasses.replace(mc, max_len=65)).eval(),
            "contrastive": NoteInChordScore()}


def cfg(**kw):
    base = dataclasses.replace(RL_PROFILES["smoke"], weights=RewardWeights(discriminative=0.0), **kw)
    return base


def test_checkpoint_names():
    assert checkpoint_name(0) == "rl"
    assert checkpoint_name(1.0) == "gapt-1.0"
    assert checkpoint_name(0.25) == "gapt-0.25"
    assert checkpoint_name(4) == "gapt-4.0"


def test_rule_penalties_fire_on_crafted_sequences():
    c = T.chord_on
    from jamcore.music.chords import Chord

    C, G = Chord(0, "maj"), Chord(7, "maj")
    note = np.full(64, T.note_hold(60))
    note[::4] = T.note_on(60)
    # Six re-articulations of C in a row: a repetition run over 4 events.
    rep = np.array([c(C) if i % 4 == 0 else T.chord_hold(C) for i in range(24)] + [c(G)] * 40)
    # No chord at all under the melody: silence beyond 4% of the note frames.
    sil = np.full(64, T.NO_CHORD)
    # A hold of G right after C: invalid grammar.
    bad = np.array([c(C)] + [T.chord_hold(G)] + [T.chord_hold(G)] * 62)
    good = np.array([c(C) if i % 16 == 0 else T.chord_hold(C) for i in range(64)])
    p = rule_penalties(np.stack([note] * 4), np.stack([rep, sil, bad, good]))
    assert p["repetition"][0] < 0 and p["silence"][0] == 0 and p["invalid"][0] == 0
    assert p["silence"][1] < 0
    assert p["invalid"][2] == -10.0
    assert p["repetition"][3] == 0 and p["silence"][3] == 0 and p["invalid"][3] == 0


def test_smoke_rl_run_updates_the_policy_and_logs_every_term(tmp_path, corpus):
    """The shipped estimator (group-relative advantages) end to end on real melodies.

    That PPO climbs a reward is a seeded regression outside the unit suite (bench/regressions.py rl_climbs).
    """
    import csv
    import math

    start = {k: v.clone() for k, v in models()["policy"].state_dict().items()}
    trained = models()
    train_rl(cfg(steps=6, actor_lr=1e-3, group_size=4), name="rl", out_dir=tmp_path, models=trained,
             corpus=corpus, progress=False)
    moved = [k for k, v in trained["policy"].state_dict().items() if not torch.equal(v, start[k])]
    assert moved, "the policy did not change"
    rows = list(csv.DictReader(open(tmp_path / "rl.log.csv")))
    for k in ("approx_kl", "clipfrac", "kl_anchor", "entropy", "nic", "chord_entropy", "reward_contrastive",
              "reward_silence", "reward_repetition", "reward_invalid"):
        assert all(math.isfinite(float(r[k])) for r in rows), k
    assert (tmp_path / "rl.safetensors").exists() and (tmp_path / "rl.curves.png").exists()


def test_gae_path_runs_with_finite_diagnostics(tmp_path, corpus):
    import csv
    import math

    train_rl(cfg(steps=4, group_size=1), name="rl", out_dir=tmp_path, models=models(), corpus=corpus, progress=False)
    rows = list(csv.DictReader(open(tmp_path / "rl.log.csv")))
    for k in ("explained_variance", "v_loss", "approx_kl", "reward_total"):
        assert all(math.isfinite(float(r[k])) for r in rows), k


def test_gapt_run_trains_its_discriminator_and_logs_the_adversarial_term(tmp_path, corpus):
    """With an adversarial weight the discriminator is built, trains per its schedule, and its reward is
    logged as a term of its own (how much GAPT changes the chords is a seeded regression:
    bench/regressions.py gapt_raises_entropy)."""
    import csv

    train_rl(cfg(steps=4, adv_weight=1.0, group_size=1), name="gapt-1.0", out_dir=tmp_path, models=models(),
             corpus=corpus, progress=False)
    rows = list(csv.DictReader(open(tmp_path / "gapt-1.0.log.csv")))
    assert sum(int(r["d_trained"]) for r in rows) >= 2  # smoke schedule: warm-up, every step
    assert all(float(r["reward_adversarial"]) > 0 for r in rows)
    assert (tmp_path / "gapt-1.0-disc-state.json").is_file()



def test_gapt_run_with_a_discriminator_that_hears_the_bar(tmp_path, corpus):
    """`disc_meter`: D is built with the metrical embedding, trains on the rollouts' bar positions and pays
    the policy; its saved state holds the embedding."""
    import json

    row = train_rl(cfg(steps=3, adv_weight=1.0, disc_meter=True), name="gapt-1.0", out_dir=tmp_path, models=models(),
                   corpus=corpus, progress=False)
    assert row["reward_adversarial"] > 0 and np.isfinite(row["d_loss"])
    state = json.loads((tmp_path / "gapt-1.0-disc-state.json").read_text())
    assert state["step"] == 3
    from safetensors.torch import load_file
    assert "model.metric.weight" in load_file(str(tmp_path / "gapt-1.0-disc-state.safetensors"))


def test_gapt_run_with_a_discriminator_that_hears_the_key(tmp_path, corpus, monkeypatch):
    """`disc_key`: the discriminator is paid on and trained on the key-relative chords, the policy's and the
    data's alike (``gapt.key_relative_chords``), never on the absolute ones."""
    import jamcore.train.rl as rl_module
    from jamcore.rewards import RewardSet
    from jamcore.train.gapt import discriminator_step, key_relative_chords

    keyed, trained, paid = [], [], []

    def keying(melody, chords):
        out = key_relative_chords(melody, chords)
        keyed.extend(tuple(r) for r in out)
        return out

    def step(disc, opt, policy_chords, data_chords, *args, **kw):
        trained.append((policy_chords.numpy(), data_chords.numpy()))
        return discriminator_step(disc, opt, policy_chords, data_chords, *args, **kw)

    score = RewardSet.score

    def scoring(self, melody, chords, meter=None, disc_chords=None):
        paid.append(disc_chords)
        return score(self, melody, chords, meter, disc_chords)

    monkeypatch.setattr(rl_module, "key_relative_chords", keying)
    monkeypatch.setattr(rl_module, "discriminator_step", step)
    monkeypatch.setattr(RewardSet, "score", scoring)
    row = train_rl(cfg(steps=3, adv_weight=1.0, disc_key=True), name="gapt-1.0", out_dir=tmp_path, models=models(),
                   corpus=corpus, progress=False)
    assert np.isfinite(row["d_loss"]) and trained and paid
    assert all(d is not None and all(tuple(r) in keyed for r in d.numpy()) for d in paid)
    for policy_chords, data_chords in trained:
        assert all(tuple(r) in keyed for r in policy_chords) and all(tuple(r) in keyed for r in data_chords)


def test_local_credit_blames_the_bars_that_are_wrong():
    """Windowed coherence credit: chords that fit in the first half and are a tritone off in the
    second; the decisions in the wrong half get less credit, and frames after a short song get none."""
    from jamcore.music.chords import Chord
    from jamcore.rewards import RewardSet

    C = Chord(0, "maj")
    note = np.array([T.note_on(60) if i % 4 == 0 else T.note_hold(60) for i in range(256)])
    good = np.array([T.chord_on(C) if i % 16 == 0 else T.chord_hold(C) for i in range(256)])
    chords = good.copy()
    chords[128:] = T.transpose_tokens(good[128:], 6)
    melody = np.stack([note, note])
    melody[1, 200:] = T.PAD
    chords = np.stack([chords, np.where(melody[1] == T.PAD, T.PAD, chords)])
    rewards = RewardSet(NoteInChordScore(), None, RewardWeights(discriminative=0.0))
    credit, terms = rewards.local_coherence(melody, chords, window=64, hop=16)
    assert credit.shape == (2, 256)
    assert credit[0, :64].mean() == pytest.approx(1.0)  # windows wholly in the right half
    assert credit[0, 192:].mean() == pytest.approx(0.0)  # wholly in the wrong half
    assert credit[0, :112].min() > credit[0, 144:].max()
    assert (credit[1, 200:] == 0).all() and credit[1, :64].mean() == pytest.approx(1.0)
    assert 0.0 < terms["contrastive"][0] < 1.0


def test_harmony_credit_scores_each_frame_and_counts_silence_as_a_miss():
    """The per-decision harmony reward: 1 on frames whose chord holds the note, 0 on a wrong chord,
    0 on a silent chord under a note (no way around it by falling silent), 0 where no note sounds."""
    from jamcore.music.chords import Chord
    from jamcore.rewards import RewardSet, harmony_frames

    C, Fs = Chord(0, "maj"), Chord(6, "maj")
    melody = np.array([T.note_on(64)] + [T.note_hold(64)] * 5 + [T.SILENCE] * 2)
    chords = np.array([T.chord_on(C), T.chord_hold(C), T.chord_on(Fs), T.chord_hold(Fs), T.NO_CHORD,
                       T.chord_on(C), T.chord_hold(C), T.chord_hold(C)])
    assert harmony_frames(melody[None], chords[None]).tolist() == [[1, 1, 0, 0, 0, 1, 0, 0]]
    credit, share = RewardSet(None, None, RewardWeights(harmony=0.5)).harmony_credit(melody[None], chords[None], horizon=1)
    assert credit.tolist() == [[0.5, 0.5, 0, 0, 0, 0.5, 0, 0]]
    assert share.tolist() == [0.5]  # 3 hits over 6 note frames


def test_harmony_credit_over_a_horizon_answers_for_the_notes_ahead():
    """With a horizon, a decision answers for the note frames it will sound under: a switch one
    frame late (the chord for a frame is chosen before its note is heard) earns less than a chord
    that was already right."""
    from jamcore.music.chords import Chord
    from jamcore.rewards import RewardSet

    C, G = Chord(0, "maj"), Chord(7, "maj")
    # E (in C) for 4 frames, then D (in G, not in C) for 4 frames.
    melody = np.array([T.note_on(64)] + [T.note_hold(64)] * 3 + [T.note_on(62)] + [T.note_hold(62)] * 3)
    early = np.array([T.chord_on(C)] + [T.chord_hold(C)] * 3 + [T.chord_on(G)] + [T.chord_hold(G)] * 3)
    late = np.array([T.chord_on(C)] + [T.chord_hold(C)] * 4 + [T.chord_on(G)] + [T.chord_hold(G)] * 2)
    credit, share = RewardSet(None, None, RewardWeights(harmony=1.0)).harmony_credit(
        np.stack([melody, melody]), np.stack([early, late]), horizon=4)
    assert credit[0].tolist() == [1.0] * 8  # every 4-frame span ahead is all hits (the tail is shorter)
    assert credit[1, 1] == pytest.approx(0.75) and credit[1, 4] == pytest.approx(0.75)
    assert share.tolist() == [1.0, 7 / 8]


def test_onset_harmony_pays_nothing_for_a_chord_that_chases_a_note():
    """Judged at note onsets (weighted by note length), a chord switched one frame after a note began
    earns nothing for that note, where the frame-level credit pays it for the note's remaining frames."""
    from jamcore.music.chords import Chord
    from jamcore.rewards import RewardSet, note_onset_weights

    C, G = Chord(0, "maj"), Chord(7, "maj")
    melody = np.array([T.SILENCE, T.note_on(64), T.note_hold(64), T.note_hold(64), T.note_on(62), T.note_on(71),
                       T.note_hold(71), T.SILENCE])
    assert note_onset_weights(melody[None]).tolist() == [[0, 3, 0, 0, 1, 2, 0, 0]]
    # E (in C), D (in neither), B (in G only): the chord moves to G one frame into the B.
    late = np.array([T.chord_on(C)] + [T.chord_hold(C)] * 5 + [T.chord_on(G), T.chord_hold(G)])
    rs = RewardSet(None, None, RewardWeights(harmony=1.0))
    frame_credit, frame_share = rs.harmony_credit(melody[None], late[None], horizon=8)
    onset_credit, onset_share = rs.harmony_credit(melody[None], late[None], horizon=8, onsets=True)
    assert frame_share[0] == pytest.approx(4 / 6)  # E x3 and the B's second frame
    assert onset_share[0] == pytest.approx(3 / 6)  # E only: the late G earns nothing for the B
    assert frame_credit[0, 5] == pytest.approx(0.5) and onset_credit[0, 5] == 0.0


def test_group_advantages_judge_a_decision_against_the_same_frame_of_other_plays():
    """Two plays of one melody that differ at one frame: only that frame's decisions get an advantage,
    the better one positive; an episode-level difference moves every frame; padding gets none."""
    from jamcore.train.ppo import group_advantages

    mask = torch.ones(4, 6, dtype=torch.bool)
    mask[2:, 5] = False  # the second melody is shorter
    per = torch.zeros(4, 6)
    per[0, 3] = 1.0  # play 0 hits where play 1 misses
    episode = torch.tensor([0.0, 0.0, 1.0, 0.0])  # melody 2: play 2 scores higher overall
    adv = group_advantages(episode, per, mask, group=2)
    assert adv[0, 3] == pytest.approx(0.5) and adv[1, 3] == pytest.approx(-0.5)
    assert adv[:2, [0, 1, 2, 4, 5]].abs().sum() == 0
    assert torch.allclose(adv[2, :5], torch.full((5,), 0.5)) and torch.allclose(adv[3, :5], torch.full((5,), -0.5))
    assert adv[2:, 5].abs().sum() == 0


def test_local_credit_run_trains_and_logs(tmp_path, corpus):
    import csv
    import math

    train_rl(cfg(steps=3, credit_bars=1, adv_std_norm=True), name="rl", out_dir=tmp_path, models=models(),
             corpus=corpus, progress=False)
    rows = list(csv.DictReader(open(tmp_path / "rl.log.csv")))
    assert len(rows) == 3
    for k in ("reward_total", "reward_contrastive", "approx_kl"):
        assert all(math.isfinite(float(r[k])) for r in rows), k


def test_reward_set_scores_every_term_in_one_place():
    """`RewardSet.score` composes the ensembles, the rules, the harmony credit and the adversary: each
    weighted term reported, the episode-level ones summed, the per-decision one kept per decision."""
    from jamcore.music.chords import Chord
    from jamcore.rewards import RewardSet

    class HalfSure:  # a discriminator that cannot tell: D = 0.5, so r_adv = log 2
        def prob_data(self, chords):
            return torch.full((len(chords),), 0.5)

    C = Chord(0, "maj")
    note = np.array([T.note_on(64) if i % 4 == 0 else T.note_hold(64) for i in range(64)])
    good = np.array([T.chord_on(C) if i % 16 == 0 else T.chord_hold(C) for i in range(64)])
    silent = np.full(64, T.NO_CHORD)
    rs = RewardSet(NoteInChordScore(), None, RewardWeights(discriminative=0.0, harmony=1.0), discriminator=HalfSure(),
                   adv_weight=2.0)
    r = rs.score(torch.from_numpy(np.stack([note, note])), torch.from_numpy(np.stack([good, silent])))
    assert set(r.terms) == {"contrastive", "invalid", "silence", "repetition", "harmony", "adversarial"}
    assert r.terms["adversarial"] == pytest.approx([2 * np.log(2)] * 2, abs=1e-4)
    episode_terms = sum(r.terms[k] for k in ("contrastive", "invalid", "silence", "repetition", "adversarial"))
    assert torch.allclose(r.episode, torch.from_numpy(episode_terms.astype(np.float32)), atol=1e-5)
    assert r.local is None and r.dense.shape == (2, 64)
    assert r.dense[0].min() == 1.0 and r.dense[1].max() == 0.0  # every note in C major; silence hits nothing
    assert r.terms["contrastive"][0] > r.terms["contrastive"][1] and r.terms["silence"][1] < 0


def test_reward_set_adds_the_rhythm_term_from_the_rhythm_view():
    """`weights.rhythm` > 0: each rhythm-only ensemble's score enters the episode reward as its own term,
    judged on the rhythm view (a real rhythm `ContrastiveReward`: transposing the chords changes nothing)."""
    from jamcore.models.reward_models import ContrastiveReward, RewardEnsemble
    from jamcore.music.chords import Chord
    from jamcore.rewards import RewardSet

    torch.manual_seed(0)
    judge = ContrastiveReward(ModelConfig(d_model=16, n_layers=1, n_heads=2, dropout=0.0, max_len=129)).eval()
    judge.rhythm = True
    note = np.array([T.note_on(64) if i % 4 == 0 else T.note_hold(64) for i in range(64)])
    on_beat = np.array([T.chord_on(Chord(0, "maj")) if i % 16 == 0 else T.chord_hold(Chord(0, "maj")) for i in range(64)])
    d_beat = np.array([T.chord_on(Chord(2, "maj")) if i % 16 == 0 else T.chord_hold(Chord(2, "maj")) for i in range(64)])
    late = np.array([T.chord_on(Chord(0, "maj")) if i % 16 == 1 else (T.NO_CHORD if i == 0 else T.chord_hold(Chord(0, "maj")))
                     for i in range(64)])
    mel, ch = torch.from_numpy(np.stack([note] * 3)), torch.from_numpy(np.stack([on_beat, d_beat, late]))
    rs = RewardSet(None, None, RewardWeights(contrastive=0.0, discriminative=0.0, rhythm=0.5),
                   rhythm_contrastive=RewardEnsemble([judge]))
    r = rs.score(mel, ch)
    assert set(r.terms) == {"rhythm_contrastive", "invalid", "silence", "repetition"}
    assert r.terms["rhythm_contrastive"] == pytest.approx(0.5 * judge.score(mel, ch).detach().numpy(), abs=1e-6)
    assert r.terms["rhythm_contrastive"][0] == pytest.approx(r.terms["rhythm_contrastive"][1], abs=1e-6)
    assert r.terms["rhythm_contrastive"][0] != pytest.approx(r.terms["rhythm_contrastive"][2], abs=1e-6)
    episode_terms = sum(r.terms[k] for k in ("rhythm_contrastive", "invalid", "silence", "repetition"))
    assert torch.allclose(r.episode, torch.from_numpy(episode_terms.astype(np.float32)), atol=1e-5)
    off = RewardSet(None, None, RewardWeights(contrastive=0.0, discriminative=0.0),
                    rhythm_contrastive=RewardEnsemble([judge])).score(mel, ch)
    assert "rhythm_contrastive" not in off.terms


def test_rollouts_sample_a_grid_per_melody_and_change_chords_only_on_it(corpus, tmp_path):
    """`grid_choices`: each melody draws a grid (its group's plays share it); the sampled chords change only
    at its points, and the PPO log-probs are the masked distribution's (off the grid the one allowed
    continuation has probability 1)."""
    from jamcore.train import ppo
    from jamcore.train.rl import sample_episodes
    from jamcore.train.rollout import rollout

    c = cfg(grid_choices=("beat", "bar"), batch_size=16)
    sampler = WindowSampler(corpus, "train", DataConfig(limit=12), c.episode_frames, seed=3)
    ep = sample_episodes(sampler, c)
    grid = ep.on_grid.numpy()
    real = ep.melody.numpy() != T.PAD
    assert all((grid[g * 4:(g + 1) * 4] == grid[g * 4]).all() for g in range(4))  # one grid per group
    shares = sorted({round(float(grid[i][real[i]].mean()), 2) for i in range(16) if real[i].sum() >= 16})
    assert shares and all(s <= 0.25 for s in shares)  # a beat (1 in 4) or a bar (1 in 12 or 16) grid
    policy = models()["policy"]
    chords = rollout(policy, ep.melody, 1.5, torch.Generator().manual_seed(0), ep.meter, ep.on_grid)
    for m, ch, g in zip(ep.melody.numpy(), chords.numpy(), grid):
        starts = M.chord_event_sequence(ch[m != T.PAD])[0]
        assert g[starts[starts > 0]].all(), "a chord changed off the grid"
    logp, _, allowed = ppo.policy_tables(policy, ep.melody, chords, False, ep.meter, ep.on_grid)
    acted = torch.where(ep.melody != T.PAD, chords, torch.full_like(chords, T.NO_CHORD))
    taken = logp.gather(-1, acted.unsqueeze(-1)).squeeze(-1)
    assert torch.isfinite(taken).all()
    off = ~ep.on_grid
    assert (allowed[off].sum(-1) == 1).all() and torch.allclose(taken[off], torch.zeros(()))
    # The default draws no grid: the unconstrained episodes of before, and a run with grids trains.
    assert sample_episodes(WindowSampler(corpus, "train", DataConfig(limit=12), 32, seed=3), cfg()).on_grid is None
    row = train_rl(cfg(steps=1, grid_choices=("16th", "beat", "half", "bar")), name="rl", out_dir=tmp_path,
                   models=models(), corpus=corpus, progress=False)
    assert np.isfinite(row["reward_total"]) and np.isfinite(row["approx_kl"])
