"""The Swin layouts the converter reads: mmpretrain's (test_any_backbone.py)
and the official Swin repo's, checked here against an official-style patch
merging written in the test and by a round trip of every key; and DINO's
teacher as ``--branch target``."""
import re

import pytest
import torch
from mmengine.logging import MessageHub
from torch import nn

from mmlc.converters import ConversionError, convert_checkpoint
from mmlc.converters.swin import from_official_swin
from mmlc.registry import MODELS

TINY_SWIN = dict(
    type='SwinTransformer',
    arch=dict(embed_dims=8, depths=[2, 2], num_heads=[1, 2]),
    img_size=32,
    window_size=4,
    out_indices=(1, ))


def official_patch_merging(x, hw, norm, reduction):
    """The official repo's PatchMerging: the pixels (0, 0), (1, 0), (0, 1),
    (1, 1) of every 2 x 2 patch side by side, LayerNorm, linear."""
    b, _, c = x.shape
    h, w = hw
    x = x.view(b, h, w, c)
    x = torch.cat([
        x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]
    ], -1).view(b, -1, 4 * c)
    return reduction(norm(x))


def test_converted_patch_merging_computes_the_official_one():
    torch.manual_seed(0)
    channels = 6
    norm = nn.LayerNorm(4 * channels)
    nn.init.normal_(norm.weight)
    nn.init.normal_(norm.bias)
    reduction = nn.Linear(4 * channels, 2 * channels, bias=False)
    official = {
        'layers.0.blocks.0.attn.qkv.weight': torch.zeros(1),
        'layers.0.downsample.norm.weight': norm.weight.detach(),
        'layers.0.downsample.norm.bias': norm.bias.detach(),
        'layers.0.downsample.reduction.weight': reduction.weight.detach(),
    }
    converted = from_official_swin(official)
    swin = MODELS.build(
        dict(
            TINY_SWIN,
            arch=dict(embed_dims=channels, depths=[1, 1], num_heads=[1, 1])))
    merging = swin.stages[0].downsample
    merging.load_state_dict({
        k[len('stages.0.downsample.'):]: v
        for k, v in converted.items() if k.startswith('stages.0.downsample.')
    })
    x = torch.randn(2, 8 * 8, channels)
    merged, out_hw = merging(x, (8, 8))
    assert tuple(out_hw) == (4, 4)
    with torch.no_grad():
        torch.testing.assert_close(
            merged, official_patch_merging(x, (8, 8), norm, reduction))


def _to_official(state):
    """mmpretrain Swin keys -> the official repo's, written out by hand (the
    inverse of the converter's renames and patch-merging order), plus the
    classifier and attention-mask entries an official file carries."""
    official = {}
    for key, value in state.items():
        name = key.replace('stages.', 'layers.').replace(
            '.attn.w_msa.',
            '.attn.').replace('.ffn.layers.0.0.', '.mlp.fc1.').replace(
                '.ffn.layers.1.',
                '.mlp.fc2.').replace('patch_embed.projection.',
                                     'patch_embed.proj.')
        name = re.sub(r'^norm\d+\.', 'norm.', name)
        if '.downsample.' in key:
            *lead, four_c = value.shape
            # unfold (channel, position) -> official (position, channel)
            value = value.reshape(*lead, four_c // 4, 4)[..., [0, 2, 1, 3]]
            value = value.transpose(-1, -2).reshape(*lead, four_c)
        official[name] = value.clone()
    official['head.weight'] = torch.zeros(10, 16)
    official['layers.0.blocks.1.attn_mask'] = torch.zeros(4, 16, 16)
    return official


@pytest.mark.parametrize('wrapped', [True, False])
def test_an_official_checkpoint_converts_to_every_mmpretrain_key(
        tmp_path, wrapped):
    torch.manual_seed(1)
    swin = MODELS.build(TINY_SWIN)
    state = {
        k: v + torch.randn_like(v.float()).to(v.dtype)
        for k, v in swin.state_dict().items()
    }
    official = _to_official(state)
    assert 'norm.weight' in official and 'layers.1.blocks.0.mlp.fc2.bias' in (
        official)
    src = tmp_path / 'swin_official.pth'
    torch.save({'model': official} if wrapped else official, src)
    written = convert_checkpoint(
        str(src), str(tmp_path / 'out.pth'), backbone_cfg=TINY_SWIN)
    assert set(written) == set(state)
    for key, value in state.items():
        torch.testing.assert_close(written[key], value, msg=key)
    swin.load_state_dict(written, strict=True)


def test_an_official_checkpoint_has_no_target_branch(tmp_path):
    swin = MODELS.build(TINY_SWIN)
    src = tmp_path / 'swin_official.pth'
    torch.save({'model': _to_official(swin.state_dict())}, src)
    with pytest.raises(ConversionError, match='--branch online only'):
        convert_checkpoint(
            str(src),
            str(tmp_path / 'out.pth'),
            branch='target',
            backbone_cfg=TINY_SWIN)


def test_branch_target_of_a_dino_checkpoint_is_the_teacher(tmp_path):
    MessageHub.get_current_instance().update_info('max_iters', 10)
    dino = MODELS.build(
        dict(
            type='DINO',
            backbone=TINY_SWIN,
            neck=dict(
                type='DINOProjection',
                in_channels=16,
                hid_channels=8,
                bottleneck_channels=4,
                out_channels=8),
            head=dict(
                type='DINOHead', loss=dict(type='DINOLoss', out_channels=8))))
    with torch.no_grad():
        for param in dino.teacher.parameters():
            param.add_(1.0)
    src = tmp_path / 'dino.pth'
    torch.save({'state_dict': dino.state_dict()}, src)
    online = convert_checkpoint(
        str(src), str(tmp_path / 'student.pth'), backbone_cfg=TINY_SWIN)
    target = convert_checkpoint(
        str(src),
        str(tmp_path / 'teacher.pth'),
        branch='target',
        backbone_cfg=TINY_SWIN)
    teacher_backbone = dino.teacher.module[0].state_dict()
    student_backbone = dino.backbone.state_dict()
    for key in student_backbone:
        torch.testing.assert_close(online[key], student_backbone[key])
        torch.testing.assert_close(target[key], teacher_backbone[key])
