"""Continue an iteration-based run's data stream where a checkpoint left it."""
from typing import Optional

from mmengine.runner.loops import _InfiniteDataloaderIterator
from torch.utils.data import DataLoader, Sampler

from mmlc.utils import set_rng_state
from .mmengine_compat import check_mmengine_internals


def sampler_of(loader: DataLoader) -> Sampler:
    """The index sampler of a dataloader (inside its batch sampler if it has
    one)."""
    return getattr(loader.batch_sampler, 'sampler', loader.sampler)


def seekable_sampler(loader: DataLoader) -> Optional[Sampler]:
    """The loader's sampler if it can start mid-epoch in whole batches
    (``skip_next`` and a plain ``batch_size``), else None."""
    sampler = sampler_of(loader)
    if hasattr(sampler, 'skip_next') and loader.batch_size is not None:
        return sampler
    return None


class ResumedDataIterator:
    """Stands in for ``IterBasedTrainLoop.dataloader_iterator`` after a resume.

    mmengine's loop calls ``next`` once per finished iteration to skip the
    data already trained on, then once per new iteration. This iterator
    answers the skipping calls without touching the data when the sampler can
    seek (``skip_next``, :class:`~mmlc.datasets.ResumableSampler`): at the
    first real call it positions the sampler at epoch ``done_iters //
    len(loader)``, ``done_iters % len(loader)`` batches in, opens the
    dataloader and restores the random generators in the order the
    uninterrupted run would have drawn from them. A sampler that cannot seek
    is fast-forwarded by loading the batches, as mmengine does.

    Args:
        loader (DataLoader): the training dataloader.
        done_iters (int): iterations the checkpoint has trained.
        rng_state (dict, optional): the generator states saved with the
            checkpoint (:func:`~mmlc.utils.get_rng_state`).
    """

    def __init__(self,
                 loader: DataLoader,
                 done_iters: int,
                 rng_state: Optional[dict] = None) -> None:
        check_mmengine_internals(type(self).__name__)
        self.loader = loader
        self.done_iters = done_iters
        self.rng_state = rng_state
        self._skipped = 0
        self._iterator: Optional[_InfiniteDataloaderIterator] = None

    def __iter__(self):
        return self

    def __next__(self):
        if self._skipped < self.done_iters:
            self._skipped += 1
            return None
        if self._iterator is None:
            self._iterator = self._open()
        return next(self._iterator)

    def _open(self) -> _InfiniteDataloaderIterator:
        sampler = seekable_sampler(self.loader)
        if sampler is None:
            return self._fast_forward()
        epoch, batches_done = divmod(self.done_iters, len(self.loader))
        sampler.set_epoch(epoch)
        sampler.skip_next(batches_done * self.loader.batch_size)
        # at an epoch boundary the uninterrupted run opens a new dataloader
        # iterator (which draws a seed from torch's generator) before loading;
        # mid-epoch its iterator is already open
        if batches_done == 0:
            self._restore_rng()
        iterator = _InfiniteDataloaderIterator(self.loader)
        iterator._epoch = epoch
        if batches_done > 0:
            self._restore_rng()
        return iterator

    def _fast_forward(self) -> _InfiniteDataloaderIterator:
        iterator = _InfiniteDataloaderIterator(self.loader)
        for _ in range(self.done_iters):
            next(iterator)
        self._restore_rng()
        return iterator

    def _restore_rng(self) -> None:
        if self.rng_state is not None:
            set_rng_state(self.rng_state)
