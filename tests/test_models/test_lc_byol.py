"""LCBYOL: gradients, EMA, equivalence with BYOL at alpha = 0, checkpoint
keys."""
import copy
import math

import pytest
import torch
from mmengine.logging import MessageHub
from mmpretrain.structures import DataSample

from mmlc.registry import MODELS
from mmlc.testing import fake_view_batch

FEAT = 32  # channels of the last stage of the tiny ResNet-18 below


def tiny_byol_cfg(**overrides):
    cfg = dict(
        type='BYOL',
        base_momentum=0.004,
        backbone=dict(
            type='ResNet',
            depth=18,
            stem_channels=8,
            base_channels=4,
            strides=(1, 2, 2, 1)),
        neck=dict(
            type='NonLinearNeck',
            in_channels=FEAT,
            hid_channels=32,
            out_channels=16,
            num_layers=2,
            with_bias=True,
            with_last_bn=False,
            with_avg_pool=True),
        head=dict(
            type='LatentPredictHead',
            predictor=dict(
                type='NonLinearNeck',
                in_channels=16,
                hid_channels=32,
                out_channels=16,
                num_layers=2,
                with_bias=True,
                with_last_bn=False,
                with_avg_pool=False),
            loss=dict(type='CosineSimilarityLoss')),
        data_preprocessor=dict(
            type='SelfSupDataPreprocessor', mean=[0, 0, 0], std=[1, 1, 1]))
    cfg.update(overrides)
    return cfg


def tiny_local_branch(alpha=0.1, **overrides):
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
    branch.update(overrides)
    return branch


def tiny_lc_cfg(alpha=0.1, global_views=(0, 1), **branch_overrides):
    return tiny_byol_cfg(
        type='LCBYOL',
        global_views=global_views,
        local_branch=tiny_local_branch(alpha, **branch_overrides))


def make_batch(batch=4, size=32, seed=0, num_views=2):
    data = fake_view_batch(batch, size, num_views, seed)
    return data['inputs'], data['data_samples']


@pytest.fixture(autouse=True)
def max_iters_in_message_hub():
    hub = MessageHub.get_current_instance()
    hub.update_info('max_iters', 100)
    yield


def test_alpha_zero_equals_mmpretrain_byol():
    torch.manual_seed(0)
    lc = MODELS.build(tiny_lc_cfg(alpha=0.0))
    byol = MODELS.build(tiny_byol_cfg())
    missing, unexpected = byol.load_state_dict(lc.state_dict(), strict=False)
    assert missing == []
    assert unexpected and all(
        k.startswith('local_branch.') for k in unexpected)
    views, samples = make_batch()
    lc_losses = lc.loss([v.clone() for v in views], samples)
    byol_losses = byol.loss([v.clone() for v in views], samples)
    total = sum(v for k, v in lc_losses.items() if 'loss' in k)
    torch.testing.assert_close(
        total, byol_losses['loss'], rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(
        lc_losses['l_g'], byol_losses['loss'], rtol=1e-6, atol=1e-6)


def test_byol_checkpoint_loads_with_only_local_branch_missing():
    byol = MODELS.build(tiny_byol_cfg())
    lc = MODELS.build(tiny_lc_cfg())
    missing, unexpected = lc.load_state_dict(byol.state_dict(), strict=False)
    assert unexpected == []
    assert missing and all(k.startswith('local_branch.') for k in missing)


def test_total_is_weighted_sum_and_logged_terms():
    torch.manual_seed(1)
    lc = MODELS.build(tiny_lc_cfg(alpha=0.3))
    losses = lc.loss(*make_batch())
    torch.testing.assert_close(losses['loss_global'], 0.7 * losses['l_g'])
    torch.testing.assert_close(losses['loss_lc'], 0.3 * losses['l_lc'])
    assert losses['l_lc'] > 0
    assert not losses['l_g'].requires_grad and not losses['l_lc'].requires_grad


def test_local_loss_reaches_online_backbone_and_local_neck_not_target():
    torch.manual_seed(2)
    lc = MODELS.build(tiny_lc_cfg())
    losses = lc.loss(*make_batch())
    losses['loss_lc'].backward()
    assert lc.backbone.layer4[0].conv1.weight.grad.abs().sum() > 0
    assert lc.local_branch.local_neck.conv1.weight.grad.abs().sum() > 0
    # the global projector is not in L_LC
    assert lc.neck.fc0.weight.grad is None
    assert all(p.grad is None for p in lc.target_net.parameters())
    assert all(p.grad is None
               for p in lc.local_branch.target_neck.parameters())


def test_global_loss_reaches_backbone_projector_and_predictor_not_target():
    torch.manual_seed(3)
    lc = MODELS.build(tiny_lc_cfg())
    losses = lc.loss(*make_batch())
    (losses['loss_global'] + losses['loss_lc']).backward()
    assert lc.backbone.conv1.weight.grad.abs().sum() > 0
    assert lc.neck.fc0.weight.grad.abs().sum() > 0
    assert lc.head.predictor.fc0.weight.grad.abs().sum() > 0
    assert lc.local_branch.local_neck.conv2.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in lc.target_net.parameters())
    assert all(p.grad is None
               for p in lc.local_branch.target_neck.parameters())


def test_target_moves_by_ema_after_a_step():
    torch.manual_seed(4)
    lc = MODELS.build(tiny_lc_cfg())
    optimizer = torch.optim.SGD(lc.parameters(), lr=0.5)
    batch = make_batch()
    loss = sum(v for k, v in lc.loss(*batch).items() if 'loss' in k)
    loss.backward()
    optimizer.step()
    target_neck = lc.local_branch.target_neck.module
    target_before = copy.deepcopy(target_neck.conv1.weight.data)
    online_now = lc.local_branch.local_neck.conv1.weight.data.clone()
    assert not torch.equal(target_before, online_now)
    steps = int(lc.target_net.steps)
    lc.loss(*batch)  # the update happens at the start of every loss()
    momentum = 0.004 * (math.cos(math.pi * steps / 100) + 1) / 2
    expected = target_before * (1 - momentum) + online_now * momentum
    torch.testing.assert_close(target_neck.conv1.weight.data, expected)


def test_three_view_variant_uses_crops_for_global_loss():
    """With global views (1, 2) and local views (0, 1), a new view 0 moves
    only the local loss and a new view 2 only the global one (each view
    goes through the networks on its own, so BN couples no two views)."""
    torch.manual_seed(5)
    lc = MODELS.build(tiny_lc_cfg(global_views=(1, 2), local_views=(0, 1)))
    views, samples = make_batch(num_views=3)
    # the first call copies the online weights into the target; with no
    # optimiser step in between, later calls keep them equal
    before = lc.loss(views, samples)
    again = lc.loss(views, samples)
    for key in ('loss_global', 'loss_lc'):
        torch.testing.assert_close(again[key], before[key])
    for changed, moved, kept in ((0, 'loss_lc', 'loss_global'),
                                 (2, 'loss_global', 'loss_lc')):
        new_views = list(views)
        new_views[changed] = torch.rand_like(views[changed])
        after = lc.loss(new_views, samples)
        torch.testing.assert_close(after[kept], before[kept])
        assert not torch.allclose(after[moved], before[moved])


def test_missing_geometry_is_a_clear_error():
    lc = MODELS.build(tiny_lc_cfg())
    views, _ = make_batch()
    with pytest.raises(KeyError, match='MultiViewWithGeometry'):
        lc.loss(views, [DataSample() for _ in range(4)])


@pytest.mark.parametrize('alpha', [-0.1, 1.5])
def test_alpha_outside_unit_interval_is_rejected(alpha):
    with pytest.raises(
            ValueError, match=r'model\.local_branch\.alpha must be in'):
        MODELS.build(tiny_lc_cfg(alpha=alpha))


def test_multi_scale_local_loss_on_two_stages():
    torch.manual_seed(6)
    cfg = tiny_lc_cfg(local_weights=(0.25, 0.75))
    cfg['backbone'] = dict(cfg['backbone'], out_indices=(2, 3))
    cfg['local_branch']['local_neck'] = [
        dict(
            type='LocalProjectionNeck',
            in_channels=FEAT // 2,
            hid_channels=16,
            out_channels=8,
            in_index=0,
            norm_cfg=dict(type='BN')),
        dict(
            type='LocalProjectionNeck',
            in_channels=FEAT,
            hid_channels=16,
            out_channels=8,
            in_index=1,
            norm_cfg=dict(type='BN')),
    ]
    lc = MODELS.build(cfg)
    losses = lc.loss(*make_batch())
    torch.testing.assert_close(
        losses['l_lc'],
        0.25 * losses['l_lc_scale0'] + 0.75 * losses['l_lc_scale1'])
    losses['loss_lc'].backward()
    for neck in lc.local_branch.local_neck:
        assert neck.conv1.weight.grad.abs().sum() > 0
    assert len(lc.local_branch.target_neck.module) == 2


def test_local_weights_must_match_the_necks():
    with pytest.raises(ValueError, match='local_weights'):
        MODELS.build(tiny_lc_cfg(local_weights=(0.5, 0.5)))
