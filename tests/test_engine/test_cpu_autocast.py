"""CPUAutocastOptimWrapper: bfloat16 forward, float32 weights and gradients,
and float32 on a CPU without native bfloat16 kernels."""
import logging

import pytest
import torch
from mmengine.optim import build_optim_wrapper
from torch import nn

from mmlc.engine import CPUAutocastOptimWrapper
from mmlc.engine.optimizers import cpu_autocast


@pytest.fixture
def native_bfloat16(monkeypatch):
    """Pretend the CPU has (True) or lacks (False) native bfloat16 kernels;
    returns the messages the wrapper logs."""
    messages = []

    def pretend(native: bool):
        monkeypatch.setattr(cpu_autocast, 'cpu_has_native_bfloat16',
                            lambda: native)
        monkeypatch.setattr(
            cpu_autocast, 'print_log', lambda msg, **kwargs: messages.append(
                (msg, kwargs.get('level'))))
        return messages

    return pretend


def _wrapper(model, **kwargs):
    return build_optim_wrapper(
        model,
        dict(
            type='CPUAutocastOptimWrapper',
            optimizer=dict(type='SGD', lr=0.1),
            **kwargs))


def test_forward_runs_in_bfloat16_inside_the_context_only(native_bfloat16):
    messages = native_bfloat16(True)
    model = nn.Linear(4, 3)
    wrapper = _wrapper(model)
    assert isinstance(wrapper, CPUAutocastOptimWrapper)
    assert wrapper.cast_dtype == torch.bfloat16
    x = torch.randn(2, 4)
    with wrapper.optim_context(model):
        assert model(x).dtype == torch.bfloat16
    assert model(x).dtype == torch.float32
    assert messages == []


def test_step_updates_float32_weights_like_the_bfloat16_gradient_says(
        native_bfloat16):
    native_bfloat16(True)
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


def test_without_native_bfloat16_it_trains_in_float32_and_warns(
        native_bfloat16):
    messages = native_bfloat16(False)
    torch.manual_seed(0)
    model = nn.Linear(4, 1, bias=False)
    wrapper = _wrapper(model)
    assert wrapper.cast_dtype is None
    x = torch.randn(8, 4)
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        output = model(x)
        assert output.dtype == torch.float32
        loss = output.pow(2).mean()
    wrapper.update_params(loss)
    # float32 all the way: the step matches the analytic gradient to float32
    # rounding, far tighter than bfloat16's ~3 digits
    expected = 2 * (x * (x @ before.T)).mean(0, keepdim=True)
    torch.testing.assert_close(
        before - model.weight.detach(), 0.1 * expected, rtol=1e-5, atol=1e-7)
    assert len(messages) == 1
    message, level = messages[0]
    assert level == logging.WARNING
    assert 'optim_wrapper.type=CPUAutocastOptimWrapper' in message
    assert 'float32' in message


def test_an_unsupported_dtype_names_the_config_key():
    with pytest.raises(ValueError, match='optim_wrapper.dtype'):
        _wrapper(nn.Linear(2, 2), dtype='float16')
