"""mmlc: self-supervised pretraining with a local contrastive loss (LC-BYOL).

Importing :mod:`mmlc` registers its components into mmpretrain's and
mmengine's registries (see :mod:`mmlc.registry`) and changes nothing else.
The process-wide set-up that checkpoints need (torch's ``weights_only``
allow-list, the ``atomic_local`` file backend) is an explicit call:
:func:`mmlc.utils.register_all_modules` or
:func:`mmlc.utils.setup_checkpoint_io`.
"""
from . import datasets, engine, evaluation, models  # noqa: F401 (registers)
from .version import __version__

__all__ = ['__version__']
