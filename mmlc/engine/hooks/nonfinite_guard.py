"""Keep non-finite losses and gradients out of the weights and out of
checkpoints."""
import logging
import math
from typing import List, Optional

import torch
import torch.distributed as dist
from mmengine.dist import is_distributed
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from mmlc.registry import HOOKS
from ..errors import NonFiniteCheckpointError, NonFiniteLossError


def first_nonfinite_tensor(state, prefix: str = '') -> Optional[str]:
    """The dotted name of the first floating-point tensor in ``state`` (nested
    dicts, lists and tuples) that holds a NaN or an infinity; None if every
    tensor is finite."""
    if isinstance(state, torch.Tensor):
        if state.is_floating_point() and not bool(torch.isfinite(state).all()):
            return prefix or '<tensor>'
        return None
    if isinstance(state, dict):
        items = state.items()
    elif isinstance(state, (list, tuple)):
        items = enumerate(state)
    else:
        return None
    for key, value in items:
        name = first_nonfinite_tensor(value, f'{prefix}.{key}'.lstrip('.'))
        if name is not None:
            return name
    return None


def all_ranks_true(flag: bool, device: torch.device) -> bool:
    """``flag`` and-reduced over every process (one scalar all-reduce)."""
    if not is_distributed():
        return flag
    value = torch.tensor([1 if flag else 0], dtype=torch.int32, device=device)
    dist.all_reduce(value, op=dist.ReduceOp.MIN)
    return bool(value.item())


def _grads_finite(optim_wrapper: OptimWrapper) -> bool:
    grads = [
        param.grad for group in optim_wrapper.optimizer.param_groups
        for param in group['params'] if param.grad is not None
    ]
    if not grads:
        return True
    return bool(torch.isfinite(torch.nn.utils.get_total_norm(grads)))


@HOOKS.register_module()
class NonFiniteLossGuardHook(Hook):
    """Skip the optimizer steps whose loss or gradient is NaN or infinite,
    stop a run that keeps producing them, and refuse checkpoints that hold
    them.

    A step is skipped when the loss handed to ``optim_wrapper.update_params``
    is non-finite on *any* process (one scalar all-reduce per step, so every
    rank skips together and DDP stays in step), or, without AMP, when the
    gradient norm is non-finite. With ``AmpOptimWrapper`` non-finite
    gradients are the loss scaler's business: it skips those steps and lowers
    the scale, as it should. A skipped step still runs the forward and
    backward passes, so the batch-norm statistics and the EMA target move as
    in any step; the weights, the optimizer state (momentum) and the
    loss-scaler state do not. The learning-rate schedule keeps counting.

    After ``max_consecutive`` skipped steps in a row the run stops with a
    :class:`NonFiniteLossError` naming the iteration, the loss terms that
    were non-finite and the last checkpoint saved before it.

    Checkpoints: a save whose weights or optimizer state hold a non-finite
    tensor is refused before anything is written, and so is loading (resuming
    from) such a checkpoint; both errors name the tensor.

    Args:
        max_consecutive (int): consecutive skipped steps that stop the run.
            Defaults to 10.
        check_checkpoints (bool): refuse to save or load non-finite
            checkpoints. Defaults to True.
    """

    priority = 'VERY_HIGH'

    def __init__(self,
                 max_consecutive: int = 10,
                 check_checkpoints: bool = True) -> None:
        if max_consecutive < 1:
            raise ValueError('NonFiniteLossGuardHook: max_consecutive must be '
                             f'>= 1, got {max_consecutive}')
        self.max_consecutive = max_consecutive
        self.check_checkpoints = check_checkpoints
        self.skipped_steps = 0
        self.consecutive = 0
        self._loss_finite = True
        self._skip_reason: Optional[str] = None

    def before_train(self, runner) -> None:
        optim_wrapper = runner.optim_wrapper
        if not isinstance(optim_wrapper, OptimWrapper):
            print_log(
                'NonFiniteLossGuardHook guards a single OptimWrapper; '
                f'{type(optim_wrapper).__name__} steps are not checked '
                '(checkpoints still are)',
                logger='current',
                level=logging.WARNING)
            return
        self._guard(optim_wrapper)

    def _guard(self, optim_wrapper: OptimWrapper) -> None:
        """Wrap the wrapper's ``update_params`` (records whether the loss is
        finite on every rank) and ``step`` (skips the update)."""
        update_params, step = optim_wrapper.update_params, optim_wrapper.step
        check_grads = not isinstance(optim_wrapper, AmpOptimWrapper)

        def guarded_update_params(loss: torch.Tensor, *args, **kwargs) -> None:
            finite = all_ranks_true(
                bool(torch.isfinite(loss.detach()).all()), loss.device)
            self._loss_finite = self._loss_finite and finite
            update_params(loss, *args, **kwargs)

        def guarded_step(**kwargs) -> None:
            loss_finite, self._loss_finite = self._loss_finite, True
            if not loss_finite:
                self._skip_reason = 'loss'
            elif check_grads and not _grads_finite(optim_wrapper):
                self._skip_reason = 'gradient norm'
            else:
                step(**kwargs)

        optim_wrapper.update_params = guarded_update_params
        optim_wrapper.step = guarded_step

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        reason, self._skip_reason = self._skip_reason, None
        if reason is None:
            self.consecutive = 0
            return
        self.skipped_steps += 1
        self.consecutive += 1
        runner.message_hub.update_info('nonfinite_skipped_steps',
                                       self.skipped_steps)
        terms = _nonfinite_terms(outputs)
        what = f'non-finite {reason}' + (f' ({", ".join(terms)})'
                                         if terms else '')
        iteration = runner.iter + 1
        if self.consecutive >= self.max_consecutive:
            last = runner.message_hub.get_info('last_ckpt')
            raise NonFiniteLossError(
                f'{self.consecutive} consecutive training steps skipped, the '
                f'last at iteration {iteration}: {what}; the last checkpoint '
                f'saved before it: {last or "none"}')
        print_log(
            f'iteration {iteration}: {what}, optimizer step skipped '
            f'({self.consecutive} in a row, {self.skipped_steps} in all; '
            f'the run stops at {self.max_consecutive} in a row)',
            logger='current',
            level=logging.WARNING)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if not self.check_checkpoints:
            return
        name = _nonfinite_in_checkpoint(checkpoint)
        if name is not None:
            raise NonFiniteCheckpointError(
                f'refusing to save the checkpoint of iteration '
                f'{checkpoint["meta"].get("iter")}: {name} is not finite')

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not self.check_checkpoints:
            return
        name = _nonfinite_in_checkpoint(checkpoint)
        if name is not None:
            source = getattr(runner, '_load_from', None) or 'the checkpoint'
            raise NonFiniteCheckpointError(
                f'{source}: {name} is not finite; resume from an earlier '
                f'checkpoint (--resume PATH)')


def _nonfinite_in_checkpoint(checkpoint: dict) -> Optional[str]:
    return first_nonfinite_tensor({
        key: checkpoint[key]
        for key in ('state_dict', 'optimizer') if key in checkpoint
    })


def _nonfinite_terms(outputs) -> List[str]:
    """The logged loss terms (``loss*`` keys of ``train_step``'s log vars)
    that are NaN or infinite on this process; the total ``loss`` only when no
    term is named."""
    if not isinstance(outputs, dict):
        return []
    terms = [
        key for key, value in outputs.items() if key.startswith('loss')
        and not math.isfinite(float(torch.as_tensor(value).detach()))
    ]
    return [key for key in terms if key != 'loss'] or terms
