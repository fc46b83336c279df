"""Dense nearest-neighbour retrieval: exact features give mIoU 100, constant
features give the majority class, the chunk sizes do not matter, and the
patch labels and votes match slow references written here."""
from collections import Counter

import pytest
import torch
import torch.nn.functional as F

from mmlc.evaluation.dense_retrieval import (dense_retrieval, knn_vote,
                                             patch_labels)

NUM_CLASSES = 5


def _label_maps(n, grid=(4, 4), cell=8, seed=0):
    """Label maps constant on each cell of ``grid``, and those cell labels."""
    generator = torch.Generator().manual_seed(seed)
    cells = torch.randint(NUM_CLASSES, (n, *grid), generator=generator)
    maps = cells.repeat_interleave(cell, 1).repeat_interleave(cell, 2)
    return maps, cells


def test_features_that_encode_the_label_give_miou_100():
    train_maps, train_cells = _label_maps(6, seed=0)
    val_maps, val_cells = _label_maps(3, seed=1)

    def encode(cells):
        return F.one_hot(cells, NUM_CLASSES).permute(0, 3, 1, 2).float() * 3

    result = dense_retrieval(
        encode(train_cells),
        train_maps,
        encode(val_cells),
        val_maps,
        NUM_CLASSES,
        k=5)
    assert result['mIoU'] == pytest.approx(100.0)
    assert result['bank_size'] == 6 * 16


def test_constant_features_give_the_majority_class_only():
    train_maps, _ = _label_maps(6, seed=2)
    val_maps, _ = _label_maps(3, seed=3)
    majority = int(torch.bincount(train_maps.flatten()).argmax())
    constant = torch.ones(6, 7, 4, 4)
    result = dense_retrieval(
        constant, train_maps, constant[:3], val_maps, NUM_CLASSES, k=3)
    share = float((val_maps == majority).float().mean()) * 100
    assert result['aAcc'] == pytest.approx(share)
    ious = [v for v in result['per_class_iou'] if v is not None]
    assert result['per_class_iou'][majority] == pytest.approx(share)
    assert sorted(ious)[:-1] == [0.0] * (len(ious) - 1)


def test_the_result_does_not_depend_on_the_chunk_sizes():
    generator = torch.Generator().manual_seed(4)
    train_maps, _ = _label_maps(8, seed=4)
    val_maps, _ = _label_maps(4, seed=5)
    train = torch.randn(8, 6, 4, 4, generator=generator)
    val = torch.randn(4, 6, 4, 4, generator=generator)
    results = [
        dense_retrieval(
            train,
            train_maps,
            val,
            val_maps,
            NUM_CLASSES,
            k=4,
            query_chunk=q,
            bank_chunk=b)
        for q, b in ((1024, 65536), (5, 7), (64, 3), (1, 128))
    ]
    for result in results[1:]:
        assert result == results[0]


def test_patch_labels_match_a_slow_majority_count():
    generator = torch.Generator().manual_seed(6)
    maps = torch.randint(NUM_CLASSES, (2, 6, 9), generator=generator)
    maps[0, :3, :3] = 255  # a cell without labels
    maps[1, 3:, 6:] = torch.tensor([[1, 1, 255], [2, 2, 255], [255] * 3])
    labels = patch_labels(maps, (2, 3), NUM_CLASSES)
    for n in range(2):
        for i in range(2):
            for j in range(3):
                pixels = [
                    int(v) for v in maps[n, 3 * i:3 * i + 3,
                                         3 * j:3 * j + 3].flatten() if v != 255
                ]
                if not pixels:
                    expected = 255
                else:
                    counts = Counter(pixels)
                    top = max(counts.values())
                    expected = min(c for c, v in counts.items() if v == top)
                assert int(labels[n, i * 3 + j]) == expected, (n, i, j)
    assert int(labels[1, 5]) == 1  # a 2-2 tie goes to the lower class
    with pytest.raises(ValueError, match='do not tile'):
        patch_labels(maps, (4, 3), NUM_CLASSES)


def test_knn_vote_matches_brute_force_with_ties_included():
    generator = torch.Generator().manual_seed(7)
    bank = F.normalize(torch.randn(40, 4, generator=generator), dim=1)
    bank = torch.cat([bank, bank[:5]])  # exact duplicates make ties
    labels = torch.randint(NUM_CLASSES, (45, ), generator=generator)
    queries = F.normalize(torch.randn(12, 4, generator=generator), dim=1)
    queries[0] = bank[0]
    predicted = knn_vote(
        queries, bank, labels, 3, NUM_CLASSES, query_chunk=5, bank_chunk=9)
    for q, query in enumerate(queries):
        sims = (bank @ query).tolist()
        kth = sorted(sims, reverse=True)[2]
        near = [m for m, s in enumerate(sims) if s >= kth - 1e-6]
        votes = Counter(int(labels[m]) for m in near)
        best = max(votes.values())
        tied = [c for c, v in votes.items() if v == best]
        expected = max(
            tied,
            key=lambda c: (sum(sims[m] for m in near if labels[m] == c), -c))
        assert int(predicted[q]) == expected, q
    with pytest.raises(ValueError, match='k must be in'):
        knn_vote(queries, bank, labels, 0, NUM_CLASSES)
