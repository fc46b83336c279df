"""DINO's schedules that live outside the optimiser: the teacher temperature
warm-up and the frozen last layer."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmlc.registry import HOOKS


@HOOKS.register_module()
class DINOScheduleHook(Hook):
    """Set the teacher temperature of DINO's loss and freeze the projection's
    last layer, by epoch (DINO's schedules) or by iteration (short runs).

    The temperature follows DINO's: at step ``s < warmup``, ``warmup_temp +
    (teacher_temp - warmup_temp) * s / (warmup - 1)`` (``warmup`` points from
    the start value to the final one, as ``np.linspace``), then
    ``teacher_temp``. The last layer gets no gradient while ``s <
    freeze_last_layer``.

    Args:
        warmup_teacher_temp (float): tau_t at step 0. Defaults to 0.04.
        teacher_temp (float): tau_t after the warm-up. Defaults to 0.07 (the
            DINO paper's warm-up from 0.04 to 0.07).
        warmup (int): length of the warm-up. Defaults to 30 (epochs).
        freeze_last_layer (int): steps with the last layer frozen. Defaults
            to 1 (the first epoch).
        by_epoch (bool): count ``warmup`` and ``freeze_last_layer`` in epochs
            (True) or iterations.

    The model must have ``head.loss_module.teacher_temp`` and
    ``neck.last_layer.frozen`` (``DINOHead``, ``DINOProjection``).
    """

    def __init__(self,
                 warmup_teacher_temp: float = 0.04,
                 teacher_temp: float = 0.07,
                 warmup: int = 30,
                 freeze_last_layer: int = 1,
                 by_epoch: bool = True) -> None:
        if warmup < 0 or freeze_last_layer < 0:
            raise ValueError('warmup and freeze_last_layer must be >= 0, got '
                             f'{warmup} and {freeze_last_layer}')
        self.warmup_teacher_temp = warmup_teacher_temp
        self.teacher_temp = teacher_temp
        self.warmup = warmup
        self.freeze_last_layer = freeze_last_layer
        self.by_epoch = by_epoch

    def temperature(self, step: int) -> float:
        """tau_t at epoch (or iteration) ``step``."""
        if step >= self.warmup:
            return self.teacher_temp
        if self.warmup == 1:
            return self.warmup_teacher_temp
        return self.warmup_teacher_temp + (self.teacher_temp -
                                           self.warmup_teacher_temp) * step / (
                                               self.warmup - 1)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        step = runner.epoch if self.by_epoch else runner.iter
        model.head.loss_module.teacher_temp = self.temperature(step)
        model.neck.last_layer.frozen = step < self.freeze_last_layer
