"""match_kernel_norms: the kernels take the reference's per-channel norms,
keep their directions, and the convolution and its BN compute what they
did before; what it refuses."""
import pytest
import torch
from torch import nn

from mmlc.converters import match_kernel_norms


def _stem(seed: int) -> nn.Sequential:
    """A convolution without bias and its BN, as a ResNet stem, with random
    kernels, BN affine weights and running statistics."""
    torch.manual_seed(seed)
    stem = nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4))
    with torch.no_grad():
        stem[0].weight.mul_(
            torch.tensor([0.5, 1.0, 2.0, 4.0]).view(-1, 1, 1, 1))
        stem[1].weight.uniform_(0.5, 1.5)
        stem[1].bias.uniform_(-0.5, 0.5)
        stem[1].running_mean.uniform_(-1, 1)
        stem[1].running_var.uniform_(0.5, 2)
    return stem


def _rescaled(base: nn.Sequential, reference: nn.Sequential) -> nn.Sequential:
    state = match_kernel_norms(base.state_dict(), reference.state_dict(), '0',
                               '1')
    stem = _stem(99)
    stem.load_state_dict(state)
    return stem


def test_each_channel_takes_the_reference_norm_and_keeps_its_direction():
    base, reference = _stem(0), _stem(1)
    rescaled = _rescaled(base, reference)
    for channel in range(4):
        kernel = rescaled[0].weight[channel].flatten()
        base_kernel = base[0].weight[channel].flatten()
        target = reference[0].weight[channel].flatten()
        assert torch.allclose(kernel.norm(), target.norm())
        assert torch.allclose(
            torch.dot(kernel, base_kernel),
            kernel.norm() * base_kernel.norm(),
            rtol=1e-5)
    # scale = reference norm / base norm, by hand for channel 3
    scale = (reference[0].weight[3].norm() / base[0].weight[3].norm())
    assert torch.allclose(rescaled[1].running_mean[3],
                          base[1].running_mean[3] * scale)
    assert torch.allclose(rescaled[1].running_var[3],
                          base[1].running_var[3] * scale**2)
    # BN's affine weights are left as they were
    assert torch.equal(rescaled[1].weight, base[1].weight)
    assert torch.equal(rescaled[1].bias, base[1].bias)


@pytest.mark.parametrize('train', [True, False])
def test_the_rescaled_convolution_and_bn_compute_the_same_function(train):
    base, reference = _stem(0), _stem(1)
    rescaled = _rescaled(base, reference)
    # the kernels really changed: channel norms 0.5-4 times apart
    assert not torch.allclose(rescaled[0].weight, base[0].weight, atol=1e-2)
    images = torch.randn(8, 3, 10, 10)
    base.train(train)
    rescaled.train(train)
    with torch.no_grad():
        assert torch.allclose(rescaled(images), base(images), atol=1e-3)


def test_the_inputs_are_left_unchanged():
    base, reference = _stem(0).state_dict(), _stem(1).state_dict()
    copies = {key: value.clone() for key, value in base.items()}
    rescaled = match_kernel_norms(base, reference, '0', '1')
    assert list(rescaled) == list(base)
    assert all(torch.equal(base[key], copies[key]) for key in base)


def test_what_it_refuses_names_the_key():
    base, reference = _stem(0).state_dict(), _stem(1).state_dict()
    with pytest.raises(ValueError, match=r'2\.running_mean'):
        match_kernel_norms(base, reference, '0', '2')
    with pytest.raises(ValueError, match=r'0\.weight: shape'):
        match_kernel_norms(
            base, dict(reference, **{'0.weight': torch.ones(2, 3, 3, 3)}), '0',
            '1')
    with pytest.raises(ValueError, match=r'1\.running_var: shape \(4, 1\)'):
        match_kernel_norms(
            dict(base, **{'1.running_var': torch.ones(4, 1)}), reference, '0',
            '1')
    dead = base['0.weight'].clone()
    dead[2] = 0
    with pytest.raises(
            ValueError, match=r'channels \[2\] are zero in the '
            'base'):
        match_kernel_norms(
            dict(base, **{'0.weight': dead}), reference, '0', '1')
    with pytest.raises(ValueError, match=r'0\.bias'):
        match_kernel_norms(
            dict(base, **{'0.bias': torch.zeros(4)}), reference, '0', '1')
