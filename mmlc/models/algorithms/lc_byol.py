"""LC-BYOL: BYOL with a local contrastive loss on dense features (Fig. 2)."""
from contextlib import contextmanager
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmpretrain.models import BYOL
from mmpretrain.models.utils import CosineEMA
from mmpretrain.structures import DataSample
from torch import Tensor

from mmlc.registry import MODELS


@contextmanager
def _config_key(key: str):
    """Prefix a component's ValueError with the config key that built it."""
    try:
        yield
    except ValueError as error:
        raise ValueError(f'{key}: {error}') from error


@MODELS.register_module()
class LCBYOL(BYOL):
    """BYOL plus a local branch: ``L = (1 - alpha) * L_G + alpha * L_LC`` (Eq.
    5).

    The online ``backbone``, ``neck`` and ``head`` are mmpretrain's BYOL ones
    (same state-dict keys, so a BYOL checkpoint loads with only the local
    branch missing). The local branch is ``local_neck`` (online, trained) and
    its EMA copy in ``target_net.module.2``; the target network is the EMA of
    ``Sequential(backbone, neck, local_neck)`` with BYOL's cosine momentum.

    Args:
        backbone (dict): backbone config.
        neck (dict): global projector config.
        head (dict): global predictor + loss config (``LatentPredictHead``).
        local_neck (dict or list[dict]): local projection neck config; a list
            puts one neck on each selected backbone stage (multi-scale LC-loss,
            e.g. C4 and C5 with ``backbone.out_indices=(2, 3)`` and each neck's
            ``in_index``).
        local_head (dict): ``LCHead`` config holding the local loss.
        local_weights (Sequence[float], optional): weight of each scale's loss
            in L_LC; defaults to equal weights summing to 1.
        alpha (float): weight of L_LC in ``[0, 1]``. Defaults to 0.1.
        global_views (Sequence[int]): indices of the two views of the global
            BYOL loss. Defaults to ``(0, 1)``, the pair (``Ic``, ``Isc``).
        local_views (Sequence[int]): ``(target, online)`` view indices of the
            local loss: the target network sees ``Ic``, the online one ``Isc``.
            Defaults to ``(0, 1)``.
        base_momentum (float): mmpretrain's ``CosineEMA`` momentum (weight of
            the online network): 0.004 is BYOL's 0.996 -> 1 target momentum.
        pretrained (str, optional): checkpoint to initialise from.
        data_preprocessor (dict, optional): defaults to
            ``SelfSupDataPreprocessor``.
        init_cfg (dict or list[dict], optional): initialisation config.

    Inputs of :meth:`loss`: a list of views [B, 3, H, W]; every data sample
    carries ``view_boxes`` [V, 4] and ``view_flips`` [V] (see
    ``MultiViewWithGeometry``).
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 local_neck: dict,
                 local_head: dict,
                 local_weights: Optional[Sequence[float]] = None,
                 alpha: float = 0.1,
                 global_views: Sequence[int] = (0, 1),
                 local_views: Sequence[int] = (0, 1),
                 base_momentum: float = 0.004,
                 pretrained: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[List[dict], dict]] = None) -> None:
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f'model.alpha must be in [0, 1], got {alpha}')
        if len(global_views) != 2 or len(local_views) != 2:
            raise ValueError(
                'model.global_views and model.local_views must each name '
                f'two views, got {global_views} and {local_views}')
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            base_momentum=base_momentum,
            pretrained=pretrained,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.alpha = float(alpha)
        self.global_views = tuple(global_views)
        self.local_views = tuple(local_views)
        with _config_key('model.local_neck'):
            if isinstance(local_neck, (list, tuple)):
                self.local_neck = nn.ModuleList(
                    [MODELS.build(cfg) for cfg in local_neck])
            else:
                self.local_neck = MODELS.build(local_neck)
        num_scales = len(self._as_list(self.local_neck))
        weights = local_weights if local_weights is not None else [
            1. / num_scales
        ] * num_scales
        if len(weights) != num_scales:
            raise ValueError(
                f'model.local_weights has {len(weights)} values for '
                f'{num_scales} local necks')
        self.local_weights = tuple(float(w) for w in weights)
        self._check_local_neck_channels()
        with _config_key('model.local_head'):
            self.local_head = MODELS.build(local_head)
        self.target_net = CosineEMA(
            self._online_branches(), momentum=base_momentum)

    def _check_local_neck_channels(self) -> None:
        """Each local neck's ``in_channels`` against the backbone output it
        reads.

        Checked when the backbone names its stages (``res_layers`` and
        ``out_indices``, as mmpretrain's ResNet family does); the neck itself
        checks again on its first input otherwise.
        """
        stage_names = getattr(self.backbone, 'res_layers', None)
        out_indices = getattr(self.backbone, 'out_indices', None)
        if stage_names is None or out_indices is None:
            return
        out_channels = [
            getattr(self.backbone, stage_names[i])[-1].out_channels
            for i in sorted(out_indices)
        ]
        necks = self._as_list(self.local_neck)
        for index, neck in enumerate(necks):
            key = 'model.local_neck' + (f'[{index}]' if len(necks) > 1 else '')
            in_index = getattr(neck, 'in_index', -1)
            if not -len(out_channels) <= in_index < len(out_channels):
                raise ValueError(
                    f'{key}.in_index={in_index} but the backbone returns '
                    f'{len(out_channels)} stages (model.backbone.out_indices='
                    f'{tuple(out_indices)})')
            expected = out_channels[in_index]
            if getattr(neck, 'in_channels', expected) != expected:
                raise ValueError(
                    f'{key}.in_channels={neck.in_channels} but backbone '
                    f'output {in_index} '
                    f'(stage {sorted(out_indices)[in_index] + 1} of '
                    f'model.backbone.out_indices={tuple(out_indices)}) has '
                    f'{expected} channels')

    @staticmethod
    def _as_list(local_neck: nn.Module) -> List[nn.Module]:
        return list(local_neck) if isinstance(local_neck,
                                              nn.ModuleList) else [local_neck]

    def _online_branches(self) -> nn.Sequential:
        """The online modules the target network averages, in target_net
        order."""
        return nn.Sequential(self.backbone, self.neck, self.local_neck)

    def loss(self, inputs: List[Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, Tensor]:
        """Compute the global and local losses.

        Args:
            inputs (list[Tensor]): views, each [B, 3, H, W].
            data_samples (list[DataSample]): with ``view_boxes`` /
                ``view_flips``.

        Returns:
            dict[str, Tensor]: ``loss_global`` = (1 - alpha) * L_G and
            ``loss_lc`` = alpha * L_LC (their sum is L; mmengine sums every key
            containing ``loss``), plus the unweighted ``l_g`` and ``l_lc``
            (detached, logged only).
        """
        boxes, flips = self._view_geometry(data_samples, inputs[0].device)
        g1, g2 = self.global_views
        t_view, o_view = self.local_views
        online_feats = {}
        for index in dict.fromkeys((g1, g2, o_view)):
            online_feats[index] = self.backbone(inputs[index])
        # the global projector sees the last stage only (others feed local
        # necks)
        online_proj = {i: self.neck(online_feats[i][-1:])[0] for i in (g1, g2)}
        with torch.no_grad():
            self.target_net.update_parameters(self._online_branches())
            (target_backbone, target_neck,
             target_local_neck) = self.target_net.module
            target_feats = {
                i: target_backbone(inputs[i])
                for i in dict.fromkeys((g1, g2, t_view))
            }
            target_proj = {
                i: target_neck(target_feats[i][-1:])[0]
                for i in (g1, g2)
            }
            target_dense = [
                neck(target_feats[t_view])[0]
                for neck in self._as_list(target_local_neck)
            ]
        l_g = 2. * (
            self.head.loss(online_proj[g1], target_proj[g2]) +
            self.head.loss(online_proj[g2], target_proj[g1]))
        per_scale = [
            self.local_head.loss(
                neck(online_feats[o_view])[0], target, boxes[:, o_view],
                flips[:, o_view], boxes[:, t_view], flips[:, t_view])
            for neck, target in zip(
                self._as_list(self.local_neck), target_dense)
        ]
        l_lc = sum(w * loss for w, loss in zip(self.local_weights, per_scale))
        losses = dict(
            loss_global=(1. - self.alpha) * l_g,
            loss_lc=self.alpha * l_lc,
            l_g=l_g.detach(),
            l_lc=l_lc.detach())
        if len(per_scale) > 1:
            losses.update({
                f'l_lc_scale{i}': loss.detach()
                for i, loss in enumerate(per_scale)
            })
        return losses

    @staticmethod
    def _view_geometry(data_samples: List[DataSample],
                       device: torch.device) -> Tuple[Tensor, Tensor]:
        """Stack per-sample geometry: boxes [B, V, 4] float, flips [B, V]
        bool."""
        missing = [
            key for key in ('view_boxes', 'view_flips')
            if key not in data_samples[0]
        ]
        if missing:
            raise KeyError(
                f'LCBYOL needs view geometry on the data samples, missing '
                f'{missing}: build '
                'the views with MultiViewWithGeometry and pack them with '
                "PackInputs(algorithm_keys=['view_boxes', 'view_flips', "
                "'ori_hw'])")
        boxes = np.stack(
            [np.asarray(s.view_boxes, dtype=np.float32) for s in data_samples])
        flips = np.stack(
            [np.asarray(s.view_flips, dtype=bool) for s in data_samples])
        return (torch.from_numpy(boxes).to(device),
                torch.from_numpy(flips).to(device))
