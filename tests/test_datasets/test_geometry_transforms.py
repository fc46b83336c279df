"""The recorded geometry matches the pixels of the produced views."""
import numpy as np
import pytest
import torch

from mmlc.models.utils import image_to_view
from mmlc.registry import TRANSFORMS

VIEW = 64


def planted_image(h=90, w=130, x=37.5, y=52.5):
    """Black image with a 5 x 5 white square centred at continuous (x, y)."""
    img = np.zeros((h, w, 3), np.uint8)
    x0, y0 = int(x - 2.5), int(y - 2.5)
    img[y0:y0 + 5, x0:x0 + 5] = 255
    return img


def build_views(flip_prob):
    return TRANSFORMS.build(
        dict(
            type='MultiViewWithGeometry',
            num_views=[1, 1],
            transforms=[
                [dict(type='Resize', scale=(VIEW, VIEW), keep_ratio=False)],
                [
                    dict(
                        type='RandomResizedCropWithBox',
                        scale=VIEW,
                        crop_ratio_range=(0.2, 1.0)),
                    dict(type='RandomFlipWithGeometry', prob=flip_prob)
                ],
            ]))


def bright_centroid(view):
    gray = view.astype(np.float64).mean(-1)
    ys, xs = np.nonzero(gray > 0.5 * gray.max())
    weights = gray[ys, xs]
    return (np.average(xs, weights=weights) + 0.5,
            np.average(ys, weights=weights) + 0.5)


@pytest.mark.parametrize('flip_prob', [0.0, 1.0])
def test_planted_square_found_at_mapped_position(flip_prob):
    transform = build_views(flip_prob)
    found = 0
    for seed in range(40):
        np.random.seed(seed)
        results = transform(dict(img=planted_image()))
        boxes = torch.from_numpy(results['view_boxes'])
        flips = torch.from_numpy(results['view_flips'])
        assert results['ori_hw'].tolist() == [90, 130]
        assert boxes[0].tolist() == [0, 0, 130, 90] and not flips[0]
        assert bool(flips[1]) == (flip_prob == 1.0)
        uv = image_to_view(
            torch.tensor([[[37.5, 52.5]]]).expand(2, 1, 2), boxes, flips)[:, 0]
        for view, (u, v) in zip(results['img'], uv.tolist()):
            # only check squares well inside the view (not cut by the crop)
            if not (0.1 < u < 0.9 and 0.1 < v < 0.9):
                continue
            cx, cy = bright_centroid(view)
            assert abs(cx - u * VIEW) < 1.5 and abs(cy - v * VIEW) < 1.5, (
                seed, u, v, cx, cy)
            found += 1
    assert found > 40  # the whole-image view always, plenty of crops too


def test_crop_box_matches_pixels_exactly_without_resize_blur():
    # a crop of scale 1 and aspect ratio 1 on a square image: the box is the
    # image
    transform = TRANSFORMS.build(
        dict(
            type='MultiViewWithGeometry',
            num_views=1,
            transforms=[[
                dict(
                    type='RandomResizedCropWithBox',
                    scale=32,
                    crop_ratio_range=(1.0, 1.0),
                    aspect_ratio_range=(1.0, 1.0))
            ]]))
    results = transform(dict(img=np.zeros((32, 32, 3), np.uint8)))
    assert results['view_boxes'].tolist() == [[0, 0, 32, 32]]


def test_crop_after_flip_is_refused():
    transform = TRANSFORMS.build(
        dict(
            type='MultiViewWithGeometry',
            num_views=1,
            transforms=[[
                dict(type='RandomFlipWithGeometry', prob=1.0),
                dict(type='RandomResizedCropWithBox', scale=16)
            ]]))
    with pytest.raises(ValueError, match='crop first'):
        transform(dict(img=np.zeros((32, 32, 3), np.uint8)))


def test_geometry_transform_outside_the_wrapper_is_a_clear_error():
    flip = TRANSFORMS.build(dict(type='RandomFlipWithGeometry', prob=1.0))
    with pytest.raises(KeyError, match='MultiViewWithGeometry'):
        flip(dict(img=np.zeros((8, 8, 3), np.uint8)))


def test_packed_sample_carries_geometry():
    pipeline = [
        build_views(0.5),
        TRANSFORMS.build(
            dict(
                type='PackInputs',
                algorithm_keys=['view_boxes', 'view_flips', 'ori_hw'])),
    ]
    results = dict(img=planted_image())
    for t in pipeline:
        results = t(results)
    sample = results['data_samples']
    assert len(
        results['inputs']) == 2 and results['inputs'][0].shape == (3, VIEW,
                                                                   VIEW)
    assert sample.view_boxes.shape == (2,
                                       4) and sample.view_flips.shape == (2, )
