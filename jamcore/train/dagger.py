"""`jamcore train dagger`: one round of supervised training on the policy's own chords, from a trained
``mle`` (DAgger with the data as the expert; ``jamcore.train.mle.with_own_chords``).

In half of each batch's windows the chord inputs are the policy's own free-running chords on that melody,
the targets the data's chords re-spelled against them; inside those windows chord targets are scored on
beats only (``span_beats_only``), so the recovery it learns happens where the live grid lets a chord
change. It is the start RL and GAPT train from (``RLConfig.init``): the plain ``mle`` keeps its own
chords as the data's, and exposure to its own mistakes is what it lacks (training/gapt_levers.md).
"""
from __future__ import annotations

from jamcore.train import mle


def add_arguments(parser) -> None:
    mle.add_arguments(parser, kind="policy", table="dagger")
    parser.set_defaults(card_extra={"performable": False})  # a training stage: not offered on stage
    parser.add_argument("--checkpoint-dir", default=None,
                        help="where the starting checkpoint (the profile's init, e.g. mle) is found by name "
                             "(default: the shipped checkpoints)")


def run(args) -> int:
    return mle.run(args)
