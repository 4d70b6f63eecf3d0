"""RL post-training (PPO), and GAPT when the adversarial weight is above 0. One loop, read top to bottom:

    rollout -> rewards (ensembles + rules [+ lambda * r_adv]) -> KL to the anchor(s) -> GAE
            -> one epoch of clipped PPO over minibatches -> [discriminator update per schedule] -> logs

The policy plays chords online against dataset melodies (train split, transposed): the chord for
frame t is sampled from the policy given melody frames before t, then the data's melody token for
frame t is forced. Sampling is grammar-constrained, and the PPO log-probabilities use the same
constrained distribution. The value head shares the policy's trunk (V at the token before each chord
decision). With ``adv_weight == 0`` no discriminator is built: ``rl`` and ``gapt-<lambda>`` differ by
exactly one term.
"""
from __future__ import annotations

from jamcore.checkpoints import with_ext

import csv
import dataclasses
import json
import os
import platform
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from jamcore.config import ModelConfig
from jamcore.rewards import RewardWeights
from jamcore.train.gapt import ScheduleConfig


@dataclass(frozen=True)
class RLConfig:
    """Every weight of the RL/GAPT objective and its run, with defaults (the `small` profile)."""

    profile: str = "small"
    steps: int = 120  # PPO steps
    batch_size: int = 16  # episodes per step
    minibatches: int = 2
    epochs: int = 1
    # group_size > 1: each melody is played `group_size` times and an episode's advantage is its reward
    # minus its group's mean (Dr.GRPO, REFERENCE Table 8): the melody's own difficulty cancels out, which
    # a value head needs many steps to learn. The anchor KL then enters the loss directly (per decision).
    # group_size 1: GAE with the value head, the KL as a per-decision reward (the paper's PPO).
    group_size: int = 4
    # Divide each group's advantages by the group's reward std (GRPO) instead of only centring them
    # (Dr.GRPO): whole-episode rewards differ little between plays of one melody (note-in-chord by
    # ~0.03), so centred advantages are small next to the per-token KL term. Measured alone it did not
    # make PPO climb (docs/reward-hacking.md); with ``credit_bars`` it did.
    adv_std_norm: bool = False
    # Local credit (group_size > 1): > 0 scores the coherence ensembles on every window of this many
    # bars (hop one bar) and credits each chord decision with the windows that hear it, advantages
    # centred per frame across the group; rule penalties and the adversarial reward stay episode-level.
    # 0: one coherence score per episode on its last decision, as in the reference system.
    credit_bars: int = 0
    # The rule-based harmony reward (``weights.harmony`` > 0) credits each decision with the note-in-chord
    # share of the next ``harmony_horizon`` frames (jamcore.rewards.RewardSet.harmony_credit).
    harmony_horizon: int = 16
    harmony_onsets: bool = False  # judge each note at its first frame only, weighted by its length
    episode_frames: int = 256
    actor_lr: float = 1e-4  # a 0.7 M model over 120 steps: approx_kl ~ 0.001-0.005 per update
    warmup_steps: int = 10
    min_lr_ratio: float = 0.1
    clip: float = 0.2
    vf_coef: float = 0.5
    # The paper's 0.01 (with a 40 M model at lr 5e-6) drove this small policy to uniform chords within
    # 50 steps at lr 3e-4 (entropy 0.3 -> 4.6 nats): the bonus outweighed a sequence-level reward.
    ent_coef: float = 0.001
    gamma: float = 1.0
    lam: float = 0.95
    # Full-vocabulary KL to the offline anchor. The paper's 0.001 left this small policy unanchored;
    # 0.02 makes the anchor's per-frame advice (it sees the future melody) a real signal.
    kl_anchor: float = 0.02
    kl_mle: float = 0.0  # KL to the MLE policy (off by default, as in the paper)
    temperature: float = 1.0
    grad_clip: float = 1.0
    weights: RewardWeights = RewardWeights()
    # GAPT
    adv_weight: float = 0.0
    schedule: ScheduleConfig = ScheduleConfig()
    disc_model: ModelConfig = ModelConfig(d_model=96, n_layers=2, n_heads=4, dropout=0.1, max_len=257)
    disc_lr: float = 3e-4
    label_smoothing: float = 0.1
    # Inputs
    init: str = "mle"
    anchor: str = "anchor"
    contrastive: tuple[str, ...] = ("contrastive-s0", "contrastive-s1")
    discriminative: tuple[str, ...] = ("discriminative-s0", "discriminative-s1")
    seed: int = 0
    checkpoint_every: int = 10
    threads: int = 0
    # The checkpoint is an evaluation baseline (its card says so; the bridge leaves it off the menu).
    baseline: bool = False


RL_PROFILES: dict[str, RLConfig] = {
    "smoke": RLConfig(profile="smoke", steps=6, batch_size=8, minibatches=2, episode_frames=32, actor_lr=3e-4, group_size=4,
                      warmup_steps=1, checkpoint_every=3, weights=RewardWeights(harmony=2.0),
                      schedule=ScheduleConfig(warmup_steps=3, every=1, window=2, threshold=0.5),
                      disc_model=ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=65)),
    # The shipped runs: the learned ensembles, the rules, and the rule-based harmony credit per decision
    # (the ensembles alone do not rank harmony at this scale: docs/reward-hacking.md).
    "small": RLConfig(weights=RewardWeights(harmony=2.0)),
    # The reward-hacking baseline (docs/reward-hacking.md): no anchor KL, no entropy bonus, longer; a
    # discriminative reward trained with wrong-harmony negatives (`jamcore train reward --kind
    # discriminative --set wrong_fraction=0.5 --name discriminative-wrong-s0`) judging every 4-bar
    # window, and a light harmony credit: harmony up, diversity below the data's, progressions narrow.
    "hack": RLConfig(profile="hack", steps=200, actor_lr=3e-4, kl_anchor=0.0, ent_coef=0.0,
                     weights=RewardWeights(contrastive=0.0, harmony=0.3), credit_bars=4, adv_std_norm=True,
                     discriminative=("discriminative-wrong-s0",), baseline=True),
}


# ---------------------------------------------------------------------------------------------
# CLI


def add_arguments(parser, gapt: bool = False) -> None:
    parser.add_argument("--profile", default="small", choices=sorted(RL_PROFILES),
                        help="run size (smoke: seconds, for tests; small: the shipped runs; hack: the "
                             "reward-hacking baseline rl-hack: no KL, window-credited rewards, longer)")
    if gapt:
        parser.add_argument("--adv-weight", type=float, required=True,
                            help="lambda, the weight of the discriminator reward (the performer's knob)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override an RLConfig field, e.g. --set kl_anchor=0.01 --set schedule.threshold=0.8")
    parser.add_argument("--name", default=None, help="checkpoint name (default: rl, or gapt-<lambda>)")
    parser.add_argument("--out", default="runs", help="directory for the checkpoint, logs and training state")
    parser.add_argument("--checkpoint-dir", default=None,
                        help="where to find the init/anchor/reward checkpoints (default: the shipped ones)")
    parser.add_argument("--resume", action="store_true", help="continue from the last training state in --out")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--data-dir", default=None, help="datasets folder (default ../shared/datasets)")
    parser.add_argument("--cocopops", action="store_true", help="also use CoCoPops melodies (research-only)")
    parser.add_argument("--no-progress", action="store_true")


def run(args) -> int:
    from jamcore.cli import CommandError
    from jamcore.config import override

    cfg = RL_PROFILES[args.profile]
    try:
        cfg = override(cfg, args.set)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if getattr(args, "adv_weight", None) is not None:
        if args.adv_weight < 0:
            raise CommandError("--adv-weight must be >= 0")
        cfg = dataclasses.replace(cfg, adv_weight=args.adv_weight)
    if args.seed is not None:
        cfg = dataclasses.replace(cfg, seed=args.seed)
    name = args.name or checkpoint_name(cfg.adv_weight)
    train_rl(cfg, name=name, out_dir=Path(args.out), ckpt_dir=args.checkpoint_dir, resume=args.resume,
             data_dir=args.data_dir, cocopops=args.cocopops, progress=not args.no_progress)
    return 0


def checkpoint_name(adv_weight: float) -> str:
    """``rl`` for lambda 0, else ``gapt-<lambda>`` with at least one decimal: gapt-1.0, gapt-0.25."""
    if adv_weight <= 0:
        return "rl"
    text = f"{adv_weight:g}"
    return f"gapt-{text if '.' in text else text + '.0'}"


# ---------------------------------------------------------------------------------------------
# Pieces


def allowed_chords(chords):
    """[B, T, V] grammar mask of each chord decision given the chord before it (none at t=0)."""
    import torch

    from jamcore import tokens as T
    from jamcore.stream import CHORD_MASKS

    table = torch.from_numpy(CHORD_MASKS)
    prev = torch.full_like(chords, T.VOCAB_SIZE)
    prev[:, 1:] = chords[:, :-1]
    return table[prev]


@dataclass
class Rollout:
    melody: "object"  # torch [B, T] long
    chords: "object"  # torch [B, T] long (PAD where the melody is PAD)
    mask: "object"  # [B, T] bool: real decisions
    data_chords: "object"  # [B, T] the dataset's chords for the same melodies (GAPT positives)


def rollout(policy, melody, temperature: float, generator, meter=None):
    """Play chords online against forced melody frames; returns chords [B, T] (torch long).

    ``meter``: metrical ids [B, 2T] of the online sequence's tokens (``WindowBatch.meter``), or None."""
    import torch

    from jamcore import tokens as T
    from jamcore.stream import CHORD_MASKS

    table = torch.from_numpy(CHORD_MASKS)
    b, t = melody.shape
    cache = policy.new_cache(b, 1 + 2 * t)
    chords = torch.full((b, t), T.PAD, dtype=torch.long)
    with torch.no_grad():
        m = (lambda i, j: None) if meter is None else (lambda i, j: meter[:, i:j])
        logits = policy.step(torch.full((b, 1), T.BOS, dtype=torch.long), cache, meter=m(0, 1))[:, -1]
        prev = torch.full((b,), T.VOCAB_SIZE, dtype=torch.long)
        for i in range(t):
            allowed = table[prev]
            z = logits.masked_fill(~allowed, float("-inf")) / max(temperature, 1e-6)
            c = torch.multinomial(z.softmax(-1), 1, generator=generator).squeeze(1)
            chords[:, i] = c
            prev = c
            if i + 1 < t:
                logits = policy.step(torch.stack([c, melody[:, i]], dim=1), cache, meter=m(2 * i + 1, 2 * i + 3))[:, -1]
    chords[melody == T.PAD] = T.PAD
    return chords


def policy_tables(policy, melody, chords, with_value: bool, meter=None):
    """Masked log-prob tables [B, T, V] of every chord decision (and V(s_t) [B, T]); ``meter`` as in
    ``rollout``."""
    import torch

    from jamcore import tokens as T
    from jamcore.train.ppo import masked_log_softmax

    b, t = melody.shape
    seq = torch.full((b, 1 + 2 * t), T.PAD, dtype=torch.long)
    seq[:, 0] = T.BOS
    seq[:, 1::2] = chords
    seq[:, 2::2] = melody
    out = policy(seq[:, :-1], with_value=with_value, meter=meter)
    logits, values = (out if with_value else (out, None))
    chord_logits = logits[:, 0::2]  # BOS and every melody position predict the next chord
    allowed = allowed_chords(torch.where(chords == T.PAD, torch.full_like(chords, T.NO_CHORD), chords))
    logp = masked_log_softmax(chord_logits, allowed)
    return logp, (values[:, 0::2] if values is not None else None), allowed


# ---------------------------------------------------------------------------------------------
# The loop


def train_rl(cfg: RLConfig, name: str = "rl", out_dir: Path = Path("runs"), ckpt_dir: str | None = None,
             resume: bool = False, data_dir: str | None = None, cocopops: bool = False, progress: bool = True,
             models: dict | None = None, corpus=None) -> dict:
    """Run PPO (+ GAPT when ``cfg.adv_weight > 0``); returns the final rollout metrics.

    ``models`` may supply already-built networks (tests): keys policy, anchor, contrastive,
    discriminative, mle.
    """
    import numpy as np
    import torch
    from tqdm import tqdm

    from jamcore import tokens as T
    from jamcore.checkpoints import load_model, save_checkpoint
    from jamcore.config import DataConfig
    from jamcore.data.loader import WindowSampler
    from jamcore.eval import metrics as M
    from jamcore.music.time import FRAMES_PER_BEAT
    from jamcore.rewards import RewardSet
    from jamcore.train import ppo
    from jamcore.train.gapt import DiscriminatorSchedule, adversarial_reward, discriminator_step
    from jamcore.train.mle import _dist_setup, average_gradients, load_state, lr_at, save_state

    rank, world, dist = _dist_setup()
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed * 7919 + rank)

    # ---- inputs
    models = dict(models or {})
    if "policy" not in models:
        models["policy"], init_card = load_model(cfg.init, "policy", ckpt_dir)
    if "anchor" not in models and cfg.kl_anchor > 0:
        models["anchor"], _ = load_model(cfg.anchor, "anchor", ckpt_dir)
    if "mle" not in models and cfg.kl_mle > 0:
        models["mle"], _ = load_model(cfg.init, "policy", ckpt_dir)
    for kind in ("contrastive", "discriminative"):
        if kind not in models and getattr(cfg.weights, kind):
            from jamcore.models.reward_models import RewardEnsemble

            models[kind] = RewardEnsemble([load_model(n, kind, ckpt_dir)[0] for n in getattr(cfg, kind)])
    policy = models["policy"]
    for k in ("anchor", "mle", "contrastive", "discriminative"):
        if isinstance(models.get(k), torch.nn.Module):  # frozen judges and anchors
            models[k].eval()
            for p in models[k].parameters():
                p.requires_grad_(False)
    # RL runs without dropout: the rollout policy and the learner must be the same function.
    for m in policy.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    for blk in policy.modules():
        if hasattr(blk, "dropout") and isinstance(blk.dropout, float):
            blk.dropout = 0.0
    rewards = RewardSet(models.get("contrastive"), models.get("discriminative"), cfg.weights)

    if corpus is None:
        from jamcore.data.build import load_corpus

        data_cfg = DataConfig(cocopops=cocopops, **({"data_dir": Path(data_dir)} if data_dir else {}))
        corpus = load_corpus(data_cfg, progress=(rank == 0 and progress))
    else:
        data_cfg = DataConfig()
    sampler = WindowSampler(corpus, "train", data_cfg, cfg.episode_frames, seed=cfg.seed * 1000 + rank)

    opt = torch.optim.AdamW(policy.parameters(), lr=cfg.actor_lr, betas=(0.9, 0.95), weight_decay=0.0)
    disc = disc_opt = None
    schedule = DiscriminatorSchedule(cfg.schedule)
    if cfg.adv_weight > 0:
        from jamcore.models.discriminator import ChordDiscriminator

        torch.manual_seed(cfg.seed + 1)
        disc = ChordDiscriminator(dataclasses.replace(cfg.disc_model, max_len=cfg.episode_frames + 1)).eval()
        disc_opt = torch.optim.AdamW(disc.parameters(), lr=cfg.disc_lr, betas=(0.9, 0.95), weight_decay=0.0)

    out_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / f"{name}-state"  # + .json / .safetensors
    log_path = out_dir / f"{name}.log.csv"
    step, history = 0, []
    if resume and with_ext(state_path, ".json").is_file():
        meta = load_state(state_path, policy, opt)
        step, history = meta["step"], meta.get("history", [])
        if str(rank) in meta.get("sampler", {}):
            sampler.rng.bit_generator.state = meta["sampler"][str(rank)]
        if disc is not None and (out_dir / f"{name}-disc-state.json").is_file():
            load_state(out_dir / f"{name}-disc-state", disc, disc_opt)
            schedule.load(json.loads((out_dir / f"{name}-schedule.json").read_text()))
        if rank == 0:
            print(f"resuming {name} from step {step}", file=sys.stderr)
    elif resume:
        from jamcore.cli import CommandError

        raise CommandError(f"--resume: no training state at {state_path}.json")

    t0 = time.time()
    bar = tqdm(total=cfg.steps, initial=step, desc=f"{'gapt' if disc else 'rl'} {name}",
               disable=(rank != 0 or not progress), dynamic_ncols=True)
    last = {}
    while step < cfg.steps:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg, cfg.actor_lr)
        # ---- 1. rollout against dataset melodies
        group = max(1, cfg.group_size)
        batch = sampler.sample(cfg.batch_size // group)
        melody = torch.from_numpy(batch.melody).repeat_interleave(group, dim=0)
        meter = batch.meter(2 * melody.shape[1])
        meter = None if meter is None else torch.from_numpy(meter).repeat_interleave(group, dim=0)
        frame_meter = batch.frame_meter()  # the anchor's form
        frame_meter = None if frame_meter is None else torch.from_numpy(frame_meter).repeat_interleave(group, dim=0)
        data_chords = torch.from_numpy(batch.chords).repeat_interleave(group, dim=0)
        policy.eval()
        chords = rollout(policy, melody, cfg.temperature, gen, meter)
        mask = melody != T.PAD
        mel_np, ch_np = melody.numpy(), chords.numpy()

        # ---- 2. sequence rewards: ensembles + rules (+ adversarial); or local coherence credit + rules
        local = None
        if cfg.credit_bars > 0:
            bar_frames = 4 * FRAMES_PER_BEAT
            local, terms = rewards.local_coherence(mel_np, ch_np, cfg.credit_bars * bar_frames, bar_frames)
            local = torch.from_numpy(local)
            rule_terms = rewards.rules(mel_np, ch_np)
            terms.update(rule_terms)
            seq_reward = torch.zeros(len(mel_np))
            for v in rule_terms.values():
                seq_reward = seq_reward + torch.from_numpy(v)
        else:
            seq_reward, terms = rewards(mel_np, ch_np)
            seq_reward = torch.from_numpy(seq_reward)
        dense = None  # per-decision rewards: the rule-based harmony credit
        if cfg.weights.harmony:
            dense, nic_share = rewards.harmony_credit(mel_np, ch_np, cfg.harmony_horizon,
                                                        cfg.harmony_onsets)
            dense = torch.from_numpy(dense)
            terms["harmony"] = cfg.weights.harmony * nic_share
        d_train = False
        if disc is not None:
            with torch.no_grad():
                p_data = disc.prob_data(chords)
            r_adv = adversarial_reward(p_data)
            terms["adversarial"] = (cfg.adv_weight * r_adv).numpy()
            seq_reward = seq_reward + cfg.adv_weight * r_adv

        # ---- 3. per-decision KL penalties and old log-probs, values
        with torch.no_grad():
            old_logp_all, old_values, allowed = policy_tables(policy, melody, chords, with_value=True, meter=meter)
            # Padding frames (short songs) take NO_CHORD, an always-allowed token: a PAD there would give
            # log-probabilities of -inf and NaN ratios.
            acted = torch.where(mask, chords, torch.full_like(chords, T.NO_CHORD))
            old_logp = old_logp_all.gather(-1, acted.unsqueeze(-1)).squeeze(-1)
            kl_terms = {}
            kl_pen = torch.zeros_like(old_logp)
            if models.get("anchor") is not None:
                a_logits = models["anchor"](melody, torch.where(mask, chords, torch.zeros_like(chords)), meter=frame_meter)
                a_logp = ppo.masked_log_softmax(a_logits, allowed)
                kl_a = ppo.full_kl(old_logp_all, a_logp)
                kl_terms["kl_anchor"] = float(ppo.masked_mean(kl_a, mask))
                kl_pen = kl_pen - cfg.kl_anchor * kl_a
            if models.get("mle") is not None:
                m_logp, _, _ = policy_tables(models["mle"], melody, chords, with_value=False, meter=meter)
                kl_m = ppo.full_kl(old_logp_all, m_logp)
                kl_terms["kl_mle"] = float(ppo.masked_mean(kl_m, mask))
                kl_pen = kl_pen - cfg.kl_mle * kl_m
            if group > 1:
                # [B, T]: each decision's return (episode terms + local coherence credit + harmony
                # credit), centred per frame across the plays of its melody.
                credit = [x for x in (local, dense) if x is not None]
                adv = ppo.group_advantages(seq_reward, sum(credit) if credit else None, mask, group,
                                           cfg.adv_std_norm)
                returns = torch.zeros_like(adv)
            else:
                step_rewards = kl_pen * mask
                last_idx = mask.long().sum(1).clamp(min=1) - 1
                step_rewards[torch.arange(len(last_idx)), last_idx] += seq_reward
                if local is not None:  # the local credit as per-decision reward, its mean per episode
                    step_rewards = step_rewards + local / mask.sum(1, keepdim=True).clamp(min=1)
                if dense is not None:
                    step_rewards = step_rewards + dense * mask
                adv, returns = ppo.gae(step_rewards, old_values, mask, cfg.gamma, cfg.lam)
                adv = ppo.normalize(adv, mask)

        # ---- 4. PPO: clipped policy loss + value loss - entropy bonus, minibatch epochs
        policy.train()
        stats = {"approx_kl": 0.0, "clipfrac": 0.0, "pg_loss": 0.0, "v_loss": 0.0, "entropy": 0.0}
        n_updates = 0
        idx_all = torch.randperm(len(melody), generator=gen)
        for _ in range(cfg.epochs):
            for mb in idx_all.chunk(cfg.minibatches):
                logp_all, values, _ = policy_tables(policy, melody[mb], chords[mb], with_value=True,
                                                    meter=None if meter is None else meter[mb])
                logp = logp_all.gather(-1, acted[mb].unsqueeze(-1)).squeeze(-1)
                pg, diag = ppo.policy_loss(logp, old_logp[mb], adv[mb], mask[mb], cfg.clip)
                ent = ppo.masked_mean(ppo.entropy(logp_all), mask[mb])
                if group > 1:
                    vl = torch.zeros(())
                    loss = pg - cfg.ent_coef * ent
                    if models.get("anchor") is not None:
                        loss = loss + cfg.kl_anchor * ppo.masked_mean(ppo.full_kl(logp_all, a_logp[mb]), mask[mb])
                    if models.get("mle") is not None:
                        loss = loss + cfg.kl_mle * ppo.masked_mean(ppo.full_kl(logp_all, m_logp[mb]), mask[mb])
                else:
                    vl = ppo.value_loss(values, returns[mb], mask[mb])
                    loss = pg + cfg.vf_coef * vl - cfg.ent_coef * ent
                opt.zero_grad(set_to_none=True)
                loss.backward()
                if dist is not None:
                    average_gradients(policy, world)
                torch.nn.utils.clip_grad_norm_(policy.parameters(), cfg.grad_clip)
                opt.step()
                for k, v in (("approx_kl", diag["approx_kl"]), ("clipfrac", diag["clipfrac"]), ("pg_loss", pg),
                             ("v_loss", vl), ("entropy", ent)):
                    stats[k] += float(v.detach())
                n_updates += 1
        stats = {k: v / max(n_updates, 1) for k, v in stats.items()}
        ev = float(ppo.explained_variance(old_values, returns, mask)) if group == 1 else float("nan")

        # ---- 5. GAPT: discriminator on fresh rollouts vs the paired data chords, per schedule
        d_stats = {}
        if disc is not None:
            d_train = schedule.should_train(step)
            if d_train:
                for mb in idx_all.chunk(cfg.minibatches):
                    d_stats = discriminator_step(
                        disc, disc_opt, chords[mb], data_chords[mb], cfg.label_smoothing,
                        sync=(lambda m: average_gradients(m, world)) if dist is not None else None)
            schedule.record(float(r_adv.mean()))

        # ---- 6. logs: every reward term, KLs, PPO diagnostics, and the eval suite on the rollouts
        per_frame = (["contrastive", "discriminative"] if local is not None else []) + ["harmony"]
        local_mean = float(sum(terms[k].mean() for k in per_frame if k in terms))
        songs = [(m[k], c[k]) for m, c, k in zip(mel_np, ch_np, mask.numpy())]
        cm = M.corpus_metrics(songs)
        row = {
            "step": step + 1, "lr": opt.param_groups[0]["lr"],
            "reward_total": float(seq_reward.mean()) + local_mean,
            **{f"reward_{k}": float(np.mean(v)) for k, v in terms.items()},
            **kl_terms, **stats, "explained_variance": ev,
            "nic": cm["nic"], "chord_entropy": cm["entropy_pooled"], "entropy_song_mean": cm["entropy_song_mean"],
            "distinct_chords": cm["distinct_chords_song_mean"], "longest_run_beats": cm["longest_run_beats_song_mean"],
            "changes_per_bar": cm["changes_per_bar"], "on_beat_share": cm["on_beat_share"],
            "d_trained": int(d_train), **d_stats,
            "seconds": round(time.time() - t0, 1),
        }
        history.append(row)
        last = row
        step += 1
        bar.update(1)
        bar.set_postfix(R=f"{row['reward_total']:.2f}", nic=f"{row['nic']:.2f}", H=f"{row['entropy_song_mean']:.2f}")
        if rank == 0:
            _append_csv(log_path, row)
            if not progress and step % 5 == 0:
                print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}),
                      file=sys.stderr, flush=True)
        if rank == 0 and (step % cfg.checkpoint_every == 0 or step == cfg.steps):
            save_state(state_path, policy, opt, step, {str(rank): sampler.rng.bit_generator.state}, history)
            if disc is not None:
                save_state(out_dir / f"{name}-disc-state", disc, disc_opt, step, {}, [])
                (out_dir / f"{name}-schedule.json").write_text(json.dumps(schedule.state()))
    bar.close()

    if rank == 0:
        summary = {k: last.get(k) for k in ("nic", "chord_entropy", "entropy_song_mean", "distinct_chords",
                                           "longest_run_beats", "reward_total")}
        card = {
            "command": "jamcore " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
            "adv_weight": cfg.adv_weight,
            "parent": cfg.init,
            "seed": cfg.seed,
            "training": {**_jsonable_cfg(cfg), "world_size": world, "wall_seconds": round(time.time() - t0, 1),
                         "machine": f"{platform.machine()} {os.cpu_count()} cpus, torch {torch.__version__}",
                         "discriminator_updates": int(sum(r["d_trained"] for r in history))},
            "data": {"melodies": "train split, transposed -6..+5", "episode_frames": cfg.episode_frames},
            "metrics": {f"rollout_{k}": v for k, v in summary.items()},
        }
        if cfg.baseline:  # kept for the evaluation, off the stage menu
            card["baseline"] = True
        save_checkpoint(policy, out_dir / name, card)
        _plot_curves(history, out_dir / f"{name}.curves.png", name)
        print(f"wrote {out_dir / name}.safetensors; last rollouts: NIC {last.get('nic', float('nan')):.3f}, "
              f"within-song entropy {last.get('entropy_song_mean', float('nan')):.3f}", file=sys.stderr)
    if dist is not None:
        dist.barrier()
        dist.destroy_process_group()
    return last


def _jsonable_cfg(cfg) -> dict:
    return json.loads(json.dumps(dataclasses.asdict(cfg), default=str))


def _append_csv(path: Path, row: dict) -> None:
    new = not path.exists()
    fields = list(row)
    if not new:
        with open(path) as f:
            header = f.readline().strip().split(",")
        if header != fields:
            fields = header + [k for k in row if k not in header]
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        if new:
            w.writeheader()
        w.writerow(row)


def _plot_curves(history: list[dict], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [("reward_total", "total reward"), ("nic", "note-in-chord (rollouts)"),
            ("entropy_song_mean", "within-song chord entropy (nats)"), ("distinct_chords", "distinct chords / song"),
            ("kl_anchor", "KL to anchor"), ("entropy", "policy entropy"), ("approx_kl", "approx_kl"),
            ("explained_variance", "explained variance"), ("reward_adversarial", "adversarial reward")]
    keys = [(k, lbl) for k, lbl in keys if any(k in r for r in history)]
    fig, axes = plt.subplots((len(keys) + 2) // 3, 3, figsize=(12, 3 * ((len(keys) + 2) // 3)), squeeze=False)
    steps = [r["step"] for r in history]
    for ax, (k, lbl) in zip(axes.flat, keys):
        ax.plot(steps, [r.get(k, float("nan")) for r in history])
        ax.set_title(lbl, fontsize=9)
        ax.set_xlabel("PPO step", fontsize=8)
    for ax in list(axes.flat)[len(keys):]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
