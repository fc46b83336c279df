from .coco_subset import make_coco_subset
from .samplers import ResumableSampler
from .toy import TOY_CLASSES, make_scene, make_toy_dataset
from .transforms import (MultiViewWithGeometry, RandomFlipWithGeometry,
                         RandomResizedCropWithBox)

__all__ = ['make_coco_subset', 'ResumableSampler', 'TOY_CLASSES', 'make_scene', 'make_toy_dataset', 'MultiViewWithGeometry',
           'RandomFlipWithGeometry', 'RandomResizedCropWithBox']
