import os.path as osp

import pytest
import torch
import torchvision


@pytest.fixture(scope='session')
def converted_r50(tmp_path_factory):
    """A converted (openmmlab) ResNet-50 checkpoint with distinctive
    weights."""
    from mmlc.converters import convert_checkpoint
    torch.manual_seed(0)
    state = torchvision.models.resnet50(weights=None).state_dict()
    for key, value in state.items():
        if key.endswith('running_var'):
            value.uniform_(0.5, 1.5)
        elif value.is_floating_point():
            value.add_(0.01 * torch.randn_like(value))
    root = tmp_path_factory.mktemp('r50')
    src = str(root / 'lc-byol-r50-src.pth')
    torch.save({'state_dict': {
        f'backbone.{k}': v
        for k, v in state.items()
    }}, src)
    dst = str(root / 'lc-byol-r50.pth')
    convert_checkpoint(src, dst, to='openmmlab')
    return dst


@pytest.fixture(scope='session')
def benchmark_dir(repo_root):
    return osp.join(repo_root, 'configs', 'benchmarks')
