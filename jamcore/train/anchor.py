"""`jamcore train anchor`: the offline encoder-decoder anchor, with the same loop as the policy."""
from __future__ import annotations

from jamcore.train import mle


def add_arguments(parser) -> None:
    mle.add_arguments(parser, kind="anchor")


def run(args) -> int:
    return mle.run(args)
