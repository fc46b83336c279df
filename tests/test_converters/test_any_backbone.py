"""The converter on backbones other than ResNet: a Swin-T and a ConvNeXt-T
mmpretrain backbone (online and target branch of a self-supervised
checkpoint) go into mmdet's and mmseg's backbone of the same architecture
with every tensor loaded."""
import os.path as osp

import pytest
import torch

from mmlc.converters import ConversionError, convert_checkpoint
from mmlc.registry import MODELS

SWIN_T = dict(
    type='SwinTransformer',
    arch='tiny',
    img_size=224,
    out_indices=(0, 1, 2, 3))
CONVNEXT_T = dict(type='ConvNeXt', arch='tiny', out_indices=(0, 1, 2, 3))
# the same architectures as mmdet's / mmseg's configs build them, with the
# `Pretrained` init their configs give (ConvNeXt: prefix='backbone.')
DOWNSTREAM = {
    'SwinTransformer': (dict(
        type='SwinTransformer',
        embed_dims=96,
        depths=(2, 2, 6, 2),
        num_heads=(3, 6, 12, 24),
        window_size=7,
        out_indices=(0, 1, 2, 3)), {}),
    'ConvNeXt':
    (dict(type='mmpretrain.ConvNeXt', arch='tiny',
          out_indices=(0, 1, 2, 3)), dict(prefix='backbone.')),
}


def _self_supervised_checkpoint(backbone_cfg, path):
    """An online backbone and a different target copy, as BYOL-style
    algorithms save them; returns both state dicts."""
    torch.manual_seed(0)
    online = MODELS.build(dict(backbone_cfg)).state_dict()
    online = {
        k: v + torch.randn_like(v.float()).to(v.dtype)
        for k, v in online.items()
    }
    target = {k: -v if v.is_floating_point() else v for k, v in online.items()}
    state = {f'backbone.{k}': v for k, v in online.items()}
    state.update({f'target_net.module.0.{k}': v for k, v in target.items()})
    state['neck.fc.weight'] = torch.zeros(2, 2)
    torch.save({'meta': {}, 'state_dict': state}, path)
    return {'online': online, 'target': target}


def _load_downstream(scope, cfg, init_kwargs, checkpoint):
    """Build ``cfg`` as an mmdet / mmseg config would (in that scope) and
    initialise it from ``checkpoint``."""
    from mmengine.config import ConfigDict
    from mmengine.registry import DefaultScope
    registry = __import__(f'{scope}.registry', fromlist=['MODELS']).MODELS
    with DefaultScope.overwrite_default_scope(scope):
        # a ConfigDict, as from a config file (mmdet's Swin reads
        # init_cfg.checkpoint as an attribute)
        model = registry.build(
            ConfigDict(
                cfg,
                init_cfg=dict(
                    type='Pretrained', checkpoint=checkpoint, **init_kwargs)))
        assert type(model).__module__.startswith(
            'mmpretrain' if cfg['type'].startswith('mmpretrain.') else scope)
        model.init_weights()
    return model.state_dict()


@pytest.mark.parametrize(
    'backbone_cfg', [SWIN_T, CONVNEXT_T], ids=['swin-t', 'convnext-t'])
@pytest.mark.parametrize('branch', ['online', 'target'])
def test_round_trip_into_mmdet_and_mmseg(backbone_cfg, branch, tmp_path):
    src = str(tmp_path / 'ssl.pth')
    expected = _self_supervised_checkpoint(backbone_cfg, src)[branch]
    dst = str(tmp_path / f'{branch}.pth')
    written = convert_checkpoint(
        src, dst, branch=branch, backbone_cfg=backbone_cfg)
    assert set(written) == set(expected)
    for scope in ('mmdet', 'mmseg'):
        loaded = _load_downstream(scope, *DOWNSTREAM[backbone_cfg['type']],
                                  dst)
        assert set(loaded) == set(expected), scope
        for key, value in expected.items():
            torch.testing.assert_close(
                loaded[key], value, rtol=0, atol=0, msg=f'{scope} {key}')


def test_a_backbone_that_does_not_match_is_named(tmp_path):
    src = str(tmp_path / 'ssl.pth')
    _self_supervised_checkpoint(CONVNEXT_T, src)
    small = dict(CONVNEXT_T, arch='small')
    with pytest.raises(ConversionError, match=r'\(ConvNeXt\).*missing'):
        convert_checkpoint(src, str(tmp_path / 'x.pth'), backbone_cfg=small)
    with pytest.raises(ConversionError, match='ResNets only'):
        convert_checkpoint(
            src,
            str(tmp_path / 'x.pkl'),
            to='detectron2',
            backbone_cfg=CONVNEXT_T)
    assert not osp.exists(tmp_path / 'x.pth')


@pytest.mark.parametrize('scope', ['mmdet', 'mmseg'])
def test_same_swin_keys_mean_the_same_function(scope):
    """Equal keys are not enough: the weights must compute the same maps.
    They do for maps larger than the window (320 px: 10 x 10 last stage);
    at a last stage exactly as large as the window (224 px) mmpretrain's
    Swin stops shifting unless ``pad_small_map=True``."""
    from mmengine.registry import DefaultScope
    torch.manual_seed(1)
    source = MODELS.build(dict(SWIN_T))
    source.eval()
    registry = __import__(f'{scope}.registry', fromlist=['MODELS']).MODELS
    with DefaultScope.overwrite_default_scope(scope):
        downstream = registry.build(DOWNSTREAM['SwinTransformer'][0])
    downstream.load_state_dict(source.state_dict(), strict=True)
    downstream.eval()
    image = torch.randn(1, 3, 320, 320)
    with torch.no_grad():
        for ours, theirs in zip(source(image), downstream(image)):
            torch.testing.assert_close(ours, theirs)


def test_backbone_config_is_read_from_a_config_file(repo_root, tmp_path):
    from mmlc.converters import backbone_cfg_from_config
    config = osp.join(repo_root, 'configs', 'lc_byol',
                      'lc-byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py')
    backbone = backbone_cfg_from_config(config)
    assert backbone['type'] == 'ResNet' and backbone['depth'] == 18
    assert backbone['dilations'] == (1, 1, 1, 2)
    no_model = tmp_path / 'no_model.py'
    no_model.write_text('x = 1\n')
    with pytest.raises(ConversionError, match=r'no_model\.py: no model'):
        backbone_cfg_from_config(str(no_model))
