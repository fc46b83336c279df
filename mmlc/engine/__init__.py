from .cpu_ddp import CPUDistributedDataParallel
from .hooks import (DINOScheduleHook, PretrainedBackboneCheckHook,
                    ResumableCheckpointHook, compare_backbone)
from .optimizers import CPUAutocastOptimWrapper
from .resumed_iterator import ResumedDataIterator, sampler_of, seekable_sampler

__all__ = [
    'CPUAutocastOptimWrapper', 'DINOScheduleHook',
    'CPUDistributedDataParallel', 'PretrainedBackboneCheckHook',
    'ResumableCheckpointHook', 'ResumedDataIterator', 'compare_backbone',
    'sampler_of', 'seekable_sampler'
]
