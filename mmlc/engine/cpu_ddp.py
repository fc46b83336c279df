"""DDP for CPU-only processes (gloo), used by ``tools/dist_train.sh`` without
a GPU."""
from mmengine.model import MMDistributedDataParallel, revert_sync_batchnorm
from mmengine.registry import MODEL_WRAPPERS
from torch import nn


@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` for modules on the CPU.

    SyncBN runs only on GPU modules, so every SyncBN layer (including the ones
    a component creates by default, like mmpretrain's ``NonLinearNeck``) is
    turned back into BN first, and DDP gets no ``device_ids``.

    Args:
        module (nn.Module): the model, on the CPU.
        **kwargs: passed to ``MMDistributedDataParallel``; ``device_ids`` is
            dropped.
    """

    def __init__(self, module: nn.Module, **kwargs) -> None:
        kwargs.pop('device_ids', None)
        super().__init__(
            module=revert_sync_batchnorm(module), device_ids=None, **kwargs)
