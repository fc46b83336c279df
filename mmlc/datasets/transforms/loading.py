"""Image loading that names the file and the reason when an image is bad."""
import logging
from typing import Optional

import cv2
import mmcv
import numpy as np
from mmcv.transforms import LoadImageFromFile
from mmengine import fileio
from mmengine.logging import print_log

from mmlc.registry import TRANSFORMS


class ImageLoadError(ValueError):
    """An image file that cannot be used; the message names the file and
    why."""


def truncation_problem(data: bytes) -> Optional[str]:
    """Why a PNG or JPEG byte string is cut short, or None.

    Decoders often return a partial image for a file cut inside its last
    rows without any error. A complete PNG ends with an ``IEND`` chunk after
    its image data; a complete JPEG has an end-of-image marker (``FF D9``)
    after its last start-of-scan (``FF DA``), which entropy-coded data cannot
    contain. Other formats are left to the decoder.
    """
    if data.startswith(b'\x89PNG\r\n\x1a\n'):
        if data.rfind(b'IEND') < data.rfind(b'IDAT'):
            return 'truncated PNG (no IEND chunk after the image data)'
    elif data.startswith(b'\xff\xd8'):
        if data.rfind(b'\xff\xd9') < data.rfind(b'\xff\xda'):
            return ('truncated JPEG (no end-of-image marker after the last '
                    'scan)')
    return None


@TRANSFORMS.register_module()
class LoadImageFromFileChecked(LoadImageFromFile):
    """mmcv's ``LoadImageFromFile`` with a clear answer for every bad image.

    Handled as images (OpenCV's decoder with ``color_type='color'``):
    grayscale (copied to three channels), 16-bit (scaled to 8 bits), RGBA
    (alpha dropped), EXIF orientation (applied, so ``img_shape`` and every
    geometry recorded later refer to the upright pixels), any size (small
    images are upsampled by the crops that follow).

    Refused with :class:`ImageLoadError` naming the file and the reason: a
    file that cannot be read, a zero-byte file, a truncated PNG or JPEG, bytes
    no decoder accepts. With ``on_error='skip'`` such a file is instead
    skipped with a warning that counts the skips of this loader process, and
    the dataset draws another sample in its place (mmengine's ``BaseDataset``
    refetches when a transform returns None).

    Args:
        on_error (str): ``'raise'`` (default) or ``'skip'``.
        **kwargs: the arguments of ``LoadImageFromFile`` (``to_float32``,
            ``color_type``, ``imdecode_backend``, ``backend_args``).
    """

    def __init__(self, on_error: str = 'raise', **kwargs) -> None:
        if kwargs.get('ignore_empty'):
            raise ValueError(
                "LoadImageFromFileChecked: use on_error='skip' instead of "
                'ignore_empty=True')
        if on_error not in ('raise', 'skip'):
            raise ValueError(
                f"LoadImageFromFileChecked: on_error must be 'raise' or "
                f"'skip', "
                f'got {on_error!r}')
        super().__init__(**kwargs)
        self.on_error = on_error
        self.num_skipped = 0

    def transform(self, results: dict) -> Optional[dict]:
        filename = results['img_path']
        try:
            img = self._load(filename)
        except ImageLoadError as error:
            if self.on_error == 'raise':
                raise
            self.num_skipped += 1
            print_log(
                f'skipped {error} ({self.num_skipped} skipped by this loader '
                f'process)',
                logger='current',
                level=logging.WARNING)
            return None
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def _load(self, filename: str) -> np.ndarray:
        try:
            data = fileio.get(filename, backend_args=self.backend_args)
        except OSError as error:
            raise ImageLoadError(
                f'{filename}: cannot be read ({error})') from error
        if len(data) == 0:
            raise ImageLoadError(f'{filename}: zero-byte file')
        problem = truncation_problem(data)
        if problem is not None:
            raise ImageLoadError(f'{filename}: {problem}')
        try:
            img = mmcv.imfrombytes(
                data, flag=self.color_type, backend=self.imdecode_backend)
        except (cv2.error, OSError, ValueError) as error:
            raise ImageLoadError(
                f'{filename}: cannot be decoded ({error})') from error
        if img is None or img.size == 0:
            raise ImageLoadError(
                f'{filename}: not an image the {self.imdecode_backend} '
                f'decoder '
                'can read')
        return img

    def __repr__(self) -> str:
        return f'{super().__repr__()[:-1]}, on_error={self.on_error!r})'
