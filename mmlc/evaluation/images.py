"""Image lists and the colour transforms the evaluation tools apply."""
import os
import os.path as osp
import random
from typing import List, Sequence

import numpy as np
from mmengine.registry import DefaultScope
from PIL import Image, ImageOps

from mmlc.registry import TRANSFORMS

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.webp')


def list_images(root: str) -> List[str]:
    """Image files under ``root`` (recursively), sorted; a file is a list of
    one."""
    if osp.isfile(root):
        return [root]
    if not osp.isdir(root):
        raise FileNotFoundError(f'{root} is neither an image nor a folder')
    paths = sorted(
        osp.join(d, f) for d, _, files in os.walk(root) for f in files
        if f.lower().endswith(IMAGE_SUFFIXES))
    if not paths:
        raise FileNotFoundError(
            f'no images ({", ".join(IMAGE_SUFFIXES)}) under {root}')
    return paths


def load_rgb(path: str, size: int) -> np.ndarray:
    """uint8 [size, size, 3] RGB (EXIF orientation applied)."""
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img).convert('RGB')
        return np.asarray(img.resize((size, size), Image.BILINEAR))


def build_transforms(cfgs: Sequence[dict]) -> List:
    """Build transforms in mmpretrain's scope, whatever scope a previous Runner
    left: a registry builds through the current default scope, and wrappers
    such as ``RandomApply`` build their inner transforms that way too."""

    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return [TRANSFORMS.build(cfg) for cfg in cfgs]


def build_colour_transforms() -> Sequence:
    """Colour jitter, random grayscale and Gaussian blur (mmpretrain
    transforms)."""
    return build_transforms((
        dict(
            type='RandomApply',
            prob=0.8,
            transforms=[
                dict(
                    type='ColorJitter',
                    brightness=0.4,
                    contrast=0.4,
                    saturation=0.2,
                    hue=0.1)
            ]),
        dict(
            type='RandomGrayscale',
            prob=0.2,
            keep_channels=True,
            channel_weights=(0.114, 0.587, 0.2989)),
        dict(
            type='GaussianBlur',
            magnitude_range=(0.1, 2.0),
            magnitude_std='inf',
            prob=0.5),
    ))


def apply_colour(img: np.ndarray, transforms: Sequence,
                 seed: int) -> np.ndarray:
    """Apply the colour transforms with their randomness fixed by ``seed``."""
    np.random.seed(seed % (2**32))
    random.seed(seed)
    results = {'img': img.copy()}
    for transform in transforms:
        results = transform(results)
    return results['img']
