"""colour_histograms and pair_retrieval_accuracy against histograms and
pairings worked out by hand, and a slow loop written here."""
import pytest
import torch

from mmlc.evaluation import colour_histograms, pair_retrieval_accuracy


def test_histogram_of_four_pixels_by_hand():
    # black, white and two reds in a 2 x 2 image; 2 bins a channel: a
    # channel value is bin 1 from 128 up
    pixels = [(0, 0, 0), (255, 255, 255), (255, 0, 0), (200, 100, 127)]
    image = torch.tensor(pixels, dtype=torch.uint8).t().reshape(1, 3, 2, 2)
    histogram = colour_histograms(image, bins=2)
    # bin (c0, c1, c2) at c0 * 4 + c1 * 2 + c2: black 0, white 7, red 4
    assert histogram.tolist() == [[0.25, 0, 0, 0, 0.5, 0, 0, 0.25]]


def test_histogram_matches_a_pixel_loop():
    generator = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (3, 3, 5, 7), generator=generator)
    bins = 4
    histograms = colour_histograms(images, bins)
    for image, histogram in zip(images, histograms):
        expected = torch.zeros(bins**3)
        for y in range(5):
            for x in range(7):
                c0, c1, c2 = (
                    int(value) * bins // 256 for value in image[:, y, x])
                expected[c0 * bins * bins + c1 * bins + c2] += 1 / 35
        assert torch.allclose(histogram, expected)
    assert torch.allclose(histograms.sum(1), torch.ones(3))


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match='must divide 256'):
        colour_histograms(torch.zeros(1, 3, 2, 2), bins=3)
    with pytest.raises(ValueError, match=r'\[N, 3, H, W\]'):
        colour_histograms(torch.zeros(3, 2, 2))
    with pytest.raises(ValueError, match='groups of 4'):
        pair_retrieval_accuracy(torch.eye(6), torch.eye(6), 4)


def test_retrieval_by_hand():
    # four images of one colour each; the second views of images 2 and 3
    # swapped, so their queries find the other's key
    queries = torch.eye(4)
    keys = torch.eye(4)[[0, 1, 3, 2]]
    assert pair_retrieval_accuracy(queries, keys, 4) == 0.5
    assert pair_retrieval_accuracy(queries, torch.eye(4), 4) == 1.0
    # in groups of two the swap stays inside the second group
    assert pair_retrieval_accuracy(queries, keys, 2) == 0.5


def test_a_tie_is_a_miss_and_groups_do_not_see_each_other():
    # identical histograms everywhere: nothing to tell the images apart by
    flat = torch.full((4, 8), 1 / 8)
    assert pair_retrieval_accuracy(flat, flat, 2) == 0.0
    # images 0 and 2 alike, 1 and 3 alike: in groups {0, 1} and {2, 3} each
    # image is told apart from its group's other; in one group of four the
    # lookalikes tie
    queries = torch.eye(2).repeat(2, 1)
    assert pair_retrieval_accuracy(queries, queries.clone(), 2) == 1.0
    assert pair_retrieval_accuracy(queries, queries.clone(), 4) == 0.0


def test_retrieval_matches_a_slow_loop():
    generator = torch.Generator().manual_seed(1)
    queries = torch.rand(12, 5, generator=generator)
    keys = queries + torch.rand(12, 5, generator=generator)
    queries = queries / queries.sum(1, keepdim=True)
    keys = keys / keys.sum(1, keepdim=True)
    hits = 0
    for start in range(0, 12, 4):
        for i in range(start, start + 4):
            own = torch.minimum(queries[i], keys[i]).sum()
            hits += all(own > torch.minimum(queries[i], keys[j]).sum()
                        for j in range(start, start + 4) if j != i)
    accuracy = pair_retrieval_accuracy(queries, keys, 4)
    assert accuracy == pytest.approx(hits / 12)
    assert 0 < accuracy < 1
