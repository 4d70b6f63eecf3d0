"""The online policy: cached streaming steps equal the full forward pass."""
import numpy as np
import torch

from jamcore import tokens as T
from jamcore.config import ModelConfig
from jamcore.models.anchor import OfflineAnchor
from jamcore.models.policy import ChordPolicy

CFG = ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, max_len=129)


def random_online_sequence(n_frames: int, rng) -> torch.Tensor:
    chords = rng.integers(T.CHORD_ON_BASE, T.VOCAB_SIZE, n_frames)
    melody = rng.integers(T.NOTE_ON_BASE, T.CHORD_ON_BASE, n_frames)
    return torch.from_numpy(T.interleave(chords, melody))[None]


def test_cached_steps_match_full_forward():
    torch.manual_seed(0)
    model = ChordPolicy(CFG).eval()
    seq = random_online_sequence(60, np.random.default_rng(0))
    with torch.no_grad():
        full = model(seq)
    cache = model.new_cache()
    pieces = [model.step(seq[:, :1], cache)]  # BOS
    pos = 1
    while pos < seq.shape[1]:
        n = 2 if pos + 2 <= seq.shape[1] else 1  # [c_t, m_t] per call, as the stream does
        pieces.append(model.step(seq[:, pos:pos + n], cache))
        pos += n
    stepped = torch.cat(pieces, dim=1)
    assert stepped.shape == full.shape
    assert torch.allclose(stepped, full, atol=1e-4), (stepped - full).abs().max()


def test_cache_rewind_recomputes_identically():
    torch.manual_seed(1)
    model = ChordPolicy(CFG).eval()
    seq = random_online_sequence(20, np.random.default_rng(1))
    cache = model.new_cache()
    model.step(seq[:, :21], cache)
    a = model.step(seq[:, 21:23], cache)
    cache.rewind(21)
    b = model.step(seq[:, 21:23], cache)
    assert torch.allclose(a, b, atol=1e-6)


def test_value_head_starts_at_zero_and_has_one_value_per_token():
    model = ChordPolicy(CFG)
    seq = random_online_sequence(8, np.random.default_rng(2))
    logits, values = model(seq, with_value=True)
    assert logits.shape == (1, seq.shape[1], T.VOCAB_SIZE)
    assert values.shape == (1, seq.shape[1])
    assert torch.all(values == 0)


def test_anchor_is_causal_in_chords_but_sees_the_whole_melody():
    torch.manual_seed(3)
    model = OfflineAnchor(ModelConfig(d_model=32, n_layers=2, n_heads=2, dropout=0.0, max_len=129,
                                      n_encoder_layers=1)).eval()
    rng = np.random.default_rng(3)
    mel = torch.from_numpy(rng.integers(T.NOTE_ON_BASE, T.CHORD_ON_BASE, (1, 16)))
    ch = torch.from_numpy(rng.integers(T.CHORD_ON_BASE, T.VOCAB_SIZE, (1, 16)))
    base = model(mel, ch)
    ch2 = ch.clone()
    ch2[0, 10] = T.NO_CHORD  # changing chord 10 may only change predictions for frames > 10
    out = model(mel, ch2)
    assert torch.allclose(base[0, :11], out[0, :11], atol=1e-5)
    assert not torch.allclose(base[0, 11:], out[0, 11:], atol=1e-5)
    mel2 = mel.clone()
    mel2[0, 15] = T.SILENCE  # the last melody frame reaches the first chord: it sees the future
    assert not torch.allclose(base[0, 0], model(mel2, ch)[0, 0], atol=1e-6)
