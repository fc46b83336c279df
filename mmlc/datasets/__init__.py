from .toy import TOY_CLASSES, make_scene, make_toy_dataset
from .transforms import (MultiViewWithGeometry, RandomFlipWithGeometry,
                         RandomResizedCropWithBox)

__all__ = ['TOY_CLASSES', 'make_scene', 'make_toy_dataset', 'MultiViewWithGeometry',
           'RandomFlipWithGeometry', 'RandomResizedCropWithBox']
