"""PyTorch networks from checkpoints and back: the training side of ``jamcore.checkpoints``.

``load_model`` builds the network a card names and fills it with strictly checked weights;
``save_checkpoint`` writes weights and card atomically. The live path never needs this module (it
plays ``jamcore.checkpoints.load_policy_weights`` on the NumPy engine).
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from safetensors.torch import load_file, save

from jamcore.checkpoints import atomic_write_bytes, check_weights, open_card, read_weights, with_ext
from jamcore.models.anchor import OfflineAnchor
from jamcore.models.policy import ChordPolicy
from jamcore.models.reward_models import ContrastiveReward, DiscriminativeReward
from jamcore.tokens import VOCAB_SIZE, VOCAB_VERSION

# kind -> network class; every class takes (ModelConfig) and has `.cfg`.
MODEL_CLASSES = {
    "policy": ChordPolicy,
    "anchor": OfflineAnchor,
    "melody": ChordPolicy,  # the melody agent: same network, melody-first order
    "contrastive": ContrastiveReward,
    "discriminative": DiscriminativeReward,
}


def save_tensors(path: Path, tensors: dict, metadata: dict[str, str] | None = None) -> None:
    """Atomically write a dict of tensors as safetensors."""
    clean = {k: v.detach().contiguous().cpu() for k, v in tensors.items()}
    atomic_write_bytes(Path(path), save(clean, metadata=metadata))


def save_checkpoint(model, stem: str | Path, card: dict[str, Any]) -> tuple[Path, Path]:
    """Write ``stem.safetensors`` and ``stem.json``. ``card`` gets kind, vocab and architecture added."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    full = {
        "name": stem.name,
        "kind": model.kind,
        "vocab_version": VOCAB_VERSION,
        "vocab_size": VOCAB_SIZE,
        "model": dataclasses.asdict(model.cfg),
        "parameters": sum(p.numel() for p in model.parameters()),
        **card,
    }
    weights = with_ext(stem, ".safetensors")
    save_tensors(weights, model.state_dict(), metadata={"kind": model.kind, "vocab_version": VOCAB_VERSION})
    meta = with_ext(stem, ".json")
    atomic_write_bytes(meta, (json.dumps(full, indent=2, default=str) + "\n").encode())
    return weights, meta


def load_model(name_or_path: str | Path, kind: str | None = None, directory: str | Path | None = None):
    """Load a checkpoint into a fresh network in eval mode. Returns (model, card)."""
    stem, card, cfg = open_card(name_or_path, kind, directory)
    model = MODEL_CLASSES[card["kind"]](cfg)
    state = read_weights(stem, load_file)
    check_weights(stem, {k: v.shape for k, v in state.items()}, {k: v.shape for k, v in model.state_dict().items()})
    model.load_state_dict(state)
    model.eval()
    return model, card


def load_policy(name_or_path: str | Path = "mle", directory: str | Path | None = None):
    return load_model(name_or_path, "policy", directory)
