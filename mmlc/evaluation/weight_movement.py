"""How far training moved a network's weights from where they started."""
from typing import Dict, List

import torch
import torch.nn.functional as F

from .filter_bank import filter_bank_summary


def weight_movement(initial: Dict[str, torch.Tensor],
                    trained: Dict[str, torch.Tensor]) -> List[Dict]:
    """Per kernel (a weight of two or more dimensions: convolutions and
    linear layers; normalisation layers and biases are left out), how far it
    moved.

    Args:
        initial (Dict[str, Tensor]): the weights before training.
        trained (Dict[str, Tensor]): the weights after it, with the same keys
            for the kernels of ``initial`` it holds.

    Returns:
        List[Dict]: one row per kernel in both, in ``initial``'s order:
        ``name``, ``stage`` (the name's first component: ``conv1``,
        ``layer1``, ...), ``cosine`` (of the flattened kernel before and
        after: 1 where only its scale changed, near 0 where the kernel is
        another random draw), ``change`` (||w - w0|| / ||w0||) and
        ``norm_ratio`` (||w|| / ||w0||).
    """
    rows = []
    for name, before in initial.items():
        if before.dim() < 2 or name not in trained:
            continue
        after = trained[name]
        if after.shape != before.shape:
            raise ValueError(f'{name}: shape {tuple(after.shape)} after '
                             f'training, {tuple(before.shape)} before')
        before, after = before.double().flatten(), after.double().flatten()
        rows.append(
            dict(
                name=name,
                stage=name.split('.')[0],
                cosine=F.cosine_similarity(before, after, dim=0).item(),
                change=((after - before).norm() / before.norm()).item(),
                norm_ratio=(after.norm() / before.norm()).item()))
    if not rows:
        raise ValueError('the two state dicts share no kernel (a weight of '
                         'two or more dimensions) under the same name')
    return rows


def norm_movement(initial: Dict[str, torch.Tensor],
                  trained: Dict[str, torch.Tensor]) -> List[Dict]:
    """Per normalisation layer (a module whose ``weight`` has one dimension
    and which has a ``bias``: BN, GN, LN), how far its affine parameters
    moved. Their start is no random draw (BN starts at weight 1 and bias 0),
    so the shifts are absolute, not relative to the start.

    Args:
        initial (Dict[str, Tensor]): the weights before training.
        trained (Dict[str, Tensor]): the weights after it.

    Returns:
        List[Dict]: one row per layer whose weight and bias are in both, in
        ``initial``'s order: ``name`` (the module), ``stage``,
        ``weight_mean`` (the mean of the trained weight, the layer's mean
        scale), ``weight_shift`` (the root mean square of weight - weight0)
        and ``bias_shift`` (the same for the bias). Empty where the model has
        no such layer.
    """
    rows = []
    for name, before in initial.items():
        module, _, leaf = name.rpartition('.')
        bias = f'{module}.bias'
        if (leaf != 'weight' or before.dim() != 1 or name not in trained
                or bias not in initial or bias not in trained):
            continue
        shifts = {}
        for key in (name, bias):
            start, end = initial[key].double(), trained[key].double()
            if end.shape != start.shape:
                raise ValueError(f'{key}: shape {tuple(end.shape)} after '
                                 f'training, {tuple(start.shape)} before')
            shifts[key] = (end - start).pow(2).mean().sqrt().item()
        rows.append(
            dict(
                name=module,
                stage=module.split('.')[0],
                weight_mean=trained[name].double().mean().item(),
                weight_shift=shifts[name],
                bias_shift=shifts[bias]))
    return rows


def stage_movement(rows: List[Dict],
                   count_key: str = 'kernels') -> Dict[str, Dict[str, float]]:
    """The rows of :func:`weight_movement` (or :func:`norm_movement`)
    averaged per stage.

    Args:
        rows (List[Dict]): one row per kernel (or layer), each with its
            ``stage`` (and ``name``) and the same numeric values.
        count_key (str): the key of each stage's number of rows:
            ``kernels``, or ``layers`` for :func:`norm_movement`'s.

    Returns:
        Dict[str, Dict[str, float]]: ``{stage: {value: mean, ...,
        count_key: n}}`` in the order the stages first appear; each value
        (``cosine``, ``change``, ``norm_ratio``; or ``weight_mean``,
        ``weight_shift``, ``bias_shift``) is the mean over the stage's rows.
    """
    stages: Dict[str, List[Dict]] = {}
    for row in rows:
        stages.setdefault(row['stage'], []).append(row)
    return {
        stage: {
            **{
                key: sum(row[key] for row in members) / len(members)
                for key in members[0] if key not in ('name', 'stage')
            }, count_key: len(members)
        }
        for stage, members in stages.items()
    }


def backbone_movement(initial: Dict[str, torch.Tensor],
                      trained: Dict[str, torch.Tensor],
                      stem: str = 'conv1.weight') -> Dict[str, Dict]:
    """Both per-stage summaries of how far training moved a network, and
    its stem's filter bank before and after.

    Args:
        initial (Dict[str, Tensor]): the weights before training.
        trained (Dict[str, Tensor]): the weights after it.
        stem (str): the key of the first convolution's weight.

    Returns:
        Dict[str, Dict]: ``stages``, :func:`weight_movement`'s kernels per
        stage, and ``norm_stages``, :func:`norm_movement`'s layers per stage
        (see :func:`stage_movement`); where both state dicts hold a 4-D
        ``stem``, ``stem_filters``: ``{'start': ..., 'trained': ...}``,
        :func:`filter_bank_summary` of each.
    """
    movement = dict(
        stages=stage_movement(weight_movement(initial, trained)),
        norm_stages=stage_movement(
            norm_movement(initial, trained), count_key='layers'))
    if all(stem in weights and weights[stem].dim() == 4
           for weights in (initial, trained)):
        movement['stem_filters'] = dict(
            start=filter_bank_summary(initial[stem]),
            trained=filter_bank_summary(trained[stem]))
    return movement
