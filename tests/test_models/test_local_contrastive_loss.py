"""local_contrastive_loss against a slow reference written with explicit
loops."""
import math

import pytest
import torch

from mmlc.models.losses import local_contrastive_loss, local_mse_loss


def _bilinear_border(value_map, x, y):
    """Explicit bilinear interpolation of value_map[h][w] at grid_sample (x,
    y), align_corners=False, with out-of-range pixel coordinates clamped
    (border)."""
    h, w = len(value_map), len(value_map[0])
    px = min(max(((x + 1) * w - 1) / 2, 0.0), w - 1)
    py = min(max(((y + 1) * h - 1) / 2, 0.0), h - 1)
    x0, y0 = int(math.floor(px)), int(math.floor(py))
    x1, y1 = min(x0 + 1, w - 1), min(y0 + 1, h - 1)
    wx, wy = px - x0, py - y0
    return ((1 - wx) * (1 - wy) * value_map[y0][x0] + wx *
            (1 - wy) * value_map[y0][x1] + (1 - wx) * wy * value_map[y1][x0] +
            wx * wy * value_map[y1][x1])


def _cosine(a, b):
    dot = sum(p * q for p, q in zip(a, b))
    return dot / (
        math.sqrt(sum(p * p for p in a)) * math.sqrt(sum(q * q for q in b)))


def reference_lc_loss(target, online, points, valid, tau):
    """Eq. 2-4 with loops: NLL map per target cell, bilinear at p_sc, mean
    over P."""
    b_size, c, h_t, w_t = target.shape
    _, _, h_o, w_o = online.shape
    total, count = 0.0, 0
    for b in range(b_size):
        for t in range(h_t * w_t):
            if not valid[b, t]:
                continue
            f_t = [float(target[b, k, t // w_t, t % w_t]) for k in range(c)]
            sims = [[
                _cosine(f_t, [float(online[b, k, i, j])
                              for k in range(c)]) / tau for j in range(w_o)
            ] for i in range(h_o)]
            log_z = math.log(sum(math.exp(s) for row in sims for s in row))
            nll = [[log_z - s for s in row] for row in sims]
            total += _bilinear_border(nll, float(points[b, t, 0]),
                                      float(points[b, t, 1]))
            count += 1
    return total / max(count, 1)


@pytest.mark.parametrize('impl', ['direct', 'chunked'])
@pytest.mark.parametrize('seed', range(3))
def test_matches_reference_on_random_inputs(seed, impl):
    g = torch.Generator().manual_seed(seed)
    target = torch.randn(2, 5, 3, 4, generator=g, dtype=torch.float64)
    online = torch.randn(2, 5, 4, 3, generator=g, dtype=torch.float64)
    points = torch.rand(2, 12, 2, generator=g, dtype=torch.float64) * 2.4 - 1.2
    valid = (points.abs() <= 1).all(-1)
    expected = reference_lc_loss(target, online, points, valid, tau=0.3)
    loss = local_contrastive_loss(
        target,
        online,
        points,
        valid,
        temperature=0.3,
        impl=impl,
        chunk_size=5)
    assert loss.dtype == torch.float32
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_sub_pixel_and_border_points():
    g = torch.Generator().manual_seed(7)
    target = torch.randn(1, 4, 2, 2, generator=g)
    online = torch.randn(1, 4, 3, 3, generator=g)
    # online grid 3 x 3: centres at x = -2/3, 0, 2/3. Points: exactly a centre,
    # between centres, between the outermost centre and the border (border
    # value), and exactly on the view border.
    points = torch.tensor([[[0.0, 0.0], [1 / 3, -0.1], [0.9, -0.95],
                            [-1.0, 1.0]]])
    valid = torch.ones(1, 4, dtype=torch.bool)
    expected = reference_lc_loss(target, online, points, valid, tau=0.2)
    loss = local_contrastive_loss(
        target, online, points, valid, temperature=0.2)
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_border_point_takes_the_outermost_value_not_zero_padding():
    # all targets point past the last cell centre: value = NLL at the corner
    # cell
    target = torch.tensor([[[[1.0]], [[0.0]]]])  # one target cell, 2 channels
    online = torch.tensor([[[[1.0, -1.0], [0.0, 0.0]], [[0.0, 0.0], [1.0,
                                                                     1.0]]]])
    points = torch.tensor([[[-0.99, -0.99]]
                           ])  # inside the view, left of centre (-0.5)
    valid = torch.ones(1, 1, dtype=torch.bool)
    sims = torch.tensor([1.0, -1.0, 0.0, 0.0]) / 0.5
    corner_nll = -torch.log_softmax(sims, 0)[0]
    loss = local_contrastive_loss(
        target, online, points, valid, temperature=0.5)
    torch.testing.assert_close(loss, corner_nll)


def test_no_valid_pair_gives_zero_that_backpropagates():
    target = torch.randn(2, 3, 2, 2, requires_grad=True)
    online = torch.randn(2, 3, 2, 2, requires_grad=True)
    points = torch.full((2, 4, 2), 3.0)
    valid = torch.zeros(2, 4, dtype=torch.bool)
    loss = local_contrastive_loss(
        target, online, points, valid, temperature=0.1)
    assert loss.item() == 0.0
    loss.backward()
    assert torch.isfinite(online.grad).all() and torch.isfinite(
        target.grad).all()


def test_float32_under_autocast():
    target = torch.randn(1, 8, 2, 2).bfloat16()
    online = torch.randn(1, 8, 2, 2).bfloat16()
    points = torch.zeros(1, 4, 2)
    valid = torch.ones(1, 4, dtype=torch.bool)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss = local_contrastive_loss(
            target, online, points, valid, temperature=0.2)
    assert loss.dtype == torch.float32
    ref = local_contrastive_loss(target.float(), online.float(), points, valid,
                                 0.2)
    torch.testing.assert_close(loss, ref)


def test_rejects_bad_temperature_and_shapes():
    feat = torch.randn(1, 2, 2, 2)
    points, valid = torch.zeros(1, 4, 2), torch.ones(1, 4, dtype=torch.bool)
    with pytest.raises(ValueError, match='temperature'):
        local_contrastive_loss(feat, feat, points, valid, temperature=0.0)
    with pytest.raises(ValueError, match='points'):
        local_contrastive_loss(
            feat, feat, points[:, :3], valid[:, :3], temperature=0.1)


def test_local_mse_matches_reference():
    g = torch.Generator().manual_seed(3)
    target = torch.randn(1, 3, 2, 2, generator=g)
    online = torch.randn(1, 3, 3, 3, generator=g)
    points = torch.tensor([[[0.1, -0.3], [0.95, 0.95], [-0.5, 0.2], [2.0,
                                                                     0.0]]])
    valid = (points.abs() <= 1).all(-1)
    total = 0.0
    for t in range(3):  # the 4th point is invalid
        sampled = [
            _bilinear_border(online[0, k].tolist(), *points[0, t].tolist())
            for k in range(3)
        ]
        f_t = target[0, :, t // 2, t % 2].tolist()
        total += 2 - 2 * _cosine(f_t, sampled)
    loss = local_mse_loss(target, online, points, valid)
    assert loss.item() == pytest.approx(total / 3, rel=1e-5)


@pytest.mark.parametrize('grids', [((7, 7), (7, 7)), ((5, 3), (4, 6)),
                                   ((14, 14), (14, 14))])
def test_chunked_equals_direct_in_value_and_gradients(grids):
    (h_t, w_t), (h_o, w_o) = grids
    g = torch.Generator().manual_seed(h_t * 100 + w_o)
    target = torch.randn(3, 16, h_t, w_t, generator=g, requires_grad=True)
    online = torch.randn(3, 16, h_o, w_o, generator=g, requires_grad=True)
    points = torch.rand(3, h_t * w_t, 2, generator=g) * 2.2 - 1.1
    valid = (points.abs() <= 1).all(-1)
    results = {}
    for impl in ('direct', 'chunked'):
        loss = local_contrastive_loss(
            target, online, points, valid, 0.2, impl=impl, chunk_size=7)
        grads = torch.autograd.grad(loss, (target, online))
        results[impl] = (loss.detach(), *grads)
    for direct, chunked in zip(results['direct'], results['chunked']):
        torch.testing.assert_close(chunked, direct, rtol=1e-5, atol=1e-7)


def test_auto_switches_by_size():
    from mmlc.models.losses.local_contrastive import DIRECT_MAX_PAIRS
    assert 7**4 <= DIRECT_MAX_PAIRS < 28**4
