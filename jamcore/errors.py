"""jamcore's own errors. The library raises these; the CLI (``jamcore.cli``) prints any of them as one
line and exits with code 2. Nothing here imports anything, so every layer may raise them."""


class JamcoreError(Exception):
    """An expected, user-facing failure: bad input, a missing file, an unusable checkpoint."""


class CommandError(JamcoreError):
    """A command's arguments do not make sense together."""


class CheckpointError(JamcoreError):
    """A checkpoint that cannot be used: missing, unreadable, or not made for this build."""


class ResumeError(JamcoreError):
    """``--resume`` without a training state to resume from."""


class MissingExtraError(JamcoreError):
    """A command needs an optional part of jamcore (an extra) that is not installed."""
