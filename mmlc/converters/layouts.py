"""Checkpoint layouts: where each source keeps a ResNet backbone (and, for
other backbones, the mmpretrain layout and the official Swin repo's, see
:mod:`mmlc.converters.swin`).

Every ResNet layout is turned into *canonical* keys: torchvision's ResNet names
without ``fc`` (``conv1.weight``, ``bn1.running_mean``,
``layer1.0.conv1.weight``, ``layer1.0.downsample.0.weight`` ...). mmpretrain's,
mmdet's and mmseg's ``ResNet`` use the same names, so canonical keys load into
all of them.
"""
import re
from dataclasses import dataclass
from typing import Dict, Iterable, Mapping, Optional, Tuple

import numpy as np
import torch

from .errors import ConversionError
from .swin import from_official_swin, is_official_swin

_RESNET_KEY = re.compile(r'^(conv1\.|bn1\.|layer[1-4]\.)')


@dataclass(frozen=True)
class Layout:
    """A known checkpoint layout.

    Args:
        name (str): the ``--src-format`` value.
        container (str, optional): top-level key holding the state dict
            (``None``: the file is the state dict).
        prefix (str): prefix of backbone keys inside the state dict.
        description (str): where this layout comes from.
    """
    name: str
    container: Optional[str]
    prefix: str
    description: str


# order matters for auto-detection: the more specific layouts first
LAYOUTS: Tuple[Layout, ...] = (
    Layout('mmlc', 'state_dict', 'backbone.',
           'mmlc, mmpretrain, mmselfsup, solo-learn (online backbone)'),
    Layout('pixpro', 'model', 'module.encoder.',
           'PixPro (never module.encoder_k.)'),
    Layout('moco', 'state_dict', 'module.encoder_q.', 'MoCo v1/v2, ReSim'),
    Layout('densecl', 'state_dict', '', 'DenseCL released (torchvision keys)'),
    Layout('swav', None, 'module.', 'SwAV, DeepCluster'),
    Layout('torchvision', None, '', 'torchvision state dict'),
    Layout('detectron2', 'model', '',
           'detectron2 .pkl (stem/res2..res5 names)'),
    Layout('swin-official', 'model', '',
           'the official Swin Transformer repo (layers.i.blocks.j names)'),
)
LAYOUT_NAMES = tuple(layout.name for layout in LAYOUTS)
# the EMA (target) copy of a self-supervised checkpoint, --branch target:
# BYOL / LC-BYOL, MoCo v3-style momentum backbones, mmpretrain's MoCo,
# DenseCL and LC-MoCo v2 key encoders, and the DINO / LC-DINO teacher
TARGET_PREFIXES = ('target_net.module.0.', 'momentum_backbone.',
                   'encoder_k.module.0.', 'teacher.module.0.')


def get_layout(name: str) -> Layout:
    for layout in LAYOUTS:
        if layout.name == name:
            return layout
    raise ConversionError(
        f'unknown --src-format {name!r}; known: {", ".join(LAYOUT_NAMES)}')


def _is_state_dict(obj) -> bool:
    return isinstance(obj, Mapping) and len(obj) > 0 and all(
        isinstance(k, str) for k in obj) and all(
            isinstance(v, (torch.Tensor, np.ndarray)) for v in obj.values())


def _has_resnet_keys(keys: Iterable[str], prefix: str) -> bool:
    return any(
        k.startswith(prefix) and _RESNET_KEY.match(k[len(prefix):])
        for k in keys)


def _is_detectron2(obj) -> bool:
    return isinstance(obj, Mapping) and isinstance(
        obj.get('model'), Mapping) and any(
            str(k).startswith('stem.conv1') for k in obj['model'])


def detect_layout(obj) -> Layout:
    """Find the layout of a loaded checkpoint object.

    Raises:
        ConversionError: naming the top-level keys found and the known formats.
    """
    if _is_detectron2(obj):
        return get_layout('detectron2')
    for layout in LAYOUTS:
        if layout.name in ('detectron2', 'swin-official'):
            continue
        wrapped = layout.container and isinstance(obj, Mapping)
        state = obj.get(layout.container) if wrapped else obj
        if layout.container is None and isinstance(
                obj, Mapping) and 'state_dict' in obj:
            continue
        if _is_state_dict(state) and _has_resnet_keys(state.keys(),
                                                      layout.prefix):
            return layout
    found = sorted(map(str, obj.keys()))[:12] if isinstance(
        obj, Mapping) else type(obj).__name__
    raise ConversionError(
        f'unknown checkpoint layout (top-level keys: {found}); known formats: '
        f'{", ".join(LAYOUT_NAMES)}')


def detect_other_layout(obj) -> Layout:
    """The layout of a checkpoint of a backbone that is not a ResNet: the
    official Swin repo's (a ``model`` state dict with ``layers.i.blocks.j``
    names, or such a bare state dict) or mmpretrain's (everything else)."""
    if isinstance(obj, Mapping) and (is_official_swin(obj) or isinstance(
            obj.get('model'), Mapping) and is_official_swin(obj['model'])):
        return get_layout('swin-official')
    return get_layout('mmlc')


def extract_backbone(obj,
                     layout: Layout,
                     branch: str = 'online',
                     resnet: bool = True) -> Dict[str, torch.Tensor]:
    """Take the backbone out of a checkpoint in canonical (torchvision) names.

    Args:
        obj: the loaded checkpoint.
        layout (Layout): its layout.
        branch (str): ``online`` or ``target`` (the EMA copy of a
            self-supervised checkpoint; mmlc/mmpretrain only).
        resnet (bool): keep ResNet keys only (the ``fc`` of a classifier and
            anything else under the prefix is dropped); ``False`` keeps
            every key under the prefix (any other mmpretrain backbone).

    Returns:
        dict[str, Tensor]: canonical backbone keys -> tensors (``fc`` dropped).
    """
    if layout.name == 'detectron2':
        return from_detectron2(obj['model'])
    if layout.name == 'swin-official':
        if branch != 'online':
            raise ConversionError(
                'swin-official checkpoints hold one backbone: --branch '
                'online only')
        return from_official_swin(obj.get('model', obj))
    state = obj[layout.container] if layout.container else obj
    if not _is_state_dict(state):
        raise ConversionError(
            f'{layout.name}: {layout.container or "the file"} is not a '
            'state dict of tensors')
    prefix = layout.prefix
    if branch == 'target':
        prefix = next(
            (p for p in TARGET_PREFIXES if any(k.startswith(p)
                                               for k in state)), None)
        if prefix is None:
            raise ConversionError(
                f'--branch target: no EMA copy found (looked for '
                f'{", ".join(TARGET_PREFIXES)})')
    elif branch != 'online':
        raise ConversionError(
            f'--branch must be online or target, got {branch!r}')
    backbone = {}
    for key, value in state.items():
        name = key[len(prefix):]
        if key.startswith(prefix) and (not resnet or _RESNET_KEY.match(name)):
            backbone[name] = torch.as_tensor(value)
    if not backbone:
        kind = 'ResNet keys' if resnet else 'keys'
        raise ConversionError(
            f'{layout.name}: no {kind} under prefix {prefix!r}')
    return backbone


def _d2_to_canonical(name: str) -> Optional[str]:
    if name.startswith('stem.conv1.norm.'):
        return 'bn1.' + name[len('stem.conv1.norm.'):]
    if name.startswith('stem.conv1.'):
        return 'conv1.' + name[len('stem.conv1.'):]
    match = re.match(r'^res([2-5])\.(\d+)\.(.+)$', name)
    if not match:
        return None
    stage, block, rest = int(
        match.group(1)) - 1, match.group(2), match.group(3)
    rest = re.sub(r'^conv(\d)\.norm\.', r'bn\1.', rest)
    rest = re.sub(r'^shortcut\.norm\.', 'downsample.1.', rest)
    rest = re.sub(r'^shortcut\.', 'downsample.0.', rest)
    return f'layer{stage}.{block}.{rest}'


def canonical_to_detectron2(name: str) -> str:
    """torchvision ResNet name -> detectron2 ResNet name."""
    if name.startswith('conv1.'):
        return 'stem.conv1.' + name[len('conv1.'):]
    if name.startswith('bn1.'):
        return 'stem.conv1.norm.' + name[len('bn1.'):]
    match = re.match(r'^layer([1-4])\.(\d+)\.(.+)$', name)
    if not match:
        raise ConversionError(f'not a ResNet backbone key: {name}')
    stage, block, rest = int(
        match.group(1)) + 1, match.group(2), match.group(3)
    rest = re.sub(r'^bn(\d)\.', r'conv\1.norm.', rest)
    rest = re.sub(r'^downsample\.0\.', 'shortcut.', rest)
    rest = re.sub(r'^downsample\.1\.', 'shortcut.norm.', rest)
    return f'res{stage}.{block}.{rest}'


def from_detectron2(model: Mapping) -> Dict[str, torch.Tensor]:
    backbone = {}
    for name, value in model.items():
        canonical = _d2_to_canonical(str(name))
        if canonical is not None:
            backbone[canonical] = torch.as_tensor(np.asarray(value))
    if not backbone:
        raise ConversionError('detectron2: no stem/res2..res5 keys in "model"')
    return backbone
