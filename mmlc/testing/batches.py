"""Fake LC-BYOL batches: views plus the geometry ``MultiViewWithGeometry``
records, without an image or a pipeline."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from mmpretrain.structures import DataSample

HW = Tuple[int, int]


def _crop_boxes(rng: np.random.Generator, num_crops: int, image_hw: HW,
                crop_xywh: Optional[Sequence[float]]) -> list:
    height, width = image_hw
    if crop_xywh is not None:
        return [list(crop_xywh)] * num_crops
    boxes = []
    for _ in range(num_crops):
        w = rng.uniform(width / 4, width)
        h = rng.uniform(height / 4, height)
        boxes.append(
            [rng.uniform(0, width - w),
             rng.uniform(0, height - h), w, h])
    return boxes


def fake_view_batch(batch_size: int = 4,
                    img_size: int = 32,
                    num_views: int = 2,
                    seed: int = 0,
                    image_hw: Tuple[int, int] = (64, 64),
                    crop_xywh: Optional[Sequence[float]] = (8, 4, 40, 48),
                    flip: Optional[bool] = True,
                    uint8: bool = False) -> Dict:
    """A batch as LC-BYOL's ``data_preprocessor`` or ``loss`` receives it.

    View 0 is the whole image (``Ic``); every other view is a crop of it,
    mirrored or not.

    Args:
        batch_size (int): B.
        img_size (int): S, the side of every view.
        num_views (int): views per image.
        seed (int): seeds the pixels and any drawn geometry.
        image_hw (tuple): (H, W) of the original image the boxes refer to.
        crop_xywh (sequence, optional): the box (x, y, w, h, original pixels)
            of every view after the first; ``None`` draws one per sample and
            view, each side at least a quarter of the image's.
        flip (bool, optional): whether those views are mirrored; ``None``
            draws it per sample (probability 0.5).
        uint8 (bool): uint8 pixels in [0, 255], what a data preprocessor
            takes, instead of standard-normal floats, what ``loss`` takes.

    Returns:
        dict: ``inputs``, a list of ``num_views`` tensors [B, 3, S, S], and
        ``data_samples``, B :class:`DataSample` with ``view_boxes``
        [num_views, 4] float32 and ``view_flips`` [num_views] bool.
    """
    rng = np.random.default_rng(seed)
    shape = (batch_size, 3, img_size, img_size)
    if uint8:
        views = [
            rng.integers(0, 256, shape, dtype=np.uint8)
            for _ in range(num_views)
        ]
    else:
        views = [
            rng.standard_normal(shape, dtype=np.float32)
            for _ in range(num_views)
        ]
    height, width = image_hw
    samples = []
    for _ in range(batch_size):
        boxes = [[0, 0, width, height]]
        boxes += _crop_boxes(rng, num_views - 1, image_hw, crop_xywh)
        mirrored = bool(rng.random() < 0.5) if flip is None else flip
        sample = DataSample()
        sample.set_field(np.asarray(boxes, np.float32), 'view_boxes')
        sample.set_field(
            np.asarray([False] + [mirrored] * (num_views - 1)), 'view_flips')
        samples.append(sample)
    return dict(
        inputs=[torch.from_numpy(v) for v in views], data_samples=samples)
