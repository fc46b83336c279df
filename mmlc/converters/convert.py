"""Convert a backbone checkpoint between layouts (the library behind
``tools/model_converters/convert_checkpoint.py``)."""
import os.path as osp
from typing import Dict, Optional

import torch

from .errors import ConversionError
from .io import load_checkpoint_file, save_pickle, save_torch, to_numpy
from .layouts import (canonical_to_detectron2, detect_layout, extract_backbone,
                      get_layout)
from .validate import validate_backbone

TARGETS = ('openmmlab', 'torchvision', 'detectron2')


def read_backbone(src: str,
                  src_format: str = 'auto',
                  branch: str = 'online',
                  depth: int = 50,
                  trust_pickle: bool = False,
                  base_channels: int = 64) -> Dict[str, torch.Tensor]:
    """Load any known checkpoint layout and return its validated ResNet
    backbone.

    Args:
        src (str): checkpoint path.
        src_format (str): a layout name or ``auto``.
        branch (str): ``online`` or ``target`` (EMA copy) of self-supervised
            checkpoints.
        depth (int): ResNet depth to validate against.
        trust_pickle (bool): allow arbitrary unpickling.
        base_channels (int): width of the first stage (64 for standard
            ResNets).

    Returns:
        dict[str, Tensor]: canonical (torchvision) backbone keys, without
        ``fc``.
    """
    obj = load_checkpoint_file(src, trust_pickle=trust_pickle)
    layout = detect_layout(obj) if src_format == 'auto' else get_layout(
        src_format)
    try:
        backbone = extract_backbone(obj, layout, branch=branch)
    except ConversionError as err:
        raise ConversionError(f'{src}: {err}') from err
    try:
        return validate_backbone(backbone, depth, base_channels)
    except ConversionError as err:
        raise ConversionError(f'{src} ({layout.name} layout) {err}') from err


def backbone_to_target(backbone: Dict[str, torch.Tensor], to: str) -> object:
    """The object written for each ``--to``."""
    if to == 'openmmlab':
        return {'state_dict': backbone, 'meta': {'converted_by': 'mmlc'}}
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


def convert_checkpoint(src: str,
                       dst: str,
                       to: str = 'openmmlab',
                       src_format: str = 'auto',
                       branch: str = 'online',
                       depth: int = 50,
                       trust_pickle: bool = False,
                       base_channels: int = 64) -> Dict[str, torch.Tensor]:
    """Read ``src``, validate its backbone and write it to ``dst`` in layout
    ``to``.

    ``dst`` is written atomically and never equals ``src``.

    Returns:
        dict[str, Tensor]: the canonical backbone that was written.
    """
    if to not in TARGETS:
        raise ConversionError(f'--to must be one of {TARGETS}, got {to!r}')
    if osp.abspath(dst) == osp.abspath(src) or (osp.exists(dst)
                                                and osp.exists(src)
                                                and osp.samefile(src, dst)):
        raise ConversionError(
            f'DST is the same file as SRC ({src}); refusing to overwrite it')
    if osp.isdir(dst):
        raise ConversionError(f'DST {dst} is a directory')
    backbone = read_backbone(src, src_format, branch, depth, trust_pickle,
                             base_channels)
    output = backbone_to_target(backbone, to)
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
