"""The RL reward: named terms, their weights, the sum, and a per-term report.

Sequence-level terms are placed on the episode's last chord decision (as in the reference system):
- ``contrastive``, ``discriminative``: means of the reward-model ensembles (melody-chord coherence);
- ``rhythm_contrastive``, ``rhythm_discriminative``: the rhythm-only ensembles (REFERENCE 2.3; they hear
  only silence / onset / hold, so they judge *when* chords change against the melody, never which
  chord), each weighted by ``weights.rhythm``, always on whole episodes;
- ``invalid``, ``silence``, ``repetition``: rule penalties, the very definitions the evaluation uses
  (``jamcore.eval.metrics``), so reward and report cannot drift apart;
- ``adversarial`` (GAPT only): ``lambda * -log(1 - D(chords))`` from the co-evolving discriminator.

One term is per decision instead: ``harmony``, a rule-based coherence reward. A frame scores 1 when its
chord holds the melody's pitch class (0 for a wrong or silent chord under a note, 0 where no note
sounds); each decision is credited with the share of hits over the frames ahead of it, as played
(``RewardSet.harmony_credit``). The learned ensembles do not rank harmony among plays of one melody at
this scale (measured in docs/reward-hacking.md), so this is the harmony signal RL can climb.

``RewardSet.score`` composes every term for one batch of episodes (``Reward``): this is the one place
a new term is added. Holding one chord for a long time is deliberately *not* penalised (the long-note
weight is 0, as in the reference): that is the collapse mode the reference's RL finds and GAPT has to fix.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from jamcore import tokens as T
from jamcore.eval import metrics as M
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.rhythm import related_restrikes

EPS = 1e-6


@dataclass(frozen=True)
class RewardWeights:
    contrastive: float = 1.0
    discriminative: float = 1.0
    invalid: float = 1.0
    silence: float = 1.0
    repetition: float = 1.0
    harmony: float = 0.0  # per-decision note-in-chord credit (off unless a profile turns it on)
    rhythm: float = 0.0  # each rhythm-only ensemble's mean score (off unless a profile turns it on)


@dataclass
class Reward:
    """One batch of episodes' rewards, by where they land on the chord decisions."""

    episode: torch.Tensor  # [B] episode-level terms (the ensembles, the rules, the adversary)
    local: torch.Tensor | None  # [B, T] windowed coherence credit per decision (``credit_bars`` > 0)
    dense: torch.Tensor | None  # [B, T] harmony credit per decision (``weights.harmony`` > 0)
    terms: dict[str, np.ndarray]  # every weighted term [B], logged as reward_<name>
    total: float  # mean total reward per episode
    r_adv: torch.Tensor | None = None  # [B] the unweighted adversarial reward (the schedule reads it)


def adversarial_reward(p_data: torch.Tensor, eps: float = EPS) -> torch.Tensor:
    """GAPT's ``r_adv = -log(1 - D + eps)`` per episode, D = P(chords are data): monotone in D, 0 when D
    is sure the chords are the policy's, large when the policy fools it."""
    return -torch.log1p(-p_data.clamp(0.0, 1.0) + eps)


def harmony_frames(melody: np.ndarray, chords: np.ndarray) -> np.ndarray:
    """[B, T] per frame: 1.0 where the chord holds the melody's pitch class, else 0.0.

    A frame with a note under no chord (or a PAD/invalid chord) scores 0, the same as a wrong chord:
    falling silent must not be a way around the harmony reward. Frames without a note score 0.
    """
    melody, chords = np.asarray(melody), np.asarray(chords)
    out = np.zeros(melody.shape, dtype=np.float32)
    for i, (m, c) in enumerate(zip(melody, chords)):
        out[i] = np.nan_to_num(M.note_in_chord_frames(m, c), nan=0.0)
    return out


def note_onset_weights(melody: np.ndarray) -> np.ndarray:
    """[B, T]: on each note's first frame, the note's length in frames (onset + its holds); else 0."""
    melody = np.asarray(melody)
    out = np.zeros(melody.shape, dtype=np.float32)
    for i, m in enumerate(melody):
        onset = (m >= T.NOTE_ON_BASE) & (m < T.NOTE_HOLD_BASE)
        sounding = M.TOKEN_PITCH[m] >= 0
        note_id = np.cumsum(onset) - 1  # the note each frame belongs to (-1 before the first onset)
        counted = sounding & (note_id >= 0)
        lengths = np.bincount(note_id[counted], minlength=int(onset.sum()))
        out[i, np.flatnonzero(onset)] = lengths[: int(onset.sum())]
    return out


def rule_penalties(melody: np.ndarray, chords: np.ndarray) -> dict[str, np.ndarray]:
    """Per-episode rule penalties [B] (<= 0) for per-frame token arrays [B, T] (PAD frames ignored)."""
    out = {"invalid": [], "silence": [], "repetition": []}
    for m, c in zip(melody, chords):
        real = m != 0
        m, c = m[real], c[real]
        out["invalid"].append(M.invalid_penalty(m, c))
        out["silence"].append(M.silence_penalty(m, c))
        out["repetition"].append(M.repetition_penalty(c))
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()}


class RewardSet:
    """Coherence ensembles + rule penalties (+ harmony credit, + the adversary), each term reported on
    its own.

    ``credit_bars`` > 0: the ensembles judge every window of that many bars (``local_coherence``)
    instead of whole episodes; ``harmony_horizon``/``harmony_onsets``: see ``harmony_credit``;
    ``discriminator`` (GAPT): the co-evolving judge whose ``-log(1 - D)`` enters with ``adv_weight``;
    ``rhythm_contrastive``/``rhythm_discriminative``: rhythm-only ensembles, weighted by ``weights.rhythm``."""

    def __init__(self, contrastive=None, discriminative=None, weights: RewardWeights = RewardWeights(),
                 credit_bars: int = 0, harmony_horizon: int = 16, harmony_onsets: bool = False,
                 discriminator=None, adv_weight: float = 0.0, rhythm_contrastive=None, rhythm_discriminative=None,
                 rhythm_moves_only: bool = False):
        self.contrastive = contrastive
        self.discriminative = discriminative
        self.weights = weights
        self.credit_bars = credit_bars
        self.harmony_horizon = harmony_horizon
        self.harmony_onsets = harmony_onsets
        self.discriminator = discriminator
        self.adv_weight = adv_weight
        self.rhythm_contrastive = rhythm_contrastive
        self.rhythm_discriminative = rhythm_discriminative
        self.rhythm_moves_only = rhythm_moves_only

    @torch.no_grad()
    def score(self, melody: torch.Tensor, chords: torch.Tensor, meter: torch.Tensor | None = None,
              disc_chords: torch.Tensor | None = None) -> Reward:
        """Every reward term for episodes of per-frame tokens [B, T] (torch long); ``meter`` [B, T]: the
        frames' bar positions, for a discriminator that hears the bar; ``disc_chords``: what the
        discriminator hears instead of ``chords`` (the same chords relative to the key, for one that
        hears the key)."""
        mel, ch = melody.numpy(), chords.numpy()
        local = None
        if self.credit_bars > 0:
            bar = 4 * FRAMES_PER_BEAT
            local, terms = self.local_coherence(mel, ch, self.credit_bars * bar, bar)
            local = torch.from_numpy(local)
            rule_terms = self.rules(mel, ch)
            terms.update(rule_terms)
            episode = torch.zeros(len(mel))
            for v in rule_terms.values():
                episode = episode + torch.from_numpy(v)
        else:
            episode, terms = self(mel, ch)
            episode = torch.from_numpy(episode)
        # The rhythm judges hear a related change as a hold when ``rhythm_moves_only`` (``related_restrikes``).
        heard_rhythm = torch.from_numpy(related_restrikes(ch)) if self.rhythm_moves_only else chords
        for name in ("rhythm_contrastive", "rhythm_discriminative"):
            model = getattr(self, name)
            if model is not None and self.weights.rhythm:
                value = self.weights.rhythm * model.score(melody, heard_rhythm).float()
                terms[name] = value.numpy()
                episode = episode + value
        dense = None
        if self.weights.harmony:
            dense, nic_share = self.harmony_credit(mel, ch, self.harmony_horizon, self.harmony_onsets)
            dense = torch.from_numpy(dense)
            terms["harmony"] = self.weights.harmony * nic_share
        r_adv = None
        if self.discriminator is not None:
            d_in = chords if disc_chords is None else disc_chords
            heard = (d_in,) if meter is None else (d_in, meter)
            r_adv = adversarial_reward(self.discriminator.prob_data(*heard))
            terms["adversarial"] = (self.adv_weight * r_adv).numpy()
            episode = episode + self.adv_weight * r_adv
        per_decision = (["contrastive", "discriminative"] if local is not None else []) + ["harmony"]
        total = float(episode.mean()) + float(sum(terms[k].mean() for k in per_decision if k in terms))
        return Reward(episode, local, dense, terms, total, r_adv)

    @torch.no_grad()
    def __call__(self, melody: np.ndarray, chords: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Total sequence reward [B] and each weighted term [B]."""
        terms: dict[str, np.ndarray] = {}
        mel_t = torch.from_numpy(np.asarray(melody, dtype=np.int64))
        ch_t = torch.from_numpy(np.asarray(chords, dtype=np.int64))
        if self.contrastive is not None and self.weights.contrastive:
            terms["contrastive"] = self.weights.contrastive * self.contrastive.score(mel_t, ch_t).float().numpy()
        if self.discriminative is not None and self.weights.discriminative:
            terms["discriminative"] = self.weights.discriminative * self.discriminative.score(mel_t, ch_t).float().numpy()
        for name, value in rule_penalties(np.asarray(melody), np.asarray(chords)).items():
            w = getattr(self.weights, name)
            if w:
                terms[name] = w * value
        total = np.zeros(len(melody), dtype=np.float32)
        for v in terms.values():
            total += v
        return total, terms

    @torch.no_grad()
    def local_coherence(self, melody: np.ndarray, chords: np.ndarray, window: int, hop: int
                        ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Coherence credit per chord decision ``[B, T]`` and each weighted term's mean score [B].

        The ensembles judge every window of ``window`` frames ending on a multiple of ``hop`` (the first
        ends at ``window``; a shorter episode is one window); a decision is credited with the mean score
        of the windows that contain it. A chord then answers for the bars that hear it, not for a whole
        episode of other decisions: the credit a whole-episode score gives one decision among 256 is
        mostly the noise of the other 255.
        """
        melody, chords = np.asarray(melody), np.asarray(chords)
        b, t = melody.shape
        window = min(window, t)
        starts = list(range(0, t - window + 1, hop))
        if starts[-1] + window < t:
            starts.append(t - window)
        lengths = (melody != 0).sum(1)
        mel_w = np.concatenate([melody[:, s:s + window] for s in starts])  # [n * B, window], window-major
        ch_w = np.concatenate([chords[:, s:s + window] for s in starts])
        mel_t, ch_t = torch.from_numpy(mel_w.astype(np.int64)), torch.from_numpy(ch_w.astype(np.int64))
        scores = np.zeros((len(starts), b), dtype=np.float32)
        terms: dict[str, np.ndarray] = {}
        for name in ("contrastive", "discriminative"):
            model, w = getattr(self, name), getattr(self.weights, name)
            if model is None or not w:
                continue
            real = mel_w[:, 0] != 0  # windows that start inside the melody
            score = np.zeros(len(mel_w), dtype=np.float32)
            if real.any():
                score[real] = w * model.score(mel_t[real], ch_t[real]).float().numpy()
            per = score.reshape(len(starts), b)
            scores += per
            counted = np.maximum(real.reshape(len(starts), b).sum(0), 1)
            terms[name] = per.sum(0) / counted
        credit = np.zeros((b, t), dtype=np.float32)
        count = np.zeros((b, t), dtype=np.float32)
        for k, s in enumerate(starts):
            live = (s < lengths)[:, None]  # a window past the song's end judges nothing
            credit[:, s:s + window] += np.where(live, scores[k][:, None], 0.0)
            count[:, s:s + window] += live
        credit = credit / np.maximum(count, 1.0)
        credit[melody == 0] = 0.0
        return credit, terms

    def harmony_credit(self, melody: np.ndarray, chords: np.ndarray, horizon: int = 1, onsets: bool = False
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Weighted per-decision harmony credit [B, T] and each episode's note-in-chord share [B].

        Decision ``t`` is credited with the note-in-chord share of the note frames in ``[t, t + horizon)``
        as actually played (0 where that span holds no note): with ``horizon`` 1 a chord answers only for
        its own frame, which rewards switching one frame after each new note (the chord for a frame is
        chosen before its note is heard); a longer horizon makes it answer for the notes it will sound
        under, which is what anticipating means.

        ``onsets``: judge each note once, at its first frame, weighted by its length in frames. A chord
        changed just after a note is heard then earns nothing for that note: only a chord that was
        already right when the note began does (the share stays the frame-weighted note-in-chord).
        """
        frames = harmony_frames(melody, chords)
        has_note = (M.TOKEN_PITCH[np.asarray(melody)] >= 0).astype(np.float32)
        if onsets:
            weight = note_onset_weights(melody)
            frames, has_note = frames * weight, weight
        zero = np.zeros((len(frames), 1), dtype=np.float32)
        hits = np.concatenate([zero, np.cumsum(frames, 1)], 1)
        notes = np.concatenate([zero, np.cumsum(has_note, 1)], 1)
        t = frames.shape[1]
        start = np.arange(t)
        end = np.minimum(start + max(1, horizon), t)
        span_hits, span_notes = hits[:, end] - hits[:, start], notes[:, end] - notes[:, start]
        credit = np.where(span_notes > 0, span_hits / np.maximum(span_notes, 1), 0.0).astype(np.float32)
        return self.weights.harmony * credit, frames.sum(1) / np.maximum(has_note.sum(1), 1)

    def rules(self, melody: np.ndarray, chords: np.ndarray) -> dict[str, np.ndarray]:
        """The weighted rule penalties [B] (episode level)."""
        out = {}
        for name, value in rule_penalties(np.asarray(melody), np.asarray(chords)).items():
            w = getattr(self.weights, name)
            if w:
                out[name] = w * value
        return out
