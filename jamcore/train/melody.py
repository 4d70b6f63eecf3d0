"""`jamcore train melody`: the melody agent (the chord policy's mirror, ``BOS, m0, c0, ...``), the
simulated partner for model-vs-model evaluation. Same loop as the policy."""
from __future__ import annotations

from jamcore.train import mle


def add_arguments(parser) -> None:
    mle.add_arguments(parser, kind="melody")


def run(args) -> int:
    return mle.run(args)
