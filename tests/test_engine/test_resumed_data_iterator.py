"""The resumed data stream continues with the batch an uninterrupted run would
load."""
import numpy as np
import pytest
import torch
from mmengine.runner.loops import _InfiniteDataloaderIterator
from torch.utils.data import DataLoader, Dataset

from mmlc.datasets import ResumableSampler
from mmlc.engine import ResumedDataIterator
from mmlc.utils import get_rng_state


class Noisy(Dataset):
    """Item i -> (i, a NumPy draw, a torch draw): the batches show the data
    order and the generator states the loading ran with."""

    def __len__(self):
        return 11

    def __getitem__(self, index):
        return index, float(np.random.rand()), float(torch.rand(()))


def loader(sampler_cls=ResumableSampler):
    dataset = Noisy()
    sampler = sampler_cls(dataset, shuffle=True, seed=3)
    return DataLoader(dataset, batch_size=4, sampler=sampler, num_workers=0)


def uninterrupted(num_batches, seed=0):
    np.random.seed(seed)
    torch.manual_seed(seed)
    stream = _InfiniteDataloaderIterator(loader())
    return [next(stream) for _ in range(num_batches)], stream


def as_lists(batches):
    return [[t.tolist() for t in batch] for batch in batches]


def test_sampler_skips_once_then_serves_whole_epochs():
    sampler = ResumableSampler(Noisy(), shuffle=True, seed=3)
    epoch = list(sampler)
    sampler.skip_next(5)
    assert list(sampler) == epoch[5:]
    assert list(sampler) == epoch
    with pytest.raises(ValueError, match='cannot skip 12 of the 11'):
        sampler.skip_next(12)


# mid-epoch and at epoch boundaries (3 per epoch)
@pytest.mark.parametrize('done', [2, 3, 6, 7])
def test_resumed_stream_equals_the_uninterrupted_one(done):
    expected, _ = uninterrupted(done + 4)
    uninterrupted(done)
    state = get_rng_state()  # what the checkpoint after `done` batches holds
    # a new process: generators seeded afresh, model built, ...
    np.random.seed(123)
    torch.manual_seed(123)
    resumed = ResumedDataIterator(loader(), done, state)
    assert all(next(resumed) is None
               for _ in range(done))  # mmengine's skipping calls
    assert as_lists([next(resumed)
                     for _ in range(4)]) == as_lists(expected[done:])


def test_sampler_that_cannot_seek_is_fast_forwarded_by_loading():
    from mmengine.dataset import DefaultSampler
    expected, _ = uninterrupted(7)
    uninterrupted(5)
    state = get_rng_state()
    resumed = ResumedDataIterator(loader(DefaultSampler), 5, state)
    assert all(next(resumed) is None for _ in range(5))
    assert as_lists([next(resumed)
                     for _ in range(2)]) == as_lists(expected[5:])
