"""Check a converted backbone against a freshly built one (a ResNet by
default, or any backbone an mmpretrain config describes)."""
import copy
from typing import Dict, Optional

import torch
from mmpretrain.models.backbones import ResNet

from mmlc.registry import MODELS
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


def backbone_cfg_from_config(config: str) -> dict:
    """``model.backbone`` of a config file (``pkg::`` bases resolved).

    Raises:
        ConversionError: the config has no ``model.backbone`` (naming the
            file).
    """
    from mmengine.config import Config
    backbone = Config.fromfile(config).get('model', {}).get('backbone')
    if backbone is None:
        raise ConversionError(f'{config}: no model.backbone')
    return backbone.to_dict()


def is_resnet(backbone_cfg: Optional[dict]) -> bool:
    """Whether a backbone config (None: the default) is mmpretrain's
    ResNet."""
    return backbone_cfg is None or str(
        backbone_cfg.get('type')).split('.')[-1] == 'ResNet'


def reference_state(
        depth: int = 50,
        base_channels: int = 64,
        backbone_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
    """State dict of a freshly built backbone: ``backbone_cfg`` through
    mmpretrain's registry, or ResNet-``depth`` when it is None."""
    if backbone_cfg is None:
        return reference_resnet_state(depth, base_channels)
    try:
        return MODELS.build(copy.deepcopy(dict(backbone_cfg))).state_dict()
    except Exception as err:
        raise ConversionError(
            f'cannot build the backbone config {dict(backbone_cfg)}: '
            f'{type(err).__name__}: {err}') from err


def validate_backbone(
        backbone: Dict[str, torch.Tensor],
        depth: int = 50,
        base_channels: int = 64,
        backbone_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
    """Every parameter and buffer of the reference backbone present with its
    shape: ResNet-``depth``, or the one ``backbone_cfg`` builds.

    ``num_batches_tracked`` (not kept by detectron2) is filled with 0 when
    absent; nothing else is filled in.

    Returns:
        dict: the backbone, in the reference's key order, float tensors kept.

    Raises:
        ConversionError: listing missing, unexpected and mis-shaped keys.
    """
    reference = reference_state(depth, base_channels, backbone_cfg)
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
        if backbone_cfg is not None:
            depth_tag = (f'-{backbone_cfg["depth"]}'
                         if 'depth' in backbone_cfg else '')
            name = ('the backbone config '
                    f'({backbone_cfg.get("type")}{depth_tag})')
        else:
            width = ('' if base_channels == 64 else
                     f' (base_channels={base_channels})')
            name = f'ResNet-{depth}{width}'
        parts = [f'does not match {name}:']
        for title, keys in (('missing', missing), ('unexpected', unexpected),
                            ('wrong shape', mis_shaped)):
            if keys:
                parts.append(f'{len(keys)} {title} ({", ".join(keys[:8])}'
                             f'{", ..." if len(keys) > 8 else ""})')
        raise ConversionError(' '.join(parts))
    return {key: backbone[key].contiguous() for key in reference}
