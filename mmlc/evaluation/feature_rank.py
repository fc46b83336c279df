"""How many directions a backbone's dense features use: a collapse
diagnostic."""
from typing import Dict, Sequence

import torch
from torch import Tensor

from .backbone import final_stage_features


def _centred_singular_values(features: Tensor) -> Tensor:
    centred = features.double() - features.double().mean(dim=0, keepdim=True)
    return torch.linalg.svdvals(centred)


def _effective_rank(singular: Tensor) -> float:
    if singular.sum() == 0:
        return 0.0
    p = singular / singular.sum()
    p = p[p > 0]
    return float(torch.exp(-(p * p.log()).sum()))


def _variance_shares(singular: Tensor, top: Sequence[int]) -> Dict[str, float]:
    variance = singular.pow(2)
    total = variance.sum().clamp(min=1e-300)
    return {f'top{k}_variance': float(variance[:k].sum() / total) for k in top}


def effective_rank(features: Tensor) -> float:
    """``exp`` of the entropy of the normalised singular values of centred
    features.

    Roy & Vetterli's effective rank: C for features spread evenly over C
    directions, 1 when every feature lies on one line.

    Args:
        features (Tensor): [N, C].
    """
    return _effective_rank(_centred_singular_values(features))


def variance_shares(
    features: Tensor, top: Sequence[int] = (1, 5)) -> Dict[str, float]:
    """Share of the total variance in the ``k`` largest principal
    directions."""
    return _variance_shares(_centred_singular_values(features), top)


def dense_feature_rank(backbone: torch.nn.Module,
                       image_paths: Sequence[str],
                       img_size: int = 224,
                       device: str = 'cpu',
                       batch_size: int = 16) -> Dict[str, float]:
    """Effective rank and variance shares of the last stage's features at every
    cell.

    Args:
        backbone (nn.Module): returns a tuple of feature maps; the last is
            used.
        image_paths (Sequence[str]): images, each resized to ``img_size``.

    Returns:
        dict: ``effective_rank``, ``channels``, ``num_features`` (cells of all
        images) and ``top1_variance`` / ``top5_variance``.
    """
    features = torch.cat([
        feats.permute(0, 2, 3, 1).reshape(-1, feats.shape[1]).cpu()
        for feats in final_stage_features(backbone, image_paths, img_size,
                                          device, batch_size)
    ])
    singular = _centred_singular_values(features)
    return dict(
        effective_rank=_effective_rank(singular),
        channels=features.shape[1],
        num_features=features.shape[0],
        **_variance_shares(singular, (1, 5)))
