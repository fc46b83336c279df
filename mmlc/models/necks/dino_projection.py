"""DINO's projection head: an MLP, L2 normalisation and a weight-normalised
linear layer onto K prototypes (Caron et al., "Emerging Properties in
Self-Supervised Vision Transformers", 2021, Sec. 3.1)."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor, nn

from mmlc.registry import MODELS


class WeightNormLinear(nn.Module):
    """A linear layer without bias whose weight is ``g * v / ||v||`` row by
    row (weight normalisation, Salimans & Kingma 2016).

    Args:
        in_features (int): input width.
        out_features (int): output width (DINO's K).
        fix_norm (bool): keep ``g = 1`` (a buffer, not trained): DINO's
            ``norm_last_layer``, which its paper finds to stabilise training.
    """

    def __init__(self, in_features: int, out_features: int,
                 fix_norm: bool) -> None:
        super().__init__()
        self.weight_v = nn.Parameter(torch.empty(out_features, in_features))
        trunc_normal_(self.weight_v, std=.02)
        g = torch.ones(out_features, 1)
        if fix_norm:
            self.register_buffer('weight_g', g)
        else:
            self.weight_g = nn.Parameter(g)
        self.frozen = False

    def forward(self, x: Tensor) -> Tensor:
        """[N, in_features] -> [N, out_features]; without gradient to the
        weight while :attr:`frozen` (DINO freezes the layer during the first
        epoch)."""
        v, g = self.weight_v, self.weight_g
        if self.frozen:
            v, g = v.detach(), g.detach()
        return F.linear(x, g * v / v.norm(dim=1, keepdim=True))


@MODELS.register_module()
class DINOProjection(BaseModule):
    """Global average pooling of the backbone's last map, an MLP
    (``num_layers`` linear layers with GELU, the last one to the bottleneck),
    L2 normalisation, and a weight-normalised linear layer to K outputs.

    DINO's defaults: hidden 2048, bottleneck 256, K = 65536, three MLP layers,
    no batch norm, ``norm_last_layer=True``.

    Args:
        in_channels (int): channels of the backbone's last output.
        hid_channels (int): width of the hidden MLP layers. Defaults to 2048.
        bottleneck_channels (int): output of the MLP. Defaults to 256.
        out_channels (int): K, the number of prototypes. Defaults to 65536.
        num_layers (int): linear layers of the MLP (>= 1). Defaults to 3.
        use_bn (bool): batch norm after each hidden layer. Defaults to False.
        norm_last_layer (bool): fix the last layer's weight norm to 1.
            Defaults to True.
        init_cfg (dict, optional): initialisation config; the linear layers
            are truncated-normal (std 0.02) with zero bias by default.

    Inputs: a tuple of backbone outputs, the last one [N, C, H, W] (or an
    already pooled [N, C]). Output: a one-tuple of [N, K] logits.
    """

    def __init__(
        self,
        in_channels: int,
        hid_channels: int = 2048,
        bottleneck_channels: int = 256,
        out_channels: int = 65536,
        num_layers: int = 3,
        use_bn: bool = False,
        norm_last_layer: bool = True,
        init_cfg: Optional[dict] = dict(
            type='TruncNormal', layer='Linear', std=.02, bias=0.)
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_layers < 1:
            raise ValueError(f'num_layers must be >= 1, got {num_layers}')
        widths = [in_channels] + [hid_channels] * (num_layers - 1)
        layers = []
        for width_in, width_out in zip(widths[:-1], widths[1:]):
            layers.append(nn.Linear(width_in, width_out))
            if use_bn:
                layers.append(nn.BatchNorm1d(width_out))
            layers.append(nn.GELU())
        layers.append(nn.Linear(widths[-1], bottleneck_channels))
        self.mlp = nn.Sequential(*layers)
        self.last_layer = WeightNormLinear(bottleneck_channels, out_channels,
                                           norm_last_layer)

    def forward(self, inputs: Sequence[Tensor]) -> Tuple[Tensor]:
        x = inputs[-1]
        if x.dim() == 4:
            x = x.mean(dim=(2, 3))
        x = F.normalize(self.mlp(x), dim=-1)
        return (self.last_layer(x), )
