"""What a convolution's filter bank passes on: how many directions its
filters span, how flat they are, and how alike they weigh the input
channels."""
from typing import Dict

import torch
from torch import Tensor

from .feature_rank import _effective_rank, _variance_shares


def filter_bank_summary(weight: Tensor) -> Dict[str, float]:
    """A summary of a convolution's filters, for a stem whose output a BN
    normalises channel by channel.

    Each filter is scaled to unit norm first (BN undoes a filter's scale),
    so every value describes directions only.

    Args:
        weight (Tensor): the kernels, (C_out, C_in, k_h, k_w).

    Returns:
        Dict[str, float]:
        ``effective_rank``: Roy & Vetterli's effective rank of the
        (C_out, C_in * k_h * k_w) filter matrix, not centred: C_out for
        orthogonal filters, 1 for filters on one line;
        ``top3_variance``: the share of the squared singular values in the
        three largest;
        ``flat_share``: the mean over filters of the share of a filter's
        energy in the spatially constant part of its kernels (each input
        channel's kernel replaced by its mean): 1 / (k_h * k_w) expected for
        random filters, 1 for box filters, which pass only local means;
        ``channel_mean_share``: the mean over filters of the share of its
        energy in the part equal across input channels (the kernels'
        mean over C_in): 1 / C_in expected for random filters, 1 for a
        filter that weighs R, G and B alike (brightness, no colour).

    Raises:
        ValueError: ``weight`` is not 4-D, or a filter is zero.
    """
    if weight.dim() != 4:
        raise ValueError(f'a convolution weight has shape (C_out, C_in, k_h, '
                         f'k_w), not {tuple(weight.shape)}')
    filters = weight.double()
    norms = filters.flatten(1).norm(dim=1)
    zero = torch.nonzero(norms == 0).flatten().tolist()
    if zero:
        raise ValueError(f'filters {zero} are zero: they have no direction')
    filters = filters / norms.view(-1, 1, 1, 1)
    singular = torch.linalg.svdvals(filters.flatten(1))
    flat = filters.mean(dim=(2, 3), keepdim=True).expand_as(filters)
    channel_mean = filters.mean(dim=1, keepdim=True).expand_as(filters)
    return dict(
        effective_rank=_effective_rank(singular),
        top3_variance=_variance_shares(singular, (3, ))['top3_variance'],
        flat_share=float(flat.pow(2).sum(dim=(1, 2, 3)).mean()),
        channel_mean_share=float(
            channel_mean.pow(2).sum(dim=(1, 2, 3)).mean()))
