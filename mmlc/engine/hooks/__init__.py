from .dino_schedule import DINOScheduleHook
from .pretrained_check import PretrainedBackboneCheckHook, compare_backbone
from .resumable_checkpoint import ResumableCheckpointHook

__all__ = [
    'DINOScheduleHook', 'PretrainedBackboneCheckHook',
    'ResumableCheckpointHook', 'compare_backbone'
]
