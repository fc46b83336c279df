"""Reading checkpoints safely and writing them atomically."""
import io
import os.path as osp
import pickle
import zipfile
from typing import Any

import torch

from mmlc.utils.fileio import atomic_write
from mmlc.utils.torch_load_policy import allow_mmengine_checkpoints
from .errors import ConversionError

# what a detectron2 .pkl may contain besides dicts, lists, strings and numbers
_NUMPY_PICKLE_GLOBALS = {
    ('numpy.core.multiarray', '_reconstruct'),
    ('numpy._core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'),
    ('numpy._core.multiarray', 'scalar'),
    ('numpy.core.numeric', '_frombuffer'),
    ('numpy._core.numeric', '_frombuffer'),
    ('numpy', 'ndarray'),
    ('numpy', 'dtype'),
}


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickler that resolves only numpy's array globals (and numpy
    dtypes)."""

    def find_class(self, module: str, name: str) -> Any:
        numpy_global = (module, name) in _NUMPY_PICKLE_GLOBALS
        numpy_dtype = module == 'numpy.dtypes' and name.endswith('DType')
        if numpy_global or numpy_dtype:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f'global {module}.{name} is not allowed')


def _check_readable_file(path: str) -> None:
    if osp.isdir(path):
        raise ConversionError(f'{path} is a directory, not a checkpoint file')
    if not osp.isfile(path):
        raise ConversionError(f'{path} does not exist')
    if osp.getsize(path) == 0:
        raise ConversionError(f'{path} is empty')


def load_checkpoint_file(path: str, trust_pickle: bool = False) -> Any:
    """Load a checkpoint without arbitrary code execution unless trusted.

    ``.pth``/``.pt``/``.tar`` files load with
    ``torch.load(weights_only=True)``; ``.pkl`` files (detectron2) with an
    unpickler that allows numpy arrays only. ``trust_pickle=True`` falls back
    to full unpickling.

    Raises:
        ConversionError: the file is missing, empty, truncated, not a
            checkpoint, or needs unpickling that was not allowed.
    """
    _check_readable_file(path)
    if path.endswith('.pkl'):
        return _load_pickle(path, trust_pickle)
    # an mmengine Runner checkpoint holds logging buffers besides tensors
    allow_mmengine_checkpoints()
    try:
        return torch.load(
            path, map_location='cpu', weights_only=not trust_pickle)
    except pickle.UnpicklingError as err:
        if trust_pickle:
            raise ConversionError(
                f'{path}: cannot unpickle ({_first_line(err)})') from err
        raise ConversionError(
            f'{path} holds objects that need arbitrary unpickling '
            f'({_first_unsafe_global(err)}); pass --trust-pickle if you trust '
            f'its source') from err
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError,
            OSError) as err:
        raise ConversionError(
            f'{path}: not a readable checkpoint (truncated or corrupt?): '
            f'{_first_line(err)}') from err


def _load_pickle(path: str, trust_pickle: bool) -> Any:
    with open(path, 'rb') as f:
        data = f.read()
    try:
        if trust_pickle:
            return pickle.loads(data, encoding='latin1')
        return _NumpyOnlyUnpickler(io.BytesIO(data), encoding='latin1').load()
    except pickle.UnpicklingError as err:
        if 'is not allowed' in str(err):
            raise ConversionError(
                f'{path}: {err}; pass --trust-pickle if you trust its '
                'source') from err
        raise ConversionError(
            f'{path}: not a readable pickle: {_first_line(err)}') from err
    except (EOFError, ValueError, TypeError, AttributeError, ImportError,
            IndexError, KeyError) as err:
        raise ConversionError(
            f'{path}: not a readable pickle (truncated or corrupt?): '
            f'{_first_line(err)}') from err


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _first_unsafe_global(err: BaseException) -> str:
    for line in str(err).splitlines():
        if 'Unsupported global' in line or 'GLOBAL' in line:
            return line.strip().split('. Please')[0]
    return _first_line(err)


def save_torch(obj: Any, path: str) -> None:
    atomic_write(path, lambda tmp: torch.save(obj, tmp))


def save_pickle(obj: Any, path: str) -> None:

    def write(tmp: str) -> None:
        with open(tmp, 'wb') as f:
            pickle.dump(obj, f, protocol=4)

    atomic_write(path, write)


def to_numpy(state: dict) -> dict:
    return {key: value.detach().cpu().numpy() for key, value in state.items()}
