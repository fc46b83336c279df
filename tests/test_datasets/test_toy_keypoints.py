"""Toy keypoints (dataset version 3): every labelled landmark lies in its
object's shape (visible ones in the visible mask), a mirrored object's
landmarks are the mirrored landmarks under the declared flip pairs, and the
COCO keypoint file loads with xtcocotools."""
import os.path as osp

import numpy as np
import pytest

from mmlc.datasets import (TOY_CLASSES, TOY_KEYPOINT_FLIP_PAIRS, TOY_KEYPOINTS,
                           ToyPose, make_scene, object_keypoints, object_mask)

SIZE = (96, 96)


def _scenes(count=40, seed=13):
    return [
        make_scene(np.random.default_rng([seed, i]), SIZE)
        for i in range(count)
    ]


def _near(mask, x, y):
    """The pixel holding continuous (x, y), or one next to it, is in
    ``mask`` (a landmark on the shape's border)."""
    i, j = int(np.floor(y)), int(np.floor(x))
    return mask[max(0, i - 1):i + 2, max(0, j - 1):j + 2].any()


def test_landmarks_lie_in_their_object_and_visibility_follows_occlusion():
    counts = {0: 0, 1: 0, 2: 0}
    for scene in _scenes():
        for inst in scene.instances:
            whole = object_mask(inst.label, inst.pose, SIZE)
            # the pose reproduces the object: its visible part lies in it
            assert (whole | ~inst.mask).all()
            points = np.asarray(inst.keypoints).reshape(-1, 3)
            assert len(points) == len(TOY_KEYPOINTS)
            for x, y, v in points:
                counts[int(v)] += 1
                if v == 0:
                    assert x == y == 0
                    continue
                assert _near(whole, x, y), TOY_CLASSES[inst.label]
                pixel = inst.mask[int(np.floor(y)), int(np.floor(x))]
                assert pixel == (v == 2)
    # all three cases occur in 40 scenes of up to four objects
    assert min(counts.values()) > 0, counts


def _mirror(label, pose, width):
    """The pose whose object is the mirror image of ``pose``'s: the same
    shape, reflected about its mirror axis (local y: angle -> -angle; the
    star's local x: angle -> pi - angle)."""
    angle = np.pi - pose.angle if TOY_CLASSES[label] == 'star' else (
        -pose.angle)
    return ToyPose(pose.cy, width - 1 - pose.cx, angle, pose.aspect,
                   pose.radius)


@pytest.mark.parametrize('label', range(len(TOY_CLASSES)))
def test_a_mirrored_object_has_the_mirrored_landmarks_under_flip_pairs(label):
    rng = np.random.default_rng(label)
    swap = list(range(len(TOY_KEYPOINTS)))
    for a, b in TOY_KEYPOINT_FLIP_PAIRS:
        swap[a], swap[b] = b, a
    for _ in range(5):
        pose = ToyPose(
            rng.uniform(30, 66), rng.uniform(30, 66), rng.uniform(0, 6.28),
            float(np.exp(rng.uniform(-0.28, 0.28))), rng.uniform(12, 28))
        mirrored = _mirror(label, pose, SIZE[1])
        whole = object_mask(label, pose, SIZE)
        # independent of the landmarks: the mirrored pose draws the
        # mirror image (up to pixels on the boundary)
        differ = whole[:, ::-1] != object_mask(label, mirrored, SIZE)
        assert differ.sum() <= 4
        everywhere = np.ones(SIZE, bool)
        points = np.asarray(object_keypoints(label, pose,
                                             everywhere)).reshape(-1, 3)
        flipped = np.asarray(object_keypoints(label, mirrored,
                                              everywhere)).reshape(-1, 3)
        for k, point in enumerate(flipped):
            source = points[swap[k]]
            np.testing.assert_allclose(
                point[:2], [SIZE[1] - source[0], source[1]], atol=0.02)


def test_coco_keypoints_load_with_xtcocotools(toy_root):
    from xtcocotools.coco import COCO
    coco = COCO(
        osp.join(toy_root, 'coco', 'annotations', 'instances_train.json'))
    category = coco.loadCats(coco.getCatIds())[0]
    assert category['keypoints'] == list(TOY_KEYPOINTS)
    anns = coco.loadAnns(coco.getAnnIds())
    assert anns and all(
        len(a['keypoints']) == 3 * len(TOY_KEYPOINTS) for a in anns)
    for ann in anns:
        visible = sum(v > 0 for v in ann['keypoints'][2::3])
        assert ann['num_keypoints'] == visible


def test_the_mmpose_dataset_meta_names_the_generators_keypoints(repo_root):
    """configs/_base_/datasets/toy_keypoints_info.py is mmpose's copy of the
    generator's keypoint names and flip pair: they must agree."""
    from mmengine.config import Config
    info = Config.fromfile(
        osp.join(repo_root, 'configs', '_base_', 'datasets',
                 'toy_keypoints_info.py')).toy_keypoint_info
    names = [info.keypoint_info[i]['name'] for i in sorted(info.keypoint_info)]
    assert names == list(TOY_KEYPOINTS)
    swaps = {(names.index(v['name']), names.index(v['swap']))
             for v in info.keypoint_info.values() if v['swap']}
    expected = {(a, b) for a, b in TOY_KEYPOINT_FLIP_PAIRS}
    assert swaps == expected | {(b, a) for a, b in expected}
    assert len(info.sigmas) == len(info.joint_weights) == len(names)
