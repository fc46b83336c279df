"""CPUAutocastOptimWrapper: bfloat16 forward, float32 weights and gradients."""
import pytest
import torch
from mmengine.optim import build_optim_wrapper
from torch import nn

from mmlc.engine import CPUAutocastOptimWrapper


def _wrapper(model, **kwargs):
    return build_optim_wrapper(
        model,
        dict(
            type='CPUAutocastOptimWrapper',
            optimizer=dict(type='SGD', lr=0.1),
            **kwargs))


def test_forward_runs_in_bfloat16_inside_the_context_only():
    model = nn.Linear(4, 3)
    wrapper = _wrapper(model)
    assert isinstance(wrapper, CPUAutocastOptimWrapper)
    x = torch.randn(2, 4)
    with wrapper.optim_context(model):
        assert model(x).dtype == torch.bfloat16
    assert model(x).dtype == torch.float32


def test_step_updates_float32_weights_like_the_bfloat16_gradient_says():
    torch.manual_seed(0)
    model = nn.Linear(4, 1, bias=False)
    wrapper = _wrapper(model)
    x = torch.randn(8, 4)
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        loss = model(x).float().pow(2).mean()
    wrapper.update_params(loss)
    assert model.weight.dtype == torch.float32
    # the float32 gradient of mean((x w)^2) is 2 mean(x (x w)); bfloat16 keeps
    # ~3 digits
    expected = 2 * (x * (x @ before.T)).mean(0, keepdim=True)
    torch.testing.assert_close(
        before - model.weight.detach(), 0.1 * expected, rtol=3e-2, atol=1e-3)


def test_an_unsupported_dtype_names_the_config_key():
    with pytest.raises(ValueError, match='optim_wrapper.dtype'):
        _wrapper(nn.Linear(2, 2), dtype='float16')
