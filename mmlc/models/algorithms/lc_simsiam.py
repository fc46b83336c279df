"""LC-SimSiam: SimSiam with the local contrastive branch (paper App. B)."""
from typing import Dict, List, Optional, Sequence, Union

from mmpretrain.models import SimSiam
from mmpretrain.structures import DataSample
from torch import Tensor

from mmlc.registry import MODELS
from .local_branch import build_local_branch, global_view_pair


@MODELS.register_module()
class LCSimSiam(SimSiam):
    """SimSiam plus a local branch: ``(1 - alpha) * L_SimSiam + alpha *
    L_LC`` (Eq. 5 with SimSiam's loss as L_G).

    SimSiam has no target network: as its predictor's target is the other
    view's projection without gradient, the local branch's target is the
    online local neck's projection of the target view without gradient
    (``target='stop_grad'``). ``backbone``, ``neck`` and ``head`` are
    mmpretrain's SimSiam ones (a SimSiam checkpoint loads with only
    ``local_branch.*`` missing).

    Args:
        backbone (dict): backbone config.
        neck (dict): projection neck config.
        head (dict): predictor + loss config (``LatentPredictHead``).
        local_branch (dict): :class:`LocalBranch` config (``target`` is
            ``'stop_grad'`` unless given).
        global_views (Sequence[int]): the two views of SimSiam's symmetric
            loss. Defaults to ``(0, 1)``.
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
                 global_views: Sequence[int] = (0, 1),
                 pretrained: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[List[dict], dict]] = None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            pretrained=pretrained,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.global_views = global_view_pair(global_views)
        self.local_branch = build_local_branch(
            local_branch, self.backbone, target='stop_grad')

    def loss(self, inputs: List[Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, Tensor]:
        """Compute SimSiam's loss and the local loss.

        Args:
            inputs (list[Tensor]): views, each [B, 3, H, W].
            data_samples (list[DataSample]): with ``view_boxes`` /
                ``view_flips``.

        Returns:
            dict[str, Tensor]: ``loss_global`` = (1 - alpha) * L_G and
            ``loss_lc`` = alpha * L_LC, plus the unweighted ``l_g`` and
            ``l_lc`` (detached, logged only).
        """
        view_1, view_2 = self.global_views
        target_view, online_view = self.local_branch.local_views
        feats = {
            i: self.backbone(inputs[i])
            for i in dict.fromkeys((view_1, view_2, target_view, online_view))
        }
        z_1 = self.neck(feats[view_1][-1:])[0]
        z_2 = self.neck(feats[view_2][-1:])[0]
        l_g = 0.5 * (self.head.loss(z_1, z_2) + self.head.loss(z_2, z_1))
        local = self.local_branch.loss(
            feats[online_view],
            self.local_branch.target_dense(feats[target_view]), data_samples)
        return self.local_branch.weighted_losses(l_g, local)
