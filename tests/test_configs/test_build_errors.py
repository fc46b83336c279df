"""Config mistakes stop the build with an error that names the config key."""
import copy
import os.path as osp

import pytest
from mmengine.config import Config

from mmlc.apis import check_train_config
from mmlc.registry import MODELS

TOY = 'configs/lc_byol/lc-byol_resnet18_1xb16-300iter_toy.py'


@pytest.fixture(scope='module')
def toy_cfg(repo_root):
    return Config.fromfile(osp.join(repo_root, TOY))


def test_the_toy_config_itself_builds(toy_cfg):
    assert type(MODELS.build(copy.deepcopy(
        toy_cfg.model))).__name__ == 'LCBYOL'
    check_train_config(toy_cfg)


@pytest.mark.parametrize('alpha', [-0.01, 1.01])
def test_alpha_outside_the_unit_interval(toy_cfg, alpha):
    model = copy.deepcopy(toy_cfg.model)
    model.local_branch.alpha = alpha
    with pytest.raises(
            ValueError,
            match=r'model\.local_branch\.alpha must be in \[0, 1\]'):
        MODELS.build(model)


@pytest.mark.parametrize('tau', [0.0, -0.2])
def test_non_positive_temperature(toy_cfg, tau):
    model = copy.deepcopy(toy_cfg.model)
    model.local_branch.local_head.loss.temperature = tau
    with pytest.raises(
            ValueError,
            match=r'model\.local_branch\.local_head: .*temperature \(tau\) '
            r'must be > 0'):
        MODELS.build(model)


def test_local_neck_channels_that_do_not_match_the_backbone_stage(toy_cfg):
    model = copy.deepcopy(toy_cfg.model)
    # the toy ResNet-18's last stage has 128
    model.local_branch.local_neck.in_channels = 64
    with pytest.raises(
            ValueError,
            match=r'model\.local_branch\.local_neck\.in_channels=64 but '
            r'backbone '
            r'output -1 \(stage 4 .*\) has 128 channels'):
        MODELS.build(model)


def test_multi_scale_neck_on_the_wrong_stage(toy_cfg):
    model = copy.deepcopy(toy_cfg.model)
    model.backbone.out_indices = (2, 3)
    neck = dict(
        type='LocalProjectionNeck',
        hid_channels=32,
        out_channels=16,
        norm_cfg=dict(type='BN'))
    model.local_branch.local_neck = [
        dict(neck, in_channels=64, in_index=0),
        dict(neck, in_channels=64, in_index=1)
    ]
    with pytest.raises(
            ValueError,
            match=r'model\.local_branch\.local_neck\[1\]\.in_channels=64 '
            r'.*has 128'):
        MODELS.build(model)
    model.local_branch.local_neck[1]['in_channels'] = 128
    MODELS.build(model)


def test_pipeline_without_geometry(toy_cfg):
    cfg = copy.deepcopy(toy_cfg)
    cfg.train_dataloader.dataset.pipeline = [
        dict(type='LoadImageFromFileChecked'),
        dict(
            type='MultiView',
            num_views=2,
            transforms=[[dict(type='RandomResizedCrop', scale=96)]]),
        dict(type='PackInputs')
    ]
    with pytest.raises(
            ValueError,
            match=r'train_dataloader\.dataset\.pipeline has no '
            r'MultiViewWithGeometry'):
        check_train_config(cfg)


def test_the_check_keys_on_the_local_branch_not_the_class(repo_root):
    """Any algorithm with ``model.local_branch`` needs the geometry; the same
    algorithm without one does not."""
    pipeline = [
        dict(type='LoadImageFromFileChecked'),
        dict(
            type='MultiView',
            num_views=2,
            transforms=[[dict(type='RandomResizedCrop', scale=96)]]),
        dict(type='PackInputs')
    ]
    lc = Config.fromfile(
        osp.join(repo_root, 'configs', 'lc_simsiam',
                 'lc-simsiam_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py'))
    lc.train_dataloader.dataset.pipeline = pipeline
    with pytest.raises(
            ValueError, match='LCSimSiam config: .*no '
            'MultiViewWithGeometry'):
        check_train_config(lc)
    host = copy.deepcopy(lc)
    del host.model['local_branch']
    host.model.type = 'SimSiam'
    check_train_config(host)


def test_untracked_crop_inside_the_views_and_unpacked_geometry(toy_cfg):
    cfg = copy.deepcopy(toy_cfg)
    views = cfg.train_dataloader.dataset.pipeline[1]
    views.transforms[1][1] = dict(type='RandomFlip', prob=0.5)
    cfg.train_dataloader.dataset.pipeline[2].algorithm_keys = ['ori_hw']
    with pytest.raises(ValueError) as error:
        check_train_config(cfg)
    message = str(error.value)
    assert (r'train_dataloader.dataset.pipeline[1].transforms[1][1] is '
            'RandomFlip') in message
    assert "missing ['view_boxes', 'view_flips']" in message


def test_pipeline_inside_a_dataset_wrapper_is_found(toy_cfg):
    cfg = copy.deepcopy(toy_cfg)
    inner = cfg.train_dataloader.dataset
    inner.pipeline = [
        dict(type='LoadImageFromFileChecked'),
        dict(type='PackInputs')
    ]
    cfg.train_dataloader.dataset = dict(
        type='RepeatDataset', times=2, dataset=inner)
    with pytest.raises(
            ValueError, match=r'train_dataloader\.dataset\.dataset\.pipeline'):
        check_train_config(cfg)


def test_byol_is_not_held_to_the_geometry_rule(repo_root):
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs/byol/byol_resnet18_1xb16-300iter_toy.py'))
    cfg.train_dataloader.dataset.pipeline = [
        dict(type='LoadImageFromFileChecked'),
        dict(type='PackInputs')
    ]
    check_train_config(cfg)
