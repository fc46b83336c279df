from .pretrained_check import PretrainedBackboneCheckHook, compare_backbone

__all__ = ['PretrainedBackboneCheckHook', 'compare_backbone']
