"""A frozen backbone (a ResNet, or any an mmpretrain config describes) from
any checkpoint the converter reads, or with random weights."""
import copy
from typing import Iterator, Optional, Sequence

import numpy as np
import torch
from torch import Tensor, nn
from tqdm import tqdm

from mmlc.converters import read_backbone
from mmlc.registry import MODELS
from .images import load_rgb

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


def load_resnet(checkpoint: Optional[str],
                depth: int = 50,
                base_channels: int = 64,
                last_stride: int = 2,
                last_dilation: int = 1,
                trust_pickle: bool = False,
                seed: int = 0) -> nn.Module:
    """Build an mmpretrain ``ResNet`` returning the final stage, in eval mode.

    Args:
        checkpoint (str, optional): any layout ``mmlc.converters`` reads;
            ``None`` gives a randomly initialised network (seeded by ``seed``).
        depth (int): ResNet depth.
        base_channels (int): first-stage width (64 standard, 16 for the toy
            configs).
        last_stride (int): stride of the last stage (1 keeps a 2x finer grid,
            as the toy pretraining configs do).
        last_dilation (int): dilation of the last stage (2 in the toy recipe's
            ``resnet18-d16``, as in mmseg's dilated ResNets).
        trust_pickle (bool): passed to the converter's loader.
        seed (int): seed of the random initialisation when ``checkpoint`` is
            None.
    """
    resnet = dict(
        type='ResNet',
        depth=depth,
        stem_channels=base_channels,
        base_channels=base_channels,
        strides=(1, 2, 2, last_stride),
        dilations=(1, 1, 1, last_dilation),
        out_indices=(3, ))
    return load_backbone(checkpoint, resnet, trust_pickle, seed)


def load_backbone(checkpoint: Optional[str],
                  backbone_cfg: dict,
                  trust_pickle: bool = False,
                  seed: int = 0) -> nn.Module:
    """Build any mmpretrain backbone from its config, in eval mode, with the
    weights of ``checkpoint`` (validated against it by the converter).

    Args:
        checkpoint (str, optional): any layout ``mmlc.converters`` reads for
            this backbone; ``None`` gives a randomly initialised network
            (seeded by ``seed``).
        backbone_cfg (dict): e.g. a pretraining config's ``model.backbone``.
            The evaluations read the last output, so ``out_indices`` should
            end with the stage to evaluate.
        trust_pickle (bool): passed to the converter's loader.
        seed (int): seed of the random initialisation.
    """
    torch.manual_seed(seed)
    model = MODELS.build(copy.deepcopy(dict(backbone_cfg)))
    if checkpoint is None:
        model.init_weights()
    else:
        state = read_backbone(
            checkpoint, trust_pickle=trust_pickle, backbone_cfg=backbone_cfg)
        model.load_state_dict(state, strict=True)
    model.eval()  # mmpretrain's backbones' train() may not return the module
    return model


def normalise(images: torch.Tensor) -> torch.Tensor:
    """uint8-range RGB [B, 3, H, W] -> ImageNet-normalised float."""
    mean = images.new_tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = images.new_tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return (images.float() - mean) / std


@torch.no_grad()
def final_stage_features(backbone: nn.Module,
                         paths: Sequence[str],
                         img_size: int = 224,
                         device: str = 'cpu',
                         batch_size: int = 32,
                         progress: bool = False) -> Iterator[Tensor]:
    """The last stage's feature maps of images, one batch at a time.

    Each image is loaded as RGB (EXIF applied), resized to ``img_size`` and
    ImageNet-normalised; the backbone runs in eval mode without gradients.

    Yields:
        Tensor: [B, C, h, w] on ``device``.
    """

    backbone.to(device)
    backbone.eval()
    for start in tqdm(
            range(0, len(paths), batch_size),
            desc='features',
            disable=not progress):
        batch = np.stack(
            [load_rgb(p, img_size) for p in paths[start:start + batch_size]])
        images = torch.from_numpy(batch).permute(0, 3, 1, 2).to(device)
        yield backbone(normalise(images))[-1]
