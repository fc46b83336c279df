"""graft_modules: which keys move, which stay, and what it refuses;
norm_modules: which modules are BN."""
import pytest
import torch

from mmlc.converters import graft_modules, norm_modules

STEM_KEYS = ('conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean',
             'bn1.running_var', 'bn1.num_batches_tracked')
# keys that contain a stem name without being in the stem
LOOKALIKES = ('conv10.weight', 'layer1.0.conv1.weight', 'layer1.0.bn1.weight',
              'layer1.0.bn1.running_mean')


def _state(fill):
    """A hand-built ResNet-like state dict, every tensor filled with
    ``fill``; the shapes differ per key so that a mix-up would show."""
    keys = STEM_KEYS + LOOKALIKES + ('fc.weight', )
    return {
        key: torch.full((index + 1, 2), float(fill))
        for index, key in enumerate(keys)
    }


def test_the_stem_moves_with_its_bn_statistics_and_nothing_else():
    base, donor = _state(0), _state(1)
    grafted = graft_modules(base, donor, ('conv1', 'bn1'))
    assert list(grafted) == list(base)
    for key in STEM_KEYS:
        assert torch.equal(grafted[key], donor[key]), key
    for key in LOOKALIKES + ('fc.weight', ):
        assert torch.equal(grafted[key], base[key]), key


def test_a_graft_changes_neither_input_and_shares_no_storage_with_donor():
    base, donor = _state(0), _state(1)
    grafted = graft_modules(base, donor, ('bn1', ))
    for key in STEM_KEYS[1:]:
        grafted[key].add_(5)
    assert all(
        torch.equal(value, torch.full_like(value, 1.0))
        for value in donor.values())
    assert all(
        torch.equal(value, torch.zeros_like(value)) for value in base.values())


def test_a_whole_stage_moves_by_its_name():
    base, donor = _state(0), _state(2)
    grafted = graft_modules(base, donor, ('layer1', ))
    for key in grafted:
        expected = donor if key.startswith('layer1.') else base
        assert torch.equal(grafted[key], expected[key]), key


def test_refusals_name_the_module_or_the_key():
    base, donor = _state(0), _state(1)
    with pytest.raises(ValueError, match='modules is empty'):
        graft_modules(base, donor, ())
    with pytest.raises(ValueError, match="'layer9' names no key"):
        graft_modules(base, donor, ('conv1', 'layer9'))
    del donor['bn1.running_var']
    with pytest.raises(ValueError, match=r"'bn1'.*bn1\.running_var"):
        graft_modules(base, donor, ('bn1', ))
    donor = _state(1)
    donor['conv1.weight'] = torch.zeros(3, 3)
    with pytest.raises(ValueError, match=r'conv1\.weight: shape \(3, 3\)'):
        graft_modules(base, donor, ('conv1', ))


def test_norm_modules_are_the_modules_with_running_statistics():
    state = _state(0)
    state['layer1.0.downsample.1.running_mean'] = torch.zeros(2)
    state['layer1.0.downsample.1.weight'] = torch.ones(2)
    # a BN-like name without running statistics is no BN module
    state['ln.weight'] = torch.ones(2)
    assert norm_modules(state) == [
        'bn1', 'layer1.0.bn1', 'layer1.0.downsample.1'
    ]
    assert norm_modules({'conv1.weight': torch.zeros(2, 2)}) == []
    # every BN put back: kernels stay, BN weights, biases and statistics move
    grafted = graft_modules(_state(0), _state(1), norm_modules(_state(0)))
    moved = [key for key in grafted if grafted[key].eq(1).all()]
    assert moved == list(
        STEM_KEYS[1:]) + ['layer1.0.bn1.weight', 'layer1.0.bn1.running_mean']
