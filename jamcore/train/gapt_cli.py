"""`jamcore train gapt --adv-weight LAMBDA`: the RL trainer with the co-evolving discriminator on.

Same loop as `jamcore train rl` (``jamcore.train.rl``); the one switch is the adversarial weight.
"""
from __future__ import annotations

from jamcore.train import rl


def add_arguments(parser) -> None:
    rl.add_arguments(parser, gapt=True)


def run(args) -> int:
    return rl.run(args)
