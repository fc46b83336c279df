"""What a convolution's filter bank passes on: how many directions its
filters span, how flat they are, how alike they weigh the input channels,
and how much of them lies along the main directions of its input."""
from typing import Dict, Tuple

import torch
import torch.nn.functional as F
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
    filters = _unit_filters(weight).view(weight.shape)
    singular = torch.linalg.svdvals(filters.flatten(1))
    flat = filters.mean(dim=(2, 3), keepdim=True).expand_as(filters)
    channel_mean = filters.mean(dim=1, keepdim=True).expand_as(filters)
    return dict(
        effective_rank=_effective_rank(singular),
        top3_variance=_variance_shares(singular, (3, ))['top3_variance'],
        flat_share=float(flat.pow(2).sum(dim=(1, 2, 3)).mean()),
        channel_mean_share=float(
            channel_mean.pow(2).sum(dim=(1, 2, 3)).mean()))


def _unit_filters(weight: Tensor) -> Tensor:
    """``weight`` as a (C_out, C_in * k_h * k_w) float64 matrix of unit
    rows; a clear error for a zero filter."""
    filters = weight.double().flatten(1)
    norms = filters.norm(dim=1, keepdim=True)
    zero = torch.nonzero(norms.flatten() == 0).flatten().tolist()
    if zero:
        raise ValueError(f'filters {zero} are zero: they have no direction')
    return filters / norms


def patch_principal_directions(images: Tensor, kernel_size: int,
                               stride: int) -> Tuple[Tensor, Tensor]:
    """The principal directions of the patches a convolution of
    ``kernel_size`` sees in ``images``: the eigenvectors of the patches'
    second moment, not centred, as a kernel's gradient is a sum of patches.

    Args:
        images (Tensor): the images as the convolution receives them
            (normalised), (N, C, H, W).
        kernel_size (int): the convolution's kernel side k.
        stride (int): the step between the patches taken.

    Returns:
        Tuple[Tensor, Tensor]: ``(shares, directions)``: each direction's
        share of the patches' energy, (C * k * k,), descending, summing to 1;
        the directions as columns, (C * k * k, C * k * k), each a flattened
        (C, k, k) kernel of unit norm.

    Raises:
        ValueError: ``images`` is not 4-D, smaller than one patch, or all
            zero.
    """
    if images.dim() != 4:
        raise ValueError(f'images have shape (N, C, H, W), not '
                         f'{tuple(images.shape)}')
    if min(images.shape[2:]) < kernel_size:
        raise ValueError(f'images of {tuple(images.shape[2:])} px hold no '
                         f'{kernel_size} x {kernel_size} patch')
    patches = F.unfold(images.double(), kernel_size, stride=stride)
    patches = patches.transpose(1, 2).flatten(0, 1)
    moment = patches.T @ patches / len(patches)
    energies, directions = torch.linalg.eigh(moment)
    total = energies.sum()
    if total <= 0:
        raise ValueError('the images are all zero: their patches have no '
                         'direction')
    return energies.flip(0).clamp(min=0) / total, directions.flip(1)


def subspace_share(weight: Tensor, directions: Tensor) -> float:
    """The share of a filter bank's energy in the span of ``directions``,
    each filter scaled to unit norm first (the mean over filters of the
    share of each).

    Args:
        weight (Tensor): the kernels, (C_out, C_in, k_h, k_w).
        directions (Tensor): orthonormal flattened kernels as columns,
            (C_in * k_h * k_w, d), e.g. the first d of
            :func:`patch_principal_directions`.

    Returns:
        float: 1 for filters inside the span, 0 for filters orthogonal to
        it, d / (C_in * k_h * k_w) expected for random filters.

    Raises:
        ValueError: the shapes do not match, or a filter is zero.
    """
    size = weight[0].numel() if weight.dim() == 4 else None
    if size is None or directions.dim() != 2 or directions.shape[0] != size:
        raise ValueError(f'kernels of shape {tuple(weight.shape)} and '
                         f'directions of shape {tuple(directions.shape)} do '
                         'not match')
    filters = _unit_filters(weight)
    return float((filters @ directions.double()).pow(2).sum(dim=1).mean())
