"""RL post-training (PPO), and GAPT when the adversarial weight is above 0. One loop, read top to bottom:

    for each step:
        1. rollout     the policy plays chords online against dataset melodies, each melody
                       ``group_size`` times (``jamcore.train.rollout``)
        2. reward      ``RewardSet.score``: ensembles + rules + harmony credit [+ lambda * r_adv]
        3. references  old log-probs and values; the anchor's (and MLE's) log-probs -> KL terms
        4. advantages  group-relative (group_size > 1, the shipped runs; the KL then enters the loss)
                       or GAE with the value head (group_size 1, the KL a per-decision reward)
        5. update      one epoch of clipped PPO over minibatches (``ppo.ppo_update``)
        6. GAPT        the discriminator trains on these rollouts vs the data's chords, per schedule
        7. logs        every reward term, KLs, PPO diagnostics, the evaluation metrics of the rollouts

The chord for frame t is sampled from the policy given melody frames before t, then the data's
melody token for frame t is forced. Sampling is grammar-constrained, and the PPO log-probabilities use
the same constrained distribution. The value head shares the policy's trunk (V at the token before each
chord decision). With ``adv_weight == 0`` no discriminator is built: ``rl`` and ``gapt-<lambda>`` differ
by exactly one term.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import torch
from tqdm import tqdm

from jamcore import tokens as T
from jamcore.checkpoints import with_ext
from jamcore.config import DataConfig, ModelConfig
from jamcore.data.build import load_corpus
from jamcore.data.loader import WindowSampler
from jamcore.errors import CommandError
from jamcore.eval import metrics as M
from jamcore.models.discriminator import ChordDiscriminator
from jamcore.models.reward_models import RewardEnsemble
from jamcore.models.saved import load_model, save_checkpoint
from jamcore.music.grid import GRIDS, check_grid, grid_points
from jamcore.music.meter import METRIC_SLOTS
from jamcore.rewards import RewardSet, RewardWeights
from jamcore.train import loop, ppo
from jamcore.train.gapt import DiscriminatorSchedule, ScheduleConfig, discriminator_step, key_relative_chords
from jamcore.train.rollout import rollout

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)


@dataclass(frozen=True)
class RLConfig:
    """Every weight of the RL/GAPT objective and its run, with defaults (the `small` profile)."""

    profile: str = "small"
    steps: int = 360  # PPO steps (120 until 4 December 2026: training/gapt_levers.md, item 13)
    batch_size: int = 16  # episodes per step
    minibatches: int = 2
    epochs: int = 1
    # group_size > 1: each melody is played `group_size` times and an episode's advantage is its reward
    # minus its group's mean (Dr.GRPO; docs/architecture.md): the melody's own difficulty cancels out, which
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
    # Harmonic-rhythm grids (jamcore.music.grid) drawn per melody (all plays of a group share one):
    # chords change only at its points, during sampling and in the PPO log-probs, as StreamingPolicy
    # masks them live, so the policy learns to choose a chord for the span ahead. ("16th",): no mask.
    grid_choices: tuple[str, ...] = ("16th",)
    actor_lr: float = 1e-4
    warmup_steps: int = 10
    min_lr_ratio: float = 0.1
    clip: float = 0.2
    vf_coef: float = 0.5
    # The paper's 0.01 (with a 40 M model at lr 5e-6) drove this small policy to uniform chords within
    # 50 steps at lr 3e-4 (entropy 0.3 -> 4.6 nats): the bonus outweighed a sequence-level reward.
    ent_coef: float = 0.001
    gamma: float = 1.0
    lam: float = 0.95
    # Full-vocabulary KL to the offline anchor. The paper's 0.001 left this small policy unanchored
    # (item 1); the `small` profile sets 0.005: at this size the anchor advises worse than the policy
    # plays (training/gapt_levers.md, item 17).
    kl_anchor: float = 0.02
    kl_mle: float = 0.0  # KL to the starting policy (``init``; off by default, as in the paper)
    temperature: float = 1.0
    grad_clip: float = 1.0
    weights: RewardWeights = RewardWeights()
    # GAPT
    adv_weight: float = 0.0
    schedule: ScheduleConfig = ScheduleConfig()
    disc_model: ModelConfig = ModelConfig(d_model=96, n_layers=2, n_heads=4, dropout=0.1, max_len=257)
    # The discriminator also hears each frame's place in the bar (issue 15): it can then tell a chord
    # struck on the beat from one struck a 16th after it. False: the paper's chord-only D.
    disc_meter: bool = False
    # The discriminator hears the chords relative to the key of the episode's melody (transposed so its
    # tonic is C, ``gapt.key_relative_chords``), so a vi where the data plays V reads the same in every key.
    # Tried, not shipped: the policy changed chord less often and hedged more (0.58 against 0.53;
    # training/gapt_levers.md, item 18). False: absolute chords, as the paper's D.
    disc_key: bool = False
    # The rhythm judges hear a change to a related chord (two or more pitch classes kept) as a hold
    # (``jamcore.rhythm.related_restrikes``): only changes that move the harmony earn rhythm credit.
    # Tried, not shipped: it cut the change rate, not the hedge (training/gapt_levers.md, item 18).
    rhythm_moves_only: bool = False
    disc_lr: float = 3e-4
    label_smoothing: float = 0.1
    # Inputs
    init: str = "mle"
    anchor: str = "anchor"
    contrastive: tuple[str, ...] = ("contrastive-s0", "contrastive-s1")
    discriminative: tuple[str, ...] = ("discriminative-s0", "discriminative-s1")
    # The rhythm-only judges (``train reward --rhythm``), read when ``weights.rhythm`` > 0.
    rhythm_contrastive: tuple[str, ...] = ("contrastive-rhythm-s0", "contrastive-rhythm-s1")
    rhythm_discriminative: tuple[str, ...] = ("discriminative-rhythm-s0", "discriminative-rhythm-s1")
    seed: int = 0
    checkpoint_every: int = 10
    threads: int = 0
    # The checkpoint is an evaluation baseline (its card says so; the bridge leaves it off the menu).
    baseline: bool = False


RL_PROFILES: dict[str, RLConfig] = {
    "smoke": RLConfig(profile="smoke", steps=6, batch_size=8, minibatches=2, episode_frames=32, actor_lr=3e-4, group_size=4,
                      warmup_steps=1, checkpoint_every=3, weights=RewardWeights(harmony=2.0, rhythm=1.0),
                      schedule=ScheduleConfig(warmup_steps=3, every=1, window=2, threshold=0.5),
                      disc_model=ModelConfig(d_model=32, n_layers=1, n_heads=2, dropout=0.0, max_len=65),
                      init="mle-dagger", harmony_onsets=True),
    # The shipped runs: the learned ensembles, the rules, and the rule-based harmony credit per decision
    # (the ensembles alone do not rank harmony at this scale: docs/reward-hacking.md).
    # `threads` is what the shipped runs used (one core each while another job held the other).
    # Issue 15: the rhythm-only ensembles join (weights.rhythm), and every episode draws a harmonic-rhythm
    # grid, so the policy learns to choose a chord for the span ahead under each grid a performer can pick.
    # Harmony credit 4 over 360 steps (was 2 over 120): training/gapt_levers.md, item 13.
    # From 5 December 2026 (item 16): RL starts from `mle-dagger` (a round of mle on its own chords) and the
    # harmony credit judges each note at its onset, so a chord earns nothing for a note it heard first.
    # Since item 17: anchor KL 0.005. At this size the offline anchor's advice on the policy's own chord
    # histories fits the next beat worse than the policy's own choice, and its pull holds chords.
    "small": RLConfig(weights=RewardWeights(harmony=4.0, rhythm=1.0), grid_choices=GRIDS, threads=1,
                      init="mle-dagger", harmony_onsets=True, kl_anchor=0.005),
    # The reward-hacking baseline (docs/reward-hacking.md): no anchor KL, no entropy bonus, longer; a
    # discriminative reward trained with wrong-harmony negatives (`jamcore train reward --kind
    # discriminative --set wrong_fraction=0.5 --name discriminative-wrong-s0`) judging every 4-bar
    # window, and a light harmony credit: harmony up, diversity below the data's, progressions narrow.
    "hack": RLConfig(profile="hack", steps=200, actor_lr=3e-4, kl_anchor=0.0, ent_coef=0.0,
                     weights=RewardWeights(contrastive=0.0, harmony=0.3), credit_bars=4, adv_std_norm=True,
                     discriminative=("discriminative-wrong-s0",), baseline=True, threads=1),
}


# ---------------------------------------------------------------------------------------------
# CLI


def add_arguments(parser, gapt: bool = False) -> None:
    loop.add_common_arguments(parser, RL_PROFILES, "rl, or gapt-<lambda>")
    if gapt:
        parser.add_argument("--adv-weight", type=float, required=True,
                            help="lambda, the weight of the discriminator reward (the performer's knob)")
    parser.add_argument("--checkpoint-dir", default=None,
                        help="where to find the init/anchor checkpoints, and the reward models in its rewards/ "
                             "(default: the shipped ones)")


def run(args) -> int:
    fields = {}
    if getattr(args, "adv_weight", None) is not None:
        if args.adv_weight < 0:
            raise CommandError("--adv-weight must be >= 0")
        fields["adv_weight"] = args.adv_weight
    cfg = loop.config_from_args(RL_PROFILES[args.profile], args, **fields)
    try:
        if not cfg.grid_choices:
            raise ValueError("grid_choices needs at least one grid")
        for grid in cfg.grid_choices:
            check_grid(grid)
    except ValueError as exc:
        raise CommandError(f"--set grid_choices: {exc}") from None
    train_rl(cfg, name=args.name or checkpoint_name(cfg.adv_weight), out_dir=Path(args.out),
             ckpt_dir=args.checkpoint_dir, resume=args.resume, data_dir=args.data_dir, cocopops=args.cocopops,
             progress=not args.no_progress)
    return 0


def checkpoint_name(adv_weight: float) -> str:
    """``rl`` for lambda 0, else ``gapt-<lambda>`` with at least one decimal: gapt-1.0, gapt-0.25."""
    if adv_weight <= 0:
        return "rl"
    text = f"{adv_weight:g}"
    return f"gapt-{text if '.' in text else text + '.0'}"


# ---------------------------------------------------------------------------------------------
# Pieces


def load_models(cfg: RLConfig, ckpt_dir: str | None, given: dict | None) -> dict:
    """The policy to train and its frozen judges and references (``given`` ones, e.g. by tests, win):
    policy, anchor (KL), mle (KL), the contrastive and discriminative ensembles and their rhythm-only
    counterparts (rhythm_contrastive, rhythm_discriminative). Reward models are looked up in
    ``ckpt_dir/rewards`` (then by name among the shipped ones)."""
    models = dict(given or {})
    rewards_dir = Path(ckpt_dir) / "rewards" if ckpt_dir else None
    if "policy" not in models:
        models["policy"] = load_model(cfg.init, "policy", ckpt_dir)[0]
    if "anchor" not in models and cfg.kl_anchor > 0:
        models["anchor"] = load_model(cfg.anchor, "anchor", ckpt_dir)[0]
    if "mle" not in models and cfg.kl_mle > 0:
        models["mle"] = load_model(cfg.init, "policy", ckpt_dir)[0]
    for kind in ("contrastive", "discriminative"):
        if kind not in models and getattr(cfg.weights, kind):
            models[kind] = RewardEnsemble([load_model(n, kind, rewards_dir)[0] for n in getattr(cfg, kind)])
        key, names = f"rhythm_{kind}", getattr(cfg, f"rhythm_{kind}")
        if key not in models and cfg.weights.rhythm and names:
            members = [load_model(n, kind, rewards_dir) for n in names]
            for n, (_, card) in zip(names, members):
                if not card.get("rhythm"):
                    raise CommandError(f"reward model {n!r} is not rhythm-only (train it with --rhythm)")
            models[key] = RewardEnsemble([m for m, _ in members])
    for k in ("anchor", "mle", "contrastive", "discriminative", "rhythm_contrastive", "rhythm_discriminative"):
        if isinstance(models.get(k), torch.nn.Module):  # frozen judges and anchors
            models[k].eval().requires_grad_(False)
    return models


def set_dropout(model: torch.nn.Module, p: float) -> None:
    """Dropout ``p`` everywhere in ``model`` (modules and the attention's own rate). RL runs with 0: the
    rollout policy and the learner must be the same function."""
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = p
        if hasattr(m, "dropout") and isinstance(m.dropout, float):
            m.dropout = p


@dataclass
class Episodes:
    """One step's melodies, each repeated ``group_size`` times, with what the models read beside them."""

    melody: torch.Tensor  # [B, T]
    meter: torch.Tensor | None  # [B, 2T] the policy's metrical ids
    frame_meter: torch.Tensor | None  # [B, T] the anchor's
    data_chords: torch.Tensor  # [B, T] the data's chords for the same melodies (GAPT's positives)
    on_grid: torch.Tensor | None = None  # [B, T] where a chord may change (None: every frame)


def sample_episodes(sampler: WindowSampler, cfg: RLConfig) -> Episodes:
    group = max(1, cfg.group_size)
    batch = sampler.sample(cfg.batch_size // group)

    def rep(x):
        return None if x is None else torch.from_numpy(x).repeat_interleave(group, dim=0)

    on_grid = None
    if tuple(cfg.grid_choices) != ("16th",):  # the default draws nothing: the data stream stays the same
        w = batch.melody.shape[1]
        grids = [cfg.grid_choices[int(sampler.rng.integers(len(cfg.grid_choices)))] for _ in batch.melody]
        points = np.stack([grid_points(w, check_grid(g), int(bar), int(first))
                           for g, bar, first in zip(grids, batch.bar_len, batch.first_frame)])
        on_grid = rep(points) | (rep(batch.melody) == T.PAD)  # past the song's end nothing is decided
    return Episodes(rep(batch.melody), rep(batch.meter(2 * batch.melody.shape[1])), rep(batch.frame_meter()),
                    rep(batch.chords), on_grid)


def reference_log_probs(models: dict, cfg: RLConfig, ep: Episodes, chords: torch.Tensor, mask: torch.Tensor,
                        allowed: torch.Tensor) -> dict[str, tuple[float, torch.Tensor]]:
    """name -> (KL coefficient, masked log-prob table [B, T, V]) of each frozen reference in use."""
    refs = {}
    if models.get("anchor") is not None:
        logits = models["anchor"](ep.melody, torch.where(mask, chords, torch.zeros_like(chords)), meter=ep.frame_meter)
        refs["anchor"] = (cfg.kl_anchor, ppo.masked_log_softmax(logits, allowed))
    if models.get("mle") is not None:
        refs["mle"] = (cfg.kl_mle, ppo.policy_tables(models["mle"], ep.melody, chords, False, ep.meter, ep.on_grid)[0])
    return refs


def rollout_metrics(melody: torch.Tensor, chords: torch.Tensor, mask: torch.Tensor,
                    on_grid: torch.Tensor | None = None) -> dict[str, float]:
    """The evaluation's metrics (``jamcore.eval.metrics``) on this step's rollouts.

    ``chase_share_free``: the chase among the episodes free to change on any 16th (no grid drawn, or the
    ``16th`` grid), the only ones where it can show; NaN when the step drew none."""
    songs = [(m[k], c[k]) for m, c, k in zip(melody.numpy(), chords.numpy(), mask.numpy())]
    cm = M.corpus_metrics(songs)
    free = [s for s, g in zip(songs, on_grid.numpy() if on_grid is not None else [None] * len(songs))
            if g is None or g.all()]
    return {"nic": cm["nic"], "chord_entropy": cm["entropy_pooled"], "entropy_song_mean": cm["entropy_song_mean"],
            "distinct_chords": cm["distinct_chords_song_mean"],
            "longest_run_beats": cm["longest_run_beats_song_mean"], "changes_per_bar": cm["changes_per_bar"],
            "on_beat_share": cm["on_beat_share"], "chase_share": cm["chase_share"], "lateness": cm["lateness"],
            "chase_share_free": M.corpus_metrics(free)["chase_share"] if free else float("nan")}


# ---------------------------------------------------------------------------------------------
# The loop


def train_rl(cfg: RLConfig, name: str = "rl", out_dir: Path = Path("runs"), ckpt_dir: str | None = None,
             resume: bool = False, data_dir: str | None = None, cocopops: bool = False, progress: bool = True,
             models: dict | None = None, corpus=None) -> dict:
    """Run PPO (+ GAPT when ``cfg.adv_weight > 0``); returns the last step's log row.

    ``models`` may supply already-built networks (tests): keys policy, anchor, contrastive,
    discriminative, mle. Data-parallel under torchrun: each rank plays its own melodies, gradients
    are averaged, rank 0 writes."""
    if resume:
        loop.require_state(out_dir / f"{name}-state")
    rank, world, group = loop.dist_setup()
    sync = (lambda m: loop.average_gradients(m, world)) if group is not None else None
    loop.set_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed * 7919 + rank)
    models = load_models(cfg, ckpt_dir, models)
    policy = models["policy"]
    set_dropout(policy, 0.0)
    data_cfg = DataConfig(cocopops=cocopops, **({"data_dir": Path(data_dir)} if data_dir else {}))
    corpus = corpus if corpus is not None else load_corpus(data_cfg, progress=(rank == 0 and progress))
    sampler = WindowSampler(corpus, "train", data_cfg, cfg.episode_frames, seed=cfg.seed * 1000 + rank)
    opt = torch.optim.AdamW(policy.parameters(), lr=cfg.actor_lr, betas=(0.9, 0.95), weight_decay=0.0)
    disc = disc_opt = None
    schedule = DiscriminatorSchedule(cfg.schedule)
    if cfg.adv_weight > 0:
        torch.manual_seed(cfg.seed + 1)
        disc = ChordDiscriminator(dataclasses.replace(cfg.disc_model, max_len=cfg.episode_frames + 1,
                                                      metric_slots=METRIC_SLOTS if cfg.disc_meter else 0)).eval()
        disc_opt = torch.optim.AdamW(disc.parameters(), lr=cfg.disc_lr, betas=(0.9, 0.95), weight_decay=0.0)
    rewards = RewardSet(models.get("contrastive"), models.get("discriminative"), cfg.weights, cfg.credit_bars,
                        cfg.harmony_horizon, cfg.harmony_onsets, disc, cfg.adv_weight,
                        models.get("rhythm_contrastive"), models.get("rhythm_discriminative"), cfg.rhythm_moves_only)

    out_dir.mkdir(parents=True, exist_ok=True)
    state_path, disc_path = out_dir / f"{name}-state", out_dir / f"{name}-disc-state"  # + .json / .safetensors
    log_path = out_dir / f"{name}.log.csv"
    step, history = 0, []
    if resume:
        step, history = loop.resume(state_path, policy, opt, sampler, rank)
        if disc is not None and with_ext(disc_path, ".json").is_file():
            loop.load_state(disc_path, disc, disc_opt)
            schedule.load(json.loads((out_dir / f"{name}-schedule.json").read_text()))

    t0 = time.time()
    bar = tqdm(total=cfg.steps, initial=step, desc=f"{'gapt' if disc else 'rl'} {name}",
               disable=(rank != 0 or not progress), dynamic_ncols=True)
    row = {}
    while step < cfg.steps:
        loop.set_lr(opt, loop.lr_at(step, cfg, cfg.actor_lr))
        # 1. rollout against dataset melodies
        ep = sample_episodes(sampler, cfg)
        policy.eval()
        chords = rollout(policy, ep.melody, cfg.temperature, gen, ep.meter, ep.on_grid)
        mask = ep.melody != T.PAD
        # 2. reward: every term, composed in one place
        d_meter = ep.frame_meter if cfg.disc_meter else None  # what a discriminator that hears the bar reads
        heard_by_d = (lambda c: torch.from_numpy(key_relative_chords(ep.melody.numpy(), c.numpy()))) \
            if disc is not None and cfg.disc_key else (lambda c: c)
        d_chords = heard_by_d(chords)  # what D hears of these rollouts (paid on below, trained on in step 6)
        reward = rewards.score(ep.melody, chords, d_meter, d_chords)
        # 3. references: the old policy's log-probs and values; the KL to each frozen reference
        with torch.no_grad():
            old_logp_all, old_values, allowed = ppo.policy_tables(policy, ep.melody, chords, True, ep.meter,
                                                                  ep.on_grid)
            acted = torch.where(mask, chords, torch.full_like(chords, T.NO_CHORD))
            old_logp = old_logp_all.gather(-1, acted.unsqueeze(-1)).squeeze(-1)
            refs = reference_log_probs(models, cfg, ep, chords, mask, allowed)
            kl = {k: ppo.full_kl(old_logp_all, ref) for k, (_, ref) in refs.items()}
            kl_penalty = torch.zeros_like(old_logp)
            for k, (coef, _) in refs.items():
                kl_penalty = kl_penalty - coef * kl[k]
            # 4. advantages
            adv, returns = ppo.advantages(reward.episode, reward.local, reward.dense, kl_penalty, old_values, mask,
                                          cfg.group_size, cfg.adv_std_norm, cfg.gamma, cfg.lam)
        # 5. one epoch of clipped PPO over minibatches
        order = torch.randperm(len(ep.melody), generator=gen)
        stats = ppo.ppo_update(policy, opt, ep.melody, chords, ep.meter, old_logp, adv, returns, mask, refs, order,
                               cfg, sync, ep.on_grid)
        ev = float(ppo.explained_variance(old_values, returns, mask)) if cfg.group_size <= 1 else float("nan")
        # 6. GAPT: the discriminator on these rollouts vs the paired data chords, per schedule
        d_train, d_stats = False, {}
        if disc is not None:
            d_train = schedule.should_train(step)
            if d_train:
                d_data = heard_by_d(ep.data_chords)
                for mb in order.chunk(cfg.minibatches):
                    d_stats = discriminator_step(disc, disc_opt, d_chords[mb], d_data[mb], cfg.label_smoothing,
                                                 sync=sync, meter=None if d_meter is None else d_meter[mb])
            schedule.record(float(reward.r_adv.mean()))
        # 7. logs: every reward term, KLs, PPO diagnostics, the evaluation metrics of the rollouts
        row = {"step": step + 1, "lr": opt.param_groups[0]["lr"], "reward_total": reward.total,
               **{f"reward_{k}": float(np.mean(v)) for k, v in reward.terms.items()},
               **{f"kl_{k}": float(ppo.masked_mean(v, mask)) for k, v in kl.items()}, **stats,
               "explained_variance": ev, **rollout_metrics(ep.melody, chords, mask, ep.on_grid), "d_trained": int(d_train),
               **d_stats, "seconds": round(time.time() - t0, 1)}
        history.append(row)
        step += 1
        bar.update(1)
        bar.set_postfix(R=f"{row['reward_total']:.2f}", nic=f"{row['nic']:.2f}", H=f"{row['entropy_song_mean']:.2f}")
        if rank == 0:
            log_step(log_path, row, progress)
        if rank == 0 and (step % cfg.checkpoint_every == 0 or step == cfg.steps):
            loop.save_state(state_path, policy, opt, step, {str(rank): sampler.rng.bit_generator.state}, history)
            if disc is not None:
                loop.save_state(disc_path, disc, disc_opt, step, {}, [])
                (out_dir / f"{name}-schedule.json").write_text(json.dumps(schedule.state()))
    bar.close()
    if rank == 0:
        write_checkpoint(policy, cfg, name, out_dir, history, t0, world)
    loop.dist_finish(group, policy, out_dir, name, rank)
    return row


def log_step(path: Path, row: dict, progress: bool) -> None:
    loop.append_csv(path, row)
    if not progress and row["step"] % 5 == 0:
        print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}),
              file=sys.stderr, flush=True)


def write_checkpoint(policy, cfg: RLConfig, name: str, out_dir: Path, history: list[dict], t0: float,
                     world: int) -> None:
    """The checkpoint with its card (the last rollouts' metrics), and the training curves."""
    last = history[-1] if history else {}
    card = {**loop.card_base(cfg, t0, world, discriminator_updates=int(sum(r["d_trained"] for r in history))),
            "adv_weight": cfg.adv_weight, "parent": cfg.init,
            "data": {"melodies": "train split, transposed -6..+5", "episode_frames": cfg.episode_frames},
            "metrics": {f"rollout_{k}": last.get(k) for k in ("nic", "chord_entropy", "entropy_song_mean",
                                                              "distinct_chords", "longest_run_beats", "reward_total")}}
    if cfg.baseline:  # kept for the evaluation, off the stage menu
        card["baseline"] = True
    save_checkpoint(policy, out_dir / name, card)
    plot_curves(history, out_dir / f"{name}.curves.png", name)
    print(f"wrote {out_dir / name}.safetensors; last rollouts: NIC {last.get('nic', float('nan')):.3f}, "
          f"within-song entropy {last.get('entropy_song_mean', float('nan')):.3f}", file=sys.stderr)


def plot_curves(history: list[dict], path: Path, title: str) -> None:
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
