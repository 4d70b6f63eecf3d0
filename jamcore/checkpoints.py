"""Checkpoints: ``NAME.safetensors`` (weights) + ``NAME.json`` (model card). No pickle anywhere.

A checkpoint is data that performers load without having trained it, so loading is strict: the
vocabulary version, the model kind, every tensor name and shape must match, or a ``CheckpointError``
says exactly what is wrong. Writes are atomic (temp file, then rename), so a crash never leaves a
half-written checkpoint behind.

The live path reads policies with ``load_policy_weights`` / ``load_policy_stem``: NumPy arrays straight
from safetensors into the real-time engine, under the same checks, with no torch. Training and
evaluation build PyTorch networks with ``load_model`` (torch is imported there only; also re-exported by
``jamcore.models.saved``).

Also the ``jamcore checkpoints`` command, which lists checkpoints with their adversarial weight and
headline metrics.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file as load_numpy_file

from jamcore.config import ModelConfig
from jamcore.errors import CheckpointError
from jamcore.models.numpy_policy import NumpyWeights
from jamcore.tokens import VOCAB_SIZE, VOCAB_VERSION

SHIPPED_DIR = Path(__file__).resolve().parent / "checkpoints"
# The policy `serve`, `demo` and `harmonize` start with; performers switch to any other on stage.
# `gapt-1.0`: RL with the harmony credit, the rhythm-only judges and the adversary at weight 1, the
# paper's setting (why, and how it compares with the others: README "Shipped checkpoints", docs/gapt.md).
DEFAULT_POLICY = "gapt-1.0"
# The sampling temperature they start with: 0.9, between the published system's live default (0.8)
# and what its players kept for variety (1.0; REFERENCE 6.2). For the shipped policies it keeps both the
# chord rhythm and the variety near the data's: lower, they vary their chords less than the data; higher,
# they change chord more often. The measured trade-off is in training/gapt_levers.md (items 8
# "Decoding, not training", 16 and 17).
DEFAULT_TEMPERATURE = 0.9

# kind -> "module:Class"; every class takes (ModelConfig) and has `.cfg`.
MODEL_KINDS: dict[str, str] = {
    "policy": "jamcore.models.policy:ChordPolicy",
    "anchor": "jamcore.models.anchor:OfflineAnchor",
    "melody": "jamcore.models.policy:ChordPolicy",  # the melody agent: same network, melody-first order
    "contrastive": "jamcore.models.reward_models:ContrastiveReward",
    "discriminative": "jamcore.models.reward_models:DiscriminativeReward",
}


def _class_for(kind: str):
    if kind not in MODEL_KINDS:
        raise CheckpointError(f"unknown model kind {kind!r}; known: {', '.join(MODEL_KINDS)}")
    module, cls = MODEL_KINDS[kind].split(":")
    return getattr(importlib.import_module(module), cls)


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


def save_tensors(path: Path, tensors: dict, metadata: dict[str, str] | None = None) -> None:
    """Atomically write a dict of tensors as safetensors."""
    from safetensors.torch import save

    clean = {k: v.detach().contiguous().cpu() for k, v in tensors.items()}
    atomic_write_bytes(Path(path), _sorted_metadata(save(clean, metadata=metadata)))


def _sorted_metadata(blob: bytes) -> bytes:
    """``blob`` with its ``__metadata__`` keys in sorted order. safetensors writes them in hash-map order,
    which changes from one process to the next, so the same weights gave files (and checksums) that
    differed run to run. Same characters, same length: the padding and the tensor offsets stand."""
    n = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + n])
    meta = header.get("__metadata__")
    if not meta:
        return blob
    header["__metadata__"] = dict(sorted(meta.items()))
    # Compact, UTF-8 unescaped: as safetensors writes it, so only the order of the metadata changes.
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    if len(text) != len(blob[8:8 + n].rstrip(b" ")):  # an escape written differently: keep the original
        return blob
    return blob[:8] + text.ljust(n) + blob[8 + n:]


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
    full["weights_sha256"] = _sha256(weights)  # a load verifies it: bit rot is refused, even when finite
    meta = with_ext(stem, ".json")
    atomic_write_bytes(meta, (json.dumps(full, indent=2, default=str) + "\n").encode())
    return weights, meta


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


def canonical_key(stem: Path) -> tuple[str, str]:
    """The real files behind a checkpoint (symlinks and ``..`` resolved): one cache entry per pair."""
    return (os.path.realpath(with_ext(stem, ".json")), os.path.realpath(with_ext(stem, ".safetensors")))


MAX_CARD_BYTES = 1 << 20


def read_card(stem: Path) -> dict[str, Any]:
    path = with_ext(stem, ".json")
    try:
        if path.stat().st_size > MAX_CARD_BYTES:
            raise CheckpointError(f"model card {stem.name}.json is over {MAX_CARD_BYTES >> 20} MB")
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:  # ValueError: bad JSON or bytes that are not UTF-8
        raise CheckpointError(f"unreadable model card {stem.name}.json: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None


def load_model(name_or_path: str | Path, kind: str | None = None, directory: str | Path | None = None):
    """Load a checkpoint into a fresh network in eval mode. Returns (model, card)."""
    return load_stem(resolve(name_or_path, directory), kind)


def open_card(stem: Path, kind: str | None = None) -> tuple[dict[str, Any], ModelConfig]:
    """The card of the checkpoint at ``stem``, checked: a JSON object, this build's vocabulary, the kind
    asked for, a well-formed architecture. Returns (card, architecture)."""
    card = read_card(stem)
    if not isinstance(card, dict):
        raise CheckpointError(f"model card {stem.name}.json is not a JSON object")
    if card.get("vocab_version") != VOCAB_VERSION:
        raise CheckpointError(
            f"checkpoint {stem.name!r} uses vocabulary {card.get('vocab_version')!r}, but this build uses "
            f"{VOCAB_VERSION!r}: retrain it or use a matching jamcore version"
        )
    ckind = card.get("kind")
    if kind is not None and ckind != kind:
        raise CheckpointError(f"checkpoint {stem.name!r} is a {ckind!r} model, expected {kind!r}")
    try:
        cfg = ModelConfig(**card["model"])
    except (KeyError, TypeError) as exc:
        raise CheckpointError(f"model card {stem.name}.json has a bad architecture entry: {exc}") from exc
    for field in dataclasses.fields(cfg):
        v = getattr(cfg, field.name)
        if isinstance(v, (int, float)) and not 0 <= v <= MAX_CARD_DIMENSION:
            raise CheckpointError(f"model card {stem.name}.json: {field.name} = {v} is out of range")
    return card, cfg


def load_policy_stem(stem: Path) -> tuple[NumpyWeights, dict[str, Any]]:
    """The policy at ``stem`` as the NumPy engine's weights, straight from safetensors (no torch): what
    ``serve``, ``demo`` and ``harmonize`` play. The weights file must hold exactly the tensors the card's
    architecture has (read from its header before anything is loaded), match the card's checksum when
    it has one, and be finite. Returns (weights, card)."""
    card, cfg = open_card(stem, "policy")
    expected = {k: (shape, "F32") for k, shape in NumpyWeights.expected_shapes(cfg).items()}
    check_weights_file(stem, expected)
    _check_digest(stem, card)
    try:
        state = load_numpy_file(str(with_ext(stem, ".safetensors")))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"unreadable weights {stem.name}.safetensors: {exc}") from exc
    check_finite(state, stem.name)
    return NumpyWeights.from_state(cfg, state), card


def load_policy_weights(name_or_path: str | Path = DEFAULT_POLICY, directory: str | Path | None = None
                        ) -> tuple[NumpyWeights, dict[str, Any]]:
    """``load_policy_stem`` of a checkpoint name or path (``resolve``)."""
    return load_policy_stem(resolve(name_or_path, directory))


def load_stem(stem: Path, kind: str | None = None):
    """A PyTorch network from the checkpoint at ``stem`` (found already), in eval mode: (model, card).
    Nothing the card declares is allocated before the weights file is known to hold exactly those
    tensors (``check_weights_file``); the card's checksum, when it has one, must match; loaded weights
    must be finite. Errors name the checkpoint, not its folder. (Training and evaluation: torch.)"""
    from safetensors.torch import load_file  # (imports torch: the training side only)

    card, cfg = open_card(stem, kind)
    cls = _class_for(card.get("kind"))
    check_weights_file(stem, expected_tensors(cls, cfg, stem.name))
    _check_digest(stem, card)
    model = cls(cfg)
    try:
        state = load_file(str(with_ext(stem, ".safetensors")))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"unreadable weights {stem.name}.safetensors: {exc}") from exc
    check_finite(state, stem.name)
    model.load_state_dict(state)
    if card.get("rhythm"):  # a rhythm-only reward model: it scores the rhythm view of what it is given
        model.rhythm = True
    model.eval()
    return model, card


# Bytes per element of the safetensors dtypes a checkpoint may hold.
_DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1,
                "BOOL": 1}
_TORCH_DTYPES = {"float64": "F64", "float32": "F32", "float16": "F16", "bfloat16": "BF16", "int64": "I64",
                 "int32": "I32", "int16": "I16", "int8": "I8", "uint8": "U8", "bool": "BOOL"}
MAX_HEADER_BYTES = 1 << 20
MAX_CARD_DIMENSION = 1 << 16  # any size in a card's architecture (widths, layers, context length)


def expected_tensors(cls, cfg, name: str) -> dict[str, tuple[tuple[int, ...], str]]:
    """Tensor name -> (shape, safetensors dtype) of the network a card declares, built on torch's
    ``meta`` device: no memory is allocated whatever sizes the card claims."""
    import torch

    for field in dataclasses.fields(cfg):
        v = getattr(cfg, field.name)
        if isinstance(v, (int, float)) and not 0 <= v <= MAX_CARD_DIMENSION:
            raise CheckpointError(f"model card {name}.json: {field.name} = {v} is out of range")
    try:
        with _MetaParameters():
            meta = cls(cfg)
    except Exception as exc:  # an absurd card (negative sizes, heads not dividing the width...)
        raise CheckpointError(f"model card {name}.json declares a network that cannot be built: {exc}") from None
    return {k: (tuple(v.shape), _TORCH_DTYPES.get(str(v.dtype).removeprefix("torch."), "?"))
            for k, v in meta.state_dict().items()}


class _MetaParameters:
    """Build a network's parameters on torch's ``meta`` device (shapes only, no memory) and skip their
    random initialisation. Only factory calls go to ``meta``: the few small tables a module computes
    itself (rotary angles) stay real, because torch's meta versions of ``arange``, ``div`` or ``normal_``
    load seconds of decompositions on first use. Torch-function modes are per thread."""

    SKIP = frozenset({"normal_", "uniform_", "trunc_normal_", "kaiming_uniform_", "kaiming_normal_",
                      "xavier_uniform_", "xavier_normal_", "orthogonal_"})
    FACTORIES = frozenset({"empty", "zeros", "ones", "full", "rand", "randn"})

    def __enter__(self):
        from torch.overrides import TorchFunctionMode

        skip, factories = self.SKIP, self.FACTORIES

        class Mode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                kwargs = kwargs or {}
                name = getattr(func, "__name__", "")
                if name in skip:
                    return args[0] if args else kwargs.get("tensor")
                if name in factories:
                    kwargs = dict(kwargs, device="meta")
                return func(*args, **kwargs)

        self._mode = Mode()
        return self._mode.__enter__()

    def __exit__(self, *exc):
        return self._mode.__exit__(*exc)


def check_weights_file(stem: Path, expected: dict[str, tuple[tuple[int, ...], str]] | None) -> None:
    """The weights file holds exactly the tensors ``expected``, byte for byte in size, read from its
    header alone (before anything is loaded): a card that declares a bigger network than its weights, a
    truncated or padded file, or a header that lies is refused here. ``expected`` None (no torch to
    build the architecture on): the header must still describe the file exactly."""
    path = with_ext(stem, ".safetensors")
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
            n = int.from_bytes(head, "little") if len(head) == 8 else -1
            if not 0 < n <= min(MAX_HEADER_BYTES, size - 8):
                raise CheckpointError(f"unreadable weights {stem.name}.safetensors: not a safetensors file")
            header = json.loads(f.read(n))
    except OSError as exc:
        raise CheckpointError(f"unreadable weights {stem.name}.safetensors: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError):
        raise CheckpointError(f"unreadable weights {stem.name}.safetensors: its header is not JSON") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"unreadable weights {stem.name}.safetensors: its header is not a JSON object")
    header.pop("__metadata__", None)
    if expected is None:
        expected = {}
        for k, entry in header.items():
            try:
                expected[k] = (tuple(int(x) for x in entry["shape"]), str(entry["dtype"]))
            except (KeyError, TypeError, ValueError):
                raise CheckpointError(f"unreadable weights {stem.name}.safetensors: bad entry for {k}") from None
    missing = sorted(set(expected) - set(header))
    extra = sorted(set(header) - set(expected))
    if missing or extra:
        raise CheckpointError(f"checkpoint {stem.name!r} does not fit its architecture: "
                              f"missing {missing[:3]}, unexpected {extra[:3]}")
    data_bytes = size - 8 - n
    spans = []
    for k, (shape, dtype) in expected.items():
        entry = header[k]
        try:
            got_shape = tuple(int(x) for x in entry["shape"])
            got_dtype = str(entry["dtype"])
            lo, hi = (int(x) for x in entry["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise CheckpointError(f"unreadable weights {stem.name}.safetensors: bad entry for {k}") from None
        if got_shape != shape:
            raise CheckpointError(f"checkpoint {stem.name!r}: tensor {k} has shape {got_shape}, expected {shape}")
        if got_dtype not in _DTYPE_BYTES:
            raise CheckpointError(f"checkpoint {stem.name!r}: tensor {k} has unsupported dtype {got_dtype}")
        numel = 1
        for d in shape:
            numel *= d
        if not 0 <= lo <= hi <= data_bytes or hi - lo != numel * _DTYPE_BYTES[got_dtype]:
            raise CheckpointError(f"unreadable weights {stem.name}.safetensors: tensor {k} does not fit the "
                                  f"file ({data_bytes} bytes of data)")
        spans.append((lo, hi))
    if sum(hi - lo for lo, hi in spans) != data_bytes:
        raise CheckpointError(f"unreadable weights {stem.name}.safetensors: {data_bytes} bytes of data, but its "
                              f"tensors need {sum(hi - lo for lo, hi in spans)}")


def _check_digest(stem: Path, card: dict) -> None:
    digest = card.get("weights_sha256")
    if digest is not None and _sha256(with_ext(stem, ".safetensors")) != digest:
        raise CheckpointError(f"checkpoint {stem.name!r}: its weights are not the ones its card was written "
                              f"for (checksum mismatch: a damaged or replaced file)")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_finite(state: dict, name: str) -> None:
    """Every floating-point weight is finite (bit rot or a diverged run leaves NaN/inf behind). Torch
    tensors or NumPy arrays."""
    for k, v in state.items():
        if hasattr(v, "is_floating_point"):  # a torch tensor
            bad = v.is_floating_point() and not bool(v.isfinite().all())
        else:
            a = np.asarray(v)
            bad = a.dtype.kind == "f" and not bool(np.isfinite(a).all())
        if bad:
            raise CheckpointError(f"checkpoint {name!r}: tensor {k} holds NaN or infinite values")


NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+@")


def check_name(name: str) -> None:
    """``CheckpointError`` unless ``name`` is spelt as a checkpoint name (no path; nothing is looked up)."""
    if not name or len(name) > 128 or not set(name) <= NAME_CHARS or name.startswith("."):
        raise CheckpointError(f"{name[:64]!r} is not a checkpoint name (names, not paths: see /jam/list)")


def find_in_library(name: str, folders) -> Path:
    """The stem of checkpoint ``name`` in the first of ``folders`` that has it. A name, never a path:
    separators, a leading dot and other characters are refused, so nothing outside the folders can be
    reached. Errors name no folder (they go back to network clients)."""
    check_name(name)
    for folder in folders:
        stem = Path(folder) / name
        if with_ext(stem, ".json").is_file() and with_ext(stem, ".safetensors").is_file():
            return stem
    raise CheckpointError(f"no checkpoint named {name!r} in the library (see /jam/list)")


def load_policy(name_or_path: str | Path = "mle", directory: str | Path | None = None):
    return load_model(name_or_path, "policy", directory)


def available_checkpoints(directory: str | Path | None = None, kind: str | None = "policy",
                          performable: bool = False) -> list[str]:
    """Names of loadable-looking checkpoints (card + weights present) in ``directory`` or shipped.

    ``performable``: leave out those whose card says ``"baseline": true`` (a reward-hacking baseline
    kept for the evaluation) or ``"performable": false`` (a training stage such as ``mle-dagger``); both
    still load by name, they are just not offered on stage."""
    d = Path(directory) if directory is not None else SHIPPED_DIR
    names = []
    for meta in sorted(d.glob("*.json")):
        if not with_ext(meta.parent / meta.name[:-5], ".safetensors").is_file():
            continue
        try:
            card = json.loads(meta.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if performable and (card.get("baseline") or card.get("performable") is False):
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
