"""mmlc: self-supervised pretraining with a local contrastive loss (LC-BYOL).

Importing :mod:`mmlc` registers every component into mmpretrain's registries
(see :mod:`mmlc.registry`) and lets ``torch.load(weights_only=True)`` read
mmengine's own Runner checkpoints (see :mod:`mmlc.utils.checkpoint`).
"""
from .utils.checkpoint import allow_mmengine_checkpoints
from .version import __version__

allow_mmengine_checkpoints()

# registers the components
from . import datasets, engine, models  # noqa: E402,F401 isort: skip

__all__ = ['__version__']
