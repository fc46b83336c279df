"""The private mmengine internals mmlc relies on, in one place.

mmlc's exact resume uses three things mmengine does not promise to keep:

- ``mmengine.runner.loops._InfiniteDataloaderIterator`` and its ``_epoch``
  counter (:class:`~mmlc.engine.ResumedDataIterator` opens one mid-run);
- ``CheckpointHook._save_checkpoint_with_step``, the method every save goes
  through (:class:`~mmlc.engine.hooks.ResumableCheckpointHook` overrides it to
  add the random generator states and to write atomically).

:func:`check_mmengine_internals` is called where they are used. It fails
loudly on an mmengine version outside :data:`TESTED_MMENGINE` or one where
these names have gone, instead of resuming silently wrong. Setting
``MMLC_ALLOW_UNTESTED_MMENGINE=1`` turns the version check (not the
structural one) into a warning.
"""
import os
import warnings

import mmengine
from mmengine.hooks import CheckpointHook
from mmengine.runner import loops
from mmengine.utils import digit_version

# [lowest, highest] mmengine versions the resume tests have passed on
TESTED_MMENGINE = ('0.10.7', '0.10.7')
ALLOW_UNTESTED_ENV = 'MMLC_ALLOW_UNTESTED_MMENGINE'


def _missing_internals() -> list:
    missing = []
    iterator_cls = getattr(loops, '_InfiniteDataloaderIterator', None)
    if iterator_cls is None:
        missing.append('mmengine.runner.loops._InfiniteDataloaderIterator')
    elif '_epoch' not in iterator_cls.__init__.__code__.co_names:
        missing.append('_InfiniteDataloaderIterator._epoch')
    if not hasattr(CheckpointHook, '_save_checkpoint_with_step'):
        missing.append('CheckpointHook._save_checkpoint_with_step')
    return missing


def check_mmengine_internals(user: str) -> None:
    """Raise unless the installed mmengine has what ``user`` relies on.

    Args:
        user (str): the component asking, named in the error.

    Raises:
        RuntimeError: a private name has gone, or the version is outside
            :data:`TESTED_MMENGINE` (unless ``MMLC_ALLOW_UNTESTED_MMENGINE=1``,
            which warns instead).
    """
    missing = _missing_internals()
    if missing:
        raise RuntimeError(
            f'{user} relies on mmengine internals that mmengine '
            f'{mmengine.__version__} does not have: {", ".join(missing)}; '
            f'install mmengine {TESTED_MMENGINE[1]} (requirements/'
            'mminstall.txt)')
    low, high = TESTED_MMENGINE
    version = digit_version(mmengine.__version__)
    if digit_version(low) <= version <= digit_version(high):
        return
    message = (f'{user} relies on private mmengine internals tested with '
               f'mmengine {low}-{high}, found {mmengine.__version__}')
    if os.environ.get(ALLOW_UNTESTED_ENV) == '1':
        warnings.warn(f'{message}; running anyway ({ALLOW_UNTESTED_ENV}=1)')
        return
    raise RuntimeError(
        f'{message}; install a tested version, or set '
        f'{ALLOW_UNTESTED_ENV}=1 to run anyway and check that a resumed run '
        'continues exactly (tests/test_engine)')
