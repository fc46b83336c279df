"""The local branch on each host algorithm (BYOL, MoCo v2, SimSiam, DenseCL,
DINO): with alpha = 0 the LC model is
the host (loss and every shared gradient), a host checkpoint loads with only
the branch missing, MoCo's shuffled key features are put back in order, and
an LC-BYOL checkpoint of the earlier layout still loads."""
import copy

import pytest
import torch
import torch.nn as nn
from mmengine.logging import MessageHub

from mmlc.registry import MODELS
from mmlc.testing import fake_view_batch

FEAT = 32  # channels of the tiny ResNet-18's last stage
BACKBONE = dict(
    type='ResNet',
    depth=18,
    stem_channels=8,
    base_channels=4,
    strides=(1, 2, 2, 1))
PREPROCESSOR = dict(
    type='SelfSupDataPreprocessor', mean=[0, 0, 0], std=[1, 1, 1])


def _mlp(in_channels, out_channels, pool, **kwargs):
    return dict(
        type='NonLinearNeck',
        in_channels=in_channels,
        hid_channels=32,
        out_channels=out_channels,
        num_layers=2,
        with_bias=True,
        with_last_bn=False,
        with_avg_pool=pool,
        **kwargs)


HOSTS = {
    'BYOL':
    dict(
        type='BYOL',
        neck=_mlp(FEAT, 16, True),
        head=dict(
            type='LatentPredictHead',
            predictor=_mlp(16, 16, False),
            loss=dict(type='CosineSimilarityLoss'))),
    'MoCo':
    dict(
        type='MoCo',
        queue_len=32,
        feat_dim=16,
        momentum=0.01,
        neck=dict(
            type='MoCoV2Neck',
            in_channels=FEAT,
            hid_channels=32,
            out_channels=16,
            with_avg_pool=True),
        head=dict(
            type='ContrastiveHead',
            loss=dict(type='CrossEntropyLoss'),
            temperature=0.2)),
    'SimSiam':
    dict(
        type='SimSiam',
        neck=_mlp(FEAT, 16, True),
        head=dict(
            type='LatentPredictHead',
            predictor=_mlp(16, 16, False),
            loss=dict(type='CosineSimilarityLoss'))),
}
HOSTS['DenseCL'] = dict(
    type='DenseCL',
    queue_len=32,
    feat_dim=16,
    momentum=0.01,
    loss_lambda=0.5,
    neck=dict(
        type='DenseCLNeck',
        in_channels=FEAT,
        hid_channels=32,
        out_channels=16,
        num_grid=None),
    head=dict(
        type='ContrastiveHead',
        loss=dict(type='CrossEntropyLoss'),
        temperature=0.2))
HOSTS['DINO'] = dict(
    type='DINO',
    neck=dict(
        type='DINOProjection',
        in_channels=FEAT,
        hid_channels=32,
        bottleneck_channels=8,
        out_channels=64),
    head=dict(type='DINOHead', loss=dict(type='DINOLoss', out_channels=64)))
LC_TYPES = {
    'BYOL': 'LCBYOL',
    'MoCo': 'LCMoCoV2',
    'SimSiam': 'LCSimSiam',
    'DenseCL': 'LCDenseCL',
    'DINO': 'LCDINO'
}
KEY_ENCODER_HOSTS = ('MoCo', 'DenseCL')


def host_cfg(host):
    return dict(HOSTS[host], backbone=BACKBONE, data_preprocessor=PREPROCESSOR)


def lc_cfg(host, alpha=0.1, **overrides):
    branch = dict(
        alpha=alpha,
        local_neck=dict(
            type='LocalProjectionNeck',
            in_channels=FEAT,
            hid_channels=FEAT,
            out_channels=8,
            norm_cfg=dict(type='BN')),
        local_head=dict(
            type='LCHead',
            loss=dict(type='LocalContrastiveLoss', temperature=0.2)))
    cfg = dict(host_cfg(host), type=LC_TYPES[host], local_branch=branch)
    if host in KEY_ENCODER_HOSTS:
        # mmpretrain's MoCo and DenseCL: query view 0, key view 1; the
        # local loss then takes its target from the key view (1) and its
        # online side from the query view (0), so the key encoder runs once
        # per step
        cfg['global_views'] = (0, 1)
        branch['local_views'] = (1, 0)
    cfg.update(overrides)
    return cfg


@pytest.fixture(autouse=True)
def max_iters_in_message_hub():
    MessageHub.get_current_instance().update_info('max_iters', 100)
    yield


def _batch(batch_size=8):
    data = fake_view_batch(batch_size, 32, 2, seed=1)
    return data['inputs'], data['data_samples']


@pytest.mark.parametrize('host', list(HOSTS))
def test_alpha_zero_is_the_host_loss_and_gradients(host):
    torch.manual_seed(0)
    lc = MODELS.build(lc_cfg(host, alpha=0.0))
    reference = MODELS.build(host_cfg(host))
    missing, unexpected = reference.load_state_dict(
        lc.state_dict(), strict=False)
    assert missing == []
    assert unexpected and all(
        k.startswith('local_branch.') for k in unexpected)
    views, samples = _batch()
    torch.manual_seed(7)  # MoCo's batch shuffle draws a permutation
    lc_losses = lc.loss([v.clone() for v in views], samples)
    torch.manual_seed(7)
    host_losses = reference.loss([v.clone() for v in views], samples)
    total = sum(v for k, v in lc_losses.items() if 'loss' in k)
    # DenseCL returns its two weighted terms, the others one loss
    host_total = sum(v for k, v in host_losses.items() if 'loss' in k)
    torch.testing.assert_close(total, host_total)
    torch.testing.assert_close(lc_losses['l_g'], host_total)
    total.backward()
    host_total.backward()
    lc_params = dict(lc.named_parameters())
    compared = 0
    for name, param in reference.named_parameters():
        if param.grad is None:
            assert lc_params[name].grad is None, name
            continue
        torch.testing.assert_close(lc_params[name].grad, param.grad, msg=name)
        compared += 1
    assert compared > 10
    for queue in ('queue', 'queue2'):
        if hasattr(reference, queue):
            torch.testing.assert_close(
                getattr(lc, queue), getattr(reference, queue))


@pytest.mark.parametrize('host', list(HOSTS))
def test_each_host_weighs_its_loss_and_the_local_loss_by_eq_5(host):
    torch.manual_seed(2)
    lc = MODELS.build(lc_cfg(host, alpha=0.3))
    losses = lc.loss(*_batch())
    torch.testing.assert_close(losses['loss_global'], 0.7 * losses['l_g'])
    torch.testing.assert_close(losses['loss_lc'], 0.3 * losses['l_lc'])
    assert losses[
        'loss_global'].requires_grad and not losses['l_g'].requires_grad


@pytest.mark.parametrize('host', list(HOSTS))
def test_a_host_checkpoint_loads_with_only_the_branch_missing(host):
    reference = MODELS.build(host_cfg(host))
    lc = MODELS.build(lc_cfg(host))
    missing, unexpected = lc.load_state_dict(
        reference.state_dict(), strict=False)
    assert unexpected == []
    assert missing and all(k.startswith('local_branch.') for k in missing)


@pytest.mark.parametrize('host', list(HOSTS))
def test_the_local_loss_trains_the_online_side_only(host):
    torch.manual_seed(3)
    lc = MODELS.build(lc_cfg(host))
    losses = lc.loss(*_batch())
    assert losses['l_lc'] > 0
    losses['loss_lc'].backward()
    assert lc.backbone.layer4[0].conv1.weight.grad.abs().sum() > 0
    assert lc.local_branch.local_neck.conv1.weight.grad.abs().sum() > 0
    target = lc.local_branch.target_neck
    if host == 'SimSiam':
        assert target is None  # stop-gradient: the online neck itself
    else:
        assert all(p.grad is None for p in target.parameters())


def test_moco_local_target_is_the_key_encoder_on_the_view_in_order():
    """The key encoder sees a shuffled batch (BN across ranks); the local
    loss must pair each image with its own key features: computed without
    any shuffle, the loss is the same."""
    torch.manual_seed(4)
    lc = MODELS.build(lc_cfg('MoCo'))
    expected_model = copy.deepcopy(lc)
    views, samples = _batch()
    with torch.no_grad():
        expected_model.encoder_k.update_parameters(
            nn.Sequential(expected_model.backbone, expected_model.neck))
        expected_model.local_branch.update_target()
        key_feats = expected_model.encoder_k.module[0](views[1])
    expected = expected_model.local_branch.loss(
        expected_model.backbone(views[0]),
        expected_model.local_branch.target_dense(key_feats), samples)
    torch.manual_seed(11)
    reported = lc.loss(views, samples)
    torch.testing.assert_close(reported['l_lc'], expected['l_lc'].detach())


def test_moco_target_necks_move_with_a_constant_momentum():
    # a short run, where BYOL's cosine schedule would be far from constant
    MessageHub.get_current_instance().update_info('max_iters', 2)
    torch.manual_seed(5)
    lc = MODELS.build(lc_cfg('MoCo'))
    lc.loss(*_batch())  # mmengine's first EMA update copies the online necks
    online = lc.local_branch.local_neck.conv1.weight
    with torch.no_grad():
        online.add_(1.0)
    before = lc.local_branch.target_neck.module.conv1.weight.clone()
    lc.loss(*_batch())
    torch.testing.assert_close(lc.local_branch.target_neck.module.conv1.weight,
                               0.99 * before + 0.01 * online.detach())


def test_an_lc_byol_checkpoint_of_the_earlier_layout_loads():
    """Before the branch was a module, LCBYOL kept ``local_neck.*`` at the
    top and the neck's EMA copy as ``target_net.module.2.*``."""
    torch.manual_seed(6)
    source = MODELS.build(lc_cfg('BYOL'))
    old = {}
    for key, value in source.state_dict().items():
        if key.startswith('local_branch.local_neck.'):
            key = key[len('local_branch.'):]
        elif key.startswith('local_branch.target_neck.module.'):
            key = 'target_net.module.2.' + key[
                len('local_branch.target_neck.module.'):]
        elif key == 'local_branch.target_neck.steps':
            continue
        old[key] = value.clone()
    fresh = MODELS.build(lc_cfg('BYOL'))
    fresh.load_state_dict(old, strict=True)
    for key, value in source.state_dict().items():
        torch.testing.assert_close(fresh.state_dict()[key], value, msg=key)


@pytest.mark.parametrize(
    'backbone', [
        dict(
            type='SwinTransformer',
            arch=dict(embed_dims=16, depths=[1, 1], num_heads=[1, 2]),
            img_size=32,
            window_size=4,
            out_indices=(1, )),
        dict(
            type='ConvNeXt',
            arch=dict(depths=[1, 1], channels=[16, 32]),
            out_indices=(1, ),
            gap_before_final_norm=False),
    ],
    ids=['swin', 'convnext'])
def test_the_local_branch_reads_a_transformer_or_convnext_map(backbone):
    """Any mmpretrain backbone returning NCHW maps: here a 4 x 4 map of 32
    channels from 32 px views."""
    torch.manual_seed(8)
    lc = MODELS.build(lc_cfg('BYOL', backbone=backbone))
    losses = lc.loss(*_batch())
    assert torch.isfinite(losses['loss_global']) and losses['l_lc'] > 0
    losses['loss_lc'].backward()
    grads = [p.grad for p in lc.backbone.parameters() if p.grad is not None]
    assert grads and sum(float(g.abs().sum()) for g in grads) > 0
