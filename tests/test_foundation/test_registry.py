"""mmlc components are reachable from configs that inherit mmpretrain::."""
import os.path as osp

from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope

import mmlc  # noqa: F401
from mmlc.registry import HOOKS, MODELS, TRANSFORMS


def test_mmlc_types_resolve_in_mmpretrain_scope():
    import mmpretrain.registry as mp
    assert MODELS is mp.MODELS and TRANSFORMS is mp.TRANSFORMS
    for name in ('LCBYOL', 'LCMoCoV2', 'LCSimSiam', 'LCDenseCL', 'LocalBranch',
                 'DenseViewFeatures', 'LocalProjectionNeck', 'LCHead',
                 'LocalContrastiveLoss', 'LocalMSELoss'):
        assert mp.MODELS.get(name) is not None, name
    for name in ('MultiViewWithGeometry', 'RandomResizedCropWithBox',
                 'RandomFlipWithGeometry', 'LoadImageFromFileChecked'):
        assert mp.TRANSFORMS.get(name) is not None, name


def test_the_metric_is_visible_from_every_downstream_scope():
    import mmdet.registry
    import mmpretrain.registry
    import mmseg.registry

    from mmlc.evaluation import CorrespondenceAccuracy
    for registry in (mmdet.registry.METRICS, mmseg.registry.METRICS,
                     mmpretrain.registry.METRICS):
        assert registry.get('CorrespondenceAccuracy') is CorrespondenceAccuracy


def test_mmlc_hooks_are_visible_from_every_downstream_scope():
    import mmdet.registry
    import mmpretrain.registry
    import mmseg.registry

    from mmlc import engine
    assert HOOKS.scope == 'mmengine'
    for name in ('DINOScheduleHook', 'FrozenBackboneCacheHook',
                 'NonFiniteLossGuardHook', 'PretrainedBackboneCheckHook',
                 'ResumableCheckpointHook'):
        for registry in (mmdet.registry.HOOKS, mmseg.registry.HOOKS,
                         mmpretrain.registry.HOOKS):
            assert registry.get(name) is getattr(engine, name), name


def test_config_inheriting_mmpretrain_builds_lc_byol(repo_root):
    path = osp.join(repo_root, 'configs', 'lc_byol',
                    'lc-byol_resnet50_16xb256-coslr-400e_in1k.py')
    cfg = Config.fromfile(path)
    # dicts that come from the mmpretrain:: base carry its scope
    assert cfg.model.get('_scope_') == 'mmpretrain'
    assert cfg.custom_imports.imports == ['mmlc']
    init_default_scope(cfg.default_scope)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'LCBYOL'
    assert model.local_branch.local_neck.conv1.in_channels == 2048
