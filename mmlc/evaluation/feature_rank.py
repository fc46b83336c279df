"""How many directions a backbone's dense features use: a collapse diagnostic."""
from typing import Dict, Sequence

import numpy as np
import torch
from torch import Tensor


def effective_rank(features: Tensor) -> float:
    """``exp`` of the entropy of the normalised singular values of centred features.

    Roy & Vetterli's effective rank: C for features spread evenly over C
    directions, 1 when every feature lies on one line.

    Args:
        features (Tensor): [N, C].
    """
    centred = features.double() - features.double().mean(dim=0, keepdim=True)
    singular = torch.linalg.svdvals(centred)
    if singular.sum() == 0:
        return 0.0
    p = singular / singular.sum()
    p = p[p > 0]
    return float(torch.exp(-(p * p.log()).sum()))


def variance_shares(features: Tensor, top: Sequence[int] = (1, 5)) -> Dict[str, float]:
    """Share of the total variance in the ``k`` largest principal directions."""
    centred = features.double() - features.double().mean(dim=0, keepdim=True)
    variance = torch.linalg.svdvals(centred).pow(2)
    total = variance.sum().clamp(min=1e-300)
    return {f'top{k}_variance': float(variance[:k].sum() / total) for k in top}


@torch.no_grad()
def dense_feature_rank(backbone: torch.nn.Module, image_paths: Sequence[str],
                       img_size: int = 224, device: str = 'cpu',
                       batch_size: int = 16) -> Dict[str, float]:
    """Effective rank and variance shares of the last stage's features at every cell.

    Args:
        backbone (nn.Module): returns a tuple of feature maps; the last is used.
        image_paths (Sequence[str]): images, each resized to ``img_size``.

    Returns:
        dict: ``effective_rank``, ``channels``, ``num_features`` (cells of all
        images) and ``top1_variance`` / ``top5_variance``.
    """
    from .backbone import normalise
    from .images import load_rgb
    backbone = backbone.to(device)
    rows = []
    for start in range(0, len(image_paths), batch_size):
        batch = np.stack([load_rgb(p, img_size) for p in image_paths[start:start + batch_size]])
        images = torch.from_numpy(batch).permute(0, 3, 1, 2).to(device)
        feats = backbone(normalise(images))[-1]
        rows.append(feats.permute(0, 2, 3, 1).reshape(-1, feats.shape[1]).cpu())
    features = torch.cat(rows)
    return dict(effective_rank=effective_rank(features), channels=features.shape[1],
                num_features=features.shape[0], **variance_shares(features))
