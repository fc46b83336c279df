"""Checkpoints that survive a kill at any moment and resume a run exactly."""
import glob
import logging
import os
import os.path as osp
import re
from typing import List, Optional

from mmengine.dist import (all_gather_object, broadcast_object_list,
                           get_dist_info, is_main_process)
from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop, IterBasedTrainLoop

from mmlc.registry import HOOKS
from mmlc.utils import (get_rng_state, is_remote, set_rng_state,
                        setup_checkpoint_io, write_text)
from mmlc.utils.fileio import AtomicLocalBackend
from ..errors import CheckpointSaveError, RunStoppedError
from ..mmengine_compat import check_mmengine_internals
from ..resumed_iterator import ResumedDataIterator, seekable_sampler


@HOOKS.register_module()
class ResumableCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` made crash-safe and exactly resumable.

    Differences from ``CheckpointHook`` (every argument is the same):

    - checkpoints and ``last_checkpoint`` are written atomically (a temporary
      file renamed over the target; local ``out_dir`` only, through the
      ``atomic_local`` file backend unless ``backend_args`` says otherwise),
      so a killed save leaves the previous files intact;
    - with ``max_keep_ckpts`` the oldest checkpoint is removed only *after*
      the new one is on disk (mmengine removes it first, so a kill in between
      can leave no checkpoint at all);
    - ``meta.rng_states`` holds the Python, NumPy and torch (and CUDA)
      generator states of every rank at the moment of the save;
    - on ``--resume`` the generators are restored and the data order continues
      where it stopped: with :class:`~mmlc.datasets.ResumableSampler` the
      sampler starts at the next unseen index instead of mmengine loading and
      discarding every batch up to the resume point.

    - a save that fails with ``OSError`` (full disk, I/O error, permission)
      leaves no partial file and the previous checkpoint as the one to resume
      from, and, by default, stops the run on every rank with one
      :class:`~mmlc.engine.errors.CheckpointSaveError` line naming the path
      and the error.

    With ``num_workers=0`` an iteration-based run killed after a checkpoint
    and resumed reproduces the uninterrupted run bit for bit (see
    ``docs/reliability.md`` for what holds with worker processes and for
    epoch-based loops).

    Args:
        on_save_error (str): ``'raise'`` (stop the run) or ``'warn'`` (log
            it and try again at the next interval). Defaults to ``'raise'``.
        *args, **kwargs: those of mmengine's ``CheckpointHook``.
    """

    def __init__(self,
                 *args,
                 backend_args: Optional[dict] = None,
                 on_save_error: str = 'raise',
                 **kwargs) -> None:
        if on_save_error not in ('raise', 'warn'):
            raise ValueError("default_hooks.checkpoint.on_save_error must be "
                             f"'raise' or 'warn', got {on_save_error!r}")
        self.on_save_error = on_save_error
        check_mmengine_internals(type(self).__name__)
        setup_checkpoint_io()
        local = not is_remote(kwargs.get('out_dir'))
        if backend_args is None and kwargs.get(
                'file_client_args') is None and local:
            backend_args = dict(backend='atomic_local')
        super().__init__(*args, backend_args=backend_args, **kwargs)
        self._resumed_rng_states: Optional[List[dict]] = None

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._resumed_rng_states = checkpoint.get('meta', {}).get('rng_states')

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if is_main_process():
            self._remove_interrupted_writes(runner)
        rng_states, self._resumed_rng_states = self._resumed_rng_states, None
        if runner.iter == 0:
            return
        rng_state = self._own_rng_state(rng_states)
        loop = runner.train_loop
        if isinstance(loop, IterBasedTrainLoop):
            loop.dataloader_iterator = ResumedDataIterator(
                loop.dataloader, runner.iter, rng_state)
        elif isinstance(loop, EpochBasedTrainLoop):
            self._resume_epoch_loop(runner, rng_state)

    def _remove_interrupted_writes(self, runner) -> None:
        """Delete the temporary files of checkpoint saves that were killed
        mid-write.

        Only names :func:`~mmlc.utils.atomic_write` gives this hook's own files
        (``.iter_*.pth.XXXX.tmp``, ``.last_checkpoint.XXXX.tmp``) are touched.
        """
        if is_remote(self.out_dir):
            return
        name = re.sub(r'\{[^}]*\}', '*', glob.escape(self.filename_tmpl))
        patterns = [
            osp.join(glob.escape(self.out_dir), f'.{name}.*.tmp'),
            osp.join(glob.escape(runner.work_dir), '.last_checkpoint.*.tmp')
        ]
        for path in sorted(
            {p
             for pattern in patterns
             for p in glob.glob(pattern)}):
            print_log(
                f'removing {path}, left by a checkpoint save that was '
                f'interrupted',
                logger='current',
                level=logging.WARNING)
            os.remove(path)

    def _own_rng_state(self,
                       rng_states: Optional[List[dict]]) -> Optional[dict]:
        rank, world_size = get_dist_info()
        if rng_states is None:
            print_log(
                'the resumed checkpoint holds no random generator states (it '
                'was not '
                'saved by ResumableCheckpointHook): augmentations after the '
                'resume '
                'point differ from an uninterrupted run',
                logger='current',
                level=logging.WARNING)
            return None
        if len(rng_states) != world_size:
            print_log(
                f'the checkpoint holds random generator states of '
                f'{len(rng_states)} '
                f'ranks but this run has {world_size}: generators are not '
                f'restored',
                logger='current',
                level=logging.WARNING)
            return None
        return rng_states[rank]

    @staticmethod
    def _resume_epoch_loop(runner, rng_state: Optional[dict]) -> None:
        loader = runner.train_loop.dataloader
        done_in_epoch = runner.iter - runner.epoch * len(loader)
        if done_in_epoch > 0:
            sampler = seekable_sampler(loader)
            if sampler is not None:
                # a checkpoint on an epoch's last iteration: skip the whole
                # epoch
                sampler.skip_next(
                    min(done_in_epoch * loader.batch_size,
                        sampler.num_samples))
            print_log(
                f'resuming {done_in_epoch} iterations into epoch '
                f'{runner.epoch + 1}: the '
                'data order continues, but the epoch-based loop is exact only '
                'for '
                'checkpoints saved at the end of an epoch',
                logger='current',
                level=logging.WARNING)
        if rng_state is not None:
            set_rng_state(rng_state)

    def _save_checkpoint_with_step(self, runner, step: int,
                                   meta: dict) -> None:
        rng_states = [get_rng_state()]
        if get_dist_info()[1] > 1:
            rng_states = all_gather_object(rng_states[0])
        meta = dict(meta, rng_states=rng_states)
        ckpt_filename = self.filename_tmpl.format(step)
        path = self.file_backend.join_path(self.out_dir, ckpt_filename)
        # the saved message hub must already name this checkpoint and the
        # kept ones, so that a resumed run prunes the right files
        previous = self.last_ckpt, list(getattr(self, 'keep_ckpt_ids', []))
        self.last_ckpt = path
        runner.message_hub.update_info('last_ckpt', path)
        dropped = self._update_keep_ids(runner, step)
        try:
            error = self._write(runner, ckpt_filename, path, meta)
        except RunStoppedError:
            self._restore_last(runner, *previous)
            raise
        if error is not None:
            self._restore_last(runner, *previous)
            self._report_save_error(path, error)
            return
        if not is_main_process():
            return
        for old_step in dropped:
            old_path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(old_step))
            if self.file_backend.isfile(old_path):
                self.file_backend.remove(old_path)

    def _restore_last(self, runner, last_ckpt: Optional[str],
                      keep_ckpt_ids: List[int]) -> None:
        self.last_ckpt = last_ckpt
        runner.message_hub.update_info('last_ckpt', last_ckpt)
        if self.max_keep_ckpts <= 0:
            return
        self.keep_ckpt_ids.clear()
        self.keep_ckpt_ids.extend(keep_ckpt_ids)
        runner.message_hub.update_info('keep_ckpt_ids', keep_ckpt_ids)

    def _write(self, runner, ckpt_filename: str, path: str,
               meta: dict) -> Optional[str]:
        """Save the checkpoint and point ``last_checkpoint`` at it (rank 0);
        returns the ``OSError`` message every rank sees, or None. A guard's
        refusal (:class:`~mmlc.engine.errors.RunStoppedError`, e.g. non-finite
        weights) is raised on every rank, so that none waits for the others
        in the next collective."""
        error, refusal = None, None
        if is_main_process():
            try:
                runner.save_checkpoint(
                    self.out_dir,
                    ckpt_filename,
                    self.file_client_args,
                    save_optimizer=self.save_optimizer,
                    save_param_scheduler=self.save_param_scheduler,
                    meta=meta,
                    by_epoch=self.by_epoch,
                    backend_args=self.backend_args,
                    **self.args)
                write_text(osp.join(runner.work_dir, 'last_checkpoint'), path)
            except OSError as save_error:
                error = str(save_error)
                self._remove_partial(path)
            except RunStoppedError as stop:
                refusal = stop
        shared = [error, refusal]
        broadcast_object_list(shared, src=0)
        if shared[1] is not None:
            raise shared[1]
        return shared[0]

    def _remove_partial(self, path: str) -> None:
        """A backend that writes in place leaves a partial file behind; the
        atomic one never creates ``path`` before the write is complete."""
        if isinstance(self.file_backend, AtomicLocalBackend):
            return
        try:
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
        except OSError:
            pass

    def _report_save_error(self, path: str, error: str) -> None:
        message = (f'could not save checkpoint {path}: {error}; the '
                   f'checkpoint to resume from is still '
                   f'{self.last_ckpt or "none (no earlier save)"}')
        if self.on_save_error == 'raise':
            raise CheckpointSaveError(message)
        print_log(
            f'{message}; training continues and saves again at the next '
            f'interval',
            logger='current',
            level=logging.WARNING)

    def _update_keep_ids(self, runner, step: int) -> List[int]:
        """Record ``step`` among the kept checkpoints; returns the steps to
        remove."""
        if self.max_keep_ckpts <= 0 or (self.keep_ckpt_ids
                                        and self.keep_ckpt_ids[-1] == step):
            return []
        keep = list(self.keep_ckpt_ids) + [step]
        cut = max(len(keep) - self.max_keep_ckpts, 0)
        dropped, keep = keep[:cut], keep[cut:]
        self.keep_ckpt_ids.clear()
        self.keep_ckpt_ids.extend(keep)
        runner.message_hub.update_info('keep_ckpt_ids', keep)
        return dropped
