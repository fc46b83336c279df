"""The embedded toy dataset: deterministic, and its annotations are
consistent."""
import hashlib
import json
import os
import os.path as osp
from xml.etree import ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from mmlc.datasets import (COLOUR_POOL, TEXTURE_POOL, TOY_CLASSES,
                           ToySceneOptions, make_scene, make_toy_dataset,
                           toy_scenes)


def _digest(root):
    h = hashlib.sha256()
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            with open(osp.join(dirpath, name), 'rb') as f:
                h.update(name.encode() + f.read())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = make_toy_dataset(
        str(tmp_path / 'a'), num_images=6, seed=3, size=(48, 48))
    b = make_toy_dataset(
        str(tmp_path / 'b'), num_images=6, seed=3, size=(48, 48))
    c = make_toy_dataset(
        str(tmp_path / 'c'), num_images=6, seed=4, size=(48, 48))
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
    # occlusion: each pixel belongs to one object at most
    assert union.max() <= 1
    assert ((scene.semantic > 0) == (union > 0)).all()


def test_coco_annotations_load_with_pycocotools(toy_root):
    from pycocotools import mask as mask_utils
    from pycocotools.coco import COCO
    coco = COCO(
        osp.join(toy_root, 'coco', 'annotations', 'instances_train.json'))
    assert [c['name']
            for c in coco.loadCats(coco.getCatIds())] == list(TOY_CLASSES)
    ann_ids = coco.getAnnIds()
    assert len(ann_ids) > 0
    for ann in coco.loadAnns(ann_ids[:20]):
        mask = coco.annToMask(ann)
        ys, xs = np.nonzero(mask)
        x, y, w, h = ann['bbox']
        assert (x, y) == (xs.min(), ys.min())
        assert (x + w, y + h) == (xs.max() + 1, ys.max() + 1)
        assert ann['area'] == mask.sum() == mask_utils.area(
            ann['segmentation'])
    info = json.load(
        open(osp.join(toy_root, 'coco', 'annotations', 'instances_val.json')))
    assert info['info']['seed'] == 0


def test_voc_layout_boxes_and_segmentation_agree(toy_root):
    voc = osp.join(toy_root, 'VOCdevkit', 'VOC2007')
    names = open(osp.join(voc, 'ImageSets', 'Main',
                          'trainval.txt')).read().split()
    assert len(names) == 24
    for name in names[:8]:
        tree = ET.parse(osp.join(voc, 'Annotations', f'{name}.xml'))
        seg = np.array(
            Image.open(osp.join(voc, 'SegmentationClass', f'{name}.png')))
        for obj in tree.findall('object'):
            label = TOY_CLASSES.index(obj.find('name').text) + 1
            box = {
                k: int(obj.find('bndbox').find(k).text)
                for k in ('xmin', 'ymin', 'xmax', 'ymax')
            }
            inside = seg[box['ymin'] - 1:box['ymax'],
                         box['xmin'] - 1:box['xmax']]
            assert (inside == label).any()


def test_imagenet_folder_matches_meta_file(toy_root):
    root = osp.join(toy_root, 'imagenet')
    lines = open(osp.join(root, 'meta', 'train.txt')).read().splitlines()
    assert len(lines) > 0
    for line in lines:
        rel, label = line.split()
        assert rel.split('/')[0] == TOY_CLASSES[int(label)]
        assert osp.isfile(osp.join(root, 'train', rel))


def test_coco_voc_and_semantic_maps_describe_the_same_objects(toy_root):
    """Per image: COCO masks painted by category equal the VOC segmentation
    PNG, and the VOC xml boxes equal the COCO boxes (1-based inclusive vs.
    xywh)."""
    from pycocotools.coco import COCO
    voc = osp.join(toy_root, 'VOCdevkit', 'VOC2007')
    for split in ('train', 'val'):
        coco = COCO(
            osp.join(toy_root, 'coco', 'annotations',
                     f'instances_{split}.json'))
        for image in coco.loadImgs(coco.getImgIds()):
            name = osp.splitext(image['file_name'])[0]
            painted = np.zeros((image['height'], image['width']), np.uint8)
            coco_boxes = []
            for ann in coco.loadAnns(coco.getAnnIds(imgIds=image['id'])):
                mask = coco.annToMask(ann).astype(bool)
                assert not painted[mask].any()  # visible parts never overlap
                painted[mask] = ann['category_id']
                x, y, w, h = ann['bbox']
                coco_boxes.append((TOY_CLASSES[ann['category_id'] - 1], x + 1,
                                   y + 1, x + w, y + h))
            seg = np.array(
                Image.open(osp.join(voc, 'SegmentationClass', f'{name}.png')))
            assert (seg == painted).all(), name
            xml = ET.parse(osp.join(voc, 'Annotations', f'{name}.xml'))
            voc_boxes = [(obj.find('name').text,
                          *(int(obj.find('bndbox').find(k).text)
                            for k in ('xmin', 'ymin', 'xmax', 'ymax')))
                         for obj in xml.findall('object')]
            assert voc_boxes == coco_boxes, name


def test_a_scene_does_not_depend_on_how_many_are_generated(tmp_path):
    small = make_toy_dataset(
        str(tmp_path / 'a'),
        num_images=3,
        seed=5,
        size=(40, 40),
        val_fraction=0.34,
        formats=['voc'])
    large = make_toy_dataset(
        str(tmp_path / 'b'),
        num_images=5,
        seed=5,
        size=(40, 40),
        formats=['voc'])
    for i in range(3):
        rel = osp.join('VOC2007', 'SegmentationClass', f'toy_{i:06d}.png')
        a = np.array(Image.open(osp.join(small['voc'], rel)))
        b = np.array(Image.open(osp.join(large['voc'], rel)))
        assert (a == b).all()


def test_dataset_records_its_version_and_arguments(toy_root):
    meta = json.load(open(osp.join(toy_root, 'toy_dataset.json')))
    assert meta == dict(
        version=4,
        num_images=24,
        seed=0,
        size=[64, 64],
        val_fraction=0.2,
        classes=list(TOY_CLASSES),
        scene_options=dict(
            max_objects=4, max_clutter=4, object_scale=[0.12, 0.3]))


def _background_edge_fraction(scene) -> float:
    """Fraction of horizontally adjacent background pixel pairs whose RGB
    differ by more than 90 in sum: the smooth background and its noise stay
    far below, clutter blobs' borders and textures do not."""
    image = scene.image.astype(float)
    background = scene.semantic == 0
    jumps = np.abs(np.diff(image, axis=1)).sum(-1)
    both = background[:, 1:] & background[:, :-1]
    return float((jumps[both] > 90).mean())


def test_scene_options_bound_objects_clutter_and_scale():
    options = ToySceneOptions(
        max_objects=2, max_clutter=0, object_scale=(0.3, 0.35))
    side = 100
    for index in range(40):
        scene = make_scene(
            np.random.default_rng([5, index]), (side, side), options)
        assert 1 <= len(scene.instances) <= 2
        for inst in scene.instances:
            x, y, w, h = inst.bbox_xywh
            # an unoccluded object of radius r spans at most 2 r / sqrt(0.75)
            # (the largest aspect) and, cut by the border, at least one pixel
            assert max(w, h) <= 2 * 0.35 * side / np.sqrt(0.75) + 2
    busy = ToySceneOptions(max_objects=1, max_clutter=8)
    quiet = ToySceneOptions(max_objects=1, max_clutter=0)
    edges = {
        options:
        np.mean([
            _background_edge_fraction(
                make_scene(np.random.default_rng([6, i]), (64, 64), options))
            for i in range(20)
        ])
        for options in (busy, quiet)
    }
    assert edges[quiet] < 0.02 < 0.04 < edges[busy]


@pytest.mark.parametrize('kwargs', [
    dict(max_objects=0),
    dict(max_clutter=-1),
    dict(object_scale=(0.3, 0.2)),
    dict(object_scale=(0.0, 0.2)),
    dict(object_scale=(0.2, 0.6)),
])
def test_scene_options_refuse_impossible_values(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        ToySceneOptions(**kwargs)


def test_default_scene_is_the_one_the_study_was_measured_on():
    """A change of the generator invalidates every committed toy result:
    this digest of one default scene (recorded when the scene options were
    introduced, equal to the version-2 data of docs/toy_study) catches it."""
    scene = make_scene(np.random.default_rng([3, 7]), (48, 48))
    digest = hashlib.sha256(scene.image.tobytes() +
                            scene.semantic.tobytes()).hexdigest()
    assert digest == ('35760fe18a64838c5d6486c1a631ecfe'
                      'b8388b7f811f443c8c39b03870865a96')


def test_object_paint_is_drawn_per_instance_not_per_class():
    """The same class appears in different colours (a version-1 class had one
    colour)."""
    colours = {label: [] for label in range(len(TOY_CLASSES))}
    for index in range(60):
        scene = make_scene(np.random.default_rng([9, index]), (64, 64))
        for inst in scene.instances:
            colours[inst.label].append(scene.image[inst.mask].mean(axis=0))
    for label, means in colours.items():
        assert len(means) >= 5, TOY_CLASSES[label]
        assert np.stack(means).std(axis=0).max() > 30, TOY_CLASSES[label]


def test_toy_scenes_regenerate_the_written_split(toy_root):
    scenes = toy_scenes(toy_root, 'val')
    voc = osp.join(toy_root, 'VOCdevkit', 'VOC2007')
    with open(osp.join(voc, 'ImageSets', 'Segmentation', 'val.txt')) as f:
        names = f.read().split()
    assert len(scenes) == len(names)
    for scene, name in zip(scenes, names):
        label = np.asarray(
            Image.open(osp.join(voc, 'SegmentationClass', f'{name}.png')))
        np.testing.assert_array_equal(scene.semantic, label)
        cls = TOY_CLASSES[scene.main_label]
        image = np.asarray(
            Image.open(
                osp.join(toy_root, 'imagenet', 'val', cls,
                         f'{name}.png')).convert('RGB'))
        np.testing.assert_array_equal(scene.image, image)


def test_toy_scenes_refuse_data_the_generator_did_not_make(tmp_path):
    root = str(tmp_path / 'toy')
    make_toy_dataset(root, num_images=4, seed=1, size=(32, 32))
    first = toy_scenes(root, 'train')[0]
    path = osp.join(root, 'imagenet', 'train', TOY_CLASSES[first.main_label],
                    'toy_000000.png')
    Image.fromarray(255 - first.image).save(path)
    with pytest.raises(ValueError, match='toy_000000.png differs'):
        toy_scenes(root, 'train')
    os.remove(osp.join(root, 'toy_dataset.json'))
    with pytest.raises(ValueError, match='toy_dataset.json is missing'):
        toy_scenes(root, 'val')


def test_recorded_paint_is_the_one_on_the_pixels():
    """A plain object's mean colour is nearest (in chromaticity) to the pool
    colour recorded for it (most of the time: brightness, jitter and shading
    move some next to a neighbour; the next pool colour, the control, almost
    never is), and plain objects vary less inside than checkered ones."""
    pool = np.asarray(COLOUR_POOL)
    pool_chroma = pool / pool.sum(1, keepdims=True)
    hits, shifted, total = 0, 0, 0
    spread = {'plain': [], 'checker': []}
    for index in range(150):
        scene = make_scene(np.random.default_rng([11, index]), (64, 64))
        for inst in scene.instances:
            pixels = scene.image[inst.mask].astype(float)
            texture = TEXTURE_POOL[inst.texture]
            if texture in spread and len(pixels) > 100:
                spread[texture].append(
                    pixels.sum(1).std() / pixels.sum(1).mean())
            if texture != 'plain':
                continue
            mean = pixels.mean(0)
            chroma = mean / mean.sum()
            nearest = np.abs(pool_chroma - chroma).sum(1).argmin()
            hits += int(
                np.allclose(pool_chroma[nearest], pool_chroma[inst.colour]))
            shifted += int(
                np.allclose(pool_chroma[nearest],
                            pool_chroma[(inst.colour + 1) % len(pool)]))
            total += 1
    assert total >= 30 and hits / total >= 0.75, (hits, total)
    assert shifted / total <= 0.2, (shifted, total)
    assert np.median(spread['plain']) < 0.5 * np.median(spread['checker'])
