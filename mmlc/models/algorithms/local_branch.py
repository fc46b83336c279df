"""The local contrastive branch, to add to any self-supervised algorithm."""
from contextlib import contextmanager
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.model import BaseModule, ExponentialMovingAverage
from mmpretrain.models.utils import CosineEMA
from mmpretrain.structures import DataSample
from torch import Tensor, nn

from mmlc.registry import MODELS

TARGET_MODES = ('ema', 'stop_grad')
MOMENTUM_SCHEDULES = {
    'cosine': CosineEMA,  # BYOL's 1 - momentum -> 1 over training
    'constant': ExponentialMovingAverage,  # MoCo's key encoder
}


@contextmanager
def config_key(key: str, sep: str = ': '):
    """Prefix a component's ValueError with the config key that built it
    (``sep='.'`` when the component's messages start with its argument's
    name: ``model.local_branch.alpha must be ...``)."""
    try:
        yield
    except ValueError as error:
        raise ValueError(f'{key}{sep}{error}') from error


def view_geometry(data_samples: Sequence[DataSample], device: torch.device,
                  owner: str) -> Tuple[Tensor, Tensor]:
    """Stack per-sample geometry: boxes [B, V, 4] float, flips [B, V] bool.

    Raises:
        KeyError: the samples carry no geometry (naming ``owner`` and the
            transforms that record it).
    """
    missing = [
        key for key in ('view_boxes', 'view_flips')
        if key not in data_samples[0]
    ]
    if missing:
        raise KeyError(
            f'{owner} needs view geometry on the data samples, missing '
            f'{missing}: build the views with MultiViewWithGeometry and pack '
            "them with PackInputs(algorithm_keys=['view_boxes', "
            "'view_flips', 'ori_hw'])")
    boxes = np.stack(
        [np.asarray(s.view_boxes, dtype=np.float32) for s in data_samples])
    flips = np.stack(
        [np.asarray(s.view_flips, dtype=bool) for s in data_samples])
    return (torch.from_numpy(boxes).to(device),
            torch.from_numpy(flips).to(device))


def global_view_pair(global_views: Sequence[int]) -> Tuple[int, int]:
    """Check ``model.global_views`` (two view indices) and return it."""
    if len(global_views) != 2:
        raise ValueError('model.global_views must name two views, got '
                         f'{global_views}')
    return tuple(global_views)


def build_local_branch(local_branch: dict, backbone: nn.Module,
                       **host_defaults) -> 'LocalBranch':
    """Build ``model.local_branch`` for a host algorithm and check its necks
    against the host's backbone.

    Args:
        local_branch (dict): the config's ``model.local_branch``.
        backbone (nn.Module): the host's online backbone.
        **host_defaults: what the host decides unless the config says
            otherwise (its momentum, ``target='stop_grad'``...).

    Raises:
        ValueError: prefixed with the config key (``model.local_branch.``).
    """
    with config_key('model.local_branch', sep='.'):
        branch = MODELS.build(
            dict(dict(type='LocalBranch', **host_defaults), **local_branch))
    branch.check_channels(backbone, 'model.local_branch')
    return branch


@MODELS.register_module()
class LocalBranch(BaseModule):
    """LC-loss as a plug-in: local projection neck(s), their target copy, the
    ``LCHead`` and the mixing weight (paper Sec. 3, Eq. 4-5).

    The host algorithm computes the backbone features: the online backbone's
    on the online view, its own target network's (EMA, momentum encoder or
    stop-gradient) on the target view. The branch projects both (the target
    side through :meth:`target_dense`) and returns L_LC from the views'
    recorded geometry (:meth:`loss`). The host mixes
    ``(1 - alpha) * L_G + alpha * L_LC``. Nothing of the host is touched, so
    a host checkpoint loads with only ``local_branch.*`` missing.

    Args:
        local_neck (dict or list[dict]): local projection neck config; a list
            puts one neck on each selected backbone stage (multi-scale, each
            neck's ``in_index``).
        local_head (dict): ``LCHead`` config holding the local loss.
        alpha (float): weight of L_LC in ``[0, 1]``. Defaults to 0.1.
        local_weights (Sequence[float], optional): weight of each scale in
            L_LC; equal weights summing to 1 by default.
        local_views (Sequence[int]): ``(target, online)`` view indices.
            Defaults to ``(0, 1)``: the target sees ``Ic``, the online
            network ``Isc``.
        target (str): ``'ema'``: the target necks are a ``CosineEMA`` of the
            online ones (BYOL, MoCo, DenseCL); ``'stop_grad'``: the online
            necks without gradient (SimSiam).
        base_momentum (float): EMA momentum (weight of the online necks) of
            the ``'ema'`` target; the host passes its own so that both
            targets move together.
        momentum_schedule (str): ``'cosine'`` (mmpretrain's ``CosineEMA``,
            BYOL) or ``'constant'`` (mmengine's ``ExponentialMovingAverage``,
            MoCo and DenseCL's key encoders).
        init_cfg (dict, optional): initialisation config.
    """

    def __init__(self,
                 local_neck: Union[dict, List[dict]],
                 local_head: dict,
                 alpha: float = 0.1,
                 local_weights: Optional[Sequence[float]] = None,
                 local_views: Sequence[int] = (0, 1),
                 target: str = 'ema',
                 base_momentum: float = 0.004,
                 momentum_schedule: str = 'cosine',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f'alpha must be in [0, 1], got {alpha}')
        if len(local_views) != 2:
            raise ValueError(
                f'local_views must name two views, got {local_views}')
        if target not in TARGET_MODES:
            raise ValueError(
                f'target must be one of {TARGET_MODES}, got {target!r}')
        if momentum_schedule not in MOMENTUM_SCHEDULES:
            raise ValueError(
                f'momentum_schedule must be one of '
                f'{tuple(MOMENTUM_SCHEDULES)}, got {momentum_schedule!r}')
        self.alpha = float(alpha)
        self.local_views = tuple(local_views)
        self.target = target
        with config_key('local_neck'):
            if isinstance(local_neck, (list, tuple)):
                self.local_neck = nn.ModuleList(
                    [MODELS.build(cfg) for cfg in local_neck])
            else:
                self.local_neck = MODELS.build(local_neck)
        num_scales = len(self.necks(self.local_neck))
        weights = local_weights if local_weights is not None else [
            1. / num_scales
        ] * num_scales
        if len(weights) != num_scales:
            raise ValueError(f'local_weights has {len(weights)} values for '
                             f'{num_scales} local necks')
        self.local_weights = tuple(float(w) for w in weights)
        with config_key('local_head'):
            self.local_head = MODELS.build(local_head)
        self.target_neck = MOMENTUM_SCHEDULES[momentum_schedule](
            self.local_neck,
            momentum=base_momentum) if target == 'ema' else None

    @staticmethod
    def necks(local_neck: nn.Module) -> List[nn.Module]:
        return list(local_neck) if isinstance(local_neck,
                                              nn.ModuleList) else [local_neck]

    def check_channels(self, backbone: nn.Module, key: str) -> None:
        """Each local neck's ``in_channels`` against the backbone output it
        reads, when the backbone names its stages (``res_layers`` and
        ``out_indices``, as mmpretrain's ResNet family does; any other
        backbone is checked by the neck on its first input).

        Args:
            backbone (nn.Module): the host's online backbone.
            key (str): the branch's config key, for the error.
        """
        stage_names = getattr(backbone, 'res_layers', None)
        out_indices = getattr(backbone, 'out_indices', None)
        if stage_names is None or out_indices is None:
            return
        out_channels = [
            getattr(backbone, stage_names[i])[-1].out_channels
            for i in sorted(out_indices)
        ]
        necks = self.necks(self.local_neck)
        for index, neck in enumerate(necks):
            neck_key = f'{key}.local_neck' + (f'[{index}]'
                                              if len(necks) > 1 else '')
            in_index = getattr(neck, 'in_index', -1)
            if not -len(out_channels) <= in_index < len(out_channels):
                raise ValueError(
                    f'{neck_key}.in_index={in_index} but the backbone '
                    f'returns {len(out_channels)} stages (model.backbone.'
                    f'out_indices={tuple(out_indices)})')
            expected = out_channels[in_index]
            if getattr(neck, 'in_channels', expected) != expected:
                raise ValueError(
                    f'{neck_key}.in_channels={neck.in_channels} but backbone '
                    f'output {in_index} (stage '
                    f'{sorted(out_indices)[in_index] + 1} of model.backbone.'
                    f'out_indices={tuple(out_indices)}) has {expected} '
                    'channels')

    @torch.no_grad()
    def update_target(self) -> None:
        """One EMA step of the target necks (nothing for ``stop_grad``); call
        it where the host updates its own target network."""
        if self.target_neck is not None:
            self.target_neck.update_parameters(self.local_neck)

    @torch.no_grad()
    def target_dense(self, target_feats: Sequence[Tensor]) -> List[Tensor]:
        """Project the target view's backbone outputs, without gradient.

        Args:
            target_feats (Sequence[Tensor]): the host target network's
                backbone outputs of the target view, each [B, C_i, h_i, w_i].

        Returns:
            list[Tensor]: one [B, D, h, w] map per local neck.
        """
        necks = self.local_neck if self.target_neck is None else (
            self.target_neck.module)
        return [neck(target_feats)[0] for neck in self.necks(necks)]

    def loss(self, online_feats: Sequence[Tensor],
             target_dense: Sequence[Tensor],
             data_samples: Sequence[DataSample]) -> Dict[str, Tensor]:
        """L_LC of the online view against the target view (Eq. 4).

        Args:
            online_feats (Sequence[Tensor]): the online backbone's outputs of
                the online view, each [B, C_i, h_i, w_i].
            target_dense (Sequence[Tensor]): :meth:`target_dense` of the
                target view.
            data_samples (Sequence[DataSample]): with ``view_boxes`` [V, 4]
                and ``view_flips`` [V].

        Returns:
            dict[str, Tensor]: ``l_lc`` (weighted over scales, with
            gradient) and, with several scales, each scale's loss detached as
            ``l_lc_scale{i}``.
        """
        boxes, flips = view_geometry(data_samples, online_feats[-1].device,
                                     'the local branch')
        t_view, o_view = self.local_views
        per_scale = [
            self.local_head.loss(
                neck(online_feats)[0], target, boxes[:, o_view],
                flips[:, o_view], boxes[:, t_view], flips[:, t_view])
            for neck, target in zip(self.necks(self.local_neck), target_dense)
        ]
        losses = dict(
            l_lc=sum(w * loss
                     for w, loss in zip(self.local_weights, per_scale)))
        if len(per_scale) > 1:
            losses.update({
                f'l_lc_scale{i}': loss.detach()
                for i, loss in enumerate(per_scale)
            })
        return losses

    def weighted_losses(self, l_g: Tensor,
                        local: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """The host's losses under Eq. 5.

        Args:
            l_g (Tensor): the host's global loss L_G, a scalar with gradient.
            local (dict[str, Tensor]): :meth:`loss`'s output.

        Returns:
            dict[str, Tensor]: ``loss_global`` = (1 - alpha) * L_G and
            ``loss_lc`` = alpha * L_LC (mmengine sums every key containing
            ``loss``, so their sum is L), plus the unweighted ``l_g``,
            ``l_lc`` and each scale's loss, detached, for the log.
        """
        return dict(
            loss_global=(1. - self.alpha) * l_g,
            loss_lc=self.alpha * local['l_lc'],
            l_g=l_g.detach(),
            **{
                key: value.detach()
                for key, value in local.items()
            })
