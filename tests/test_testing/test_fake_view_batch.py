"""The fake batch helper gives what MultiViewWithGeometry + PackInputs
give: shapes, dtypes, geometry inside the image, and determinism."""
import numpy as np
import torch

from mmlc.testing import fake_view_batch


def test_shapes_and_the_first_view_is_the_whole_unflipped_image():
    batch = fake_view_batch(
        batch_size=3, img_size=16, num_views=3, image_hw=(40, 60))
    assert [tuple(v.shape) for v in batch['inputs']] == [(3, 3, 16, 16)] * 3
    assert all(v.dtype == torch.float32 for v in batch['inputs'])
    for sample in batch['data_samples']:
        assert sample.view_boxes.shape == (3, 4)
        np.testing.assert_array_equal(sample.view_boxes[0], [0, 0, 60, 40])
        assert sample.view_flips.tolist() == [False, True, True]
        np.testing.assert_array_equal(sample.view_boxes[1], [8, 4, 40, 48])


def test_drawn_geometry_stays_inside_the_image_and_flips_both_ways():
    batch = fake_view_batch(
        batch_size=64, crop_xywh=None, flip=None, image_hw=(50, 70), seed=3)
    flips = set()
    for sample in batch['data_samples']:
        x, y, w, h = sample.view_boxes[1]
        assert 0 <= x and x + w <= 70 + 1e-4 and w >= 70 / 4
        assert 0 <= y and y + h <= 50 + 1e-4 and h >= 50 / 4
        flips.add(bool(sample.view_flips[1]))
    assert flips == {False, True}


def test_uint8_pixels_and_determinism_under_the_seed():
    a = fake_view_batch(uint8=True, seed=5, crop_xywh=None, flip=None)
    b = fake_view_batch(uint8=True, seed=5, crop_xywh=None, flip=None)
    c = fake_view_batch(uint8=True, seed=6, crop_xywh=None, flip=None)
    assert a['inputs'][0].dtype == torch.uint8
    assert torch.equal(a['inputs'][1], b['inputs'][1])
    assert not torch.equal(a['inputs'][1], c['inputs'][1])
    np.testing.assert_array_equal(a['data_samples'][2].view_boxes,
                                  b['data_samples'][2].view_boxes)
