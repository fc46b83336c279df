"""Checkpoint conversion: round trips, third-party layouts, refusals."""
import os
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
import torchvision

from mmlc.converters import ConversionError, convert_checkpoint, read_backbone

TOOL = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
    'model_converters', 'convert_checkpoint.py')


def random_resnet_state(depth=50, seed=0):
    torch.manual_seed(seed)
    model = getattr(torchvision.models, f'resnet{depth}')(weights=None)
    state = model.state_dict()
    for key, value in state.items():  # make BN statistics distinguishable too
        if value.is_floating_point():
            value.copy_(torch.randn_like(value))
    return state


def backbone_only(state):
    return {k: v for k, v in state.items() if not k.startswith('fc.')}


def detectron2_resnet50_table():
    """detectron2's R-50 names and shapes, written from its ResNet
    definition."""
    table = {'stem.conv1.weight': (64, 3, 7, 7)}
    for p in ('weight', 'bias', 'running_mean', 'running_var'):
        table[f'stem.conv1.norm.{p}'] = (64, )
    in_ch = 64
    for stage, (blocks, mid) in enumerate([(3, 64), (4, 128), (6, 256),
                                           (3, 512)],
                                          start=2):
        out = mid * 4
        for b in range(blocks):
            convs = {
                'conv1': (mid, in_ch, 1, 1),
                'conv2': (mid, mid, 3, 3),
                'conv3': (out, mid, 1, 1)
            }
            if b == 0:
                convs['shortcut'] = (out, in_ch, 1, 1)
            for name, shape in convs.items():
                table[f'res{stage}.{b}.{name}.weight'] = shape
                for p in ('weight', 'bias', 'running_mean', 'running_var'):
                    table[f'res{stage}.{b}.{name}.norm.{p}'] = (shape[0], )
            in_ch = out
    return table


@pytest.fixture(scope='module')
def mmlc_checkpoint(tmp_path_factory, repo_root):
    """A real LCBYOL ResNet-50 checkpoint as the Runner writes it."""
    from mmengine.config import Config

    from mmlc.registry import MODELS
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs', 'lc_byol',
                 'lc-byol_resnet50_16xb256-coslr-400e_in1k.py'))
    cfg.model.backbone.norm_cfg = dict(type='BN')
    cfg.model.neck.norm_cfg = cfg.model.head.predictor.norm_cfg = dict(
        type='BN1d')
    cfg.model.local_branch.local_neck.norm_cfg = dict(type='BN')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    with torch.no_grad():
        for p in model.backbone.parameters():
            p.add_(torch.randn_like(p))
        model.target_net.module[0].conv1.weight.mul_(-1)
    path = str(tmp_path_factory.mktemp('ckpt') / 'lc-byol.pth')
    torch.save({'meta': {'iter': 1}, 'state_dict': model.state_dict()}, path)
    online = model.backbone.state_dict()
    target = model.target_net.module[0].state_dict()
    return (path, {
        k: v.clone()
        for k, v in online.items()
    }, {
        k: v.clone()
        for k, v in target.items()
    })


def test_mmlc_to_openmmlab_loads_into_mmdet_and_mmseg_resnet(
        mmlc_checkpoint, tmp_path):
    from mmdet.models.backbones import ResNet as DetResNet
    from mmseg.models.backbones import ResNet as SegResNet
    src, online, _ = mmlc_checkpoint
    dst = str(tmp_path / 'backbone.pth')
    convert_checkpoint(src, dst, to='openmmlab')
    assert set(torch.load(dst, weights_only=True)) == {'state_dict', 'meta'}
    for resnet_cls in (DetResNet, SegResNet):
        backbone = resnet_cls(
            depth=50, init_cfg=dict(type='Pretrained', checkpoint=dst))
        backbone.init_weights()
        state = backbone.state_dict()
        assert set(state) == set(online)
        for key, value in online.items():
            torch.testing.assert_close(state[key], value, rtol=0, atol=0)


def test_target_branch_is_the_ema_copy(mmlc_checkpoint):
    src, online, target = mmlc_checkpoint
    backbone = read_backbone(src, branch='target')
    torch.testing.assert_close(backbone['conv1.weight'],
                               target['conv1.weight'])
    assert not torch.equal(backbone['conv1.weight'], online['conv1.weight'])


def test_target_branch_of_an_lc_moco_checkpoint_is_the_key_encoder(
        repo_root, tmp_path):
    from mmengine.config import Config

    from mmlc.registry import MODELS
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs', 'lc_mocov2',
                 'lc-mocov2_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    with torch.no_grad():
        model.encoder_k.module[0].conv1.weight.mul_(-1)
    path = str(tmp_path / 'lc-moco.pth')
    torch.save({'meta': {'iter': 1}, 'state_dict': model.state_dict()}, path)
    target = read_backbone(path, depth=18, branch='target')
    online = read_backbone(path, depth=18)
    expected = model.encoder_k.module[0].state_dict()
    assert set(target) == set(expected)
    for key, value in expected.items():
        torch.testing.assert_close(target[key], value, rtol=0, atol=0)
    assert not torch.equal(target['conv1.weight'], online['conv1.weight'])


def test_to_torchvision_loads_with_only_fc_missing(mmlc_checkpoint, tmp_path):
    src, online, _ = mmlc_checkpoint
    dst = str(tmp_path / 'tv.pth')
    convert_checkpoint(src, dst, to='torchvision')
    model = torchvision.models.resnet50(weights=None)
    missing, unexpected = model.load_state_dict(
        torch.load(dst, weights_only=True), strict=False)
    assert sorted(missing) == ['fc.bias', 'fc.weight'] and unexpected == []
    torch.testing.assert_close(model.layer4[2].conv3.weight,
                               online['layer4.2.conv3.weight'])


def test_to_detectron2_has_exactly_its_names_and_shapes(
        mmlc_checkpoint, tmp_path):
    src, online, _ = mmlc_checkpoint
    dst = str(tmp_path / 'd2.pkl')
    convert_checkpoint(src, dst, to='detectron2')
    with open(dst, 'rb') as f:
        obj = pickle.load(f)
    assert obj['matching_heuristics'] is True and '__author__' in obj
    table = detectron2_resnet50_table()
    assert {k: tuple(v.shape) for k, v in obj['model'].items()} == table
    assert all(isinstance(v, np.ndarray) for v in obj['model'].values())
    np.testing.assert_array_equal(
        obj['model']['res3.0.shortcut.norm.running_var'],
        online['layer2.0.downsample.1.running_var'].numpy())
    # and back: detectron2 -> canonical gives the same tensors
    back = read_backbone(dst)
    for key, value in online.items():
        if not key.endswith('num_batches_tracked'):
            torch.testing.assert_close(back[key], value)


def third_party_layouts(state):
    backbone = backbone_only(state)
    head = {'fc.weight': state['fc.weight'], 'fc.bias': state['fc.bias']}
    other = {k: v + 1 for k, v in backbone.items()}
    d2_weights = {
        _d2(k): v.numpy()
        for k, v in backbone.items() if not k.endswith('num_batches_tracked')
    }
    return {
        'torchvision': state,
        'pixpro': {
            'model': {
                **{
                    f'module.encoder.{k}': v
                    for k, v in backbone.items()
                },
                **{
                    f'module.encoder_k.{k}': v
                    for k, v in other.items()
                }, 'module.projector.linear1.weight': torch.ones(4, 4)
            },
            'optimizer': {},
            'epoch': 400
        },
        'densecl': {
            'state_dict': state,
            'meta': {
                'epoch': 200
            }
        },
        'moco': {
            'state_dict': {
                **{
                    f'module.encoder_q.{k}': v
                    for k, v in state.items()
                },
                **{
                    f'module.encoder_k.{k}': v
                    for k, v in other.items()
                }, 'module.queue': torch.zeros(8, 4)
            },
            'arch': 'resnet50'
        },
        'swav': {
            **{
                f'module.{k}': v
                for k, v in backbone.items()
            }, 'module.projection_head.0.weight': torch.ones(3, 3),
            'module.prototypes.weight': torch.ones(3, 3)
        },
        'solo-learn': {
            'state_dict': {
                **{
                    f'backbone.{k}': v
                    for k, v in backbone.items()
                }, 'projector.0.weight': torch.ones(2, 2),
                **{
                    f'momentum_backbone.{k}': v
                    for k, v in other.items()
                }
            }
        },
        'detectron2': {
            'model': {
                **d2_weights, 'fc1000.weight': np.ones(2)
            },
            '__author__': 'torchvision',
            'matching_heuristics': True
        },
    }, head


def _d2(key):
    from mmlc.converters import canonical_to_detectron2
    return canonical_to_detectron2(key)


@pytest.mark.parametrize('layout', [
    'torchvision', 'pixpro', 'densecl', 'moco', 'swav', 'solo-learn',
    'detectron2'
])
def test_third_party_layouts_convert_to_the_same_tensors(layout, tmp_path):
    state = random_resnet_state()
    sources, _ = third_party_layouts(state)
    suffix = '.pkl' if layout == 'detectron2' else '.pth'
    src = str(tmp_path / f'{layout}{suffix}')
    if layout == 'detectron2':
        with open(src, 'wb') as f:
            pickle.dump(sources[layout], f)
    else:
        torch.save(sources[layout], src)
    backbone = read_backbone(src)
    expected = backbone_only(state)
    assert set(backbone) == set(expected)
    for key, value in expected.items():
        if layout == 'detectron2' and key.endswith('num_batches_tracked'):
            continue
        torch.testing.assert_close(backbone[key], value, rtol=0, atol=0)


def load_tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location('convert_checkpoint_tool',
                                                  TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_refused(code, stderr, tmp_path, before, message):
    assert code == 2, stderr
    assert message in stderr, stderr
    assert 'Traceback' not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == before


def test_cli_entry_point_reports_and_exits_2(tmp_path):
    (tmp_path / 'noise.pth').write_bytes(b'not a checkpoint at all')
    out = subprocess.run([
        sys.executable, TOOL,
        str(tmp_path / 'noise.pth'),
        str(tmp_path / 'out.pth')
    ],
                         capture_output=True,
                         text=True)
    assert_refused(out.returncode, out.stderr, tmp_path, ['noise.pth'],
                   'noise.pth')


def test_refusals_exit_2_and_leave_no_file(tmp_path, capsys):
    tool = load_tool()
    state = random_resnet_state(depth=18)
    torch.save(state, tmp_path / 'r18.pth')
    torch.save({'weights': {'a': torch.ones(1)}}, tmp_path / 'unknown.pth')
    good = tmp_path / 'good.pth'
    torch.save(random_resnet_state(), good)
    (tmp_path / 'truncated.pth').write_bytes(good.read_bytes()[:5000])
    import argparse
    torch.save(
        {
            'state_dict': backbone_only(random_resnet_state()),
            'args': argparse.Namespace(arch='resnet50')
        }, tmp_path / 'namespace.pth')
    before = sorted(os.listdir(tmp_path))
    cases = [
        (['unknown.pth'], 'unknown checkpoint layout'),
        (['truncated.pth'], 'truncated or corrupt'),
        (['r18.pth'], 'does not match ResNet-50'),
        (['namespace.pth'], '--trust-pickle'),
    ]
    for args, message in cases:
        code = tool.main([str(tmp_path / args[0]), str(tmp_path / 'out.pth')])
        assert_refused(code,
                       capsys.readouterr().err, tmp_path, before, message)
    code = tool.main([str(good), str(good)])
    assert_refused(code,
                   capsys.readouterr().err, tmp_path, before,
                   'same file as SRC')
    # the trusted path works for the namespace file, and DST loads weights-only
    code = tool.main([
        str(tmp_path / 'namespace.pth'),
        str(tmp_path / 'out.pth'), '--trust-pickle'
    ])
    assert code == 0, capsys.readouterr().err
    assert 'state_dict' in torch.load(tmp_path / 'out.pth', weights_only=True)


def test_key_names_with_line_breaks_stay_on_the_one_line(tmp_path, capsys):
    """A corrupt byte can turn a key's letter into a line break (found by
    test_convert_fuzz: ``bn1.bias`` became ``bn1.\\rias``)."""
    tool = load_tool()
    state = random_resnet_state(depth=18)
    renamed = {}
    for key, value in state.items():
        if key.endswith('layer1.1.bn1.bias'):
            key = key.replace('bn1.bias', 'bn1.\rias')
        if key.endswith('layer2.0.bn2.weight'):
            key = key.replace('bn2.weight', 'bn2.\nweight\x00')
        renamed[key] = value
    torch.save(renamed, tmp_path / 'corrupt.pth')
    before = sorted(os.listdir(tmp_path))
    code = tool.main([
        str(tmp_path / 'corrupt.pth'),
        str(tmp_path / 'out.pth'), '--depth', '18'
    ])
    err = capsys.readouterr().err
    assert_refused(code, err, tmp_path, before, 'does not match ResNet-18')
    # the names are shown with their escapes, not dropped
    assert 'layer1.1.bn1.\\rias' in err
    assert 'layer2.0.bn2.\\nweight\\x00' in err


def test_wrong_depth_lists_the_keys():
    with pytest.raises(ConversionError, match='missing') as err:
        from mmlc.converters import validate_backbone
        validate_backbone(
            backbone_only(random_resnet_state(depth=18)), depth=50)
    assert 'layer1.0.conv3.weight' in str(err.value)


def test_existing_dst_is_replaced_atomically(tmp_path):
    src = tmp_path / 'src.pth'
    torch.save(random_resnet_state(), src)
    dst = tmp_path / 'dst.pth'
    dst.write_bytes(b'old')
    convert_checkpoint(str(src), str(dst))
    assert 'state_dict' in torch.load(dst, weights_only=True)
    assert sorted(os.listdir(tmp_path)) == ['dst.pth', 'src.pth']
