"""Supervised (MLE) training, top to bottom: the online policy, the offline anchor, the melody agent.

``jamcore train mle``: AdamW, linear warm-up then cosine decay, gradient clipping, validation loss and
chord accuracy, a progress bar, atomic periodic training-state checkpoints and ``--resume``. The same
command runs data-parallel under ``torchrun`` (gloo on CPU, NCCL on GPU): each rank draws its own
windows, gradients are all-reduced and averaged, rank 0 writes.
"""
from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from jamcore import tokens as T
from jamcore.config import TRAIN_PROFILES, DataConfig
from jamcore.data.build import load_corpus
from jamcore.data.loader import WindowSampler
from jamcore.errors import CheckpointError
from jamcore.models.anchor import OfflineAnchor
from jamcore.models.policy import ChordPolicy
from jamcore.models.saved import load_model, save_checkpoint
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.train import loop
from jamcore.train.rollout import rollout

# Profile table -> the checkpoint name a run writes by default. "dagger" is a policy run of its own table
# (jamcore.train.dagger): a round on the policy's own chords, from a trained mle.
KIND_DEFAULT_NAME = {"policy": "mle", "anchor": "anchor", "melody": "melody", "dagger": "mle-dagger"}


def add_arguments(parser, kind: str = "policy", table: str | None = None) -> None:
    """``table``: the profile table (``TRAIN_PROFILES``) when it is not the kind's own."""
    table = table or kind
    parser.set_defaults(kind=kind, table=table)
    loop.add_common_arguments(parser, TRAIN_PROFILES[table], KIND_DEFAULT_NAME[table])
    parser.add_argument("--data-limit", type=int, default=None, help="use only the first N songs of each source")


def run(args) -> int:
    table = getattr(args, "table", args.kind)
    cfg = loop.config_from_args(TRAIN_PROFILES[table][args.profile], args)
    train(cfg, kind=args.kind, name=args.name or KIND_DEFAULT_NAME[table], out_dir=Path(args.out),
          resume=args.resume, data_dir=args.data_dir, cocopops=args.cocopops, progress=not args.no_progress,
          data_limit=args.data_limit, init_dir=getattr(args, "checkpoint_dir", None),
          card_extra=getattr(args, "card_extra", None))
    return 0


# ---------------------------------------------------------------------------------------------


def build_model(kind: str, model_cfg):
    if kind == "anchor":
        return OfflineAnchor(model_cfg)
    model = ChordPolicy(model_cfg)
    if kind == "melody":
        model.kind = "melody"
    return model


def batch_loss(model, kind: str, batch, span_beats_only: bool = False, onset_weight: float = 0.0):
    """Mean cross-entropy over non-PAD targets, plus chord-slot (loss sum, correct, count).

    ``span_beats_only`` (policy): inside a noised span, chord targets off the beat are not scored, so
    the recovery the span teaches happens on beats rather than on any 16th.
    ``onset_weight`` (policy, anchor): adds, per chord-onset target, that weight times the cross-entropy
    of *which* chord, over the onset tokens only (``onset_identity_loss``)."""
    if kind == "anchor":
        mel = torch.from_numpy(batch.melody)
        ch_in, targets = (torch.from_numpy(x) for x in batch.chord_pair())
        meter = batch.frame_meter()
        logits = model(mel, ch_in, meter=None if meter is None else torch.from_numpy(meter))
        chord_pos = targets != T.PAD
    else:
        if kind == "policy":
            inputs, targets = batch.online_pair()
            if span_beats_only and batch.noise_span is not None:
                off_beat = (np.arange(targets.shape[1] // 2) % FRAMES_PER_BEAT) != 0
                targets = targets.copy()
                chord_t = targets[:, 0::2]
                chord_t[batch.noise_span & off_beat[None, :]] = T.PAD
                targets[:, 0::2] = chord_t
            meter = batch.meter(inputs.shape[1])
            meter = None if meter is None else torch.from_numpy(meter)
            inputs, targets = torch.from_numpy(inputs), torch.from_numpy(targets)
        else:
            seq = torch.from_numpy(batch.melody_first())
            inputs, targets, meter = seq[:, :-1], seq[:, 1:], None
        logits = model(inputs, meter=meter)
        # In the policy's order chords sit at target positions 0, 2, 4...; in the melody agent's at 1, 3...
        is_chord = torch.zeros_like(targets, dtype=torch.bool)
        is_chord[:, (0 if kind == "policy" else 1)::2] = True
        chord_pos = is_chord & (targets != T.PAD)
    valid = targets != T.PAD
    ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
    ce = ce.view_as(targets)
    loss = (ce * valid).sum() / valid.sum().clamp(min=1)
    if onset_weight > 0 and kind != "melody":
        loss = loss + onset_weight * onset_identity_loss(logits, targets) / valid.sum().clamp(min=1)
    with torch.no_grad():
        pred = logits.argmax(-1)
        chord_stats = (
            float((ce * chord_pos).sum()),
            int(((pred == targets) & chord_pos).sum()),
            int(chord_pos.sum()),
        )
    return loss, chord_stats


def onset_identity_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Summed cross-entropy of the chord at each chord-onset target, with the softmax over the onset tokens
    only: which chord, not whether to change (adding a constant to every onset logit leaves it unchanged).

    Nine in ten chord targets are holds, so plain cross-entropy spends most of its signal on when a chord
    continues; this term is the melody-to-harmony part."""
    onset = (targets >= T.CHORD_ON_BASE) & (targets < T.CHORD_HOLD_BASE)
    if not bool(onset.any()):
        return logits.sum() * 0.0
    on_logits = logits[onset][:, T.CHORD_ON_BASE:T.CHORD_HOLD_BASE]
    return F.cross_entropy(on_logits, targets[onset] - T.CHORD_ON_BASE, reduction="sum")


def with_own_chords(model, batch, rng, share: float, generator):
    """``batch`` with the chord inputs of a random ``share`` of its windows replaced by the model's own
    free-running chords on their melodies (targets stay the data's; see ``WindowBatch.chord_pair``)."""
    rows = np.flatnonzero(rng.random(len(batch.melody)) < share)
    if len(rows) == 0:
        return batch
    chords_in = batch.chords.copy() if batch.chords_in is None else batch.chords_in.copy()
    span = np.zeros(batch.melody.shape, dtype=bool) if batch.noise_span is None else batch.noise_span.copy()
    was_training = model.training
    model.eval()
    meter = batch.meter(2 * batch.melody.shape[1])
    meter = None if meter is None else torch.from_numpy(meter[rows])
    own = rollout(model, torch.from_numpy(batch.melody[rows]), 1.0, generator, meter).numpy()
    model.train(was_training)
    chords_in[rows] = own
    span[rows] = batch.melody[rows] != T.PAD
    return dataclasses.replace(batch, chords_in=chords_in, noise_span=span)


def _own_chords_player(cfg, kind: str, model, directory: str | None = None):
    """(player, its weights' SHA-256 or None): the policy whose free-running chords fill the own-chord
    windows (``cfg.own_chords``): the model itself for a policy, the ``own_chords_from`` checkpoint (frozen)
    when it is set; (None, None) when no window gets own chords."""
    if cfg.own_chords <= 0 or kind == "melody":
        return None, None
    if not cfg.own_chords_from:
        if kind == "anchor":
            raise CheckpointError("own_chords for the anchor needs own_chords_from: the policy whose chords it "
                                  "learns to advise from (e.g. --set own_chords_from=mle-dagger)")
        return model, None
    try:
        player, card = load_model(cfg.own_chords_from, "policy", directory)
    except (CheckpointError, FileNotFoundError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"own_chords_from={cfg.own_chords_from}: {exc}".splitlines()[0]) from exc
    player.requires_grad_(False)
    return player.eval(), card.get("weights_sha256")


def _init_from(model, name: str, kind: str, directory: str | None = None) -> None:
    """Copy a checkpoint's weights into ``model`` (fine-tuning); shapes must match exactly. ``name`` is a
    path, or a name in ``directory``, else among the shipped checkpoints."""
    try:
        source, _ = load_model(name, "anchor" if kind == "anchor" else "policy", directory)
        model.load_state_dict(source.state_dict())
    except (CheckpointError, FileNotFoundError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"init={name}: cannot start from it: {exc}".splitlines()[0]) from exc


def evaluate(model, kind: str, batches) -> dict[str, float]:
    model.eval()
    tot_loss = tot_n = 0.0
    c_loss = c_correct = c_n = 0.0
    with torch.no_grad():
        for b in batches:
            loss, (cl, cc, cn) = batch_loss(model, kind, b)
            n = int((b.melody != 0).sum())
            tot_loss += float(loss) * n
            tot_n += n
            c_loss += cl
            c_correct += cc
            c_n += cn
    model.train()
    return {
        "valid_loss": tot_loss / max(tot_n, 1),
        "valid_chord_loss": c_loss / max(c_n, 1),
        "valid_chord_accuracy": c_correct / max(c_n, 1),
    }


def train(cfg, kind: str = "policy", name: str = "mle", out_dir: Path = Path("runs"), resume: bool = False,
          data_dir: str | None = None, cocopops: bool = False, progress: bool = True, corpus=None,
          data_limit: int | None = None, stop_after: int | None = None, init_dir: str | None = None,
          card_extra: dict | None = None) -> dict:
    """Run one supervised training; returns the final validation metrics.

    ``init_dir``: where ``cfg.init`` and ``cfg.own_chords_from`` are looked up by name (default: the shipped
    checkpoints; a resumed run looks ``own_chords_from`` up again, and the card records the weights it played
    with as ``own_chords_from_sha256``); ``card_extra``:
    more fields for the model card (``jamcore train dagger``: not offered on stage).
    ``corpus`` (tests) skips loading; ``stop_after`` ends the run after that many steps of this call
    without a final checkpoint, exactly as a kill right after a periodic save would (tests of resume).
    """
    if resume:
        loop.require_state(out_dir / f"{name}-state")
    rank, world, group = loop.dist_setup()
    loop.set_threads(cfg.threads)
    torch.manual_seed(cfg.seed)  # identical initial weights on every rank
    data_cfg = DataConfig(cocopops=cocopops, limit=data_limit, **({"data_dir": Path(data_dir)} if data_dir else {}))
    if corpus is None:
        corpus = load_corpus(data_cfg, progress=(rank == 0 and progress))
    rollout_gen = torch.Generator()  # own-chord rollouts, re-seeded from (seed, rank, step): resumable
    sampler = WindowSampler(corpus, "train", data_cfg, cfg.window_frames, seed=cfg.seed * 1000 + rank,
                            chord_noise=cfg.chord_noise if kind in ("policy", "anchor") else 0.0)
    valid = WindowSampler(corpus, "valid", data_cfg, cfg.window_frames, seed=0, augment=False)
    valid_batches = [valid.fixed_windows(cfg.batch_size * cfg.eval_batches)]
    model_cfg = dataclasses.replace(cfg.model, max_len=2 * cfg.window_frames + 1,  # no metrical input for the
                                    metric_slots=cfg.model.metric_slots if kind != "melody" else 0)  # melody agent
    model = build_model(kind, model_cfg)
    if cfg.init and not resume:
        _init_from(model, cfg.init, kind, init_dir)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay, betas=(0.9, 0.95))
    player, player_sha = _own_chords_player(cfg, kind, model, init_dir)

    out_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / f"{name}-state"  # + .json / .safetensors
    step, history = loop.resume(state_path, model, opt, sampler, rank) if resume else (0, [])

    t0 = time.time()
    bar = tqdm(total=cfg.steps, initial=step, desc=f"train {name}", disable=(rank != 0 or not progress),
               dynamic_ncols=True)
    metrics = {}
    model.train()
    first_step = step
    while step < cfg.steps:
        if stop_after is not None and step - first_step >= stop_after:
            bar.close()
            if group is not None:
                group.destroy_process_group()
            return metrics
        loop.set_lr(opt, loop.lr_at(step, cfg))
        batch = sampler.sample(cfg.batch_size)
        if player is not None:
            rollout_gen.manual_seed(cfg.seed * 7919 + rank * 104_729 + step)
            batch = with_own_chords(player, batch, sampler.rng, cfg.own_chords, rollout_gen)
        loss, _ = batch_loss(model, kind, batch, cfg.span_beats_only, cfg.onset_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if group is not None:
            loop.average_gradients(model, world)
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        opt.step()
        step += 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.3f}", lr=f"{opt.param_groups[0]['lr']:.1e}")
        if not progress and rank == 0 and step % 50 == 0:
            print(f"step {step} loss {loss.item():.4f} grad_norm {float(grad_norm):.2f}", file=sys.stderr, flush=True)
        if step % cfg.eval_every == 0 or step == cfg.steps:
            metrics = evaluate(model, kind, valid_batches)
            history.append({"step": step, "train_loss": loss.item(), **metrics})
            if rank == 0:
                bar.write(f"step {step}: valid loss {metrics['valid_loss']:.4f}, "
                          f"chord acc {metrics['valid_chord_accuracy']:.3f}")
        if step % cfg.checkpoint_every == 0 or step == cfg.steps:
            states = loop.sampler_states(sampler, rank, world, group)
            if rank == 0:
                loop.save_state(state_path, model, opt, step, states, history)
    bar.close()
    if rank == 0:
        card = {
            **loop.card_base(cfg, t0, world),
            "data": {"sources": [s for s in ("nottingham", "pop909", "cocopops") if getattr(data_cfg, s)],
                     "mix": dict(data_cfg.mix), "windows_frames": cfg.window_frames,
                     "train_songs": len(corpus.split("train")), "valid_songs": len(corpus.split("valid"))},
            "adv_weight": None,
            "parent": cfg.init or None,
            **({"own_chords_from_sha256": player_sha} if player_sha else {}),
            "metrics": metrics,
            "history": history,
            **(card_extra or {}),
        }
        save_checkpoint(model, out_dir / name, card)
        print(f"wrote {out_dir / name}.safetensors (valid loss {metrics.get('valid_loss', float('nan')):.4f}, "
              f"chord accuracy {metrics.get('valid_chord_accuracy', float('nan')):.3f})", file=sys.stderr)
    loop.dist_finish(group, model, out_dir, name, rank)
    return metrics
