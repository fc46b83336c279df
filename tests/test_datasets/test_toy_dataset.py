"""The embedded toy dataset: deterministic, and its annotations are consistent."""
import hashlib
import json
import os
import os.path as osp
from xml.etree import ElementTree as ET

import numpy as np
from PIL import Image

from mmlc.datasets import TOY_CLASSES, make_scene, make_toy_dataset


def _digest(root):
    h = hashlib.sha256()
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            with open(osp.join(dirpath, name), 'rb') as f:
                h.update(name.encode() + f.read())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = make_toy_dataset(str(tmp_path / 'a'), num_images=6, seed=3, size=(48, 48))
    b = make_toy_dataset(str(tmp_path / 'b'), num_images=6, seed=3, size=(48, 48))
    c = make_toy_dataset(str(tmp_path / 'c'), num_images=6, seed=4, size=(48, 48))
    for key in a:
        assert _digest(a[key]) == _digest(b[key])
        assert _digest(a[key]) != _digest(c[key])


def test_scene_masks_are_disjoint_and_match_semantic_map():
    scene = make_scene(np.random.default_rng(0), (64, 80))
    assert scene.image.shape == (64, 80, 3) and scene.image.dtype == np.uint8
    union = np.zeros((64, 80), int)
    for inst in scene.instances:
        union += inst.mask
        assert (scene.semantic[inst.mask] == inst.label + 1).all()
    assert union.max() <= 1  # occlusion: each pixel belongs to one object at most
    assert ((scene.semantic > 0) == (union > 0)).all()


def test_coco_annotations_load_with_pycocotools(toy_root):
    from pycocotools import mask as mask_utils
    from pycocotools.coco import COCO
    coco = COCO(osp.join(toy_root, 'coco', 'annotations', 'instances_train.json'))
    assert [c['name'] for c in coco.loadCats(coco.getCatIds())] == list(TOY_CLASSES)
    ann_ids = coco.getAnnIds()
    assert len(ann_ids) > 0
    for ann in coco.loadAnns(ann_ids[:20]):
        mask = coco.annToMask(ann)
        ys, xs = np.nonzero(mask)
        x, y, w, h = ann['bbox']
        assert (x, y) == (xs.min(), ys.min())
        assert (x + w, y + h) == (xs.max() + 1, ys.max() + 1)
        assert ann['area'] == mask.sum() == mask_utils.area(ann['segmentation'])
    info = json.load(open(osp.join(toy_root, 'coco', 'annotations', 'instances_val.json')))
    assert info['info']['seed'] == 0


def test_voc_layout_boxes_and_segmentation_agree(toy_root):
    voc = osp.join(toy_root, 'VOCdevkit', 'VOC2007')
    names = open(osp.join(voc, 'ImageSets', 'Main', 'trainval.txt')).read().split()
    assert len(names) == 24
    for name in names[:8]:
        tree = ET.parse(osp.join(voc, 'Annotations', f'{name}.xml'))
        seg = np.array(Image.open(osp.join(voc, 'SegmentationClass', f'{name}.png')))
        for obj in tree.findall('object'):
            label = TOY_CLASSES.index(obj.find('name').text) + 1
            box = {k: int(obj.find('bndbox').find(k).text)
                   for k in ('xmin', 'ymin', 'xmax', 'ymax')}
            inside = seg[box['ymin'] - 1:box['ymax'], box['xmin'] - 1:box['xmax']]
            assert (inside == label).any()


def test_imagenet_folder_matches_meta_file(toy_root):
    root = osp.join(toy_root, 'imagenet')
    lines = open(osp.join(root, 'meta', 'train.txt')).read().splitlines()
    assert len(lines) > 0
    for line in lines:
        rel, label = line.split()
        assert rel.split('/')[0] == TOY_CLASSES[int(label)]
        assert osp.isfile(osp.join(root, 'train', rel))
