"""weight_movement, norm_movement and stage_movement against hand-computed
values."""
import math

import pytest
import torch

from mmlc.evaluation import (backbone_movement, filter_bank_summary,
                             norm_movement, stage_movement, weight_movement)


def by_name(rows):
    return {row['name']: row for row in rows}


def test_each_kernel_against_hand_computed_values():
    kernel = torch.tensor([[3.0, 4.0]])  # norm 5
    initial = {
        'conv1.weight': kernel,
        'layer1.0.conv1.weight': kernel,
        'layer1.0.conv2.weight': kernel,
        'layer2.0.conv1.weight': torch.tensor([[1.0, 0.0]]),
    }
    trained = {
        'conv1.weight': 2 * kernel,  # scaled: cosine 1, change 1
        'layer1.0.conv1.weight': kernel.clone(),  # untouched
        'layer1.0.conv2.weight': -kernel,  # reversed: change 2
        'layer2.0.conv1.weight': torch.tensor([[0.0, 1.0]]),  # orthogonal
    }
    rows = by_name(weight_movement(initial, trained))
    expected = {
        'conv1.weight': ('conv1', 1.0, 1.0, 2.0),
        'layer1.0.conv1.weight': ('layer1', 1.0, 0.0, 1.0),
        'layer1.0.conv2.weight': ('layer1', -1.0, 2.0, 1.0),
        'layer2.0.conv1.weight': ('layer2', 0.0, math.sqrt(2), 1.0),
    }
    assert list(rows) == list(expected)
    for name, (stage, cosine, change, norm_ratio) in expected.items():
        row = rows[name]
        assert row['stage'] == stage
        assert row['cosine'] == pytest.approx(cosine, abs=1e-12)
        assert row['change'] == pytest.approx(change, abs=1e-12)
        assert row['norm_ratio'] == pytest.approx(norm_ratio, abs=1e-12)


def test_stages_average_their_kernels():
    rows = [
        dict(stage='conv1', cosine=0.5, change=1.0, norm_ratio=2.0),
        dict(stage='layer1', cosine=1.0, change=0.0, norm_ratio=1.0),
        dict(stage='layer1', cosine=0.0, change=2.0, norm_ratio=0.5),
    ]
    stages = stage_movement(rows)
    assert list(stages) == ['conv1', 'layer1']
    assert stages['conv1'] == dict(
        cosine=0.5, change=1.0, norm_ratio=2.0, kernels=1)
    assert stages['layer1'] == dict(
        cosine=0.5, change=1.0, norm_ratio=0.75, kernels=2)


def test_norm_layers_biases_and_missing_kernels_are_left_out():
    initial = {
        'layer1.0.conv1.weight': torch.ones(2, 3, 3, 3),
        'layer1.0.bn1.weight': torch.ones(2),
        'layer1.0.bn1.bias': torch.zeros(2),
        'fc.weight': torch.ones(4, 2),
    }
    trained = {
        'layer1.0.conv1.weight': torch.ones(2, 3, 3, 3),
        'layer1.0.bn1.weight': 3 * torch.ones(2),
        'layer1.0.bn1.bias': torch.ones(2),
    }
    rows = weight_movement(initial, trained)
    assert [row['name'] for row in rows] == ['layer1.0.conv1.weight']


def test_a_reshaped_kernel_is_named():
    with pytest.raises(ValueError, match='layer1.0.conv1.weight'):
        weight_movement({'layer1.0.conv1.weight': torch.ones(2, 3)},
                        {'layer1.0.conv1.weight': torch.ones(3, 2)})


def test_state_dicts_without_a_shared_kernel_are_refused():
    with pytest.raises(ValueError, match='share no kernel'):
        weight_movement({'backbone.conv1.weight': torch.ones(2, 3)},
                        {'conv1.weight': torch.ones(2, 3)})


def test_each_norm_layer_against_hand_computed_values():
    initial = {
        'bn1.weight': torch.ones(4),
        'bn1.bias': torch.zeros(4),
        'bn1.running_mean': torch.zeros(4),
        'layer1.0.conv1.weight': torch.ones(4, 4, 3, 3),
        'layer1.0.conv1.bias': torch.zeros(4),
        'layer1.0.bn1.weight': torch.ones(2),
        'layer1.0.bn1.bias': torch.zeros(2),
    }
    trained = {
        # weight shifts 1, -1, 1, -1: RMS 1, mean 1; bias 0.5 each: RMS 0.5
        'bn1.weight': torch.tensor([2.0, 0.0, 2.0, 0.0]),
        'bn1.bias': torch.full((4, ), 0.5),
        'bn1.running_mean': torch.ones(4),
        'layer1.0.conv1.weight': torch.ones(4, 4, 3, 3),
        'layer1.0.conv1.bias': torch.ones(4),  # a conv bias: no norm layer
        # weight 0.5 everywhere: shift RMS 0.5; bias 3 and -4: RMS sqrt(12.5)
        'layer1.0.bn1.weight': torch.full((2, ), 0.5),
        'layer1.0.bn1.bias': torch.tensor([3.0, -4.0]),
    }
    rows = by_name(norm_movement(initial, trained))
    expected = {
        'bn1': ('bn1', 1.0, 1.0, 0.5),
        'layer1.0.bn1': ('layer1', 0.5, 0.5, math.sqrt(12.5)),
    }
    assert list(rows) == list(expected)
    for name, (stage, weight_mean, weight_shift,
               bias_shift) in (expected.items()):
        row = rows[name]
        assert row['stage'] == stage
        assert row['weight_mean'] == pytest.approx(weight_mean, abs=1e-12)
        assert row['weight_shift'] == pytest.approx(weight_shift, abs=1e-12)
        assert row['bias_shift'] == pytest.approx(bias_shift, abs=1e-12)

    stages = stage_movement(list(rows.values()), count_key='layers')
    assert stages['layer1'] == dict(
        weight_mean=0.5,
        weight_shift=0.5,
        bias_shift=pytest.approx(math.sqrt(12.5)),
        layers=1)
    # both summaries at once: the conv kernel did not move
    movement = backbone_movement(initial, trained)
    assert movement['norm_stages'] == stages
    assert movement['stages'] == dict(
        layer1=pytest.approx(
            dict(cosine=1.0, change=0.0, norm_ratio=1.0, kernels=1)))
    # no stem convolution in these weights: no filter-bank summary
    assert 'stem_filters' not in movement


def test_backbone_movement_summarises_the_stem_filters_before_and_after():
    torch.manual_seed(0)
    start = {'conv1.weight': torch.randn(8, 3, 7, 7)}
    # training made every filter a box filter of its own sign and scale
    box = torch.ones(8, 3, 7, 7) * torch.linspace(-2, 2, 8).add(0.1).view(
        8, 1, 1, 1)
    movement = backbone_movement(start, {'conv1.weight': box})
    filters = movement['stem_filters']
    assert filters['start'] == filter_bank_summary(start['conv1.weight'])
    assert filters['trained'] == pytest.approx(
        dict(
            effective_rank=1.0,
            top3_variance=1.0,
            flat_share=1.0,
            channel_mean_share=1.0))
    assert filters['start']['effective_rank'] > 7


def test_norm_movement_needs_both_sides_and_names_a_reshaped_layer():
    weights = {'bn1.weight': torch.ones(2), 'bn1.bias': torch.zeros(2)}
    assert norm_movement(weights, {'bn1.weight': torch.ones(2)}) == []
    assert norm_movement({'fc.weight': torch.ones(2, 2)},
                         {'fc.weight': torch.ones(2, 2)}) == []
    with pytest.raises(ValueError, match='bn1.bias'):
        norm_movement(weights, {
            'bn1.weight': torch.ones(2),
            'bn1.bias': torch.zeros(3)
        })
