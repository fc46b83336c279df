"""Check a converted backbone against a freshly built ResNet."""
from typing import Dict

import torch
from mmpretrain.models.backbones import ResNet

from .errors import ConversionError

RESNET_DEPTHS = (18, 34, 50, 101, 152)


def reference_resnet_state(depth: int,
                           base_channels: int = 64) -> Dict[str, torch.Tensor]:
    """State dict of a freshly built ResNet (torchvision names, no ``fc``).

    Built with mmpretrain's ``ResNet``, whose names are torchvision's and which
    also covers the narrow ResNets of the toy configs (``base_channels``).
    """
    if depth not in RESNET_DEPTHS:
        raise ConversionError(
            f'--depth must be one of {RESNET_DEPTHS}, got {depth}')
    model = ResNet(
        depth=depth, stem_channels=base_channels, base_channels=base_channels)
    return model.state_dict()


def validate_backbone(backbone: Dict[str, torch.Tensor],
                      depth: int,
                      base_channels: int = 64) -> Dict[str, torch.Tensor]:
    """Every parameter and buffer of a ResNet-``depth`` present with its shape.

    ``num_batches_tracked`` (not kept by detectron2) is filled with 0 when
    absent; nothing else is filled in.

    Returns:
        dict: the backbone, in the reference's key order, float tensors kept.

    Raises:
        ConversionError: listing missing, unexpected and mis-shaped keys.
    """
    reference = reference_resnet_state(depth, base_channels)
    backbone = dict(backbone)
    for key, value in reference.items():
        if key.endswith('num_batches_tracked') and key not in backbone:
            backbone[key] = torch.zeros_like(value)
    missing = [k for k in reference if k not in backbone]
    unexpected = [k for k in backbone if k not in reference]
    mis_shaped = [
        f'{k} {tuple(backbone[k].shape)} != {tuple(v.shape)}'
        for k, v in reference.items()
        if k in backbone and backbone[k].shape != v.shape
    ]
    if missing or unexpected or mis_shaped:
        width = ('' if base_channels == 64 else
                 f' (base_channels={base_channels})')
        parts = [f'does not match ResNet-{depth}{width}:']
        for title, keys in (('missing', missing), ('unexpected', unexpected),
                            ('wrong shape', mis_shaped)):
            if keys:
                parts.append(f'{len(keys)} {title} ({", ".join(keys[:8])}'
                             f'{", ..." if len(keys) > 8 else ""})')
        raise ConversionError(' '.join(parts))
    return {key: backbone[key].contiguous() for key in reference}
