"""A DefaultSampler that can start part-way through an epoch."""
from typing import Iterator

from mmengine.dataset import DefaultSampler

from mmlc.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class ResumableSampler(DefaultSampler):
    """mmengine's ``DefaultSampler`` plus a one-shot start offset.

    The order of an epoch is the same as ``DefaultSampler``'s (a permutation
    seeded by ``seed + epoch``, this rank's share of it). After
    :meth:`skip_next`, the next pass starts that many indices into this rank's
    share, so a resumed run continues with the very samples it would have seen
    without loading the ones it already trained on (mmengine instead loads and
    discards every batch up to the resume point). Later passes are whole
    epochs again.

    Args:
        dataset (Sized): the dataset.
        shuffle (bool): shuffle each epoch. Defaults to True.
        seed (int, optional): shuffle seed; the Runner passes its own.
        round_up (bool): pad so every rank gets as many samples. Defaults to
            True.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._skip = 0

    def skip_next(self, num_indices: int) -> None:
        """Start the next pass after ``num_indices`` of this rank's indices."""
        if not 0 <= num_indices <= self.num_samples:
            raise ValueError(
                f'cannot skip {num_indices} of the {self.num_samples} indices '
                'of an epoch on this rank')
        self._skip = num_indices

    def __iter__(self) -> Iterator[int]:
        indices = list(super().__iter__())
        start, self._skip = self._skip, 0
        return iter(indices[start:])
