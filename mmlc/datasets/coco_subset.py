"""mini-COCO: a seeded random subset of a COCO annotation file (paper Table
9)."""
import json
import os.path as osp
from typing import Dict

import numpy as np

from mmlc.utils.fileio import write_text


def make_coco_subset(ann_file: str,
                     out_file: str,
                     fraction: float,
                     seed: int = 0) -> Dict:
    """Keep a random ``fraction`` of the images of ``ann_file`` and their
    annotations.

    The choice depends only on ``seed`` and the sorted image ids, so the same
    call gives the same subset anywhere. The source, fraction, seed and counts
    are recorded in the output's ``info.mmlc_subset``.

    Args:
        ann_file (str): COCO annotation json (e.g. instances_train2017.json).
        out_file (str): where to write the subset (atomically; never
            ``ann_file``).
        fraction (float): in (0, 1].
        seed (int): seed of ``numpy.random.default_rng``.

    Returns:
        dict: the ``info.mmlc_subset`` record.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f'fraction must be in (0, 1], got {fraction}')
    if osp.abspath(out_file) == osp.abspath(ann_file):
        raise ValueError(
            f'refusing to overwrite the source annotation file {ann_file}')
    with open(ann_file, encoding='utf-8') as f:
        coco = json.load(f)
    if not all(key in coco for key in ('images', 'annotations', 'categories')):
        raise ValueError(
            f'{ann_file} is not a COCO annotation file (needs images, '
            'annotations, categories)')
    image_ids = sorted(image['id'] for image in coco['images'])
    count = max(1, int(round(len(image_ids) * fraction)))
    chosen = set(
        np.random.default_rng(seed).choice(
            image_ids, size=count, replace=False).tolist())
    subset = dict(coco)
    subset['images'] = [
        image for image in coco['images'] if image['id'] in chosen
    ]
    subset['annotations'] = [
        ann for ann in coco['annotations'] if ann['image_id'] in chosen
    ]
    record = dict(
        source=osp.basename(ann_file),
        fraction=fraction,
        seed=seed,
        num_images=len(subset['images']),
        num_annotations=len(subset['annotations']))
    subset['info'] = dict(coco.get('info') or {}, mmlc_subset=record)
    write_text(out_file, json.dumps(subset))
    return record
