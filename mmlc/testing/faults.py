"""Faults on demand, for the reliability tests: a loss made non-finite at
chosen iterations, a process killed or hung at a chosen iteration, a
checkpoint write that runs out of space.

Nothing here is imported by ``import mmlc``; a test config imports it with
``custom_imports = dict(imports=['mmlc', 'mmlc.testing.faults'])``, which
registers the components below.
"""
import errno
import os
import signal
import time
from typing import Dict, Optional, Sequence

import torch
from mmengine.fileio import register_backend
from mmengine.hooks import Hook
from mmengine.logging import MessageHub
from mmengine.model import BaseModel

from mmlc.apis import restart_count
from mmlc.registry import HOOKS, MODELS
from mmlc.utils.fileio import AtomicLocalBackend, atomic_write


class _InfiniteGradient(torch.autograd.Function):
    """Identity forward; the backward pass sends an infinite gradient."""

    @staticmethod
    def forward(ctx, value: torch.Tensor) -> torch.Tensor:
        return value.clone()

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        return grad * float('inf')


@MODELS.register_module()
class NonFiniteLossAt(BaseModel):
    """A model whose loss terms turn non-finite at chosen iterations.

    The wrapped model's forward pass runs unchanged (batch-norm statistics,
    EMA target), then the chosen terms are changed:

    - ``'nan'`` / ``'inf'``: the term's value becomes NaN / +inf;
    - ``'grad'``: the value stays finite, its gradient becomes infinite.

    Args:
        model (dict): config of the model to wrap.
        at_iters (Sequence[int]): 1-based iterations (as logged) to change.
        terms (Sequence[str]): loss keys to change. Defaults to
            ``('loss_lc',)``.
        kind (str): ``'nan'``, ``'inf'`` or ``'grad'``.
    """

    def __init__(self,
                 model: dict,
                 at_iters: Sequence[int],
                 terms: Sequence[str] = ('loss_lc', ),
                 kind: str = 'nan') -> None:
        if kind not in ('nan', 'inf', 'grad'):
            raise ValueError(f"kind must be 'nan', 'inf' or 'grad', got "
                             f'{kind!r}')
        super().__init__()
        self.model = MODELS.build(model)
        self.data_preprocessor = self.model.data_preprocessor
        self.at_iters = set(at_iters)
        self.terms = tuple(terms)
        self.kind = kind

    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        outputs = self.model(inputs, data_samples, mode=mode)
        iteration = MessageHub.get_current_instance().get_info('iter', 0) + 1
        if mode != 'loss' or iteration not in self.at_iters:
            return outputs
        return self._spoil(outputs)

    def _spoil(self, losses: Dict[str, torch.Tensor]) -> dict:
        missing = [term for term in self.terms if term not in losses]
        if missing:
            raise KeyError(f'NonFiniteLossAt.terms: {missing} not among the '
                           f'loss keys {sorted(losses)}')
        spoiled = dict(losses)
        for term in self.terms:
            if self.kind == 'grad':
                spoiled[term] = _InfiniteGradient.apply(losses[term])
            else:
                spoiled[term] = losses[term] * float(self.kind)
        return spoiled


@HOOKS.register_module()
class FaultInjectionHook(Hook):
    """Kill or hang one process at a chosen iteration.

    Args:
        rank (int): the process (``RANK``) that misbehaves.
        kill_after_iter (int, optional): SIGKILL it once this 1-based
            iteration is done, on the first attempt only (a restarted run
            goes through).
        hang_before_iter (int, optional): before this 1-based iteration,
            sleep ``hang_seconds`` without joining any collective.
        hang_seconds (float): length of the hang.
    """

    priority = 'LOWEST'

    def __init__(self,
                 rank: int = 0,
                 kill_after_iter: Optional[int] = None,
                 hang_before_iter: Optional[int] = None,
                 hang_seconds: float = 600.) -> None:
        self.rank = rank
        self.kill_after_iter = kill_after_iter
        self.hang_before_iter = hang_before_iter
        self.hang_seconds = hang_seconds

    def _is_target(self) -> bool:
        return int(os.environ.get('RANK', 0)) == self.rank

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        if self._is_target() and runner.iter + 1 == self.hang_before_iter:
            time.sleep(self.hang_seconds)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        if (self._is_target() and restart_count() == 0
                and runner.iter + 1 == self.kill_after_iter):
            os.kill(os.getpid(), signal.SIGKILL)


class DiskFullBackend(AtomicLocalBackend):
    """The ``atomic_local`` backend on a disk that fills up: a write to a file
    whose name contains ``fail_on`` writes ``fail_at_byte`` bytes, then raises
    ``OSError(ENOSPC)``.

    Registered as ``disk_full``. Select it with ``default_hooks.checkpoint.
    backend_args = dict(backend='disk_full', fail_on='iter_8.pth')``.

    Args:
        fail_on (str): part of the file name whose writes fail.
        fail_at_byte (int): bytes written before the failure.
    """

    def __init__(self, fail_on: str, fail_at_byte: int = 4096) -> None:
        super().__init__()
        self.fail_on = fail_on
        self.fail_at_byte = fail_at_byte

    def put(self, obj: bytes, filepath) -> None:
        if self.fail_on not in os.path.basename(str(filepath)):
            super().put(obj, filepath)
            return

        def fill_disk(tmp: str) -> None:
            with open(tmp, 'wb') as f:
                f.write(obj[:self.fail_at_byte])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), tmp)

        atomic_write(str(filepath), fill_disk)


register_backend('disk_full', DiskFullBackend, force=True)
