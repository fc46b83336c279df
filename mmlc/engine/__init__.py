from .cpu_ddp import CPUDistributedDataParallel
from .errors import (CheckpointSaveError, NonFiniteCheckpointError,
                     NonFiniteLossError, RunStoppedError)
from .hooks import (DINOScheduleHook, FrozenBackboneCacheHook,
                    NonFiniteLossGuardHook, PretrainedBackboneCheckHook,
                    ResumableCheckpointHook, compare_backbone,
                    first_nonfinite_tensor)
from .optimizers import CPUAutocastOptimWrapper, cpu_has_native_bfloat16
from .resumed_iterator import ResumedDataIterator, sampler_of, seekable_sampler

__all__ = [
    'CheckpointSaveError', 'CPUAutocastOptimWrapper', 'DINOScheduleHook',
    'FrozenBackboneCacheHook', 'NonFiniteCheckpointError',
    'NonFiniteLossError', 'NonFiniteLossGuardHook', 'RunStoppedError',
    'first_nonfinite_tensor', 'CPUDistributedDataParallel',
    'PretrainedBackboneCheckHook', 'ResumableCheckpointHook',
    'ResumedDataIterator', 'compare_backbone', 'cpu_has_native_bfloat16',
    'sampler_of', 'seekable_sampler'
]
