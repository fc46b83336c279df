from .geometry import (MultiViewWithGeometry, RandomFlipWithGeometry,
                       RandomResizedCropWithBox, init_view_geometry)
from .loading import (ImageLoadError, LoadImageFromFileChecked,
                      truncation_problem)

__all__ = [
    'ImageLoadError', 'LoadImageFromFileChecked', 'MultiViewWithGeometry',
    'RandomFlipWithGeometry', 'RandomResizedCropWithBox', 'init_view_geometry',
    'truncation_problem'
]
