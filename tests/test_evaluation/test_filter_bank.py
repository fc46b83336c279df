"""filter_bank_summary, patch_principal_directions and subspace_share
against filter banks and images whose values are known by hand, and random
banks against their expectations."""
import math

import pytest
import torch

from mmlc.evaluation import (filter_bank_summary, patch_principal_directions,
                             subspace_share)


def test_orthogonal_one_hot_filters_span_every_direction():
    # four 2 x 2 one-hot filters of one input channel, scaled differently
    weight = torch.eye(4).view(4, 1, 2, 2) * torch.tensor([1.0, 2.0, 3.0, 4.0
                                                           ]).view(4, 1, 1, 1)
    summary = filter_bank_summary(weight)
    assert summary['effective_rank'] == pytest.approx(4.0)
    assert summary['top3_variance'] == pytest.approx(0.75)
    # a one-hot 2 x 2 kernel: its mean 1/4 over 4 pixels is 4 / 16 of its
    # energy
    assert summary['flat_share'] == pytest.approx(0.25)
    # one input channel: every filter weighs it alike with itself
    assert summary['channel_mean_share'] == pytest.approx(1.0)


def test_filters_on_one_line_have_rank_one_and_box_filters_are_flat():
    weight = torch.ones(5, 3, 7, 7) * torch.tensor([1.0, -2.0, 0.5, 3.0, 1.5
                                                    ]).view(5, 1, 1, 1)
    summary = filter_bank_summary(weight)
    assert summary['effective_rank'] == pytest.approx(1.0)
    assert summary['top3_variance'] == pytest.approx(1.0)
    assert summary['flat_share'] == pytest.approx(1.0)
    assert summary['channel_mean_share'] == pytest.approx(1.0)


def test_colour_opponent_filters_have_no_channel_mean():
    # red minus green, blue left out: the mean over channels is zero
    kernel = torch.randn(1, 1, 3, 3)
    weight = torch.cat([kernel, -kernel, torch.zeros(1, 1, 3, 3)], dim=1)
    summary = filter_bank_summary(weight)
    assert summary['channel_mean_share'] == pytest.approx(0.0, abs=1e-12)
    # two equal filters and one orthogonal one (by hand: singular values
    # sqrt(2) and 1, effective rank exp(H(p)) with p = (sqrt 2, 1) / sum)
    other = torch.zeros(1, 3, 3, 3)
    other[0, 2, 1, 1] = 1
    summary = filter_bank_summary(torch.cat([weight, 3 * weight, other]))
    p = torch.tensor([math.sqrt(2), 1.0])
    p = p / p.sum()
    assert summary['effective_rank'] == pytest.approx(
        math.exp(-(p * p.log()).sum().item()))


def test_random_filters_meet_their_expectations():
    torch.manual_seed(0)
    summary = filter_bank_summary(torch.randn(512, 3, 7, 7))
    assert summary['flat_share'] == pytest.approx(1 / 49, rel=0.1)
    assert summary['channel_mean_share'] == pytest.approx(1 / 3, rel=0.05)
    # 512 random directions in 147 dimensions fill nearly all of them
    assert summary['effective_rank'] > 130


def test_what_it_refuses():
    with pytest.raises(ValueError, match=r'not \(4, 9\)'):
        filter_bank_summary(torch.ones(4, 9))
    weight = torch.randn(3, 3, 3, 3)
    weight[1] = 0
    with pytest.raises(ValueError, match=r'filters \[1\] are zero'):
        filter_bank_summary(weight)


def test_images_of_one_flat_colour_have_one_direction_the_box_filter():
    # every 2 x 2 patch is (3, 3, 3, 3) in channel 0 and (0, 0, 0, 0) in
    # channel 1: the one direction is the box kernel on channel 0
    images = torch.zeros(2, 2, 4, 6)
    images[:, 0] = 3.0
    shares, directions = patch_principal_directions(images, 2, stride=2)
    assert shares.shape == (8, ) and directions.shape == (8, 8)
    assert shares[0] == pytest.approx(1.0)
    assert shares[1:].abs().max() == pytest.approx(0.0, abs=1e-12)
    box = torch.tensor([0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0], dtype=torch.float64)
    assert directions[:, 0].abs() == pytest.approx(box)
    box_filter = box.view(1, 2, 2, 2) * 4.0
    assert subspace_share(box_filter, directions[:, :1]) == pytest.approx(1.0)


def test_two_patterns_share_the_energy_by_their_squared_sizes():
    # the left 2 x 2 patch is a = (1, -1, 1, -1), the right one 2 * (1, 1, 1,
    # 1): second moment (a a' + b b') / 2 with |a|^2 = 4 and |b|^2 = 16
    # along orthogonal lines, so shares 16 / 20 and 4 / 20
    images = torch.tensor([[[[1.0, -1.0, 2.0, 2.0], [1.0, -1.0, 2.0, 2.0]]]])
    shares, directions = patch_principal_directions(images, 2, stride=2)
    assert shares.tolist() == pytest.approx([0.8, 0.2, 0.0, 0.0], abs=1e-12)
    assert directions[:, 0].abs() == pytest.approx(
        torch.full((4, ), 0.5, dtype=torch.float64))
    # the filter (3, 1, 3, 1): its projection on the box direction is
    # (3 + 1 + 3 + 1) / 2 = 4, so 16 of its squared norm 20
    assert subspace_share(
        torch.tensor([[3.0, 1.0], [3.0, 1.0]]).view(1, 1, 2, 2),
        directions[:, :1]) == pytest.approx(0.8)


def test_random_filters_put_their_share_of_dimensions_in_a_subspace():
    generator = torch.Generator().manual_seed(0)
    weight = torch.randn(4000, 3, 3, 3, generator=generator)
    basis, _ = torch.linalg.qr(torch.randn(27, 5, generator=generator))
    assert subspace_share(weight, basis) == pytest.approx(5 / 27, rel=0.03)
    assert subspace_share(weight, torch.eye(27)) == pytest.approx(1.0)


def test_patch_directions_and_subspace_share_reject_bad_input():
    with pytest.raises(ValueError, match='hold no'):
        patch_principal_directions(torch.ones(1, 3, 5, 5), 7, stride=1)
    with pytest.raises(ValueError, match='all zero'):
        patch_principal_directions(torch.zeros(1, 3, 8, 8), 7, stride=1)
    with pytest.raises(ValueError, match='not match'):
        subspace_share(torch.ones(2, 3, 7, 7), torch.eye(27))
    with pytest.raises(ValueError, match=r'filters \[1\] are zero'):
        subspace_share(
            torch.stack([torch.ones(1, 2, 2),
                         torch.zeros(1, 2, 2)]), torch.eye(4))
