"""The registries mmlc puts its components in.

mmlc registers into mmpretrain's registries (models, transforms, datasets,
data samplers) and
into mmengine's root registries (hooks, metrics, optimizer wrappers) instead of
creating child registries with an ``mmlc`` scope. Reason: configs that inherit
``mmpretrain::...`` carry ``_scope_='mmpretrain'`` on every dict of the base,
and mmengine resolves a type in the scope's registry and then its parents
only, never its children; an ``mmlc`` child registry would be invisible to
those dicts. Root hooks and metrics are visible from every downstream scope
(mmpretrain, mmdet, mmseg). See ``docs/registry.md``.
"""
from mmengine.registry import HOOKS, METRICS, OPTIM_WRAPPERS
from mmpretrain.registry import DATA_SAMPLERS, DATASETS, MODELS, TRANSFORMS

__all__ = [
    'DATA_SAMPLERS', 'DATASETS', 'HOOKS', 'METRICS', 'MODELS',
    'OPTIM_WRAPPERS', 'TRANSFORMS'
]
