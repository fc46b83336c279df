"""DINO head: holds the self-distillation loss."""
from typing import Optional, Sequence

from mmengine.model import BaseModule
from torch import Tensor

from mmlc.registry import MODELS


@MODELS.register_module()
class DINOHead(BaseModule):
    """Turns the student's and the teacher's projections of the views into
    DINO's loss.

    Args:
        loss (dict): ``DINOLoss`` config (its ``teacher_temp`` is what
            ``DINOTeacherTempHook`` schedules).
        init_cfg (dict, optional): initialisation config.
    """

    def __init__(self, loss: dict, init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_module = MODELS.build(loss)

    def loss(self,
             student_out: Sequence[Tensor],
             teacher_out: Sequence[Tensor],
             teacher_views: Optional[Sequence[int]] = None) -> Tensor:
        """Args: one [B, K] per student view and per teacher view, and the
        student view index of each teacher view (see ``DINOLoss``)."""
        return self.loss_module(student_out, teacher_out, teacher_views)
