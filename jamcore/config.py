"""Frozen stage configs with their defaults, and the named profiles (``smoke``, ``small``, ``base``).

One source of truth for every constant a stage needs. The CLI overrides fields by name
(``--set lr=3e-4``) through ``override``.
"""
from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from jamcore.music.meter import METRIC_SLOTS
from jamcore.music.time import FRAMES_PER_BEAT

WINDOW_FRAMES = 256  # training window: 64 beats (docs/architecture.md)


def default_data_dir() -> Path:
    """``$JAMCORE_DATA_DIR``, else ``../shared/datasets`` next to the checkout or the working dir."""
    env = os.environ.get("JAMCORE_DATA_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    if here.is_dir():
        return here
    return Path.cwd().parent / "shared" / "datasets"


def default_cache_dir() -> Path:
    env = os.environ.get("JAMCORE_CACHE_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "cache"


@dataclass(frozen=True)
class DataConfig:
    data_dir: Path = field(default_factory=default_data_dir)
    cache_dir: Path = field(default_factory=default_cache_dir)
    # Licensed sets on by default; research-only sets behind switches (see shared/datasets/README.md).
    nottingham: bool = True
    pop909: bool = True
    cocopops: bool = False
    # Sampling weight of each source per training window (normalised over the enabled sources).
    mix: tuple[tuple[str, float], ...] = (("pop909", 0.6), ("nottingham", 0.4), ("cocopops", 0.3))
    window_frames: int = WINDOW_FRAMES
    transpose_min: int = -6
    transpose_max: int = 5
    split_salt: str = "jamcore-split-v1"
    valid_fraction: float = 0.1
    test_fraction: float = 0.1
    limit: int | None = None  # read only the first N songs of each source (tests, quick looks)

    def weight(self, source: str) -> float:
        return dict(self.mix).get(source, 0.0)


@dataclass(frozen=True)
class ModelConfig:
    """Transformer shape shared by the policy, the anchor and the encoders."""

    d_model: int = 128
    n_layers: int = 3
    n_heads: int = 4
    ff_mult: int = 4
    dropout: float = 0.1
    # Dropout on the attention weights; None: the same as `dropout`. torch's fused CPU attention
    # kernels take no dropout, so any value above 0 sends training through the reference path, which
    # is much slower (docs/architecture.md, "Pipeline time").
    attn_dropout: float | None = None
    max_len: int = 2 * WINDOW_FRAMES + 1
    # Anchor only: encoder layers (decoder uses n_layers).
    n_encoder_layers: int = 2
    # Policy only: rows of the metrical-position embedding (jamcore.music.meter.METRIC_SLOTS); 0 = none.
    metric_slots: int = 0

    @property
    def attention_dropout(self) -> float:
        """The dropout on attention weights: ``attn_dropout``, or ``dropout`` where that is None."""
        return self.dropout if self.attn_dropout is None else self.attn_dropout


@dataclass(frozen=True)
class TrainConfig:
    """Supervised (MLE) training of the policy or the anchor."""

    profile: str = "small"
    model: ModelConfig = ModelConfig()
    steps: int = 500
    batch_size: int = 12
    lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_steps: int = 40
    min_lr_ratio: float = 0.1
    grad_clip: float = 1.0
    eval_every: int = 100
    eval_batches: int = 8
    checkpoint_every: int = 100
    seed: int = 0
    threads: int = 0  # 0: torch default
    window_frames: int = WINDOW_FRAMES
    # Policy and anchor: share of training windows whose chord inputs are corrupted over a span while
    # the targets stay the data's (jamcore.data.chord_noise): teaches recovery from wrong chords (the
    # anchor judges the policy's own chord history in RL, so it must not just continue it either).
    chord_noise: float = 0.75
    # Policy only: share of training windows whose chord inputs are the model's own free-running
    # chords on that melody (sampled afresh each step, no gradient), targets the data's chords
    # re-spelled against them: the chord-noise idea with the errors the policy really makes (its
    # exposure bias, measured as note-in-chord 0.74 from the data's past vs 0.53 from its own).
    # Off for the shipped mle: it raises note-in-chord but the policy then changes chord on almost
    # every 16th (docs/architecture.md).
    own_chords: float = 0.0
    # Anchor (and optionally the policy): the policy checkpoint, by name or path, whose free-running chords
    # fill the own-chord windows; "" = the model being trained (a policy). The anchor judges the RL
    # policy's chord history, so a round on that policy's chords teaches it to advise from there.
    own_chords_from: str = ""
    # Policy: inside a noised span (chord noise or own chords) score chord targets on beats only.
    span_beats_only: bool = False
    # Policy and anchor: weight of the extra chord-identity loss at chord-onset targets
    # (``jamcore.train.mle.onset_identity_loss``; 0: plain cross-entropy).
    onset_weight: float = 0.0
    init: str = ""  # start from this checkpoint's weights (name or path) instead of a random init


_SMOKE = TrainConfig(
    profile="smoke",
    model=ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, n_encoder_layers=1, metric_slots=METRIC_SLOTS),
    steps=6, batch_size=4, warmup_steps=2, eval_every=3, eval_batches=1, checkpoint_every=3, window_frames=64,
)
_BASE = TrainConfig(
    profile="base",
    model=ModelConfig(d_model=256, n_layers=6, n_heads=8, metric_slots=METRIC_SLOTS),
    steps=8000, batch_size=32, lr=5e-4, warmup_steps=400,
)
# The melody agent's trainer drops the metrical input. Residual and feed-forward dropout stay; attention
# dropout is off so training takes the fused attention kernel.
_SMALL_MODEL = ModelConfig(metric_slots=METRIC_SLOTS, attn_dropout=0.0)

# The round on the policy's own chords: half the windows, targets on beats only inside them, a fresh
# warm-up at half the learning rate (training/gapt_levers.md, item 16).
_DAGGER = dict(init="mle", own_chords=0.5, span_beats_only=True)
_DAGGER_SMALL = TrainConfig(model=_SMALL_MODEL, steps=300, lr=5e-4, warmup_steps=20, threads=1)

# Supervised runs by model kind, then profile. `small` is the shipped recipe, exactly as its card says
# (`training/pipeline.sh small` passes nothing else). `threads` is 1 everywhere: the pipeline runs two
# stages side by side on 2 cores, and a second thread then waits on a core the other lane holds (the
# weights come out the same at 1 or 2 threads; docs/architecture.md, "Pipeline time").
TRAIN_PROFILES: dict[str, dict[str, TrainConfig]] = {
    "policy": {"smoke": _SMOKE, "base": _BASE,
               "small": TrainConfig(model=_SMALL_MODEL, steps=1600, threads=1)},
    "anchor": {"smoke": _SMOKE, "base": _BASE,
               "small": TrainConfig(model=dataclasses.replace(_SMALL_MODEL, n_layers=4), steps=600, threads=1)},
    "melody": {"smoke": _SMOKE, "base": _BASE,
               "small": TrainConfig(model=_SMALL_MODEL, steps=300, threads=1)},
    # `jamcore train dagger`: from a trained mle, one round on its own chords (jamcore.train.dagger).
    "dagger": {p: dataclasses.replace(cfg, **_DAGGER) for p, cfg in (("smoke", _SMOKE), ("small", _DAGGER_SMALL))},
}
PROFILES = TRAIN_PROFILES["policy"]


def override(cfg, assignments: list[str] | None):
    """Return ``cfg`` with ``key=value`` overrides applied (nested: ``model.d_model=192``).

    Values are typed by the field's annotation: ``int``, ``float``, ``bool`` (1/true/yes/on), ``Path``,
    ``str``; ``X | None`` takes ``none`` (or nothing) for None; ``tuple[X, ...]`` takes comma-separated
    elements, each typed as X (``--set shift_beats=1,2`` is ``(1, 2)``)."""
    for item in assignments or []:
        if "=" not in item:
            raise ValueError(f"override {item!r} is not key=value")
        key, value = item.split("=", 1)
        cfg = _set(cfg, key.split("."), value)
    return cfg


def _set(cfg, path: list[str], value: str):
    names = {f.name for f in dataclasses.fields(cfg)}
    if path[0] not in names:
        raise ValueError(f"unknown config field {path[0]!r}; known: {', '.join(names)}")
    if len(path) > 1:
        return dataclasses.replace(cfg, **{path[0]: _set(getattr(cfg, path[0]), path[1:], value)})
    hint = typing.get_type_hints(type(cfg))[path[0]]
    try:
        parsed = _parse(value, hint)
    except ValueError as exc:
        raise ValueError(f"--set {'.'.join(path)}={value}: {exc}") from None
    return dataclasses.replace(cfg, **{path[0]: parsed})


def _parse(value: str, hint):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if type(None) in args and value.strip().lower() in ("", "none"):
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _parse(value, inner)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_parse(v.strip(), args[0]) for v in value.split(",") if v.strip())
        raise ValueError(f"cannot set a field of type {hint} from the command line")
    if hint is bool:
        if value.lower() not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            raise ValueError("expected true or false")
        return value.lower() in ("1", "true", "yes", "on")
    if hint in (int, float, str, Path):
        try:
            return hint(value)
        except ValueError:
            raise ValueError(f"expected {hint.__name__}") from None
    raise ValueError(f"cannot set a field of type {hint} from the command line")


__all__ = [
    "FRAMES_PER_BEAT", "WINDOW_FRAMES", "DataConfig", "ModelConfig", "TrainConfig", "PROFILES", "TRAIN_PROFILES",
    "override",
    "default_data_dir", "default_cache_dir",
]
