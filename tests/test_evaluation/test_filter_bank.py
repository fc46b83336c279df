"""filter_bank_summary against filter banks whose values are known by
hand, and random banks against their expectations."""
import math

import pytest
import torch

from mmlc.evaluation import filter_bank_summary


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
