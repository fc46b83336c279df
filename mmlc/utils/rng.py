"""Capture and restore the random number generators augmentations draw from."""
import random
from typing import Any, Dict

import numpy as np
import torch


def get_rng_state() -> Dict[str, Any]:
    """The states of Python's, NumPy's and torch's global generators (CUDA
    too).

    Returns:
        dict: ``python``, ``numpy``, ``torch`` and, when CUDA is initialised,
        ``cuda`` (one state per visible device); plain picklable values that
        ``torch.load(weights_only=True)`` accepts.
    """
    np_state = np.random.get_state()
    state = dict(
        python=_to_lists(random.getstate()),
        numpy=dict(
            kind=np_state[0],
            key=torch.from_numpy(np_state[1].astype(np.int64)),
            pos=int(np_state[2]),
            has_gauss=int(np_state[3]),
            cached_gaussian=float(np_state[4])),
        torch=torch.get_rng_state(),
    )
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: Dict[str, Any]) -> None:
    """Restore what :func:`get_rng_state` captured."""
    random.setstate(_to_tuples(state['python']))
    np_state = state['numpy']
    np.random.set_state(
        (np_state['kind'], np_state['key'].numpy().astype(np.uint32),
         np_state['pos'], np_state['has_gauss'], np_state['cached_gaussian']))
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])


def _to_lists(value):
    """Python's state is nested tuples; lists survive every checkpoint
    format."""
    return [_to_lists(v) for v in value] if isinstance(value, tuple) else value


def _to_tuples(value):
    return tuple(_to_tuples(v)
                 for v in value) if isinstance(value, list) else value
