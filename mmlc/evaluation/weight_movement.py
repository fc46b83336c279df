"""How far training moved a network's weights from where they started."""
from typing import Dict, List

import torch
import torch.nn.functional as F


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


def stage_movement(rows: List[Dict]) -> Dict[str, Dict[str, float]]:
    """The rows of :func:`weight_movement` averaged per stage.

    Returns:
        Dict[str, Dict[str, float]]: ``{stage: {'cosine', 'change',
        'norm_ratio', 'kernels'}}`` in the order the stages first appear;
        each value is the mean over the stage's kernels.
    """
    stages: Dict[str, List[Dict]] = {}
    for row in rows:
        stages.setdefault(row['stage'], []).append(row)
    return {
        stage: {
            **{
                key: sum(row[key] for row in members) / len(members)
                for key in ('cosine', 'change', 'norm_ratio')
            }, 'kernels': len(members)
        }
        for stage, members in stages.items()
    }
