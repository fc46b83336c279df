"""Local projection neck: per-position projection of a backbone feature map."""
from typing import Optional, Sequence, Tuple, Union

import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmlc.registry import MODELS


@MODELS.register_module()
class LocalProjectionNeck(BaseModule):
    """1x1 conv -> norm -> (ReLU) -> 1x1 conv on one backbone stage, before
    pooling.

    The paper's local projection branch (Sec. 4.1): ``2048 -> 2048`` 1x1 conv
    with BatchNorm, then a ``2048 -> 256`` 1x1 conv, applied at every position
    of the final ResNet stage.

    Args:
        in_channels (int): channels of the selected backbone output.
        hid_channels (int): channels after the first conv.
        out_channels (int): channels of the dense features.
        in_index (int): which element of the backbone's output tuple to use.
            Defaults to -1 (the last stage the backbone returns).
        with_relu (bool): ReLU after the norm layer. The paper names
            conv + BN then conv; the default adds the ReLU of BYOL's MLPs so
            that the two convs do not collapse into one linear map.
        norm_cfg (dict): norm layer config. Defaults to
            ``dict(type='SyncBN')``.
        init_cfg (dict or list[dict], optional): initialisation config.

    Shapes:
        input: tuple of [B, C_i, H_i, W_i]; output: tuple with one
        [B, out_channels, H, W] tensor for the selected stage.
    """

    def __init__(self,
                 in_channels: int,
                 hid_channels: int,
                 out_channels: int,
                 in_index: int = -1,
                 with_relu: bool = True,
                 norm_cfg: dict = dict(type='SyncBN'),
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.in_index = in_index
        self.conv1 = nn.Conv2d(
            in_channels, hid_channels, kernel_size=1, bias=False)
        self.bn1 = build_norm_layer(norm_cfg, hid_channels)[1]
        self.relu = nn.ReLU(inplace=True) if with_relu else nn.Identity()
        self.conv2 = nn.Conv2d(hid_channels, out_channels, kernel_size=1)

    def forward(self, inputs: Sequence[Tensor]) -> Tuple[Tensor]:
        feat = inputs[self.in_index]
        if feat.shape[1] != self.in_channels:
            raise ValueError(
                f'LocalProjectionNeck expects {self.in_channels} input '
                f'channels '
                f'(in_channels) but backbone output {self.in_index} has '
                f'{feat.shape[1]}')
        return (self.conv2(self.relu(self.bn1(self.conv1(feat)))), )
