from .cpu_ddp import CPUDistributedDataParallel
from .hooks import PretrainedBackboneCheckHook, compare_backbone

__all__ = ['CPUDistributedDataParallel', 'PretrainedBackboneCheckHook', 'compare_backbone']
