"""LC-BYOL: BYOL with a local contrastive loss on dense features (Fig. 2)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmpretrain.models import BYOL
from mmpretrain.structures import DataSample
from torch import Tensor

from mmlc.registry import MODELS
from .local_branch import build_local_branch, global_view_pair


def _rename_pre_branch_keys(state_dict: dict, prefix: str, *args) -> None:
    """Read a checkpoint of LCBYOL before the local branch was a module of
    its own: ``local_neck.*`` -> ``local_branch.local_neck.*``, the EMA copy
    ``target_net.module.2.*`` -> ``local_branch.target_neck.module.*`` (its
    step count is BYOL's ``target_net.steps``)."""
    old_target = f'{prefix}target_net.module.2.'
    if not any(key.startswith(old_target) for key in state_dict):
        return
    for key in list(state_dict):
        if key.startswith(old_target):
            rest = key[len(old_target):]
            state_dict[f'{prefix}local_branch.target_neck.module.{rest}'] = (
                state_dict.pop(key))
        elif key.startswith(f'{prefix}local_neck.'):
            rest = key[len(f'{prefix}local_neck.'):]
            state_dict[f'{prefix}local_branch.local_neck.{rest}'] = (
                state_dict.pop(key))
    steps = state_dict.get(f'{prefix}target_net.steps')
    if steps is not None:
        state_dict[f'{prefix}local_branch.target_neck.steps'] = (steps.clone())


@MODELS.register_module()
class LCBYOL(BYOL):
    """BYOL plus a local branch: ``L = (1 - alpha) * L_G + alpha * L_LC`` (Eq.
    5).

    ``backbone``, ``neck``, ``head`` and the EMA ``target_net`` are
    mmpretrain's BYOL ones (same state-dict keys, so a BYOL checkpoint loads
    with only ``local_branch.*`` missing). The target network of the local
    branch is the EMA of its local neck(s), with BYOL's cosine momentum.

    Args:
        backbone (dict): backbone config.
        neck (dict): global projector config.
        head (dict): global predictor + loss config (``LatentPredictHead``).
        local_branch (dict): :class:`LocalBranch` config (``local_neck``,
            ``local_head``, ``alpha``, ``local_views``, ...); its
            ``base_momentum`` defaults to BYOL's.
        global_views (Sequence[int]): indices of the two views of the global
            BYOL loss. Defaults to ``(0, 1)``, the pair (``Ic``, ``Isc``).
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
                 local_branch: dict,
                 global_views: Sequence[int] = (0, 1),
                 base_momentum: float = 0.004,
                 pretrained: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[List[dict], dict]] = None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            base_momentum=base_momentum,
            pretrained=pretrained,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.global_views = global_view_pair(global_views)
        self.local_branch = build_local_branch(
            local_branch, self.backbone, base_momentum=base_momentum)
        self._register_load_state_dict_pre_hook(_rename_pre_branch_keys)

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
        view_1, view_2 = self.global_views
        target_view, online_view = self.local_branch.local_views
        online_feats = {
            i: self.backbone(inputs[i])
            for i in dict.fromkeys((view_1, view_2, online_view))
        }
        # the global projector sees the last stage only (others feed local
        # necks)
        online_proj = {
            i: self.neck(online_feats[i][-1:])[0]
            for i in (view_1, view_2)
        }
        with torch.no_grad():
            self.target_net.update_parameters(
                nn.Sequential(self.backbone, self.neck))
            self.local_branch.update_target()
            target_backbone, target_neck = self.target_net.module
            target_feats = {
                i: target_backbone(inputs[i])
                for i in dict.fromkeys((view_1, view_2, target_view))
            }
            target_proj = {
                i: target_neck(target_feats[i][-1:])[0]
                for i in (view_1, view_2)
            }
        l_g = 2. * (
            self.head.loss(online_proj[view_1], target_proj[view_2]) +
            self.head.loss(online_proj[view_2], target_proj[view_1]))
        local = self.local_branch.loss(
            online_feats[online_view],
            self.local_branch.target_dense(target_feats[target_view]),
            data_samples)
        return self.local_branch.weighted_losses(l_g, local)
