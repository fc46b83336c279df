"""Checkpoint loading policy under torch's ``weights_only=True`` default.

torch >= 2.6 loads with ``weights_only=True`` unless told otherwise, and
mmengine 0.10.7 calls ``torch.load`` without that argument. Its own Runner
checkpoints hold a :class:`~mmengine.logging.HistoryBuffer` per logged scalar
(numpy arrays inside), which the weights-only unpickler refuses, so
``--resume`` fails. Instead of switching the safety off for every file, mmlc
adds exactly the globals an mmengine checkpoint needs to torch's allow-list;
any other file (a third party's checkpoint) still loads under
``weights_only=True``.

One of those globals would be ``builtins.getattr``:
``HistoryBuffer.__getstate__`` pickles the class-level table of statistics
methods (``getattr(HistoryBuffer, 'min')``...). Allowing ``getattr`` would open
attribute access on every allowed object, so mmlc pickles a HistoryBuffer
without that table instead (it is rebuilt by ``HistoryBuffer.__init__`` and by
the registrations that run at import; ``__setstate__`` accepts a state without
it). Nothing here runs at import: see :mod:`mmlc.utils.setup_env`.
"""
import copyreg
from typing import Callable, Dict, List, Tuple

import numpy as np
import torch
from mmengine.logging import HistoryBuffer


def _numpy_array_globals() -> List:
    """Globals numpy uses to pickle arrays and scalars of the dtypes mmengine
    logs."""
    try:
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct, scalar
    dtype_classes = [
        type(np.dtype(name))
        for name in ('float64', 'float32', 'int64', 'int32', 'bool')
    ]
    return [_reconstruct, scalar, np.ndarray, np.dtype, *dtype_classes]


def mmengine_safe_globals() -> List:
    """The globals an mmengine Runner checkpoint pickles besides tensors.

    Returns:
        list: objects to pass to :func:`torch.serialization.add_safe_globals`.
    """
    return [HistoryBuffer, *_numpy_array_globals()]


def _reduce_history_buffer(
        buffer: HistoryBuffer) -> Tuple[Callable, tuple, Dict]:
    """Pickle a HistoryBuffer as ``HistoryBuffer()`` + its data, no method
    table."""
    state = {
        key: value
        for key, value in vars(buffer).items() if key != 'statistics_methods'
    }
    return HistoryBuffer, (), state


def allow_mmengine_checkpoints() -> None:
    """Let ``torch.load(weights_only=True)`` read mmengine Runner checkpoints.

    Idempotent. Part of :func:`mmlc.utils.setup_checkpoint_io`, which the
    tools and ``ResumableCheckpointHook`` call, so every ``--resume`` and
    ``load_from`` of an mmlc run works with torch's default left as it is.
    """
    copyreg.pickle(HistoryBuffer, _reduce_history_buffer)
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    # torch < 2.4 has no weights_only default to satisfy
    if add_safe_globals is None:
        return
    add_safe_globals(mmengine_safe_globals())
