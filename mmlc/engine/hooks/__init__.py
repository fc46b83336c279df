from .dino_schedule import DINOScheduleHook
from .frozen_feature_cache import FrozenBackboneCacheHook
from .nonfinite_guard import NonFiniteLossGuardHook, first_nonfinite_tensor
from .pretrained_check import PretrainedBackboneCheckHook, compare_backbone
from .resumable_checkpoint import ResumableCheckpointHook

__all__ = [
    'DINOScheduleHook', 'FrozenBackboneCacheHook', 'NonFiniteLossGuardHook',
    'PretrainedBackboneCheckHook', 'ResumableCheckpointHook',
    'compare_backbone', 'first_nonfinite_tensor'
]
