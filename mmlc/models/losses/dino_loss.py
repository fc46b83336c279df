"""DINO's self-distillation loss with centring and sharpening (Caron et al.
2021, Sec. 3.1, Eq. 2-4)."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.dist import all_reduce
from mmengine.model import BaseModule
from torch import Tensor

from mmlc.registry import MODELS


@MODELS.register_module()
class DINOLoss(BaseModule):
    """Cross-entropy between the teacher's centred, sharpened distribution and
    the student's, over every (teacher view, student view) pair of different
    views.

    ``P_t = softmax((g_t - c) / tau_t)``, ``P_s = softmax(g_s / tau_s)``;
    the loss is the mean over those pairs of ``mean_b sum_k -P_t log P_s``.
    After each call the centre ``c`` moves towards the batch mean of the
    teacher's outputs (all views, all processes):
    ``c <- m c + (1 - m) mean(g_t)``.

    Args:
        out_channels (int): K, the width of the outputs.
        student_temp (float): tau_s. Defaults to 0.1.
        teacher_temp (float): tau_t until a schedule sets
            :attr:`teacher_temp` (``DINOTeacherTempHook``). Defaults to 0.04,
            the start of DINO's warm-up.
        center_momentum (float): m. Defaults to 0.9.
        init_cfg (dict, optional): initialisation config.
    """

    def __init__(self,
                 out_channels: int,
                 student_temp: float = 0.1,
                 teacher_temp: float = 0.04,
                 center_momentum: float = 0.9,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.student_temp = student_temp
        self.teacher_temp = teacher_temp
        self.center_momentum = center_momentum
        self.register_buffer('center', torch.zeros(1, out_channels))

    def forward(self,
                student_out: Sequence[Tensor],
                teacher_out: Sequence[Tensor],
                teacher_views: Optional[Sequence[int]] = None) -> Tensor:
        """The loss of a batch; then one update of the centre.

        Args:
            student_out (Sequence[Tensor]): one [B, K] per view the student
                saw.
            teacher_out (Sequence[Tensor]): one [B, K] per view the teacher
                saw.
            teacher_views (Sequence[int], optional): the student view index
                of each teacher view (a pair of the same view is skipped).
                Defaults to the first ``len(teacher_out)`` views.

        Returns:
            Tensor: the scalar loss.
        """
        if teacher_views is None:
            teacher_views = range(len(teacher_out))
        if len(teacher_views) != len(teacher_out):
            raise ValueError(
                f'teacher_views names {len(teacher_views)} views for '
                f'{len(teacher_out)} teacher outputs')
        student_log_probs = [
            F.log_softmax(s.float() / self.student_temp, dim=-1)
            for s in student_out
        ]
        terms = []
        for t_view, t_out in zip(teacher_views, teacher_out):
            t_probs = F.softmax(
                (t_out.float() - self.center) / self.teacher_temp,
                dim=-1).detach()
            for s_view, s_log_probs in enumerate(student_log_probs):
                if s_view != t_view:
                    terms.append(-(t_probs * s_log_probs).sum(-1).mean())
        if not terms:
            raise ValueError('no pair of different views: the student must '
                             'see a view the teacher did not')
        self.update_center(teacher_out)
        return torch.stack(terms).mean()

    @torch.no_grad()
    def update_center(self, teacher_out: Sequence[Tensor]) -> None:
        """``c <- m c + (1 - m) mean(g_t)`` over every teacher output of every
        process."""
        batch_center = torch.cat(teacher_out).float().mean(0, keepdim=True)
        all_reduce(batch_center, op='mean')
        self.center.mul_(self.center_momentum).add_(
            batch_center, alpha=1 - self.center_momentum)
