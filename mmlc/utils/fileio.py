"""Small file helpers."""
import json
import os
import os.path as osp
import tempfile
from typing import Callable, Optional

from mmengine.fileio import LocalBackend, register_backend


def is_remote(path: Optional[str]) -> bool:
    """A URI such as ``s3://...`` rather than a local path (None counts as
    local)."""
    return path is not None and '://' in str(path)


def atomic_write(path: str, write: Callable[[str], None]) -> None:
    """Write through a temporary file in the same folder, then rename over
    ``path``.

    A crash or an error leaves either the old file or no file, never a
    truncated one; the temporary file is removed on error.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=folder)
    os.close(fd)
    try:
        _use_default_permissions(tmp_path)
        write(tmp_path)
        with open(tmp_path, 'rb') as f:
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
        _fsync_dir(folder)
    finally:
        if osp.exists(tmp_path):
            os.remove(tmp_path)


def _use_default_permissions(path: str) -> None:
    """``mkstemp`` creates 0600 files; give the mode ``open`` would (0666 minus
    umask), so checkpoints stay readable to the group on shared clusters."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _fsync_dir(folder: str) -> None:
    """Make the rename durable (best effort: not every platform can open a
    folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(path: str, text: str) -> None:
    """Atomically write a text file (UTF-8)."""

    def write(tmp: str) -> None:
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(text)

    atomic_write(path, write)


def write_json(path: str, obj, indent: int = 2) -> None:
    """Atomically write ``obj`` as JSON (keys sorted, so files diff
    cleanly)."""
    write_text(path, json.dumps(obj, indent=indent, sort_keys=True) + '\n')


class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend whose writes are atomic.

    Registered as ``atomic_local``; select it for checkpoints with
    ``default_hooks.checkpoint.backend_args = dict(backend='atomic_local')``.
    A process killed while writing ``iter_N.pth`` or ``last_checkpoint`` then
    leaves the previous files as they were instead of a truncated one.
    """

    def put(self, obj: bytes, filepath) -> None:

        def write(tmp: str) -> None:
            with open(tmp, 'wb') as f:
                f.write(obj)

        atomic_write(str(filepath), write)

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:

        def write(tmp: str) -> None:
            with open(tmp, 'w', encoding=encoding) as f:
                f.write(obj)

        atomic_write(str(filepath), write)


ATOMIC_BACKEND = 'atomic_local'


def register_atomic_backend() -> None:
    """Register :class:`AtomicLocalBackend` as mmengine's ``atomic_local``
    file backend.

    Idempotent. A different backend already registered under that name is an
    error rather than something to override.
    """
    from mmengine.fileio.backends.registry_utils import backends
    registered = backends.get(ATOMIC_BACKEND)
    if registered is AtomicLocalBackend:
        return
    if registered is not None:
        raise KeyError(f'mmengine file backend {ATOMIC_BACKEND!r} is already '
                       f'registered as {registered.__name__}')
    register_backend(ATOMIC_BACKEND, AtomicLocalBackend)
