"""DINO: self-distillation with no labels (Caron et al. 2021)."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
from mmpretrain.models import BaseSelfSupervisor
from mmpretrain.models.utils import CosineEMA
from mmpretrain.structures import DataSample
from torch import Tensor, nn

from mmlc.registry import MODELS


def views_by_resolution(views: Sequence[Tensor]) -> List[List[int]]:
    """Indices of consecutive views of the same spatial size, so that each
    group goes through the backbone as one batch (DINO's multi-crop: two
    global views, then the small local ones).

    Args:
        views (Sequence[Tensor]): each [B, 3, H_v, W_v].
    """
    groups: List[List[int]] = []
    for index, view in enumerate(views):
        if groups and views[groups[-1][0]].shape[-2:] == view.shape[-2:]:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def backbone_by_view(backbone: nn.Module, views: Sequence[Tensor],
                     indices: Sequence[int]) -> Dict[int, Tuple[Tensor]]:
    """The backbone's outputs of each view of ``indices``, one forward pass
    per resolution.

    Returns:
        dict: view index -> the backbone's tuple of maps, each [B, C, h, w].
    """
    chosen = [views[i] for i in indices]
    outputs = {}
    for group in views_by_resolution(chosen):
        feats = backbone(torch.cat([chosen[i] for i in group]))
        per_view = [f.chunk(len(group)) for f in feats]
        for position, i in enumerate(group):
            outputs[indices[i]] = tuple(f[position] for f in per_view)
    return outputs


@MODELS.register_module()
class DINO(BaseSelfSupervisor):
    """DINO: a student (backbone + ``DINOProjection``) learns to match, on
    every view, a teacher's centred and sharpened output on the other
    (global) views; the teacher is an EMA of the student.

    Args:
        backbone (dict): backbone config (Swin-T in the paper's App. B).
        neck (dict): ``DINOProjection`` config.
        head (dict): ``DINOHead`` config with its ``DINOLoss``.
        teacher_views (Sequence[int]): the views the teacher sees (DINO's
            global crops). Defaults to ``(0, 1)``; every view is seen by the
            student.
        base_momentum (float): weight of the student in the teacher's EMA,
            cosine-annealed to 0 over training (mmpretrain's ``CosineEMA``):
            0.004 is DINO's teacher momentum 0.996 -> 1.
        pretrained (str, optional): checkpoint to initialise from.
        data_preprocessor (dict, optional): defaults to
            ``SelfSupDataPreprocessor``.
        init_cfg (dict or list[dict], optional): initialisation config.

    Inputs of :meth:`loss`: a list of views, each [B, 3, H_v, W_v] (global
    views first, multi-crop local views after them, any sizes).
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 teacher_views: Sequence[int] = (0, 1),
                 base_momentum: float = 0.004,
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
        if not teacher_views:
            raise ValueError('model.teacher_views must name at least one view')
        self.teacher_views = tuple(teacher_views)
        self.teacher = CosineEMA(
            nn.Sequential(self.backbone, self.neck), momentum=base_momentum)

    def student_and_teacher(
        self, inputs: List[Tensor], extra_teacher_views: Sequence[int] = ()
    ) -> Tuple[Dict[int, Tuple[Tensor]], Dict[int, Tuple[Tensor]], Tensor]:
        """Backbone outputs of both networks and DINO's loss L_G.

        The teacher takes one EMA step first (as BYOL's target in mmpretrain:
        the step of the previous update).

        Args:
            inputs (list[Tensor]): the views.
            extra_teacher_views (Sequence[int]): views whose teacher backbone
                outputs are needed besides :attr:`teacher_views` (a local
                branch's target view).

        Returns:
            tuple: student backbone outputs of every view, teacher backbone
            outputs of the teacher views (and the extra ones), and L_G.
        """
        with torch.no_grad():
            self.teacher.update_parameters(
                nn.Sequential(self.backbone, self.neck))
            teacher_backbone, teacher_neck = self.teacher.module
            teacher_feats = backbone_by_view(
                teacher_backbone, inputs,
                list(
                    dict.fromkeys(self.teacher_views +
                                  tuple(extra_teacher_views))))
            teacher_out = [
                teacher_neck(teacher_feats[i])[0] for i in self.teacher_views
            ]
        student_feats = backbone_by_view(self.backbone, inputs,
                                         range(len(inputs)))
        student_out = [
            self.neck(student_feats[i])[0] for i in range(len(inputs))
        ]
        l_g = self.head.loss(student_out, teacher_out, self.teacher_views)
        return student_feats, teacher_feats, l_g

    def loss(self, inputs: List[Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, Tensor]:
        """DINO's loss.

        Args:
            inputs (list[Tensor]): views, each [B, 3, H_v, W_v].
            data_samples (list[DataSample]): unused.

        Returns:
            dict[str, Tensor]: ``loss``.
        """
        return dict(loss=self.student_and_teacher(inputs)[2])
