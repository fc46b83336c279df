"""Convert a backbone checkpoint between layouts (the library behind
``tools/model_converters/convert_checkpoint.py``)."""
import os.path as osp
from typing import Dict, Optional

import torch

from .errors import ConversionError
from .io import load_checkpoint_file, save_pickle, save_torch, to_numpy
from .layouts import (canonical_to_detectron2, detect_layout,
                      detect_other_layout, extract_backbone, get_layout)
from .validate import is_resnet, validate_backbone

TARGETS = ('openmmlab', 'torchvision', 'detectron2')


def read_backbone(
        src: str,
        src_format: str = 'auto',
        branch: str = 'online',
        depth: int = 50,
        trust_pickle: bool = False,
        base_channels: int = 64,
        backbone_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
    """Load any known checkpoint layout and return its validated backbone
    (a ResNet, or the backbone ``backbone_cfg`` describes).

    Args:
        src (str): checkpoint path.
        src_format (str): a layout name or ``auto``.
        branch (str): ``online`` or ``target`` (EMA copy) of self-supervised
            checkpoints.
        depth (int): ResNet depth to validate against.
        trust_pickle (bool): allow arbitrary unpickling.
        base_channels (int): width of the first stage (64 for standard
            ResNets).
        backbone_cfg (dict, optional): an mmpretrain backbone config (e.g. a
            pretraining config's ``model.backbone``) to validate against
            instead of ResNet-``depth``; any backbone but a ResNet is read
            from the mmpretrain layout (``backbone.``, or the target
            prefixes with ``branch='target'``) with its keys unchanged, or,
            for a Swin, from the official Swin repo's layout as well.

    Returns:
        dict[str, Tensor]: backbone keys (canonical torchvision names for a
        ResNet, without ``fc``; the backbone's own names otherwise).
    """
    resnet = is_resnet(backbone_cfg)
    obj = load_checkpoint_file(src, trust_pickle=trust_pickle)
    if src_format == 'auto':
        layout = detect_layout(obj) if resnet else detect_other_layout(obj)
    else:
        layout = get_layout(src_format)
    try:
        backbone = extract_backbone(obj, layout, branch=branch, resnet=resnet)
    except ConversionError as err:
        raise ConversionError(f'{src}: {err}') from err
    try:
        return validate_backbone(backbone, depth, base_channels, backbone_cfg)
    except ConversionError as err:
        raise ConversionError(f'{src} ({layout.name} layout) {err}') from err


def backbone_to_target(backbone: Dict[str, torch.Tensor],
                       to: str,
                       key_prefix: str = '') -> object:
    """The object written for each ``--to`` (``key_prefix`` on every key of
    the ``openmmlab`` state dict)."""
    if to == 'openmmlab':
        state = {f'{key_prefix}{k}': v for k, v in backbone.items()}
        return {'state_dict': state, 'meta': {'converted_by': 'mmlc'}}
    if to == 'torchvision':
        return backbone
    if to == 'detectron2':
        model = {
            canonical_to_detectron2(k): v
            for k, v in to_numpy(backbone).items()
            if not k.endswith('num_batches_tracked')
        }
        return {
            'model': model,
            '__author__': 'mmlc',
            'matching_heuristics': True
        }
    raise ConversionError(f'--to must be one of {TARGETS}, got {to!r}')


def convert_checkpoint(
        src: str,
        dst: str,
        to: str = 'openmmlab',
        src_format: str = 'auto',
        branch: str = 'online',
        depth: int = 50,
        trust_pickle: bool = False,
        base_channels: int = 64,
        backbone_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
    """Read ``src``, validate its backbone and write it to ``dst`` in layout
    ``to`` (``backbone_cfg``: see :func:`read_backbone`; any backbone but a
    ResNet goes to ``openmmlab`` only).

    ``dst`` is written atomically and never equals ``src``.

    Returns:
        dict[str, Tensor]: the canonical backbone that was written.
    """
    if to not in TARGETS:
        raise ConversionError(f'--to must be one of {TARGETS}, got {to!r}')
    if to != 'openmmlab' and not is_resnet(backbone_cfg):
        raise ConversionError(
            f'--to {to} writes ResNets only; a {backbone_cfg.get("type")} '
            'backbone goes to openmmlab (mmdet/mmseg)')
    if osp.abspath(dst) == osp.abspath(src) or (osp.exists(dst)
                                                and osp.exists(src)
                                                and osp.samefile(src, dst)):
        raise ConversionError(
            f'DST is the same file as SRC ({src}); refusing to overwrite it')
    if osp.isdir(dst):
        raise ConversionError(f'DST {dst} is a directory')
    backbone = read_backbone(src, src_format, branch, depth, trust_pickle,
                             base_channels, backbone_cfg)
    # ResNets: plain keys, as mmdet/mmseg's ResNet `Pretrained` init reads
    # torchvision's; any other backbone: `backbone.` keys, as mmdet/mmseg read
    # mmpretrain's classifiers (their Swin keeps `backbone.` keys only, their
    # ConvNeXt configs load with prefix='backbone.')
    key_prefix = '' if is_resnet(backbone_cfg) else 'backbone.'
    output = backbone_to_target(backbone, to, key_prefix)
    if to == 'detectron2':
        save_pickle(output, dst)
    else:
        save_torch(output, dst)
    return backbone


def describe(backbone: Optional[Dict[str, torch.Tensor]]) -> str:
    if not backbone:
        return 'nothing converted'
    params = sum(v.numel() for k, v in backbone.items()
                 if 'running' not in k and 'num_batches' not in k)
    return f'{len(backbone)} tensors, {params / 1e6:.2f} M parameters'
