"""Check a converted backbone against a freshly built ResNet."""
from typing import Dict

import torch

from .errors import ConversionError

RESNET_DEPTHS = (18, 34, 50, 101, 152)


def reference_resnet_state(depth: int) -> Dict[str, torch.Tensor]:
    """State dict (without ``fc``) of a freshly built torchvision ResNet."""
    import torchvision
    if depth not in RESNET_DEPTHS:
        raise ConversionError(f'--depth must be one of {RESNET_DEPTHS}, got {depth}')
    model = getattr(torchvision.models, f'resnet{depth}')(weights=None)
    return {k: v for k, v in model.state_dict().items() if not k.startswith('fc.')}


def validate_backbone(backbone: Dict[str, torch.Tensor], depth: int) -> Dict[str, torch.Tensor]:
    """Every parameter and buffer of a ResNet-``depth`` present with its shape.

    ``num_batches_tracked`` (not kept by detectron2) is filled with 0 when
    absent; nothing else is filled in.

    Returns:
        dict: the backbone, in the reference's key order, float tensors kept.

    Raises:
        ConversionError: listing missing, unexpected and mis-shaped keys.
    """
    reference = reference_resnet_state(depth)
    backbone = dict(backbone)
    for key, value in reference.items():
        if key.endswith('num_batches_tracked') and key not in backbone:
            backbone[key] = torch.zeros_like(value)
    missing = [k for k in reference if k not in backbone]
    unexpected = [k for k in backbone if k not in reference]
    mis_shaped = [f'{k} {tuple(backbone[k].shape)} != {tuple(v.shape)}'
                  for k, v in reference.items() if k in backbone and backbone[k].shape != v.shape]
    if missing or unexpected or mis_shaped:
        parts = [f'does not match ResNet-{depth}:']
        for title, keys in (('missing', missing), ('unexpected', unexpected),
                            ('wrong shape', mis_shaped)):
            if keys:
                parts.append(f'{len(keys)} {title} ({", ".join(keys[:8])}'
                             f'{", ..." if len(keys) > 8 else ""})')
        raise ConversionError(' '.join(parts))
    return {key: backbone[key].contiguous() for key in reference}
