"""A frozen backbone that hands each view's dense features to a metric."""
from typing import List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample
from torch import Tensor

from mmlc.registry import MODELS

IMAGENET_PREPROCESSOR = dict(
    type='SelfSupDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)


@MODELS.register_module()
class DenseViewFeatures(BaseModel):
    """Evaluation model: the backbone's last map of every view, in predict
    mode, for dense metrics such as ``CorrespondenceAccuracy``.

    Nothing is trained; load a pretraining checkpoint with ``load_from`` (its
    ``backbone.`` keys match) or ``init_cfg=dict(type='Pretrained', ...)``.

    Args:
        backbone (dict): any mmpretrain backbone whose last output is an NCHW
            map.
        data_preprocessor (dict, optional): defaults to mmpretrain's
            ``SelfSupDataPreprocessor`` with ImageNet statistics (as the
            pretraining configs).
        init_cfg (dict, optional): initialisation config.

    Inputs of :meth:`predict`: a list of V views [B, 3, H, W] (what
    ``MultiViewWithGeometry`` and ``PackInputs`` make). Each returned data
    sample gains ``view_dense`` [V, C, h, w].
    """

    def __init__(self,
                 backbone: dict,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor or IMAGENET_PREPROCESSOR,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)

    def forward(self,
                inputs: Union[Tensor, List[Tensor]],
                data_samples: Optional[Sequence[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.backbone(inputs)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(
            f'DenseViewFeatures: mode "{mode}" is not supported (tensor, '
            'predict): the model is for evaluation only')

    @torch.no_grad()
    def predict(self, inputs: List[Tensor],
                data_samples: Sequence[DataSample]) -> Sequence[DataSample]:
        if isinstance(inputs, Tensor):
            inputs = [inputs]
        view_dense = torch.stack([self.backbone(view)[-1] for view in inputs],
                                 dim=1)
        for sample, dense in zip(data_samples, view_dense):
            sample.set_field(dense, 'view_dense', field_type='data')
        return data_samples
