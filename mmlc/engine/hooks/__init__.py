from .pretrained_check import PretrainedBackboneCheckHook, compare_backbone
from .resumable_checkpoint import ResumableCheckpointHook

__all__ = [
    'PretrainedBackboneCheckHook', 'ResumableCheckpointHook',
    'compare_backbone'
]
