"""Checks of a training config that need more than one component to see."""
from typing import List, Optional, Tuple

from mmengine.config import Config

GEOMETRY_KEYS = ('view_boxes', 'view_flips')
# transforms that move pixels without recording it in view_box / view_flip
UNTRACKED_GEOMETRY = ('RandomResizedCrop', 'RandomCrop', 'CenterCrop',
                      'RandomFlip', 'Rotate', 'Shear', 'Translate',
                      'RandAugment', 'AutoAugment', 'EfficientNetRandomCrop',
                      'EfficientNetCenterCrop')


def _needs_geometry(model_cfg: dict) -> bool:
    """A model with a local branch (``model.local_branch``, whatever its
    algorithm) needs the views' geometry."""
    return model_cfg.get('local_branch') is not None


def _find_pipeline(dataset_cfg: dict, key: str) -> Tuple[Optional[list], str]:
    """The pipeline of a dataset config, looking inside dataset wrappers."""
    while 'pipeline' not in dataset_cfg and isinstance(
            dataset_cfg.get('dataset'), dict):
        dataset_cfg, key = dataset_cfg['dataset'], f'{key}.dataset'
    return dataset_cfg.get('pipeline'), f'{key}.pipeline'


def pipeline_geometry_problems(pipeline: list, key: str) -> List[str]:
    """What keeps a training pipeline from giving LC-BYOL true view
    geometry."""
    types = [step.get('type') for step in pipeline]
    if 'MultiViewWithGeometry' not in types:
        return [
            f'{key} has no MultiViewWithGeometry (found {types}): the local '
            f'loss needs '
            'the crop box and flip of every view'
        ]
    problems = []
    views_index = types.index('MultiViewWithGeometry')
    for group, transforms in enumerate(pipeline[views_index].get(
            'transforms', [])):
        for position, step in enumerate(transforms):
            if step.get('type') in UNTRACKED_GEOMETRY:
                problems.append(
                    f'{key}[{views_index}].transforms[{group}][{position}] is '
                    f'{step["type"]}, '
                    'which moves pixels without recording it; use '
                    'RandomResizedCropWithBox / '
                    'RandomFlipWithGeometry')
    packs = [step for step in pipeline if step.get('type') == 'PackInputs']
    packed = set(packs[-1].get('algorithm_keys', [])) if packs else set()
    missing = [k for k in GEOMETRY_KEYS if k not in packed]
    if missing:
        problems.append(f"{key}: PackInputs must carry algorithm_keys "
                        f"{list(GEOMETRY_KEYS)} "
                        f'(missing {missing})')
    return problems


def check_train_config(cfg: Config) -> None:
    """Refuse an LC model whose training pipeline loses the view geometry.

    Raises:
        ValueError: naming the config key of each problem.
    """
    model_cfg = cfg.get('model') or {}
    loader = cfg.get('train_dataloader') or {}
    if not _needs_geometry(model_cfg) or not isinstance(
            loader.get('dataset'), dict):
        return
    pipeline, key = _find_pipeline(loader['dataset'],
                                   'train_dataloader.dataset')
    if pipeline is None:
        return
    problems = pipeline_geometry_problems(pipeline, key)
    if problems:
        raise ValueError(f'{model_cfg["type"]} config: ' + '; '.join(problems))
