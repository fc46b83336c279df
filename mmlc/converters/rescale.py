"""Rescaling a convolution's kernels without changing what the network
computes."""
from typing import Dict

import torch


def match_kernel_norms(base: Dict[str, torch.Tensor],
                       reference: Dict[str, torch.Tensor], conv: str,
                       norm: str) -> Dict[str, torch.Tensor]:
    """``base`` with each output channel of the convolution ``conv`` scaled
    to that channel's norm in ``reference``, and the running statistics of
    the BN ``norm`` that follows it scaled to match.

    A channel's kernel scaled by ``s > 0`` scales its output by ``s``; BN
    normalises that away (train mode: the batch statistics scale with it;
    eval mode: ``running_mean`` scaled by ``s`` and ``running_var`` by
    ``s ** 2``), so the network computes the same function up to BN's
    ``eps``. Only the kernels' norms change, and with them how fast SGD
    turns them: the gradient of a kernel followed by BN scales with ``1 / s``.

    Args:
        base (Dict[str, Tensor]): the state dict to rescale; not changed.
            ``{conv}.weight`` has shape (C_out, C_in, k, k) and ``{norm}``'s
            ``running_mean`` and ``running_var`` shape (C_out, ).
        reference (Dict[str, Tensor]): a state dict whose ``{conv}.weight``
            has the same shape; its per-channel norms are the targets.
        conv (str): the convolution's module name (``conv1`` for the stem).
        norm (str): the BN module right after it (``bn1``).

    Returns:
        Dict[str, Tensor]: a new state dict with ``base``'s keys, in its
        order.

    Raises:
        ValueError: a key is missing, the shapes differ or do not match
            (a running statistic that is not one value a channel), ``conv``
            has a bias, or a channel's kernel is zero in either state dict.
    """
    weight_key = f'{conv}.weight'
    stat_keys = (f'{norm}.running_mean', f'{norm}.running_var')
    for key in (weight_key, ) + stat_keys:
        if key not in base:
            raise ValueError(f'{key} is not a key of the base state dict')
    if weight_key not in reference:
        raise ValueError(f'{weight_key} is not a key of the reference state '
                         'dict')
    if f'{conv}.bias' in base:
        raise ValueError(f'{conv}.bias: a convolution with a bias is not '
                         'followed by BN alone; its scale would not cancel')
    weight, target = base[weight_key], reference[weight_key]
    if weight.shape != target.shape:
        raise ValueError(f'{weight_key}: shape {tuple(target.shape)} in the '
                         f'reference, {tuple(weight.shape)} in the base')
    for key in stat_keys:
        if base[key].shape != weight.shape[:1]:
            raise ValueError(f'{key}: shape {tuple(base[key].shape)}, not '
                             f'({weight.shape[0]}, ), one value for each '
                             f'output channel of {weight_key}')
    scale = _channel_norms(target, 'reference', weight_key) / _channel_norms(
        weight, 'base', weight_key)
    rescaled = dict(base)
    rescaled[weight_key] = weight * scale.view(-1, *[1] * (weight.dim() - 1))
    rescaled[stat_keys[0]] = base[stat_keys[0]] * scale
    rescaled[stat_keys[1]] = base[stat_keys[1]] * scale**2
    return rescaled


def _channel_norms(weight: torch.Tensor, which: str, key: str) -> torch.Tensor:
    """The L2 norm of each output channel's kernel, shape (C_out, )."""
    norms = weight.flatten(1).norm(dim=1)
    zero = torch.nonzero(norms == 0).flatten().tolist()
    if zero:
        raise ValueError(f'{key}: channels {zero} are zero in the {which} '
                         'state dict; their scale is undefined')
    return norms
