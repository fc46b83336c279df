"""map_grid_points against positions computed by hand."""
import pytest
import torch

from mmlc.models.utils import map_grid_points


def _map(src_box, src_flip, dst_box, dst_flip, grid_hw):
    points, valid = map_grid_points(
        torch.tensor([src_box], dtype=torch.float32), torch.tensor([src_flip]),
        torch.tensor([dst_box], dtype=torch.float32), torch.tensor([dst_flip]),
        grid_hw)
    assert points.shape == (1, grid_hw[0] * grid_hw[1], 2)
    assert valid.shape == (1, grid_hw[0] * grid_hw[1])
    return points[0], valid[0]


def test_no_crop_is_identity():
    # 2 x 2 grid: cell centres at u, v in {0.25, 0.75} -> 2u - 1 in {-0.5, 0.5}
    points, valid = _map((0, 0, 100, 50), False, (0, 0, 100, 50), False,
                         (2, 2))
    expected = torch.tensor([[-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5],
                             [0.5, 0.5]])
    torch.testing.assert_close(points, expected)
    assert valid.all()


def test_crop():
    # source: whole 100 x 100 image; centres at original (25|75, 25|75).
    # destination: top-left quarter (0, 0, 50, 50): (25, 25) -> u = v = 0.5.
    points, valid = _map((0, 0, 100, 100), False, (0, 0, 50, 50), False,
                         (2, 2))
    torch.testing.assert_close(points[0], torch.tensor([0.0, 0.0]))
    # u = 75/50 = 1.5
    torch.testing.assert_close(points[1], torch.tensor([2.0, 0.0]))
    torch.testing.assert_close(points[2], torch.tensor([0.0, 2.0]))
    assert valid.tolist() == [True, False, False, False]


def test_flip():
    # same box, destination mirrored: u -> 1 - u
    points, valid = _map((0, 0, 100, 100), False, (0, 0, 100, 100), True,
                         (1, 4))
    # u = 0.125, 0.375, 0.625, 0.875 -> 0.875, 0.625, 0.375, 0.125
    torch.testing.assert_close(points[:, 0],
                               torch.tensor([0.75, 0.25, -0.25, -0.75]))
    torch.testing.assert_close(points[:, 1], torch.zeros(4))
    assert valid.all()


def test_crop_and_flip():
    # destination box (20, 10, 60, 40) flipped. Centre (25, 25):
    # u = (25 - 20) / 60 = 1/12 -> flipped 11/12 -> x = 5/6; v = 15/40 -> y =
    # -0.25 centre (75, 25): u = 55/60 -> 1/12 -> x = -5/6
    points, valid = _map((0, 0, 100, 100), False, (20, 10, 60, 40), True,
                         (2, 2))
    torch.testing.assert_close(points[0], torch.tensor([5 / 6, -0.25]))
    torch.testing.assert_close(points[1], torch.tensor([-5 / 6, -0.25]))
    # y = 75 is below the box
    assert valid.tolist() == [True, True, False, False]


def test_flipped_source_reverses_columns():
    # source: crop (50, 0, 50, 50) flipped, 1 x 2 grid. Cell u = 0.25 shows
    # original x = 50 + 0.75 * 50 = 87.5; u = 0.75 shows x = 62.5; y = 25.
    points, valid = _map((50, 0, 50, 50), True, (0, 0, 100, 100), False,
                         (1, 2))
    torch.testing.assert_close(points,
                               torch.tensor([[0.75, -0.5], [0.25, -0.5]]))
    assert valid.all()


def test_non_square_original():
    # original 200 x 100 (w x h), 2 x 4 grid over the whole image:
    # row 0 centres at x = 25, 75, 125, 175; y = 25.
    # destination: right half square (100, 0, 100, 100).
    points, valid = _map((0, 0, 200, 100), False, (100, 0, 100, 100), False,
                         (2, 4))
    assert valid.tolist() == [False, False, True, True] * 2
    # (125, 25)
    torch.testing.assert_close(points[2], torch.tensor([-0.5, -0.5]))
    # (175, 25)
    torch.testing.assert_close(points[3], torch.tensor([0.5, -0.5]))
    # (175, 75)
    torch.testing.assert_close(points[7], torch.tensor([0.5, 0.5]))


def test_points_outside_and_on_the_border():
    # destination (0, 0, 25, 100): centre x = 25 lies exactly on its right
    # border
    points, valid = _map((0, 0, 100, 100), False, (0, 0, 25, 100), False,
                         (1, 2))
    torch.testing.assert_close(points[0], torch.tensor([1.0, 0.0]))
    assert valid.tolist() == [True, False]
    # u = 75 / 25 = 3
    torch.testing.assert_close(points[1, 0], torch.tensor(5.0))


def test_batch_mixes_cases_independently():
    src = torch.tensor([[0, 0, 100, 100], [0, 0, 100, 100]],
                       dtype=torch.float32)
    dst = torch.tensor([[0, 0, 100, 100], [0, 0, 100, 100]],
                       dtype=torch.float32)
    points, valid = map_grid_points(src, torch.tensor([False, False]), dst,
                                    torch.tensor([False, True]), (1, 2))
    torch.testing.assert_close(points[0, :, 0], torch.tensor([-0.5, 0.5]))
    torch.testing.assert_close(points[1, :, 0], torch.tensor([0.5, -0.5]))


@pytest.mark.parametrize('seed', range(5))
def test_round_trip_through_the_same_view(seed):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(3, 2, generator=g) * 50
    wh = torch.rand(3, 2, generator=g) * 50 + 10
    boxes = torch.cat([xy, wh], dim=1)
    flips = torch.rand(3, generator=g) > 0.5
    points, valid = map_grid_points(boxes, flips, boxes, flips, (3, 5))
    ref, _ = map_grid_points(boxes, torch.zeros(3, dtype=torch.bool), boxes,
                             torch.zeros(3, dtype=torch.bool), (3, 5))
    torch.testing.assert_close(points, ref)
    assert valid.all()
