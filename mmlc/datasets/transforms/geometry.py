"""View transforms that record their geometry.

Each view carries ``view_box`` (``(x, y, w, h)`` float32, original-image
pixels, the continuous rectangle the view shows) and ``view_flip`` (bool,
mirrored horizontally after the crop). Resizing and colour transforms leave
both unchanged; the crop and flip below update them. See
:mod:`mmlc.models.utils.geometry` for the conventions.
"""
import copy
from typing import List, Sequence, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform, Compose
from mmcv.transforms import RandomFlip as MMCVRandomFlip
from mmpretrain.datasets.transforms import RandomResizedCrop

from mmlc.registry import TRANSFORMS


def init_view_geometry(results: dict) -> dict:
    """Give a sample the geometry of the whole, unflipped image."""
    h, w = results['img'].shape[:2]
    results['view_box'] = np.array([0, 0, w, h], dtype=np.float32)
    results['view_flip'] = False
    return results


def _require_geometry(results: dict, name: str) -> None:
    if 'view_box' not in results:
        raise KeyError(
            f'{name} needs `view_box` in the results: wrap the view '
            'pipeline in MultiViewWithGeometry')


@TRANSFORMS.register_module()
class RandomResizedCropWithBox(RandomResizedCrop):
    """mmpretrain's ``RandomResizedCrop`` that also updates ``view_box``.

    Same arguments as
    :class:`mmpretrain.datasets.transforms.RandomResizedCrop`. The crop must
    come before any flip of the same view.
    """

    def transform(self, results: dict) -> dict:
        _require_geometry(results, type(self).__name__)
        if results['view_flip']:
            raise ValueError(
                'RandomResizedCropWithBox after a flip is not supported: '
                'put the crop first in the view pipeline')
        img = results['img']
        cur_h, cur_w = img.shape[:2]
        offset_h, offset_w, target_h, target_w = self.rand_crop_params(img)
        img = mmcv.imcrop(
            img,
            bboxes=np.array([
                offset_w, offset_h, offset_w + target_w - 1,
                offset_h + target_h - 1
            ]))
        img = mmcv.imresize(
            img,
            tuple(self.scale[::-1]),
            interpolation=self.interpolation,
            backend=self.backend)
        box = results['view_box']
        scale_x, scale_y = box[2] / cur_w, box[3] / cur_h
        results['view_box'] = np.array([
            box[0] + offset_w * scale_x, box[1] + offset_h * scale_y,
            target_w * scale_x, target_h * scale_y
        ],
                                       dtype=np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        return results


@TRANSFORMS.register_module()
class RandomFlipWithGeometry(MMCVRandomFlip):
    """mmcv's ``RandomFlip``, horizontal only, toggling ``view_flip``.

    Args:
        prob (float): probability of flipping.
    """

    def __init__(self, prob: float = 0.5) -> None:
        super().__init__(prob=prob, direction='horizontal')

    def transform(self, results: dict) -> dict:
        _require_geometry(results, type(self).__name__)
        results = super().transform(results)
        if results.get('flip', False):
            results['view_flip'] = not results['view_flip']
        return results


@TRANSFORMS.register_module()
class MultiViewWithGeometry(BaseTransform):
    """Several views of one image, each with its recorded geometry.

    Like mmpretrain's ``MultiView`` (which keeps only ``img``), but every
    view starts from the whole image with ``view_box = (0, 0, W, H)`` and
    ``view_flip = False``, and the geometry each view pipeline records is
    kept.

    Args:
        transforms (list[list[dict]]): one pipeline per view group.
        num_views (int or list[int]): views per group.

    Added keys: ``img`` (list of views), ``view_boxes`` (float32 [V, 4]),
    ``view_flips`` (bool [V]), ``ori_hw`` (int64 [2], original ``(H, W)``).
    """

    def __init__(self, transforms: List[List[Union[dict, BaseTransform]]],
                 num_views: Union[int, Sequence[int]]) -> None:
        num_views = [num_views] if isinstance(num_views,
                                              int) else list(num_views)
        if len(num_views) != len(transforms):
            raise ValueError(
                f'num_views {num_views} must give one count per pipeline '
                f'({len(transforms)} pipelines)')
        self.num_views = num_views
        self.pipelines = [
            Compose([
                TRANSFORMS.build(t) if isinstance(t, dict) else t
                for t in pipeline
            ]) for pipeline in transforms
        ]
        self.view_pipelines = [
            pipeline for pipeline, count in zip(self.pipelines, num_views)
            for _ in range(count)
        ]

    def transform(self, results: dict) -> dict:
        ori_hw = np.array(results['img'].shape[:2], dtype=np.int64)
        imgs, boxes, flips = [], [], []
        for pipeline in self.view_pipelines:
            view = pipeline(init_view_geometry(copy.deepcopy(results)))
            imgs.append(view['img'])
            boxes.append(view['view_box'])
            flips.append(view['view_flip'])
        results['img'] = imgs
        results['view_boxes'] = np.stack(boxes).astype(np.float32)
        results['view_flips'] = np.array(flips, dtype=bool)
        results['ori_hw'] = ori_hw
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_views={self.num_views}, '
                f'pipelines={self.pipelines})')
