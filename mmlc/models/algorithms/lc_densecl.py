"""LC-DenseCL: DenseCL with the local contrastive branch beside its own
dense loss."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models import DenseCL
from mmpretrain.structures import DataSample
from torch import Tensor

from mmlc.registry import MODELS
from .lc_mocov2 import key_backbone_features
from .local_branch import build_local_branch, global_view_pair


def _normalised(*tensors: Tensor) -> Tuple[Tensor, ...]:
    return tuple(F.normalize(t, dim=1) for t in tensors)


@MODELS.register_module()
class LCDenseCL(DenseCL):
    """DenseCL plus a local branch: ``(1 - alpha) * L_DenseCL + alpha *
    L_LC`` (Eq. 5 with DenseCL's weighted global + dense loss as L_G).

    DenseCL's dense loss matches query and key cells by backbone feature
    similarity; LC-loss matches them by the views' known geometry. Both train
    the same backbone here, so their effects can be compared and combined.
    ``backbone``, ``neck``, ``head``, ``encoder_k`` and both queues are
    mmpretrain's DenseCL ones (a DenseCL checkpoint loads with only
    ``local_branch.*`` missing); the key encoder gives the local branch its
    target features (batch shuffle undone), and the local necks' target copy
    moves with DenseCL's constant momentum.

    Args:
        backbone (dict): backbone config.
        neck (dict): ``DenseCLNeck`` config.
        head (dict): contrastive head config.
        local_branch (dict): :class:`LocalBranch` config.
        queue_len (int): number of negative keys. Defaults to 65536.
        feat_dim (int): dimension of the compact features. Defaults to 128.
        momentum (float): weight of the online network in the key encoder's
            EMA (0.001: DenseCL's 0.999).
        loss_lambda (float): DenseCL's weight of its dense loss.
        global_views (Sequence[int]): ``(query, key)`` view indices;
            ``(1, 0)`` with LC-BYOL's views.
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
                 loss_lambda: float = 0.5,
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
            loss_lambda=loss_lambda,
            pretrained=pretrained,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.global_views = global_view_pair(global_views)
        self.local_branch = build_local_branch(
            local_branch,
            self.backbone,
            base_momentum=momentum,
            momentum_schedule='constant')

    def _densecl_loss(self, query_feats: Sequence[Tensor],
                      key_feats: Sequence[Tensor]) -> Tensor:
        """DenseCL's loss from the query and key backbone outputs; enqueues
        the keys.

        Returns:
            Tensor: ``(1 - lambda) * L_global + lambda * L_dense``.
        """
        q, q_grid, q2 = self.neck(query_feats[-1:])
        q_b = query_feats[-1].flatten(2)  # [B, C, S^2]
        q, q_grid, q2, q_b = _normalised(q, q_grid, q2, q_b)
        with torch.no_grad():
            k, k_grid, k2 = self.encoder_k.module[1](key_feats[-1:])
            k, k_grid, k2, k_b = _normalised(k, k_grid, k2,
                                             key_feats[-1].flatten(2))
        positive = torch.einsum('nc,nc->n', [q, k]).unsqueeze(-1)
        negative = torch.einsum('nc,ck->nk', [q, self.queue.clone().detach()])
        # each query cell's key cell: the most similar backbone feature
        match = torch.matmul(q_b.transpose(1, 2), k_b).argmax(dim=2)
        matched_k_grid = torch.gather(
            k_grid, 2,
            match.unsqueeze(1).expand(-1, k_grid.size(1), -1))
        dense_positive = (q_grid * matched_k_grid).sum(1).view(-1, 1)
        q_cells = q_grid.transpose(1, 2).reshape(-1, q_grid.size(1))
        dense_negative = torch.einsum(
            'nc,ck->nk', [q_cells, self.queue2.clone().detach()])
        l_global = self.head.loss(positive, negative)
        l_dense = self.head.loss(dense_positive, dense_negative)
        self._dequeue_and_enqueue(k)
        self._dequeue_and_enqueue2(k2)
        return (1 - self.loss_lambda) * l_global + self.loss_lambda * l_dense

    def loss(self, inputs: List[Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, Tensor]:
        """Compute DenseCL's losses and the local loss.

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
        with torch.no_grad():
            self.encoder_k.update_parameters(
                nn.Sequential(self.backbone, self.neck))
            self.local_branch.update_target()
            key_feats = {
                i: key_backbone_features(self.encoder_k, inputs[i])
                for i in dict.fromkeys((key_view, target_view))
            }
        l_g = self._densecl_loss(online_feats[query_view], key_feats[key_view])
        local = self.local_branch.loss(
            online_feats[online_view],
            self.local_branch.target_dense(key_feats[target_view]),
            data_samples)
        return self.local_branch.weighted_losses(l_g, local)
