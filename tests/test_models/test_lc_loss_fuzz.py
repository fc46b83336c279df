"""LC-loss under fuzzing: finite value and finite gradients for any input."""
import math

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlc.models.losses.local_contrastive import (local_contrastive_loss,
                                                  local_mse_loss)

EXAMPLES = 300


@st.composite
def lc_inputs(draw):
    b, c = draw(st.integers(1, 2)), draw(st.integers(1, 6))
    h_t, w_t = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h_o, w_o = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**31 - 1))
    generator = torch.Generator().manual_seed(seed)
    scale = 10.0**draw(st.sampled_from([-30, -8, 0, 8, 30]))
    target = torch.randn(b, c, h_t, w_t, generator=generator) * scale
    online = torch.randn(b, c, h_o, w_o, generator=generator) * scale
    zero_fraction = draw(st.sampled_from([0.0, 0.5, 1.0]))
    target[torch.rand(b, 1, h_t, w_t, generator=generator).expand_as(target) <
           zero_fraction] = 0
    online[torch.rand(b, 1, h_o, w_o, generator=generator).expand_as(online) <
           zero_fraction] = 0
    points = torch.rand(b, h_t * w_t, 2, generator=generator) * 3 - 1.5
    validity = draw(st.sampled_from(['all', 'none', 'single', 'random']))
    if validity == 'random':
        valid = torch.rand(b, h_t * w_t, generator=generator) < 0.5
    else:
        valid = torch.zeros(b, h_t * w_t, dtype=torch.bool)
        if validity == 'all':
            valid[:] = True
        elif validity == 'single':
            valid[draw(st.integers(0, b - 1)),
                  draw(st.integers(0, h_t * w_t - 1))] = True
    dtype = draw(st.sampled_from([torch.float32, torch.float16]))
    # values beyond fp16's range are not fp16 inputs
    if dtype == torch.float16:
        target, online = target.clamp(-6e4, 6e4), online.clamp(-6e4, 6e4)
    return dict(
        target=target.to(dtype),
        online=online.to(dtype),
        points=points,
        valid=valid,
        temperature=draw(st.sampled_from([0.05, 0.2, 1.0])),
        impl=draw(st.sampled_from(['direct', 'chunked'])),
        autocast=draw(st.booleans()))


def run_loss(case, fn):
    target = case['target'].clone().requires_grad_()
    online = case['online'].clone().requires_grad_()
    with torch.autocast('cpu', dtype=torch.bfloat16, enabled=case['autocast']):
        loss = fn(target, online, case['points'], case['valid'])
    loss.backward()
    return loss, target.grad, online.grad


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
@given(lc_inputs())
def test_lc_loss_and_gradients_are_always_finite(case):
    loss, target_grad, online_grad = run_loss(
        case, lambda t, o, p, v: local_contrastive_loss(
            t, o, p, v, case['temperature'], impl=case['impl'], chunk_size=3))
    assert loss.dim() == 0 and torch.isfinite(loss)
    assert torch.isfinite(target_grad).all() and torch.isfinite(
        online_grad).all()
    if not case['valid'].any():
        assert loss.item() == 0.0
    else:
        # a negative log-probability: between 0 and log(number of online cells)
        n_online = case['online'].shape[-1] * case['online'].shape[-2]
        bound = (math.log(n_online) + 2.0 / case['temperature'] + 1e-3)
        assert -1e-4 <= loss.item() <= bound


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(lc_inputs())
def test_local_mse_loss_and_gradients_are_always_finite(case):
    loss, target_grad, online_grad = run_loss(case, local_mse_loss)
    assert torch.isfinite(loss) and 0.0 <= loss.item() <= 4.0 + 1e-4
    assert torch.isfinite(target_grad).all() and torch.isfinite(
        online_grad).all()
