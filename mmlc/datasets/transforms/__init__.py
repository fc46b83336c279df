from .geometry import (GEOMETRY_KEYS, MultiViewWithGeometry, RandomFlipWithGeometry,
                       RandomResizedCropWithBox, init_view_geometry)

__all__ = ['GEOMETRY_KEYS', 'MultiViewWithGeometry', 'RandomFlipWithGeometry',
           'RandomResizedCropWithBox', 'init_view_geometry']
