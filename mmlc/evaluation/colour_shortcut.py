"""How much colour two augmented views of one image still share: can a
colour histogram alone tell which view belongs with which?

An objective that pulls together the embeddings of two views of one image
and apart from (or, in BYOL, predicts them against) other images can be met
by any cue the two views share that other images do not. Chen et al. (2020,
SimCLR, Fig. 6) showed that the colour histograms of two crops of one image
are such a cue unless colour is distorted strongly. This module measures that
cue for a pipeline's views: within groups of images (a batch), each first
view is matched to the second view whose joint RGB histogram is the most
similar (histogram intersection), and the share of first views matched to
their own image's second view is the accuracy a colour-only network could
reach on the pairing; chance is one over the group's size.
"""
import torch
from torch import Tensor


def colour_histograms(images: Tensor, bins: int = 4) -> Tensor:
    """Joint colour histograms of 8-bit images.

    Args:
        images (Tensor): [N, 3, H, W] values in 0-255 (any channel order,
            the same for every image).
        bins (int): bins per channel, of equal width over 0-255.

    Returns:
        Tensor: [N, bins ** 3] float, each row the share of the image's
        pixels in each (c0, c1, c2) bin, index ``c0 * bins ** 2 + c1 * bins
        + c2``; each row sums to 1.
    """
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError('expected [N, 3, H, W] images, got shape '
                         f'{tuple(images.shape)}')
    if bins < 1 or 256 % bins:
        raise ValueError(f'bins must divide 256, got {bins}')
    levels = images.long().clamp(0, 255) // (256 // bins)
    index = (levels[:, 0] * bins + levels[:, 1]) * bins + levels[:, 2]
    counts = torch.zeros(images.shape[0], bins**3)
    counts.scatter_add_(1, index.flatten(1),
                        torch.ones(index.flatten(1).shape))
    return counts / counts.sum(1, keepdim=True)


def pair_retrieval_accuracy(queries: Tensor, keys: Tensor,
                            group_size: int) -> float:
    """Share of queries whose own key is the most similar key of its group.

    Args:
        queries (Tensor): [N, D] histograms (rows summing to 1) of the first
            view of N images.
        keys (Tensor): [N, D] the same for the second view, row i of the same
            image as ``queries[i]``.
        group_size (int): images compared with each other (consecutive rows;
            N must be a multiple), the batch the objective sees.

    Returns:
        float: the share of queries whose histogram intersection with their
        own key is larger than with every other key of their group (a tie
        counts as a miss); 1 / group_size is chance.
    """
    if queries.shape != keys.shape or queries.dim() != 2:
        raise ValueError('queries and keys must both be [N, D], got '
                         f'{tuple(queries.shape)} and {tuple(keys.shape)}')
    if group_size < 2 or queries.shape[0] % group_size:
        raise ValueError(f'{queries.shape[0]} images do not split into groups '
                         f'of {group_size} (at least 2)')
    groups = queries.shape[0] // group_size
    query_groups = queries.view(groups, group_size, 1, -1)
    key_groups = keys.view(groups, 1, group_size, -1)
    similarity = torch.minimum(query_groups, key_groups).sum(-1)
    own = similarity.diagonal(dim1=1, dim2=2)
    others = similarity.masked_fill(
        torch.eye(group_size, dtype=torch.bool), float('-inf')).amax(-1)
    return (own > others).float().mean().item()
