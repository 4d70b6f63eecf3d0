"""Coherence reward models: how well a chord stream fits a melody (GAPT's learned rewards).

Two judges, each trained in several seeds and used as ensembles by RL (``RewardEnsemble``):

- ``ContrastiveReward``: a melody encoder and a chord encoder map a window to unit vectors; trained with
  symmetric InfoNCE over the batch, the reward is the cosine similarity of the pair. Its chord embedding
  doubles as the Vendi-score embedding of chord sequences.
- ``DiscriminativeReward``: one encoder reads ``[BOS, melody..., SEP, chords...]`` and a 2-way head at the
  first token says "real pair" (1) or not (0); the reward is log P(real).

Both take per-frame token tensors ``[B, W]`` (PAD after a song's end) and judge only the frames where
both parts exist (``common_length``), so a shorter chord stream never changes the verdict by its length.

Either kind may be a *rhythm-only* judge (``rhythm = True``, set from the card's ``rhythm: true`` when
loaded): it was trained on ``jamcore.rhythm.rhythm_view`` tokens, and ``score`` maps the full tokens it
is given to that view itself, so RL hands every judge the same tensors.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from jamcore.config import ModelConfig
from jamcore.models.transformer import Encoder, Rotary, init_weights
from jamcore.rhythm import RHYTHM_OF_TOKEN
from jamcore.tokens import BOS, PAD, VOCAB_SIZE

SEP = BOS  # the separator between melody and chords in the discriminative input (as in the reference)
LOGIT_SCALE_INIT = 1 / 0.07  # CLIP's temperature
LOGIT_SCALE_MAX = 100.0  # CLIP's clamp: keeps the softmax from saturating when the scale runs away
_RHYTHM_OF_TOKEN = torch.from_numpy(RHYTHM_OF_TOKEN)


def judged_inputs(model: nn.Module, melody: torch.Tensor, chords: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """What ``model.score`` reads: the tokens as given, or their rhythm view for a rhythm-only judge."""
    if getattr(model, "rhythm", False):
        return _RHYTHM_OF_TOKEN[melody], _RHYTHM_OF_TOKEN[chords]
    return melody, chords


def common_length(melody: torch.Tensor, chords: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Both streams cut to the frames where both are present (PAD elsewhere).

    With PAD only after a song's end this is the cut to the shorter of the two lengths.
    """
    if melody.shape != chords.shape:
        raise ValueError(f"melody {tuple(melody.shape)} and chords {tuple(chords.shape)} must have one shape [B, W]")
    if melody.dim() != 2:
        raise ValueError(f"expected per-frame token tensors [B, W], got shape {tuple(melody.shape)}")
    both = (melody != PAD) & (chords != PAD)
    return melody.masked_fill(~both, PAD), chords.masked_fill(~both, PAD)


def _with_bos(tokens: torch.Tensor) -> torch.Tensor:
    bos = torch.full((tokens.shape[0], 1), BOS, dtype=tokens.dtype, device=tokens.device)
    return torch.cat([bos, tokens], dim=1)


def _check_length(cfg: ModelConfig, frames: int, needed: int, what: str) -> None:
    if needed > cfg.max_len:
        raise ValueError(f"{what} reads at most {cfg.max_len - (needed - frames)} frames per window "
                         f"(model max_len {cfg.max_len}), got {frames}")


class ContrastiveReward(nn.Module):
    """Melody and chord encoders with projections into one unit sphere; reward = cosine of the pair.

    Pooling is the mean over the real frames (BOS included, PAD excluded), not the BOS state: with two
    layers and a few hundred steps every frame then gets a direct gradient, and the embedding does not
    depend on how long the window is, which matters because RL episodes and evaluation windows differ
    in length from the training windows.
    """

    kind = "contrastive"
    rhythm = False  # a rhythm-only judge: ``score`` reads the rhythm view (see the module doc)

    def __init__(self, cfg: ModelConfig, vocab_size: int = VOCAB_SIZE):
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.melody_encoder = Encoder(cfg, vocab_size)
        self.chord_encoder = Encoder(cfg, vocab_size)
        self.melody_proj = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))
        self.chord_proj = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))
        # Stored as a log so it stays positive under gradient steps.
        self.log_logit_scale = nn.Parameter(torch.tensor(math.log(LOGIT_SCALE_INIT)))
        init_weights(self)

    def _embed(self, tokens: torch.Tensor, encoder: Encoder, proj: nn.Module) -> torch.Tensor:
        _check_length(self.cfg, tokens.shape[1], tokens.shape[1] + 1, "the contrastive reward")
        ids = _with_bos(tokens)
        real = ids != PAD
        h = encoder(ids, real)
        w = real.unsqueeze(-1).to(h.dtype)
        pooled = (h * w).sum(1) / w.sum(1)  # BOS is always real: never a division by zero
        return F.normalize(proj(pooled), dim=-1)

    def embed_melody(self, melody: torch.Tensor) -> torch.Tensor:
        """Unit-norm melody embeddings [B, D] of per-frame melody tokens [B, W]."""
        return self._embed(melody, self.melody_encoder, self.melody_proj)

    def embed_chords(self, chords: torch.Tensor) -> torch.Tensor:
        """Unit-norm chord embeddings [B, D] of per-frame chord tokens [B, W] (also the Vendi embedding)."""
        return self._embed(chords, self.chord_encoder, self.chord_proj)

    def logit_scale(self) -> torch.Tensor:
        return self.log_logit_scale.exp().clamp(max=LOGIT_SCALE_MAX)

    def forward(self, melody: torch.Tensor, chords: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(melody embeddings, chord embeddings), each [B, D]: what InfoNCE trains on."""
        return self.embed_melody(melody), self.embed_chords(chords)

    def similarity_matrix(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        """Cosine similarity [B, B] of every melody (rows) with every chord stream (columns)."""
        em, ec = self.forward(melody, chords)
        return em @ ec.T

    def score(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        """Reward [B] in [-1, 1]: cosine similarity of each melody with its own chords.

        Each distinct melody row is embedded once: RL plays every melody several times (a group). A row's
        embedding does not depend on the rows beside it, up to float round-off where the batch's shape
        changes the kernel's blocking (none at the shipped RL batch: tests/test_reward_models.py)."""
        melody, chords = common_length(*judged_inputs(self, melody, chords))
        distinct, row = torch.unique(melody, dim=0, return_inverse=True)
        em = self.embed_melody(distinct)[row] if len(distinct) < len(melody) else self.embed_melody(melody)
        return (em * self.embed_chords(chords)).sum(-1)


def info_nce_loss(model: ContrastiveReward, melody: torch.Tensor, chords: torch.Tensor,
                  hard: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric InfoNCE over the batch (row i's partner is column i); returns (loss, cosine matrix).

    ``hard`` [B, W]: extra chord streams that are nobody's partner (wrong harmony), added to every
    melody's candidates (melody-to-chords direction)."""
    em, ec = model(melody, chords)
    cos = em @ ec.T
    logits = model.logit_scale() * cos
    target = torch.arange(len(cos), device=cos.device)
    m2c = logits
    if hard is not None:
        m2c = torch.cat([logits, model.logit_scale() * (em @ model.embed_chords(hard).T)], dim=1)
    loss = 0.5 * (F.cross_entropy(m2c, target) + F.cross_entropy(logits.T, target))
    return loss, cos.detach()


class _GatheredRotary:
    """Rotary tables read at explicit positions, for ``Block``'s ``rotary.apply(x, start=0)`` call.

    Reuses ``Rotary.apply`` so the rotation maths has one definition.
    """

    apply = Rotary.apply

    def __init__(self, rotary: Rotary, positions: torch.Tensor):
        self.cos = rotary.cos[positions]
        self.sin = rotary.sin[positions]


class DiscriminativeReward(nn.Module):
    """One bidirectional encoder over ``[BOS, m0..m{W-1}, SEP, c0..c{W-1}]``, 2-way head at BOS.

    Melody frame t and chord frame t share the rotary position t + 1 (BOS and SEP share 0): the token
    ids already tell melody from chords, and aligned positions make "is this chord under this note"
    a relative offset of 0 at every window length, instead of W + 1, which would tie the model to the
    window length it was trained on (RL episodes are longer than the training windows).
    """

    kind = "discriminative"
    rhythm = False  # a rhythm-only judge: ``score`` reads the rhythm view (see the module doc)

    def __init__(self, cfg: ModelConfig, vocab_size: int = VOCAB_SIZE):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg, vocab_size)
        self.head = nn.Linear(cfg.d_model, 2)
        init_weights(self)

    def forward(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        """Logits [B, 2] (index 1 = real pair). Inputs are cut to their common length first."""
        melody, chords = common_length(melody, chords)
        b, w = melody.shape
        _check_length(self.cfg, w, w + 1, "the discriminative reward")
        ids = torch.cat([_with_bos(melody), _with_bos(chords)], dim=1)  # the second BOS is SEP
        frame_pos = torch.arange(w + 1, device=ids.device)
        rotary = _GatheredRotary(self.encoder.rotary, torch.cat([frame_pos, frame_pos]))
        real = ids != PAD
        x = self.encoder.embed(ids)
        for block in self.encoder.blocks:
            x = block(x, rotary, False, real)
        h = self.encoder.norm(x)
        return self.head(h[:, 0])

    def log_prob_real(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.forward(melody, chords), dim=-1)[:, 1]

    def prob_real(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        """P(real pair) [B]."""
        return self.log_prob_real(melody, chords).exp()

    def score(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        """Reward [B] (<= 0): log-probability that the pair is real."""
        return self.log_prob_real(*judged_inputs(self, melody, chords))


class RewardEnsemble(nn.Module):
    """Reward models used together: the mean of the members' scores, per kind.

    RL holds one ensemble per kind (two seeds each) and reads ``score``; an ensemble that mixes kinds
    answers ``score_by_kind`` instead, because a cosine and a log-probability live on different scales
    and are never averaged together. An ``nn.Module`` so that ``.eval()`` and ``requires_grad_(False)``
    reach every member.
    """

    def __init__(self, models: Sequence[nn.Module]):
        super().__init__()
        if not models:
            raise ValueError("a reward ensemble needs at least one model")
        self.members = nn.ModuleList(models)
        self.kinds = sorted({m.kind for m in models})

    @property
    def kind(self) -> str:
        if len(self.kinds) != 1:
            raise ValueError(f"this ensemble mixes kinds {self.kinds}: use score_by_kind")
        return self.kinds[0]

    def score_by_kind(self, melody: torch.Tensor, chords: torch.Tensor) -> dict[str, torch.Tensor]:
        """{kind: mean score [B] of the members of that kind}."""
        out = {}
        for kind in self.kinds:
            scores = [m.score(melody, chords) for m in self.members if m.kind == kind]
            out[kind] = torch.stack(scores).mean(0)
        return out

    def score(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        """Mean of the members' scores [B] (one kind only)."""
        return self.score_by_kind(melody, chords)[self.kind]

    def forward(self, melody: torch.Tensor, chords: torch.Tensor) -> torch.Tensor:
        return self.score(melody, chords)
