"""Checkpoints: safetensors + JSON card round-trip, strict and clear failures, no pickle."""
import json

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save as save_bytes

from jamcore import checkpoints as C
from jamcore.config import ModelConfig
from jamcore.models import saved as S
from jamcore.models.policy import ChordPolicy

CFG = ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, max_len=65)


def saved(tmp_path, name="p"):
    torch.manual_seed(0)
    model = ChordPolicy(CFG).eval()
    S.save_checkpoint(model, tmp_path / name, {"seed": 0, "adv_weight": 1.0, "metrics": {"valid_loss": 1.5}})
    return model


def test_round_trip_gives_the_same_outputs(tmp_path):
    model = saved(tmp_path)
    loaded, card = S.load_policy(tmp_path / "p")
    ids = torch.tensor([[1, 200, 10, 370, 100]])
    with torch.no_grad():
        assert torch.equal(model(ids), loaded(ids))
    assert card["adv_weight"] == 1.0 and card["kind"] == "policy"
    assert not loaded.training


def test_weights_are_safetensors_not_pickle(tmp_path):
    saved(tmp_path)
    raw = (tmp_path / "p.safetensors").read_bytes()
    header_len = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + header_len])
    assert "embed.weight" in header
    assert not raw.startswith(b"\x80")  # a pickle stream starts with PROTO


def test_the_same_weights_write_the_same_file(tmp_path):
    """A rerun that trains the same weights must write the same bytes (and card checksum): safetensors
    orders the metadata by a hash map seeded afresh for every save, so without sorting, eight saves of
    four metadata keys give several different files."""
    tensors = {"b": torch.ones(5), "a": torch.arange(3.0)}
    meta = {"kind": "policy", "vocab_version": "3", "x": "1", "y": "2"}
    files = set()
    for i in range(8):
        C.save_tensors(tmp_path / f"{i}.safetensors", tensors, metadata=meta)
        files.add((tmp_path / f"{i}.safetensors").read_bytes())
    assert len(files) == 1
    # Text safetensors writes unescaped (UTF-8, DEL) comes back the same, so it is sorted too.
    odd = {"b": "\u2014" * 5, "a": "1", "c": "\u65e5\u672c\U0001f3b5", "d": "x\x7f"}
    assert len({C._sorted_metadata(save_bytes(tensors, odd)) for _ in range(8)}) == 1
    raw = files.pop()
    header = json.loads(raw[8:8 + int.from_bytes(raw[:8], "little")])
    assert list(header["__metadata__"]) == sorted(meta) and header["__metadata__"] == meta
    got = load_file(tmp_path / "0.safetensors")
    assert torch.equal(got["a"], tensors["a"]) and torch.equal(got["b"], tensors["b"])


def test_wrong_vocabulary_version_is_a_clear_error(tmp_path):
    saved(tmp_path)
    card = json.loads((tmp_path / "p.json").read_text())
    card["vocab_version"] = "jamcore-v0"
    (tmp_path / "p.json").write_text(json.dumps(card))
    with pytest.raises(C.CheckpointError, match="vocabulary 'jamcore-v0'.*this build uses"):
        S.load_policy(tmp_path / "p")


def test_missing_and_broken_checkpoints_are_refused(tmp_path):
    with pytest.raises(C.CheckpointError, match="no checkpoint named"):
        S.load_policy(tmp_path / "nope")
    saved(tmp_path)
    (tmp_path / "p.safetensors").write_bytes(b"garbage")
    with pytest.raises(C.CheckpointError, match="unreadable weights"):
        S.load_policy(tmp_path / "p")


def test_shape_mismatch_is_refused(tmp_path):
    saved(tmp_path)
    card = json.loads((tmp_path / "p.json").read_text())
    card["model"]["d_model"] = 64
    (tmp_path / "p.json").write_text(json.dumps(card))
    with pytest.raises(C.CheckpointError, match="shape|does not fit"):
        S.load_policy(tmp_path / "p")


def test_listing(tmp_path):
    saved(tmp_path, "a")
    saved(tmp_path, "b")
    (tmp_path / "orphan.json").write_text("{}")
    assert C.available_checkpoints(tmp_path) == ["a", "b"]


def test_names_with_dots_like_gapt_1_0(tmp_path):
    saved(tmp_path, "gapt-1.0")
    saved(tmp_path, "gapt-0.25")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gapt-0.25.json", "gapt-0.25.safetensors", "gapt-1.0.json", "gapt-1.0.safetensors"]
    assert C.available_checkpoints(tmp_path) == ["gapt-0.25", "gapt-1.0"]
    _, card = S.load_policy(tmp_path / "gapt-1.0")
    assert card["name"] == "gapt-1.0"
    assert C.resolve(tmp_path / "gapt-1.0.json") == tmp_path / "gapt-1.0"


def test_weights_are_checked_against_the_card_before_and_after_loading(tmp_path):
    """A card that declares a bigger network than its weights is refused from the file's header (nothing
    the card declares is allocated); a flipped bit is caught by the card's checksum even when the weight
    stays finite; NaN weights are refused when the card has no checksum (older checkpoints)."""
    CheckpointError, load_policy = C.CheckpointError, C.load_policy
    C.save_checkpoint(ChordPolicy(ModelConfig(d_model=32, n_layers=2, n_heads=2)), tmp_path / "ok", {})
    card = json.loads((tmp_path / "ok.json").read_text())
    assert len(card["weights_sha256"]) == 64
    load_policy(tmp_path / "ok")
    weights = (tmp_path / "ok.safetensors").read_bytes()
    n = int.from_bytes(weights[:8], "little")

    def variant(name, data=weights, **changes):
        (tmp_path / f"{name}.safetensors").write_bytes(data)
        (tmp_path / f"{name}.json").write_text(json.dumps({**card, **changes}))
        return tmp_path / name

    huge = variant("huge", model=dict(card["model"], d_model=4096, n_layers=48))
    with pytest.raises(CheckpointError, match="does not fit its architecture|has shape"):
        load_policy(huge)
    flipped = bytearray(weights)
    flipped[8 + n + 1] ^= 0x01  # a mantissa bit: still finite
    with pytest.raises(CheckpointError, match="checksum"):
        load_policy(variant("rot", bytes(flipped)))
    nan = bytearray(weights)
    nan[8 + n: 8 + n + 16] = np.full(4, np.nan, dtype="<f4").tobytes()
    with pytest.raises(CheckpointError, match="NaN or infinite"):
        load_policy(variant("nan", bytes(nan), weights_sha256=None))
    with pytest.raises(CheckpointError, match="out of range"):
        load_policy(variant("absurd", model=dict(card["model"], max_len=10**9)))
