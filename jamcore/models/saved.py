"""PyTorch networks from checkpoints and back: the training side of ``jamcore.checkpoints``.

``load_model`` builds the network a card names and fills it with strictly checked weights;
``save_checkpoint`` writes weights and card atomically (with the weights' checksum). They live in
``jamcore.checkpoints`` beside the checks they share with the live path; training, evaluation and tests
import them from here, so the torch side has one name. The live path never needs this module (it plays
``jamcore.checkpoints.load_policy_weights`` on the NumPy engine).
"""
from __future__ import annotations

from jamcore.checkpoints import load_model, load_policy, load_stem, save_checkpoint, save_tensors

__all__ = ["load_model", "load_policy", "load_stem", "save_checkpoint", "save_tensors"]
