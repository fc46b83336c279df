"""LC head: dense features + view geometry -> the local loss L_LC."""
from typing import Optional

from mmengine.model import BaseModule
from torch import Tensor

from mmlc.registry import MODELS
from ..utils.geometry import map_grid_points


@MODELS.register_module()
class LCHead(BaseModule):
    """Maps the target grid into the online view and applies the local loss.

    Args:
        loss (dict): config of the local loss, ``LocalContrastiveLoss``
            (LC-loss) or ``LocalMSELoss`` (the Table 6 ablation).
        init_cfg (dict, optional): initialisation config.
    """

    def __init__(self,
                 loss: dict = dict(type='LocalContrastiveLoss'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_module = MODELS.build(loss)

    def loss(self, online_dense: Tensor, target_dense: Tensor,
             online_boxes: Tensor, online_flips: Tensor, target_boxes: Tensor,
             target_flips: Tensor) -> Tensor:
        """Compute L_LC for a batch.

        Args:
            online_dense (Tensor): [B, C, h_o, w_o] online local features
                (``Isc``).
            target_dense (Tensor): [B, C, h_t, w_t] target local features
                (``Ic``).
            online_boxes (Tensor): [B, 4] ``(x, y, w, h)`` of the online views.
            online_flips (Tensor): [B] bool.
            target_boxes (Tensor): [B, 4] ``(x, y, w, h)`` of the target views.
            target_flips (Tensor): [B] bool.

        Returns:
            Tensor: scalar loss.
        """
        points, valid = map_grid_points(target_boxes, target_flips,
                                        online_boxes, online_flips,
                                        tuple(target_dense.shape[-2:]))
        return self.loss_module(target_dense, online_dense, points, valid)
