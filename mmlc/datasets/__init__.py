from .coco_subset import make_coco_subset
from .samplers import ResumableSampler
from .toy import (COLOUR_POOL, TEXTURE_POOL, TOY_CLASSES,
                  TOY_KEYPOINT_FLIP_PAIRS, TOY_KEYPOINTS, ToyPose,
                  ToySceneOptions, ensure_toy_dataset, extreme_points,
                  make_scene, make_toy_dataset, object_keypoints, object_mask,
                  toy_scenes)
from .transforms import (ImageLoadError, LoadImageFromFileChecked,
                         MultiViewWithGeometry, RandomFlipWithGeometry,
                         RandomResizedCropWithBox)

__all__ = [
    'ImageLoadError', 'LoadImageFromFileChecked', 'MultiViewWithGeometry',
    'RandomFlipWithGeometry', 'RandomResizedCropWithBox', 'ResumableSampler',
    'TOY_CLASSES', 'ToySceneOptions', 'ensure_toy_dataset', 'make_coco_subset',
    'make_scene', 'make_toy_dataset', 'COLOUR_POOL', 'TEXTURE_POOL',
    'toy_scenes', 'TOY_KEYPOINTS', 'TOY_KEYPOINT_FLIP_PAIRS', 'ToyPose',
    'object_keypoints', 'object_mask', 'extreme_points'
]
