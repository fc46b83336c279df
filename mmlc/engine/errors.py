"""Errors that stop a training run on purpose, each with a message that says
what happened and what is left to resume from."""


class RunStoppedError(RuntimeError):
    """A run stopped by one of mmlc's guards; ``tools/train.py`` prints the
    message as one line and exits with status 1."""


class CheckpointSaveError(RunStoppedError):
    """A checkpoint could not be written (full disk, I/O error, permission)."""


class NonFiniteLossError(RunStoppedError):
    """Too many consecutive training steps had a non-finite loss or
    gradient."""


class NonFiniteCheckpointError(RunStoppedError):
    """A checkpoint to save or load holds a NaN or infinite tensor."""
