"""The official Swin Transformer layout (github.com/microsoft/Swin-Transformer
releases, also what DINO-style Swin repositories save) -> mmpretrain's Swin
names, which mmdet's and mmseg's Swin use too.

Names: ``layers.i`` -> ``stages.i``, ``attn.*`` -> ``attn.w_msa.*``,
``mlp.fc1`` / ``mlp.fc2`` -> ``ffn.layers.0.0`` / ``ffn.layers.1``,
``patch_embed.proj`` -> ``patch_embed.projection``, the final ``norm`` ->
``norm{last stage}`` (``norm3`` for Swin-T; mmpretrain's output norm of that
stage, so the backbone config must output the last stage); ``head.*`` and the
shifted blocks' ``attn_mask`` buffers are dropped.

Patch merging concatenates the four pixels of each 2 x 2 patch in the order
(0, 0), (1, 0), (0, 1), (1, 1) in the official code and as ``nn.Unfold``
does, channel by channel with the patch positions (0, 0), (0, 1), (1, 0),
(1, 1) inside, in mmpretrain's; the reduction's input columns and the norm
before it are permuted accordingly.
"""
import re
from typing import Dict, Mapping

import torch

from .errors import ConversionError

_RENAMES = (
    (r'^layers\.', 'stages.'),
    (r'\.attn\.', '.attn.w_msa.'),
    (r'\.mlp\.fc1\.', '.ffn.layers.0.0.'),
    (r'\.mlp\.fc2\.', '.ffn.layers.1.'),
    (r'^patch_embed\.proj\.', 'patch_embed.projection.'),
)
# official position p of the 2 x 2 patch, in unfold's order of positions
_UNFOLD_FROM_OFFICIAL = [0, 2, 1, 3]


def is_official_swin(state: Mapping) -> bool:
    """Whether a state dict has the official repo's Swin names."""
    return any(str(k).startswith('layers.0.blocks.0.attn.') for k in state)


def _merge_order(tensor: torch.Tensor) -> torch.Tensor:
    """Permute the 4C input dimension (the last one) of a patch-merging
    tensor from the official (position, channel) order to unfold's (channel,
    position) order."""
    *lead, four_c = tensor.shape
    grouped = tensor.reshape(*lead, 4, four_c // 4)
    grouped = grouped[..., _UNFOLD_FROM_OFFICIAL, :]
    return grouped.transpose(-1, -2).reshape(*lead, four_c)


def from_official_swin(
        state: Mapping[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Official Swin state dict -> mmpretrain Swin backbone keys.

    Raises:
        ConversionError: the state dict has no official Swin keys.
    """
    if not is_official_swin(state):
        raise ConversionError(
            'swin-official: no layers.0.blocks.0.attn.* keys (not a '
            'checkpoint of the official Swin repo)')
    last_stage = max(
        int(match.group(1)) for match in (re.match(r'^layers\.(\d+)\.', k)
                                          for k in state) if match)
    backbone = {}
    for key, value in state.items():
        if key.startswith('head.') or key.endswith('.attn_mask'):
            continue
        value = torch.as_tensor(value)
        if re.search(r'\.downsample\.(reduction\.weight|norm\.)', key):
            value = _merge_order(value)
        name = re.sub(r'^norm\.', f'norm{last_stage}.', key)
        for pattern, replacement in _RENAMES:
            name = re.sub(pattern, replacement, name)
        backbone[name] = value
    return backbone
