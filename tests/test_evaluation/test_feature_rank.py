"""Effective rank: hand-computed cases and the tool on real images."""
import math

import numpy as np
import pytest
import torch
from PIL import Image

from mmlc.evaluation import dense_feature_rank, effective_rank, variance_shares


def test_equal_spread_over_k_directions_has_rank_k():
    # +-1 along each of 3 orthogonal axes: equal singular values -> rank
    # exactly 3
    rows = torch.cat([torch.eye(8)[:3], -torch.eye(8)[:3]])
    assert effective_rank(rows) == pytest.approx(3.0, abs=1e-9)


def test_features_on_one_line_have_rank_one_and_all_variance_in_top1():
    direction = torch.randn(16, dtype=torch.float64)
    rows = torch.linspace(-2, 3, 50, dtype=torch.float64)[:, None] * direction
    assert effective_rank(rows) == pytest.approx(1.0, abs=1e-6)
    assert variance_shares(rows)['top1_variance'] == pytest.approx(
        1.0, abs=1e-12)


def test_two_unequal_directions_match_the_entropy_formula():
    # singular values proportional to 3 and 1 -> p = (3/4, 1/4)
    rows = torch.tensor([[3., 0.], [-3., 0.], [0., 1.], [0., -1.]])
    expected = math.exp(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)))
    assert effective_rank(rows) == pytest.approx(expected, rel=1e-9)
    assert variance_shares(
        rows, top=(1, ))['top1_variance'] == pytest.approx(0.9)


def test_constant_features_have_rank_zero():
    assert effective_rank(torch.ones(10, 4)) == 0.0


class ConstantBackbone(torch.nn.Module):

    def forward(self, x):
        return (torch.ones(x.shape[0], 6, 2, 3), )


def test_dense_feature_rank_counts_every_cell(tmp_path):
    paths = []
    for index in range(3):
        path = tmp_path / f'{index}.png'
        Image.fromarray(np.full((20, 20, 3), 40 * index, np.uint8)).save(path)
        paths.append(str(path))
    result = dense_feature_rank(
        ConstantBackbone(), paths, img_size=32, batch_size=2)
    assert result['num_features'] == 3 * 6 and result['channels'] == 6
    assert result['effective_rank'] == 0.0


def test_tool_runs_on_a_random_network(toy_root, tmp_path):
    import importlib.util
    import os.path as osp
    tool = osp.join(
        osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
        'analysis_tools', 'feature_rank.py')
    spec = importlib.util.spec_from_file_location('feature_rank_tool', tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    record = module.main([
        'random',
        osp.join(toy_root, 'imagenet',
                 'val'), '--depth', '18', '--base-channels', '16',
        '--last-stride', '1', '--img-size', '64', '--out',
        str(tmp_path / 'rank.json')
    ])
    assert 1.0 < record['metrics']['effective_rank'] <= record['metrics'][
        'channels'] == 128
    assert (tmp_path / 'rank.json').is_file()
