"""Checkpoints: ``NAME.safetensors`` (weights) + ``NAME.json`` (model card). No pickle anywhere.

A checkpoint is data that performers load without having trained it, so loading is strict: the
vocabulary version, the model kind, every tensor name and shape must match, or a ``CheckpointError``
says exactly what is wrong. Writes are atomic (temp file, then rename), so a crash never leaves a
half-written checkpoint behind.

This module is the live side and needs no torch: finding a checkpoint, reading and checking its card,
and loading a policy's weights as NumPy arrays into the real-time engine (``load_policy_weights``).
The PyTorch side (a network from a checkpoint, and writing one) is ``jamcore.models.saved``.

Also the ``jamcore checkpoints`` command, which lists checkpoints with their adversarial weight and
headline metrics.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from safetensors import SafetensorError
from safetensors.numpy import load_file

from jamcore.config import ModelConfig
from jamcore.errors import CheckpointError
from jamcore.models.numpy_policy import NumpyWeights
from jamcore.tokens import VOCAB_VERSION

SHIPPED_DIR = Path(__file__).resolve().parent / "checkpoints"
# The policy `serve`, `demo` and `harmonize` start with; performers switch to any other on stage.
# `gapt-1.0`: RL with the harmony credit and the adversary at weight 1. At the default temperature it
# harmonises held-out folk tunes far better than the supervised `mle` (note-in-chord 0.646 vs 0.575 on
# 30 Nottingham test tunes, bench/bench_harmonize.py) and changes chord about as often as the data (1.6
# a bar; data 1.4), but half of its changes fall off the beat (`mle`: 85 %, data 90 %): `mle` is the
# switch for a steadier chord rhythm. `rl` harmonises better still and churns (docs/reward-hacking.md).
DEFAULT_POLICY = "gapt-1.0"
# The sampling temperature they start with. At 0.5 the policies change chord about as often as the data
# (at 1.0 about twice as often, for no better note-in-chord).
DEFAULT_TEMPERATURE = 0.5

# The architecture fields of a model card (``ModelConfig``); the model kinds a card may name.
MODEL_KINDS = ("policy", "anchor", "melody", "contrastive", "discriminative")


def with_ext(stem: str | Path, ext: str) -> Path:
    """``stem`` + ``ext``. Not ``Path.with_suffix``: names like ``gapt-1.0`` have a dot of their own."""
    stem = Path(stem)
    return stem.parent / (stem.name + ext)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def resolve(name_or_path: str | Path, directory: str | Path | None = None) -> Path:
    """Find a checkpoint stem: a path (with or without suffix), a name in ``directory``, or shipped."""
    p = Path(name_or_path)
    candidates = []
    for ext in (".json", ".safetensors"):
        if p.name.endswith(ext):
            candidates.append(p.parent / p.name[: -len(ext)])
    candidates.append(p)
    if directory is not None:
        candidates.append(Path(directory) / p.name)
    candidates.append(SHIPPED_DIR / p.name)
    candidates.append(SHIPPED_DIR / "rewards" / p.name)
    for c in candidates:
        if with_ext(c, ".json").is_file() and with_ext(c, ".safetensors").is_file():
            return c
    raise CheckpointError(
        f"no checkpoint named {str(name_or_path)!r} (looked for NAME.json + NAME.safetensors in "
        f"{', '.join(sorted({str(c.parent) for c in candidates}))})"
    )


def read_card(stem: Path) -> dict[str, Any]:
    try:
        return json.loads(with_ext(stem, ".json").read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"unreadable model card {stem}.json: {exc}") from exc


def open_card(name_or_path: str | Path, kind: str | None = None, directory: str | Path | None = None
              ) -> tuple[Path, dict[str, Any], ModelConfig]:
    """Find a checkpoint and check its card: (stem, card, architecture). Strict: vocabulary and kind."""
    stem = resolve(name_or_path, directory)
    card = read_card(stem)
    if card.get("vocab_version") != VOCAB_VERSION:
        raise CheckpointError(
            f"checkpoint {stem.name!r} uses vocabulary {card.get('vocab_version')!r}, but this build uses "
            f"{VOCAB_VERSION!r}: retrain it or use a matching jamcore version"
        )
    ckind = card.get("kind")
    if ckind not in MODEL_KINDS or (kind is not None and ckind != kind):
        raise CheckpointError(f"checkpoint {stem.name!r} is a {ckind!r} model, expected {kind or 'a known kind'!r}")
    try:
        cfg = ModelConfig(**card["model"])
    except (KeyError, TypeError) as exc:
        raise CheckpointError(f"model card {stem.name}.json has a bad architecture entry: {exc}") from exc
    return stem, card, cfg


def read_weights(stem: Path, load=load_file) -> dict:
    """The tensors of ``stem.safetensors`` (NumPy arrays, or torch tensors with ``load`` from
    ``safetensors.torch``)."""
    try:
        return load(str(with_ext(stem, ".safetensors")))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"unreadable weights {stem}.safetensors: {exc}") from exc


def check_weights(stem: Path, found: dict[str, tuple], expected: dict[str, tuple]) -> None:
    """Every tensor name and shape the architecture expects, and nothing else ({name: shape} both)."""
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    if missing or extra:
        raise CheckpointError(f"checkpoint {stem.name!r} does not fit its architecture: "
                              f"missing {missing[:3]}, unexpected {extra[:3]}")
    for k, shape in found.items():
        if tuple(shape) != tuple(expected[k]):
            raise CheckpointError(f"checkpoint {stem.name!r}: tensor {k} has shape {tuple(shape)}, "
                                  f"expected {tuple(expected[k])}")


def load_policy_weights(name_or_path: str | Path = DEFAULT_POLICY, directory: str | Path | None = None
                        ) -> tuple[NumpyWeights, dict[str, Any]]:
    """A policy checkpoint as the NumPy engine's weights, straight from safetensors (no torch): what
    ``serve``, ``demo`` and ``harmonize`` play. Returns (weights, card)."""
    stem, card, cfg = open_card(name_or_path, "policy", directory)
    state = read_weights(stem)
    check_weights(stem, {k: v.shape for k, v in state.items()}, NumpyWeights.expected_shapes(cfg))
    return NumpyWeights.from_state(cfg, state), card


def available_checkpoints(directory: str | Path | None = None, kind: str | None = "policy",
                          performable: bool = False) -> list[str]:
    """Names of loadable-looking checkpoints (card + weights present) in ``directory`` or shipped.

    ``performable``: leave out those whose card says ``"baseline": true`` (a reward-hacking baseline
    kept for the evaluation; still loadable by name, just not offered on stage)."""
    d = Path(directory) if directory is not None else SHIPPED_DIR
    names = []
    for meta in sorted(d.glob("*.json")):
        if not with_ext(meta.parent / meta.name[:-5], ".safetensors").is_file():
            continue
        try:
            card = json.loads(meta.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if performable and card.get("baseline"):
            continue
        if kind is None or card.get("kind") == kind:
            names.append(meta.name[:-5])
    return names


# ---------------------------------------------------------------------------------------------
# `jamcore checkpoints`


def add_arguments(parser) -> None:
    parser.add_argument("--dir", default=None, help="checkpoint directory (default: the shipped ones)")
    parser.add_argument("--all", action="store_true", help="list every kind, not only policies")


def run(args) -> int:
    d = Path(args.dir) if args.dir else SHIPPED_DIR
    names = available_checkpoints(d, kind=None if args.all else "policy")
    if not names:
        print(f"no checkpoints in {d}")
        return 1
    rows = [("name", "kind", "adv_weight", "params", "valid_acc", "NIC", "entropy", "parent")]
    for n in names:
        card = read_card(d / n)
        m = card.get("metrics", {}) or {}
        rows.append((
            n, card.get("kind", "?"), str(card.get("adv_weight", "-")), f"{card.get('parameters', 0) / 1e6:.2f}M",
            _fmt(m.get("valid_chord_accuracy")), _fmt(m.get("note_in_chord")), _fmt(m.get("chord_entropy")),
            str(card.get("parent") or "-"),
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    return 0


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}"
