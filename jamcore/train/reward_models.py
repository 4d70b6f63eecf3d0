"""`jamcore train reward`: train one coherence reward model (contrastive or discriminative), top to bottom.

- contrastive: symmetric InfoNCE over aligned (melody, chords) windows of the batch, plus (with
  ``--set wrong_fraction=0.5``) each window's own chords with wrong harmony as extra negatives;
- discriminative: real pairs vs up to three kinds of fakes: (``wrong_fraction``) the window's own chords with
  wrong harmony in the data's rhythm (a corrupted span of bars, or chord events moved to other roots;
  ``jamcore.data.chord_noise.wrong_harmony``), else the same melody with another song's chords (a
  permutation within the batch) or with its own chords moved by a few beats (so rhythm matters, not
  only key). Every pair, real or fake, is cut to the length its fake has, so the length of a window
  never tells real from fake.

Why the wrong-harmony negatives: trained on mismatches only, both rewards scored the free-running
``mle`` policy's chords (note-in-chord 0.52) at or above the data's (0.78) on the same test melodies,
so RL on them had nothing to climb.

``--rhythm`` trains either kind as a rhythm-only judge (REFERENCE 2.3): every window, real or fake, is
read through ``jamcore.rhythm.rhythm_view`` (silence / onset / hold for melody and chords), with no
transposition (it would change nothing), and the card says ``rhythm: true``, so a loaded model scores
the rhythm view of whatever tokens RL gives it. Its fakes are the mismatches, the time shifts and (the
rhythm profile's ``chase_fraction``) each window's chasing track (``jamcore.rhythm.chasing_chords``:
the data's chord changes that come with a melody note moved one 16th late, the timing RL drifts to);
the wrong-harmony fakes keep the data's rhythm, so they are refused here. Trained on mismatches and
whole-beat shifts alone, a rhythm judge of this size ranked the data above its chasing track at chance.

Training windows are transposed on the fly (``WindowSampler`` on the train split). The model card
records held-out accuracy on fixed valid windows, at the training window length and at the RL episode
length: R@1 and pairwise real-vs-mismatched accuracy for the contrastive model, real-vs-mismatched and
real-vs-shifted accuracy for the discriminative one, and for both real-vs-wrong-harmony.
"""
from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from jamcore.config import DataConfig, ModelConfig
from jamcore.data.build import load_corpus
from jamcore.data.chord_noise import wrong_harmony
from jamcore.data.loader import WindowBatch, WindowSampler
from jamcore.errors import CommandError
from jamcore.models.reward_models import ContrastiveReward, DiscriminativeReward, info_nce_loss
from jamcore.models.saved import save_checkpoint
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.rhythm import chasing_chords, held_chords, rhythm_view
from jamcore.tokens import PAD
from jamcore.train import loop

KINDS = ("contrastive", "discriminative")


@dataclass(frozen=True)
class RewardTrainConfig:
    """One reward-model run. Defaults are the ``small`` contrastive run; see ``REWARD_PROFILES``."""

    profile: str = "small"
    kind: str = "contrastive"
    model: ModelConfig = ModelConfig(d_model=96, n_layers=2, n_heads=4, dropout=0.0)
    steps: int = 400
    batch_size: int = 64  # windows per step (discriminative: as many fakes again)
    window_frames: int = 128  # 32 beats; scored on RL episodes of any length up to model.max_len - 1
    lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_steps: int = 30
    min_lr_ratio: float = 0.1
    grad_clip: float = 1.0
    # Discriminative fakes: the share that is time-shifted (the rest are other songs' chords), and by how
    # many beats (either direction).
    shift_fraction: float = 0.5
    shift_beats: tuple[int, ...] = (1, 2, 3)
    # Hard negatives: the window's own chords with wrong harmony and the data's rhythm
    # (``chord_noise.wrong_harmony``). Discriminative: this share of the fakes (the rest split by
    # ``shift_fraction``). Contrastive: > 0 adds each window's wrong-harmony chords as extra negatives.
    # Without them both rewards rank a free-running policy's chords (NIC 0.52) at or above the data's
    # (NIC 0.78) and do not rank a policy's own rollouts by harmony at all (within-melody rank
    # correlation with note-in-chord ~0.0-0.1): RL on them cannot improve harmony.
    wrong_fraction: float = 0.0
    # Held-out evaluation: fixed valid windows, judged in groups of `eval_batch` candidates.
    eval_every: int = 100
    eval_windows: int = 256
    eval_batch: int = 64
    eval_long_frames: int = 256  # also judge windows of the RL episode length (0: skip)
    checkpoint_every: int = 100
    seed: int = 0
    threads: int = 0  # 0: torch default. 1 is much faster while another job holds the other core.
    rhythm: bool = False  # a rhythm-only judge: trained on ``rhythm_view`` tokens, no transposition
    # Chasing negatives (``jamcore.rhythm.chasing_chords``: the window's own chords, each change that
    # comes with a melody note struck one 16th late). Discriminative: this share of the fakes (before the
    # rest split by ``shift_fraction``). Contrastive: > 0 adds each window's chasing track as an extra
    # negative. `--rhythm` sets ``RHYTHM_CHASE_FRACTION`` unless ``--set chase_fraction=...`` says otherwise.
    chase_fraction: float = 0.0
    # Of those chasing negatives, this share is the window's held track instead (``jamcore.rhythm.held_chords``:
    # every second change removed), so a rhythm judge also hears a chord rhythm slower than the song's.
    # Acts only with ``chase_fraction`` > 0 (the rhythm judges' default).
    hold_fraction: float = 0.0


RHYTHM_CHASE_FRACTION = 0.34  # a rhythm judge's fakes: a third chases, the rest mismatches and shifts

_SMALL_MODEL = ModelConfig(d_model=96, n_layers=2, n_heads=4, dropout=0.0)
_SMOKE_MODEL = ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, max_len=129)

# (profile, kind) -> config. Dropout is off: a few hundred steps over ~1.5k songs in 12 keys see each
# window about once, so the risk is under-fitting, not over-fitting.
REWARD_PROFILES: dict[tuple[str, str], RewardTrainConfig] = {
    # Seconds on a laptop core, and still learns (the unit tests rely on it).
    ("smoke", "contrastive"): RewardTrainConfig(
        profile="smoke", kind="contrastive", model=_SMOKE_MODEL, steps=80, batch_size=16, window_frames=32,
        lr=3e-3, warmup_steps=5, eval_every=40, eval_windows=32, eval_batch=16, eval_long_frames=64,
        checkpoint_every=40),
    ("smoke", "discriminative"): RewardTrainConfig(
        profile="smoke", kind="discriminative", model=_SMOKE_MODEL, steps=80, batch_size=16, window_frames=32,
        lr=3e-3, warmup_steps=5, eval_every=40, eval_windows=32, eval_batch=16, eval_long_frames=64,
        checkpoint_every=40),
    # ~5-6.5 min each on one thread while two other trainings shared the 2 cores (cards: wall_seconds).
    # Measured: real-vs-mismatched is learned (pairwise ~0.91-0.94), real-vs-shifted stays at chance at
    # this size and length (~0.5): rhythm needs a longer or larger run.
    ("small", "contrastive"): RewardTrainConfig(
        profile="small", kind="contrastive", model=_SMALL_MODEL, steps=400, batch_size=64, threads=1),
    ("small", "discriminative"): RewardTrainConfig(
        profile="small", kind="discriminative", model=_SMALL_MODEL, steps=400, batch_size=32, eval_every=200,
        threads=1),
    # The wrong-harmony judge the reward-hacking baseline `rl-hack` exploits (docs/reward-hacking.md):
    # `jamcore train reward --kind discriminative --profile hack --name discriminative-wrong-s0`.
    ("hack", "discriminative"): RewardTrainConfig(
        profile="hack", kind="discriminative", model=_SMALL_MODEL, steps=400, batch_size=32, eval_every=200,
        wrong_fraction=0.5, threads=1),
}


def add_arguments(parser) -> None:
    parser.add_argument("--kind", required=True, choices=KINDS, help="which reward model to train")
    loop.add_common_arguments(parser, {p for p, _ in REWARD_PROFILES}, "KIND-sSEED")
    parser.add_argument("--rhythm", action="store_true",
                        help="a rhythm-only judge: read only silence / onset / hold of melody and chords "
                             "(default name KIND-rhythm-sSEED)")
    parser.add_argument("--data-limit", type=int, default=None, help="use only the first N songs of each source")


def run(args) -> int:
    if (args.profile, args.kind) not in REWARD_PROFILES:
        raise CommandError(f"--profile {args.profile} has no {args.kind} reward model; it has "
                           + ", ".join(k for p, k in REWARD_PROFILES if p == args.profile))
    rhythm = {}
    if args.rhythm:
        rhythm = {"rhythm": True}
        if not any(kv.split("=", 1)[0].strip() == "chase_fraction" for kv in (args.set or [])):
            rhythm["chase_fraction"] = RHYTHM_CHASE_FRACTION
    cfg = loop.config_from_args(REWARD_PROFILES[(args.profile, args.kind)], args, **rhythm)
    if cfg.kind != args.kind:
        raise CommandError("set the kind with --kind, not --set kind=...")
    train_reward(cfg, name=args.name or f"{cfg.kind}{'-rhythm' if cfg.rhythm else ''}-s{cfg.seed}", out_dir=Path(args.out), resume=args.resume,
                 data_dir=args.data_dir, cocopops=args.cocopops, data_limit=args.data_limit,
                 progress=not args.no_progress)
    return 0


# ---------------------------------------------------------------------------------------------
# Batches (numpy): held-out windows, mismatches, time shifts


def mismatch_permutation(song_ids, rng):
    """A permutation with no window paired to a window of its own song (where the batch allows it)."""
    ids = np.asarray(song_ids)
    n = len(ids)
    perm = rng.permutation(n)
    for _ in range(20):
        bad = np.flatnonzero(ids[perm] == ids)
        if len(bad) == 0:
            break
        for i in bad:  # swap with a random partner when that fixes i without breaking the partner
            j = int(rng.integers(n))
            if ids[perm[j]] != ids[i] and ids[perm[i]] != ids[j]:
                perm[i], perm[j] = perm[j], perm[i]
    return perm


def _cut(tokens, start: int, stop: int, width: int):
    out = np.full(width, PAD, dtype=np.int64)
    out[: stop - start] = tokens[start:stop]
    return out


def discriminative_pairs(melody, chords, song_ids, rng, shift_fraction: float, shift_frames: list[int],
                         wrong_fraction: float = 0.0, chase=None, chase_fraction: float = 0.0):
    """Real and fake pairs, one of each per window: ``(melody [2B, W], chords [2B, W], label [2B])``.

    Rows ``0..B-1`` are real (label 1), rows ``B..2B-1`` the matching fakes (label 0). Fake i is, with
    probability ``wrong_fraction``, window i with wrong harmony in its own rhythm
    (``chord_noise.wrong_harmony``), else with probability ``chase_fraction`` ``chase[i]`` (the window's
    chasing track, in the same view as ``chords``); otherwise window i's melody with another song's
    chords (cut to the shorter of the two), or with its own chords moved by a few beats
    (``shift_fraction``). Real i is window i cut exactly as fake i, so a real and its fake always have
    the same length and melody.
    """
    b, w = melody.shape
    lengths = (melody != PAD).sum(1)
    perm = mismatch_permutation(song_ids, rng)
    wrong = None
    if wrong_fraction > 0:
        wrong = np.where(melody != PAD, wrong_harmony(chords, rng), PAD)
    mel = np.full((2 * b, w), PAD, dtype=np.int64)
    ch = np.full((2 * b, w), PAD, dtype=np.int64)
    for i in range(b):
        n = int(lengths[i])
        k = int(rng.choice(shift_frames)) if shift_frames else 0
        if wrong is not None and rng.random() < wrong_fraction:
            m, real_c, fake_c = melody[i], chords[i], wrong[i]
        elif chase is not None and rng.random() < chase_fraction:
            m, real_c, fake_c = melody[i], chords[i], chase[i]
        elif rng.random() < shift_fraction and 0 < k <= n // 2:
            if rng.random() < 0.5:  # chords late: melody frame t gets the chord of frame t - k
                m = _cut(melody[i], k, n, w)
                real_c, fake_c = _cut(chords[i], k, n, w), _cut(chords[i], 0, n - k, w)
            else:  # chords early: melody frame t gets the chord of frame t + k
                m = _cut(melody[i], 0, n - k, w)
                real_c, fake_c = _cut(chords[i], 0, n - k, w), _cut(chords[i], k, n, w)
        else:
            j = int(perm[i])
            n = min(n, int(lengths[j]))
            m = _cut(melody[i], 0, n, w)
            real_c, fake_c = _cut(chords[i], 0, n, w), _cut(chords[j], 0, n, w)
        mel[i], ch[i] = m, real_c
        mel[b + i], ch[b + i] = m, fake_c
    label = np.concatenate([np.ones(b, dtype=np.int64), np.zeros(b, dtype=np.int64)])
    return mel, ch, label


def rhythm_batch(batch: WindowBatch) -> WindowBatch:
    """The batch's melody and chords as their rhythm view (what a rhythm-only judge trains on)."""
    return dataclasses.replace(batch, melody=rhythm_view(batch.melody), chords=rhythm_view(batch.chords))


def _window_tracks(make, melody, chords) -> np.ndarray:
    """``make(melody, chords)`` of each window, PAD where the window is."""
    melody, chords = np.asarray(melody, dtype=np.int64), np.asarray(chords, dtype=np.int64)
    return np.stack([np.where(m != PAD, make(m, c), PAD) for m, c in zip(melody, chords)])


def chasing_tracks(melody, chords) -> np.ndarray:
    """Each window's chasing track (``jamcore.rhythm.chasing_chords``), PAD where the window is."""
    return _window_tracks(chasing_chords, melody, chords)


def held_tracks(melody, chords) -> np.ndarray:
    """Each window's held track (``jamcore.rhythm.held_chords``), PAD where the window is."""
    return _window_tracks(lambda m, c: held_chords(c), melody, chords)


def timing_negatives(melody, chords, rng, hold_fraction: float) -> np.ndarray:
    """Each window's chasing track, or with probability ``hold_fraction`` its held track (no draw at 0,
    so the recipes without it keep their random stream)."""
    chase = chasing_tracks(melody, chords)
    if hold_fraction <= 0:
        return chase
    swap = rng.random(len(chase)) < hold_fraction
    return np.where(swap[:, None], held_tracks(melody, chords), chase)


def heldout_windows(corpus, split: str, data_cfg, window_frames: int, n: int, seed: int):
    """``n`` fixed windows of ``split`` (no transposition): every song once at a random beat, then again.

    Spreading over songs first keeps the evaluation about many songs, and the song ids let the
    mismatches avoid pairing two windows of one song.
    """
    sampler = WindowSampler(corpus, split, data_cfg, window_frames, seed=seed, augment=False)
    rng = np.random.default_rng(seed)
    recs = sorted((r for s in sampler.sources for r in sampler.records[s]), key=lambda r: r.song_id)
    recs = [recs[i] for i in rng.permutation(len(recs))]
    rounds = math.ceil(n / len(recs))
    starts = []
    for r in recs:
        beats = max(0, r.n_frames - window_frames) // FRAMES_PER_BEAT + 1
        picks = rng.choice(beats, size=min(rounds, beats), replace=False) * FRAMES_PER_BEAT
        starts.append([int(s) for s in picks])
    chosen = [(r, s[k]) for k in range(rounds) for r, s in zip(recs, starts) if k < len(s)][:n]
    mel = np.stack([sampler.window_of(r, s)[0] for r, s in chosen])
    ch = np.stack([sampler.window_of(r, s)[1] for r, s in chosen])
    return WindowBatch(mel, ch, [r.source for r, _ in chosen], [r.song_id for r, _ in chosen])


# ---------------------------------------------------------------------------------------------
# Losses and held-out metrics


def batch_loss(model, cfg: RewardTrainConfig, batch, rng, chase=None):
    """Training loss and (loss-free) diagnostics for one batch of windows (``chase``: the batch's chasing
    tracks in the batch's view, when ``cfg.chase_fraction`` > 0)."""
    if cfg.kind == "contrastive":
        hard = None
        if cfg.wrong_fraction > 0:
            hard = torch.from_numpy(np.where(batch.melody != PAD, wrong_harmony(batch.chords, rng), PAD))
        elif chase is not None:
            hard = torch.from_numpy(chase)
        loss, cos = info_nce_loss(model, torch.from_numpy(batch.melody), torch.from_numpy(batch.chords), hard)
        acc = float((cos.argmax(1) == torch.arange(len(cos))).float().mean())
        return loss, {"r_at_1": acc, "logit_scale": float(model.logit_scale().detach())}
    shift_frames = [b * FRAMES_PER_BEAT for b in cfg.shift_beats]
    mel, ch, label = discriminative_pairs(batch.melody, batch.chords, batch.song_ids, rng, cfg.shift_fraction,
                                          shift_frames, cfg.wrong_fraction, chase, cfg.chase_fraction)
    logits = model(torch.from_numpy(mel), torch.from_numpy(ch))
    label_t = torch.from_numpy(label)
    loss = F.cross_entropy(logits, label_t)
    return loss, {"acc": float((logits.argmax(1) == label_t).float().mean())}


def evaluate(model, cfg: RewardTrainConfig, windows, suffix: str = "", chase=None) -> dict[str, float]:
    """Held-out metrics on fixed windows (keys end in ``suffix``), deterministic for given windows.

    ``chase``: the windows' chasing tracks in the windows' view; adds real-vs-chase accuracy."""
    rng = np.random.default_rng(1234)  # the same fakes at every evaluation
    shift_frames = [b * FRAMES_PER_BEAT for b in cfg.shift_beats]
    was_training = model.training
    model.eval()
    out: dict[str, float] = {}
    with torch.no_grad():
        if cfg.kind == "contrastive":
            r1, pair_acc, pair_n, cos_real, cos_fake, shift_acc, wrong_acc, chase_acc = [], 0.0, 0, [], [], [], [], []
            n = len(windows.melody)
            for lo in range(0, n, cfg.eval_batch):
                hi = min(n, lo + cfg.eval_batch)
                if hi - lo < 2:
                    break
                m = torch.from_numpy(windows.melody[lo:hi])
                c = torch.from_numpy(windows.chords[lo:hi])
                cos = model.similarity_matrix(m, c)
                ids = np.asarray(windows.song_ids[lo:hi])
                # Other windows of the same song are neither right nor wrong answers: leave them out.
                other = torch.from_numpy(ids[:, None] != ids[None, :])
                diag = cos.diagonal()
                masked = cos.masked_fill(~other & ~torch.eye(len(cos), dtype=torch.bool), -2.0)
                r1.append((masked.argmax(1) == torch.arange(len(cos))).float())
                pair_acc += float(((diag[:, None] > cos) & other).sum())
                pair_n += int(other.sum())
                cos_real.append(diag)
                cos_fake.append(cos[other])
                # Rhythm sensitivity (informative only: InfoNCE never trains on shifts).
                sm, sc, sl = discriminative_pairs(windows.melody[lo:hi], windows.chords[lo:hi], ids, rng, 1.0,
                                                  shift_frames)
                s = model.score(torch.from_numpy(sm), torch.from_numpy(sc))
                shift_acc.append((s[: hi - lo] > s[hi - lo:]).float())
                if not cfg.rhythm:  # wrong harmony in the data's rhythm: nothing a rhythm judge can hear
                    wm, wc, _ = discriminative_pairs(windows.melody[lo:hi], windows.chords[lo:hi], ids, rng, 0.0,
                                                     shift_frames, wrong_fraction=1.0)
                    s = model.score(torch.from_numpy(wm), torch.from_numpy(wc))
                    wrong_acc.append((s[: hi - lo] > s[hi - lo:]).float())
                if chase is not None:
                    s_real = model.score(m, c)
                    chase_acc.append((s_real > model.score(m, torch.from_numpy(chase[lo:hi]))).float())
            out["r_at_1"] = float(torch.cat(r1).mean())
            out["r_at_1_chance"] = 1.0 / min(cfg.eval_batch, n)
            out["pairwise_mismatch_acc"] = pair_acc / max(pair_n, 1)
            out["pairwise_shift_acc"] = float(torch.cat(shift_acc).mean())
            if wrong_acc:
                out["pairwise_wrong_acc"] = float(torch.cat(wrong_acc).mean())
            if chase_acc:
                out["pairwise_chase_acc"] = float(torch.cat(chase_acc).mean())
            out["cos_real"] = float(torch.cat(cos_real).mean())
            out["cos_mismatch"] = float(torch.cat(cos_fake).mean())
        else:
            fakes = ((("mismatch", 0.0, 0.0, 0.0), ("shift", 1.0, 0.0, 0.0))
                     + (() if cfg.rhythm else (("wrong", 0.0, 1.0, 0.0),))
                     + (() if chase is None else (("chase", 0.0, 0.0, 1.0),)))
            for fake, frac, wrong, chased in fakes:
                mel, ch, label = discriminative_pairs(windows.melody, windows.chords, windows.song_ids, rng, frac,
                                                      shift_frames, wrong, chase, chased)
                logp = torch.cat([model.log_prob_real(torch.from_numpy(mel[lo:lo + cfg.eval_batch]),
                                                      torch.from_numpy(ch[lo:lo + cfg.eval_batch]))
                                  for lo in range(0, len(mel), cfg.eval_batch)])
                b = len(mel) // 2
                pred = (logp > math.log(0.5)).long()
                out[f"acc_{fake}"] = float((pred == torch.from_numpy(label)).float().mean())
                out[f"pairwise_{fake}_acc"] = float((logp[:b] > logp[b:]).float().mean())
                out[f"p_real_{fake}"] = float(logp[b:].exp().mean())
                out[f"p_real_real_vs_{fake}"] = float(logp[:b].exp().mean())
    if was_training:
        model.train()
    return {f"valid_{k}{suffix}": v for k, v in out.items()}


@torch.no_grad()
def chase_scores(model, melody, chords, batch: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """The judge's score of each window's own chords and of its chasing track (``chasing_chords``: the
    data's chord changes struck with a melody note moved one frame late), paired per window: two [N]
    arrays. A judge that hears the chase scores the first above the second (issue 15, item 2)."""
    melody, chords = np.asarray(melody, dtype=np.int64), np.asarray(chords, dtype=np.int64)
    chase = chasing_tracks(melody, chords)
    was_training = model.training
    model.eval()
    own, late = [], []
    for lo in range(0, len(melody), batch):
        m = torch.from_numpy(melody[lo:lo + batch])
        own.append(model.score(m, torch.from_numpy(chords[lo:lo + batch])).float().numpy())
        late.append(model.score(m, torch.from_numpy(chase[lo:lo + batch])).float().numpy())
    model.train(was_training)
    return np.concatenate(own), np.concatenate(late)


# ---------------------------------------------------------------------------------------------


def train_reward(cfg: RewardTrainConfig, name: str, out_dir: Path = Path("runs"), resume: bool = False,
                 data_dir: str | None = None, cocopops: bool = False, data_limit: int | None = None,
                 progress: bool = True, corpus=None) -> dict:
    """Train one reward model and write ``out_dir/name`` (.safetensors + .json); returns its metrics.

    ``corpus`` (tests) skips loading the cached datasets. Data-parallel under torchrun: each rank draws
    its own windows, gradients are averaged, rank 0 writes."""
    if cfg.kind not in KINDS:
        raise ValueError(f"unknown reward kind {cfg.kind!r}; expected one of {KINDS}")
    if cfg.rhythm and cfg.wrong_fraction > 0:
        raise CommandError("a rhythm-only reward model cannot train on wrong-harmony fakes (they keep the "
                           "data's rhythm): leave wrong_fraction at 0 with --rhythm")
    if resume:
        loop.require_state(out_dir / f"{name}-state")
    rank, world, group = loop.dist_setup()
    loop.set_threads(cfg.threads)
    torch.manual_seed(cfg.seed)  # identical initial weights on every rank
    data_cfg = DataConfig(cocopops=cocopops, limit=data_limit, **({"data_dir": Path(data_dir)} if data_dir else {}))
    corpus = corpus if corpus is not None else load_corpus(data_cfg, progress=(rank == 0 and progress))
    sampler = WindowSampler(corpus, "train", data_cfg, cfg.window_frames, seed=cfg.seed * 1000 + 17 + rank,
                            augment=False if cfg.rhythm else None)
    view = rhythm_batch if cfg.rhythm else (lambda b: b)
    view_tokens = rhythm_view if cfg.rhythm else (lambda a: a)
    # The valid windows are the same for every seed and kind, so the cards compare like with like.
    raw_short = heldout_windows(corpus, "valid", data_cfg, cfg.window_frames, cfg.eval_windows, seed=0)
    raw_long = (heldout_windows(corpus, "valid", data_cfg, cfg.eval_long_frames, cfg.eval_windows, seed=0)
                if cfg.eval_long_frames else None)
    eval_short = view(raw_short)
    eval_long = view(raw_long) if raw_long is not None else None
    # Every judge is measured against the chase (a harmony judge too: it shows what it cannot hear).
    chase_short = view_tokens(chasing_tracks(raw_short.melody, raw_short.chords))
    chase_long = view_tokens(chasing_tracks(raw_long.melody, raw_long.chords)) if raw_long is not None else None
    model_cfg = cfg.model
    longest = max(cfg.window_frames, cfg.eval_long_frames)
    if model_cfg.max_len < longest + 1:  # rotary tables must cover the longest window judged
        model_cfg = dataclasses.replace(model_cfg, max_len=longest + 1)
    model = (ContrastiveReward if cfg.kind == "contrastive" else DiscriminativeReward)(model_cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay, betas=(0.9, 0.98))

    out_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / f"{name}-state"  # + .json / .safetensors
    step, history = loop.resume(state_path, model, opt, sampler, rank) if resume else (0, [])

    t0 = time.time()
    bar = tqdm(total=cfg.steps, initial=step, desc=f"train {name}", disable=(rank != 0 or not progress),
               dynamic_ncols=True)
    metrics: dict[str, float] = {}
    model.train()
    while step < cfg.steps:
        loop.set_lr(opt, loop.lr_at(step, cfg))
        raw = sampler.sample(cfg.batch_size)
        batch = view(raw)
        chase = (view_tokens(timing_negatives(raw.melody, raw.chords, sampler.rng, cfg.hold_fraction))
                 if cfg.chase_fraction > 0 else None)
        # The fakes draw from the sampler's generator too, so a resumed run continues exactly.
        loss, diag = batch_loss(model, cfg, batch, sampler.rng, chase)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if group is not None:
            loop.average_gradients(model, world)
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        opt.step()
        step += 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.3f}", **{k: f"{v:.2f}" for k, v in diag.items()})
        if not progress and rank == 0 and step % 50 == 0:
            print(f"step {step} loss {loss.item():.4f} grad_norm {float(grad_norm):.2f} "
                  + " ".join(f"{k} {v:.3f}" for k, v in diag.items()), file=sys.stderr, flush=True)
        if step % cfg.eval_every == 0 or step == cfg.steps:
            metrics = evaluate(model, cfg, eval_short, chase=chase_short)
            if step == cfg.steps and eval_long is not None:
                metrics.update(evaluate(model, cfg, eval_long, suffix=f"_w{cfg.eval_long_frames}", chase=chase_long))
            history.append({"step": step, "train_loss": loss.item(), **diag, **metrics})
            if rank == 0:
                bar.write(f"step {step}: " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
        if step % cfg.checkpoint_every == 0 or step == cfg.steps:
            states = loop.sampler_states(sampler, rank, world, group)
            if rank == 0:
                loop.save_state(state_path, model, opt, step, states, history)
    bar.close()
    if not metrics:  # resumed after the last step: evaluate what was loaded
        metrics = evaluate(model, cfg, eval_short, chase=chase_short)
        if eval_long is not None:
            metrics.update(evaluate(model, cfg, eval_long, suffix=f"_w{cfg.eval_long_frames}", chase=chase_long))
    if rank == 0:
        card = {
            **loop.card_base(cfg, t0, world),
            "data": {"rhythm_view": cfg.rhythm, "sources": [s for s in ("nottingham", "pop909", "cocopops") if getattr(data_cfg, s)],
                     "mix": dict(data_cfg.mix), "window_frames": cfg.window_frames,
                     "transpose": [0, 0] if cfg.rhythm else [data_cfg.transpose_min, data_cfg.transpose_max], "limit": data_limit,
                     "train_songs": len(corpus.split("train")), "valid_songs": len(corpus.split("valid")),
                     "eval_windows": len(eval_short.melody), "eval_batch": cfg.eval_batch},
            "adv_weight": None,
            "parent": None,
            "rhythm": cfg.rhythm,
            "metrics": metrics,
            "history": history,
        }
        model.rhythm = cfg.rhythm  # the saved judge reads full tokens, as a loaded one does
        save_checkpoint(model, out_dir / name, card)
        print(f"wrote {out_dir / name}.safetensors ({card['training']['wall_seconds']} s): "
              + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()), file=sys.stderr)
    loop.dist_finish(group, model, out_dir, name, rank)
    return metrics
