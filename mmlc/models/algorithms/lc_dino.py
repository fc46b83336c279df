"""LC-DINO: DINO with the local contrastive branch (paper App. B)."""
from typing import Dict, List, Optional, Sequence, Union

from mmpretrain.structures import DataSample
from torch import Tensor

from mmlc.registry import MODELS
from .dino import DINO
from .local_branch import build_local_branch


@MODELS.register_module()
class LCDINO(DINO):
    """DINO plus a local branch: ``(1 - alpha) * L_DINO + alpha * L_LC`` (Eq.
    5 with DINO's loss as L_G; App. B uses alpha = 0.5 on Swin-T's final
    stage, 7 x 7 at 224 px).

    The local branch's target is the teacher backbone's map of the target
    view (``Ic``) projected by the EMA of the local neck (DINO's cosine
    momentum); its online side is the student's map of ``Isc``.
    ``backbone``, ``neck``, ``head`` and ``teacher`` are :class:`DINO`'s, so a
    DINO checkpoint loads with only ``local_branch.*`` missing.

    Args:
        backbone (dict): backbone config.
        neck (dict): ``DINOProjection`` config.
        head (dict): ``DINOHead`` config.
        local_branch (dict): ``LocalBranch`` config; its ``base_momentum``
            defaults to DINO's.
        teacher_views (Sequence[int]): DINO's global views. Defaults to
            ``(0, 1)``.
        base_momentum (float): the teacher's (and the local target's) EMA
            weight of the student. Defaults to 0.004.
        pretrained (str, optional): checkpoint to initialise from.
        data_preprocessor (dict, optional): defaults to
            ``SelfSupDataPreprocessor``.
        init_cfg (dict or list[dict], optional): initialisation config.

    Inputs of :meth:`loss`: as :class:`DINO`, and every data sample carries
    ``view_boxes`` [V, 4] and ``view_flips`` [V] (``MultiViewWithGeometry``).
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 local_branch: dict,
                 teacher_views: Sequence[int] = (0, 1),
                 base_momentum: float = 0.004,
                 pretrained: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[List[dict], dict]] = None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            teacher_views=teacher_views,
            base_momentum=base_momentum,
            pretrained=pretrained,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.local_branch = build_local_branch(
            local_branch, self.backbone, base_momentum=base_momentum)

    def loss(self, inputs: List[Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, Tensor]:
        """DINO's loss and the local loss.

        Args:
            inputs (list[Tensor]): views, each [B, 3, H_v, W_v].
            data_samples (list[DataSample]): with ``view_boxes`` /
                ``view_flips``.

        Returns:
            dict[str, Tensor]: ``loss_global`` = (1 - alpha) * L_G and
            ``loss_lc`` = alpha * L_LC, plus the unweighted ``l_g`` and
            ``l_lc`` (detached, logged only).
        """
        target_view, online_view = self.local_branch.local_views
        self.local_branch.update_target()
        student_feats, teacher_feats, l_g = self.student_and_teacher(
            inputs, extra_teacher_views=(target_view, ))
        local = self.local_branch.loss(
            student_feats[online_view],
            self.local_branch.target_dense(teacher_feats[target_view]),
            data_samples)
        return self.local_branch.weighted_losses(l_g, local)
