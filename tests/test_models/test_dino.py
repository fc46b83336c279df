"""DINO (and the pieces LC-DINO adds to it): the loss against a slow
reference, the centre's EMA and the teacher-temperature schedule against
hand-computed values, the frozen last layer, and multi-crop views of several
sizes through a tiny Swin."""
import math
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub

from mmlc.engine import DINOScheduleHook
from mmlc.models.algorithms.dino import backbone_by_view, views_by_resolution
from mmlc.registry import MODELS


def _reference_loss(student, teacher, teacher_views, center, t_temp, s_temp):
    """Eq. 3 of the DINO paper, one number at a time, in float64."""
    terms = []
    for t_view, t_out in zip(teacher_views, teacher):
        for s_view, s_out in enumerate(student):
            if s_view == t_view:
                continue
            total = 0.0
            for b in range(t_out.shape[0]):
                t_logits = [(float(t_out[b, k]) - float(center[0, k])) / t_temp
                            for k in range(t_out.shape[1])]
                s_logits = [
                    float(s_out[b, k]) / s_temp for k in range(s_out.shape[1])
                ]
                t_norm = math.log(sum(math.exp(v) for v in t_logits))
                s_norm = math.log(sum(math.exp(v) for v in s_logits))
                total += -sum(
                    math.exp(t - t_norm) * (s - s_norm)
                    for t, s in zip(t_logits, s_logits))
            terms.append(total / t_out.shape[0])
    return sum(terms) / len(terms)


@pytest.mark.parametrize('teacher_views', [(0, 1), (1, 3)])
def test_loss_matches_the_slow_reference(teacher_views):
    generator = torch.Generator().manual_seed(0)
    student = [torch.randn(3, 5, generator=generator) for _ in range(4)]
    teacher = [torch.randn(3, 5, generator=generator) for _ in range(2)]
    loss_module = MODELS.build(
        dict(
            type='DINOLoss',
            out_channels=5,
            student_temp=0.1,
            teacher_temp=0.05))
    loss_module.center.copy_(torch.randn(1, 5, generator=generator))
    expected = _reference_loss(student, teacher, teacher_views,
                               loss_module.center.clone(), 0.05, 0.1)
    loss = loss_module(student, teacher, teacher_views)
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    # 2 teacher views x 4 student views - 2 identical pairs = 6 terms
    assert len(teacher_views) * len(student) - 2 == 6


def test_the_teacher_gets_no_gradient_and_a_lone_view_is_refused():
    student = [torch.randn(2, 4, requires_grad=True) for _ in range(2)]
    teacher = [torch.randn(2, 4, requires_grad=True) for _ in range(2)]
    loss_module = MODELS.build(dict(type='DINOLoss', out_channels=4))
    loss_module(student, teacher).backward()
    assert all(t.grad is None for t in teacher)
    assert all(s.grad.abs().sum() > 0 for s in student)
    with pytest.raises(ValueError, match='no pair of different views'):
        loss_module(student[:1], teacher[:1])
    with pytest.raises(ValueError, match='teacher_views names 1 views'):
        loss_module(student, teacher, teacher_views=(0, ))


def test_center_moves_by_its_ema_over_all_teacher_outputs():
    loss_module = MODELS.build(
        dict(type='DINOLoss', out_channels=2, center_momentum=0.9))
    student = [torch.zeros(1, 2)] * 3
    loss_module(student, [torch.tensor([[1., 3.]]), torch.tensor([[3., 5.]])])
    # batch mean (2, 4); c = 0.9 * 0 + 0.1 * (2, 4)
    torch.testing.assert_close(loss_module.center, torch.tensor([[0.2, 0.4]]))
    loss_module(student, [torch.zeros(1, 2), torch.zeros(1, 2)])
    torch.testing.assert_close(loss_module.center, torch.tensor([[0.18,
                                                                  0.36]]))


def test_teacher_temperature_warms_up_as_dino_linspace():
    hook = DINOScheduleHook(
        warmup_teacher_temp=0.04, teacher_temp=0.07, warmup=30)
    assert hook.temperature(0) == pytest.approx(0.04)
    assert hook.temperature(10) == pytest.approx(0.04 + 0.03 * 10 / 29)
    assert hook.temperature(29) == pytest.approx(0.07)
    assert hook.temperature(30) == 0.07 and hook.temperature(299) == 0.07
    assert DINOScheduleHook(warmup=0).temperature(0) == 0.07


@pytest.mark.parametrize('by_epoch', [True, False])
def test_hook_sets_the_temperature_and_freezes_the_last_layer(by_epoch):
    model = SimpleNamespace(
        head=SimpleNamespace(loss_module=SimpleNamespace(teacher_temp=None)),
        neck=SimpleNamespace(last_layer=SimpleNamespace(frozen=None)))
    hook = DINOScheduleHook(
        warmup_teacher_temp=0.02,
        teacher_temp=0.06,
        warmup=3,
        freeze_last_layer=2,
        by_epoch=by_epoch)
    seen = []
    for step in range(4):
        runner = SimpleNamespace(
            model=model,
            epoch=step if by_epoch else 0,
            iter=0 if by_epoch else step)
        hook.before_train_iter(runner, 0)
        seen.append((model.head.loss_module.teacher_temp,
                     model.neck.last_layer.frozen))
    assert seen == [(0.02, True), (pytest.approx(0.04), True),
                    (pytest.approx(0.06), False), (0.06, False)]


def test_a_frozen_last_layer_gets_no_gradient():
    neck = MODELS.build(
        dict(
            type='DINOProjection',
            in_channels=6,
            hid_channels=8,
            bottleneck_channels=4,
            out_channels=10))
    x = (torch.randn(2, 6, 3, 3), )
    neck.last_layer.frozen = True
    neck(x)[0].sum().backward()
    assert neck.last_layer.weight_v.grad is None
    assert neck.mlp[0].weight.grad.abs().sum() > 0
    neck.last_layer.frozen = False
    neck(x)[0].square().sum().backward()
    assert neck.last_layer.weight_v.grad.abs().sum() > 0
    # norm_last_layer: the weight norm is fixed at 1, not a parameter
    assert 'last_layer.weight_g' not in dict(neck.named_parameters())
    weight = neck.last_layer.weight_v / neck.last_layer.weight_v.norm(
        dim=1, keepdim=True)
    torch.testing.assert_close(weight.norm(dim=1), torch.ones(10))


def test_projection_is_normalised_before_the_last_layer():
    neck = MODELS.build(
        dict(
            type='DINOProjection',
            in_channels=6,
            hid_channels=8,
            bottleneck_channels=4,
            out_channels=10,
            num_layers=2))
    pooled = torch.randn(5, 6)
    hidden = torch.nn.functional.normalize(neck.mlp(pooled), dim=-1)
    v = neck.last_layer.weight_v
    expected = hidden @ (v / v.norm(dim=1, keepdim=True)).t()
    torch.testing.assert_close(neck((pooled, ))[0], expected)
    feature_map = pooled[:, :, None, None].expand(5, 6, 2, 2)
    torch.testing.assert_close(neck((feature_map, ))[0], expected)


def test_views_are_grouped_by_consecutive_size():
    views = [torch.zeros(1, 3, s, s) for s in (32, 32, 16, 16, 16, 32)]
    assert views_by_resolution(views) == [[0, 1], [2, 3, 4], [5]]


# pad_small_map: the 16 px local views give a 2 x 2 last stage, smaller than
# the window (as Swin-T's 7 x 7 window and 96 px multi-crop views do)
TINY_SWIN = dict(
    type='SwinTransformer',
    arch=dict(embed_dims=16, depths=[1, 1], num_heads=[1, 2]),
    img_size=32,
    window_size=4,
    drop_path_rate=0.0,
    pad_small_map=True,
    out_indices=(1, ))


def _tiny_dino(**overrides):
    """DINO on the tiny Swin (32 channels at its last stage), K = 32."""
    return dict(
        dict(
            type='DINO',
            backbone=TINY_SWIN,
            neck=dict(
                type='DINOProjection',
                in_channels=32,
                hid_channels=16,
                bottleneck_channels=8,
                out_channels=32),
            head=dict(
                type='DINOHead', loss=dict(type='DINOLoss', out_channels=32)),
            data_preprocessor=dict(
                type='SelfSupDataPreprocessor', mean=[0] * 3, std=[1] * 3)),
        **overrides)


def test_backbone_by_view_equals_one_pass_per_view():
    torch.manual_seed(0)
    swin = MODELS.build(TINY_SWIN)
    views = [torch.randn(2, 3, s, s) for s in (32, 32, 16, 16)]
    grouped = backbone_by_view(swin, views, [0, 1, 2, 3])
    for index, view in enumerate(views):
        torch.testing.assert_close(grouped[index][0], swin(view)[0])


def test_dino_trains_a_tiny_swin_on_multi_crop_views():
    MessageHub.get_current_instance().update_info('max_iters', 10)
    torch.manual_seed(0)
    model = MODELS.build(_tiny_dino())
    views = [torch.randn(2, 3, s, s) for s in (32, 32, 16, 16, 16)]
    losses = model.loss(views, [])
    # 2 teacher views x 5 student views - 2 identical pairs, each term at
    # most log(32) + what the sharpened teacher adds; a finite positive loss
    assert torch.isfinite(losses['loss']) and losses['loss'] > 0
    losses['loss'].backward()
    assert model.backbone.patch_embed.projection.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.teacher.parameters())
    assert model.head.loss_module.center.abs().sum() > 0


def test_lc_dino_local_target_is_the_teacher_on_ic():
    """L_LC reads the teacher backbone's map of Ic (view 0) through the EMA
    local neck and the student's map of Isc (view 1): checked with a teacher
    made different from the student and EMA steps of zero."""
    from mmlc.testing import fake_view_batch
    MessageHub.get_current_instance().update_info('max_iters', 10)
    torch.manual_seed(0)
    model = MODELS.build(
        _tiny_dino(
            type='LCDINO',
            local_branch=dict(
                alpha=0.5,
                local_neck=dict(
                    type='LocalProjectionNeck',
                    in_channels=32,
                    hid_channels=32,
                    out_channels=8,
                    norm_cfg=dict(type='BN')),
                local_head=dict(
                    type='LCHead',
                    loss=dict(type='LocalContrastiveLoss', temperature=0.2)))))
    # the first EMA step copies the student; take it, then move the teacher
    model.teacher.update_parameters(
        torch.nn.Sequential(model.backbone, model.neck))
    model.local_branch.update_target()
    with torch.no_grad():
        for param in model.teacher.parameters():
            param.add_(0.5 * torch.randn_like(param))
    model.teacher.momentum = model.local_branch.target_neck.momentum = 0.0
    data = fake_view_batch(4, 32, 2, seed=2)
    views, samples = data['inputs'], data['data_samples']
    losses = model.loss(views, samples)
    branch = model.local_branch
    with torch.no_grad():
        teacher_ic = model.teacher.module[0](views[0])
        student_isc = model.backbone(views[1])
        expected = branch.loss(student_isc, branch.target_dense(teacher_ic),
                               samples)['l_lc']
        student_ic = model.backbone(views[0])
        wrong = branch.loss(student_isc, branch.target_dense(student_ic),
                            samples)['l_lc']
    torch.testing.assert_close(losses['l_lc'], expected)
    assert not torch.allclose(wrong, expected)
