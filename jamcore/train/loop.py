"""What every trainer shares: config from the command line, the learning-rate schedule, training state
(save, load, resume), data-parallel set-up and gradient averaging, the log file and the model card's base.

Each trainer (``mle``, ``reward_models``, ``rl``) reads top to bottom and calls these by name; none of
them imports another trainer.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import math
import os
import platform
import shlex
import sys
import time
from pathlib import Path

import torch
import torch.distributed as dist
from safetensors.torch import load_file

from jamcore.checkpoints import atomic_write_bytes, with_ext
from jamcore.models.saved import save_tensors
from jamcore.config import override
from jamcore.errors import CommandError, ResumeError


# ---------------------------------------------------------------------------------------------
# Config


def add_common_arguments(parser, profiles, name_help: str) -> None:
    """The options every ``jamcore train`` command takes; ``--profile`` offers the table's names."""
    parser.add_argument("--profile", default="small", choices=sorted(profiles),
                        help="the run: smoke (seconds, for tests), small (the shipped recipe), "
                             + ", ".join(sorted(set(profiles) - {"smoke", "small"})))
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config field, e.g. --set steps=2000 --set model.d_model=192")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the profile's)")
    parser.add_argument("--name", default=None, help=f"checkpoint name (default: {name_help})")
    parser.add_argument("--out", default="runs", help="directory for the checkpoint, logs and training state")
    parser.add_argument("--resume", action="store_true", help="continue from the last training state in --out")
    parser.add_argument("--data-dir", default=None, help="datasets folder (default ../shared/datasets)")
    parser.add_argument("--cocopops", action="store_true", help="also use CoCoPops (research-only license)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (log lines instead)")


def config_from_args(profile_cfg, args, **fields):
    """The profile's config with ``--set`` overrides, ``--seed`` and the command's own ``fields`` applied."""
    try:
        cfg = override(profile_cfg, args.set)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if args.seed is not None:
        fields["seed"] = args.seed
    return dataclasses.replace(cfg, **fields)


def set_threads(threads: int) -> None:
    if threads:
        torch.set_num_threads(threads)


# ---------------------------------------------------------------------------------------------
# Learning rate


def lr_at(step: int, cfg, peak: float | None = None) -> float:
    """Linear warm-up to ``peak`` (default ``cfg.lr``), then cosine down to ``peak * min_lr_ratio`` at
    ``cfg.steps`` (RL passes its actor learning rate as ``peak``)."""
    peak = cfg.lr if peak is None else peak
    if step < cfg.warmup_steps:
        return peak * (step + 1) / cfg.warmup_steps
    t = min(1.0, (step - cfg.warmup_steps) / max(1, cfg.steps - cfg.warmup_steps))
    return peak * (cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


def set_lr(opt, lr: float) -> None:
    for g in opt.param_groups:
        g["lr"] = lr


# ---------------------------------------------------------------------------------------------
# Training state: model + optimizer tensors in safetensors, the rest in JSON. No pickle.


def save_state(path: Path, model, opt, step: int, sampler_state: dict, history: list) -> None:
    tensors = {f"model.{k}": v for k, v in model.state_dict().items()}
    sd = opt.state_dict()
    for idx, st in sd["state"].items():
        for k, v in st.items():
            tensors[f"opt.{idx}.{k}"] = v if torch.is_tensor(v) else torch.tensor(v)
    tensors["torch_rng"] = torch.get_rng_state()
    save_tensors(with_ext(path, ".safetensors"), tensors)
    meta = {"step": step, "param_groups": sd["param_groups"], "sampler": sampler_state, "history": history}
    atomic_write_bytes(with_ext(path, ".json"), json.dumps(meta, default=_jsonable).encode())


def _jsonable(x):
    if isinstance(x, (set, tuple)):
        return list(x)
    return str(x)


def load_state(path: Path, model, opt) -> dict:
    tensors = load_file(str(with_ext(path, ".safetensors")))
    meta = json.loads(with_ext(path, ".json").read_text())
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    state: dict = {}
    for k, v in tensors.items():
        if k.startswith("opt."):
            _, idx, name = k.split(".", 2)
            state.setdefault(int(idx), {})[name] = v
    groups = meta["param_groups"]
    for g in groups:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    opt.load_state_dict({"state": state, "param_groups": groups})
    torch.set_rng_state(tensors["torch_rng"])
    return meta


def require_state(state_path: Path) -> None:
    """Fail at once (before minutes of data loading) when ``--resume`` has nothing to resume."""
    if not with_ext(state_path, ".json").is_file():
        raise ResumeError(f"--resume: no training state at {state_path}.json")


def resume(state_path: Path, model, opt, sampler, rank: int = 0) -> tuple[int, list]:
    """Load the training state at ``state_path`` (model, optimizer, torch RNG, this rank's sampler);
    returns (step, history)."""
    require_state(state_path)
    meta = load_state(state_path, model, opt)
    if str(rank) in meta.get("sampler", {}):
        sampler.rng.bit_generator.state = meta["sampler"][str(rank)]
    if rank == 0:
        print(f"resuming {state_path.name[:-len('-state')]} from step {meta['step']}", file=sys.stderr)
    return meta["step"], meta.get("history", [])


def sampler_states(sampler, rank: int, world: int, group) -> dict:
    """Every rank's sampler state (gathered when data-parallel), so a resumed run continues exactly."""
    if group is None:
        return {str(rank): sampler.rng.bit_generator.state}
    gathered = [None] * world
    group.all_gather_object(gathered, sampler.rng.bit_generator.state)
    return {str(i): s for i, s in enumerate(gathered)}


# ---------------------------------------------------------------------------------------------
# Data parallelism (torchrun). The trainers keep their tensors on the CPU, so the ranks talk over gloo
# on every machine: NCCL, picked whenever CUDA was merely present, refuses CPU tensors (the first
# gradient all-reduce failed on any GPU machine).


def dist_setup():
    """(rank, world size, the ``torch.distributed`` module or None when running alone)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return 0, 1, None
    dist.init_process_group(backend="gloo")
    return dist.get_rank(), world, dist


def average_gradients(model, world: int) -> None:
    """All-reduce and average gradients across ranks (parameters that got no gradient on this step,
    like the value head in MLE, are skipped on every rank alike)."""
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad)
            p.grad /= world


def dist_finish(group, model, out_dir: Path, name: str, rank: int) -> None:
    """Leave every rank's final weights beside the checkpoint (proof that the ranks stayed in sync),
    then close the process group."""
    if group is None:
        return
    save_tensors(out_dir / f"{name}.rank{rank}.safetensors", model.state_dict())
    group.barrier()
    group.destroy_process_group()


# ---------------------------------------------------------------------------------------------
# Logs and the model card


def append_csv(path: Path, row: dict) -> None:
    """One row of the training log. A column the log does not have yet (a run resumed by newer code)
    extends the header, the rows before it left empty there, so every row keeps one field per column."""
    fields = list(row)
    if path.exists():
        with open(path, newline="") as f:
            header = next(csv.reader(f), [])
        added = [k for k in row if k not in header]
        if added:
            with open(path, newline="") as f:
                old = list(csv.DictReader(f))
            fields = header + added
            tmp = path.with_name(path.name + ".tmp")  # a crash mid-rewrite leaves the old log whole
            with open(tmp, "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=fields)
                w.writeheader()
                w.writerows(old)
            os.replace(tmp, path)
        else:
            fields = header
    new = not path.exists()
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        if new:
            w.writeheader()
        w.writerow(row)


def training_config(cfg) -> dict:
    """The config as the card records it (JSON types; the architecture is the card's ``model``)."""
    return {k: v for k, v in json.loads(json.dumps(dataclasses.asdict(cfg), default=str)).items() if k != "model"}


def card_base(cfg, t0: float, world: int = 1, **training) -> dict:
    """The model-card fields every trainer writes: the command, the config and how the run went."""
    return {
        "command": "jamcore " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv else "",
        "training": {**training_config(cfg), "world_size": world, "wall_seconds": round(time.time() - t0, 1),
                     "machine": f"{platform.machine()} {os.cpu_count()} cpus, torch {torch.__version__}",
                     **training},
        "seed": cfg.seed,
    }
