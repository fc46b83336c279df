from .cpu_ddp import CPUDistributedDataParallel
from .optimizers import CPUAutocastOptimWrapper
from .hooks import PretrainedBackboneCheckHook, ResumableCheckpointHook, compare_backbone
from .resume import ResumedDataIterator, sampler_of, seekable_sampler

__all__ = ['CPUAutocastOptimWrapper', 'CPUDistributedDataParallel', 'PretrainedBackboneCheckHook', 'ResumableCheckpointHook',
           'ResumedDataIterator', 'compare_backbone', 'sampler_of', 'seekable_sampler']
