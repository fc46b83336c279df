"""Explicit set-up: what mmlc changes outside its own modules, in one call.

``import mmlc`` only registers mmlc's components into the registries (what
``custom_imports=dict(imports=['mmlc'])`` needs). The process-wide changes
below happen only when a tool, a test or a hook asks for them, as
mmpretrain's ``register_all_modules`` does for its own scope.
"""
from .fileio import register_atomic_backend
from .torch_load_policy import allow_mmengine_checkpoints


def setup_checkpoint_io() -> None:
    """Make mmengine checkpoints safe to save and load, and atomic on disk.

    - torch's ``weights_only`` allow-list gains exactly the globals an
      mmengine Runner checkpoint holds, and a ``copyreg`` reducer pickles a
      ``HistoryBuffer`` without its method table (see
      :mod:`mmlc.utils.torch_load_policy`);
    - mmengine's file backends gain ``atomic_local``
      (:class:`~mmlc.utils.fileio.AtomicLocalBackend`).

    Idempotent. Called by ``tools/train.py``, ``ResumableCheckpointHook`` and
    the checkpoint reader.
    """
    allow_mmengine_checkpoints()
    register_atomic_backend()


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register mmlc's and mmpretrain's components, then
    :func:`setup_checkpoint_io`.

    Args:
        init_default_scope (bool): also make ``mmpretrain`` the default
            registry scope, the scope mmlc's components are registered in.
    """
    from mmpretrain.utils import register_all_modules as register_mmpretrain

    import mmlc.datasets  # noqa: F401
    import mmlc.engine  # noqa: F401
    import mmlc.models  # noqa: F401
    register_mmpretrain(init_default_scope=init_default_scope)
    setup_checkpoint_io()
