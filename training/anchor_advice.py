"""How good a teacher is the offline anchor for the RL policy? (training/gapt_levers.md, item 17)

RL pulls the policy toward the anchor's distribution at every chord decision, given the policy's own chord
history (``RLConfig.kl_anchor``). This measures that advice where it is given: the policy harmonises the test
songs live (grid ``beat``, as the evaluation plays), then at every beat the anchor, fed the policy's chords
before it and the whole melody, samples the chord for that beat; both chords are scored against the melody of
the beat they would sound over. Also the anchor's own free-running note-in-chord on the same songs.

    .venv/bin/python training/anchor_advice.py [--anchor anchor] [--policy gapt-1.0] [--checkpoint-dir DIR]
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
import torch

from jamcore import tokens as T
from jamcore.eval import metrics as M
from jamcore.eval.report import EvalConfig, load_songs
from jamcore.eval.systems import SystemSpec, build_system
from jamcore.models.saved import load_model
from jamcore.music.meter import bar_frames
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.train.rollout import CHORD_MASKS, CONTINUE_MASKS


def batch_songs(songs, frames: int):
    """Melody tokens [B, W] (PAD after the end) and the anchor's per-frame metrical ids [B, W]."""
    mel = torch.full((len(songs), frames), T.PAD, dtype=torch.long)
    meter = torch.zeros((len(songs), frames), dtype=torch.long)
    for i, s in enumerate(songs):
        n = min(frames, len(s.melody))
        mel[i, :n] = torch.from_numpy(s.melody[:n])
        meter[i, :n] = torch.from_numpy(1 + (s.start_frame + np.arange(n)) % bar_frames(s.beats_per_bar))
    return mel, meter


def sample(logits: torch.Tensor, allowed: torch.Tensor, temperature: float, gen: torch.Generator) -> torch.Tensor:
    z = logits.masked_fill(~allowed, float("-inf")) / max(temperature, 1e-6)
    return torch.multinomial(z.softmax(-1), 1, generator=gen).squeeze(1)


@torch.no_grad()
def free_running(anchor, mel, meter, temperature: float, gen: torch.Generator) -> np.ndarray:
    """The anchor's own chords, one decision a beat after a silent first beat (a grid `beat` harmonisation;
    the evaluation's songs start at the bar line before their first note, where the live loop would instead
    wait a beat after that note, so the two may differ on a song's first notes)."""
    b, w = mel.shape
    chords = torch.full((b, w), T.NO_CHORD, dtype=torch.long)
    prev = torch.full((b,), T.VOCAB_SIZE, dtype=torch.long)
    for t in range(FRAMES_PER_BEAT, w):
        if t % FRAMES_PER_BEAT == 0:
            c = sample(anchor(mel, chords, meter=meter)[:, t], CHORD_MASKS[prev], temperature, gen)
        else:
            c = CONTINUE_MASKS[prev].float().argmax(-1)  # the one continuation off the grid
        chords[:, t] = c
        prev = c
    return chords.numpy()


@torch.no_grad()
def advice(anchor, mel, meter, policy_chords: np.ndarray, temperature: float, gen: torch.Generator):
    """(anchor, policy) note-in-chord over each beat: the anchor's chord for that beat given the policy's
    history, and the policy's own."""
    pc = torch.from_numpy(policy_chords)
    logits = anchor(mel, pc, meter=meter)
    hits = np.zeros(2)
    scored = 0
    for t in range(FRAMES_PER_BEAT, mel.shape[1], FRAMES_PER_BEAT):
        a = sample(logits[:, t], CHORD_MASKS[pc[:, t - 1]], temperature, gen).numpy()
        for i in range(mel.shape[0]):
            m = mel[i, t:t + FRAMES_PER_BEAT].numpy()
            f_a = M.note_in_chord_frames(m, np.full(len(m), a[i]))
            f_p = M.note_in_chord_frames(m, np.full(len(m), policy_chords[i, t]))
            ok = ~np.isnan(f_a) & ~np.isnan(f_p)
            hits += (f_a[ok].sum(), f_p[ok].sum())
            scored += int(ok.sum())
    return hits / max(scored, 1), scored


def nic(songs, chords: np.ndarray) -> float:
    total = M.NoteInChord(0, 0, 0, 0, 0)
    for i, s in enumerate(songs):
        n = min(chords.shape[1], len(s.melody))
        total = total + M.note_in_chord(s.melody[:n], chords[i, :n])
    return total.ratio


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--anchor", default="anchor", help="anchor checkpoint, name or path (default: anchor)")
    ap.add_argument("--policy", default="gapt-1.0", help="policy whose chord histories it advises (default: gapt-1.0)")
    ap.add_argument("--checkpoint-dir", default=None, help="where to find both by name (default: the shipped ones)")
    ap.add_argument("--songs", type=int, default=50, help="test songs (default 50, as the evaluation)")
    ap.add_argument("--temperature", type=float, default=1.0, help="sampling temperature of both (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    anchor, _ = load_model(args.anchor, "anchor", args.checkpoint_dir)
    anchor.eval()
    songs = load_songs(EvalConfig(songs=args.songs, seed=args.seed))
    mel, meter = batch_songs(songs, EvalConfig().window_frames)
    gen = torch.Generator().manual_seed(args.seed)
    own = free_running(anchor, mel, meter, args.temperature, gen)
    system = build_system(SystemSpec(args.policy, "checkpoint", args.checkpoint_dir, args.temperature, 1.0, "beat",
                                     recall=0.0))  # the policy alone: recall would lean its chords to the tune
    played = np.full(mel.shape, T.PAD, dtype=np.int64)
    for i, s in enumerate(songs):
        c = system.harmonize(s.melody, np.random.default_rng(args.seed), beats_per_bar=s.beats_per_bar)
        n = min(mel.shape[1], len(c))
        played[i, :n] = np.asarray(c)[:n]
    (by_anchor, by_policy), scored = advice(anchor, mel, meter, played, args.temperature, gen)
    print(f"{len(songs)} test songs, temperature {args.temperature:g}, seed {args.seed}")
    print(f"anchor free-running note-in-chord (grid beat): {nic(songs, own):.3f}")
    print(f"policy {args.policy} note-in-chord: {nic(songs, played):.3f}")
    print(f"on the policy's histories, each beat ({scored} note frames): the anchor's chord {by_anchor:.3f}, "
          f"the policy's own {by_policy:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
