"""Correspondence accuracy: perfect features, uninformative features, the flip
mapping."""
import pytest
import torch

from mmlc.evaluation import flip_correspondence_accuracy, flip_ground_truth


def position_features(h, w, flipped):
    """Features that encode the absolute original position a cell shows."""
    feat = torch.zeros(1, h * w, h, w)
    for i in range(h):
        for j in range(w):
            original_col = w - 1 - j if flipped else j
            feat[0, i * w + original_col, i, j] = 1.0
    return feat


def test_flip_mapping_on_a_non_square_grid():
    # 3 x 5 grid: cell (i, j) of the image is cell (i, 4 - j) of its mirror
    truth = flip_ground_truth((3, 5))
    expected = torch.tensor([[i, 4 - j] for i in range(3) for j in range(5)])
    assert torch.equal(truth, expected)


@pytest.mark.parametrize('grid', [(3, 5), (7, 7), (4, 6)])
def test_position_encoding_features_score_100(grid):
    acc = flip_correspondence_accuracy(
        position_features(*grid, flipped=False),
        position_features(*grid, flipped=True))
    assert acc.tolist() == [1.0]


def test_features_ignoring_the_flip_score_only_the_middle_column():
    # features of the *view* position (not the content) match (i, j) -> (i, j):
    # correct only where j == w - 1 - j
    a = position_features(3, 5, flipped=False)
    acc = flip_correspondence_accuracy(a, a.clone())
    assert acc.item() == pytest.approx(3 / 15)


@pytest.mark.parametrize('grid', [(3, 5), (7, 7)])
def test_constant_features_score_chance(grid):
    h, w = grid
    constant = torch.ones(2, 8, h, w)
    acc = flip_correspondence_accuracy(constant, constant)
    assert torch.allclose(acc, torch.full((2, ), 1 / (h * w)))
    # with one cell of tolerance, chance is the share of cells within one cell
    # of (0, 0)
    truth = flip_ground_truth(grid)
    near_origin = ((truth - torch.tensor([0, 0])).abs().max(-1).values
                   <= 1).float().mean()
    acc_tol = flip_correspondence_accuracy(constant, constant, tolerance=1)
    assert torch.allclose(acc_tol, near_origin.expand(2))
