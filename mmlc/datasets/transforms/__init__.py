from .geometry import (MultiViewWithGeometry, RandomFlipWithGeometry, RandomResizedCropWithBox,
                       init_view_geometry)

__all__ = ['MultiViewWithGeometry', 'RandomFlipWithGeometry', 'RandomResizedCropWithBox',
           'init_view_geometry']
