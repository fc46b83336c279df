"""LC-MoCo v2: MoCo v2 with the local contrastive branch (paper App. B)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models import MoCo
from mmpretrain.models.utils import batch_shuffle_ddp, batch_unshuffle_ddp
from mmpretrain.structures import DataSample
from torch import Tensor

from mmlc.registry import MODELS
from .local_branch import build_local_branch, global_view_pair


@torch.no_grad()
def key_backbone_features(encoder_k: nn.Module, image: Tensor) -> List[Tensor]:
    """The key encoder's backbone outputs of one view, computed on a batch
    shuffled across ranks (MoCo's shuffle BN) and returned in input order.

    Args:
        encoder_k (nn.Module): an EMA of ``Sequential(backbone, neck)``, as
            mmpretrain's MoCo and DenseCL build it.
        image (Tensor): [B, 3, H, W] on this rank.

    Returns:
        list[Tensor]: one [B, C_i, h_i, w_i] map per backbone output.
    """
    shuffled, idx_unshuffle = batch_shuffle_ddp(image)
    return [
        batch_unshuffle_ddp(feat, idx_unshuffle)
        for feat in encoder_k.module[0](shuffled)
    ]


@MODELS.register_module()
class LCMoCoV2(MoCo):
    """MoCo v2 plus a local branch: ``(1 - alpha) * L_InfoNCE + alpha *
    L_LC`` (Eq. 5 with MoCo's loss as L_G).

    ``backbone``, ``neck``, ``head``, the key encoder ``encoder_k`` and the
    queue are mmpretrain's MoCo ones (a MoCo checkpoint loads with only
    ``local_branch.*`` missing). The key encoder's backbone gives the local
    branch its target features; its batch shuffle (for BN under DDP) is undone
    on the dense maps before the local loss. The local necks' target copy
    moves with MoCo's constant momentum.

    Args:
        backbone (dict): backbone config.
        neck (dict): projection neck config (``MoCoV2Neck``).
        head (dict): contrastive head config.
        local_branch (dict): :class:`LocalBranch` config; its momentum
            defaults to the key encoder's, with a constant schedule.
        queue_len (int): number of negative keys. Defaults to 65536.
        feat_dim (int): dimension of the compact feature. Defaults to 128.
        momentum (float): weight of the online network in the key encoder's
            EMA (0.001: MoCo's 0.999).
        global_views (Sequence[int]): ``(query, key)`` view indices. With
            LC-BYOL's views (0 = ``Ic``, 1 = ``Isc``) ``(1, 0)`` lets the key
            encoder's pass over ``Ic`` serve both losses.
        pretrained (str, optional): checkpoint to initialise from.
        data_preprocessor (dict, optional): defaults to
            ``SelfSupDataPreprocessor``.
        init_cfg (dict or list[dict], optional): initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 local_branch: dict,
                 queue_len: int = 65536,
                 feat_dim: int = 128,
                 momentum: float = 0.001,
                 global_views: Sequence[int] = (0, 1),
                 pretrained: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[List[dict], dict]] = None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            queue_len=queue_len,
            feat_dim=feat_dim,
            momentum=momentum,
            pretrained=pretrained,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.global_views = global_view_pair(global_views)
        self.local_branch = build_local_branch(
            local_branch,
            self.backbone,
            base_momentum=momentum,
            momentum_schedule='constant')

    def loss(self, inputs: List[Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, Tensor]:
        """Compute MoCo's InfoNCE and the local loss.

        Args:
            inputs (list[Tensor]): views, each [B, 3, H, W].
            data_samples (list[DataSample]): with ``view_boxes`` /
                ``view_flips``.

        Returns:
            dict[str, Tensor]: ``loss_global`` = (1 - alpha) * L_G and
            ``loss_lc`` = alpha * L_LC, plus the unweighted ``l_g`` and
            ``l_lc`` (detached, logged only).
        """
        query_view, key_view = self.global_views
        target_view, online_view = self.local_branch.local_views
        online_feats = {
            i: self.backbone(inputs[i])
            for i in dict.fromkeys((query_view, online_view))
        }
        query = F.normalize(self.neck(online_feats[query_view][-1:])[0], dim=1)
        with torch.no_grad():
            self.encoder_k.update_parameters(
                nn.Sequential(self.backbone, self.neck))
            self.local_branch.update_target()
            key_feats = {
                i: key_backbone_features(self.encoder_k, inputs[i])
                for i in dict.fromkeys((key_view, target_view))
            }
            key = F.normalize(
                self.encoder_k.module[1](key_feats[key_view][-1:])[0], dim=1)
        positive = torch.einsum('nc,nc->n', [query, key]).unsqueeze(-1)
        negative = torch.einsum('nc,ck->nk',
                                [query, self.queue.clone().detach()])
        l_g = self.head.loss(positive, negative)
        self._dequeue_and_enqueue(key)
        local = self.local_branch.loss(
            online_feats[online_view],
            self.local_branch.target_dense(key_feats[target_view]),
            data_samples)
        return self.local_branch.weighted_losses(l_g, local)
