"""Toy keypoints (dataset version 4): every labelled landmark is its
object's extreme point along the image axes (checked against the painted
pixels by a reference written here), visibility follows occlusion, objects
that look the same have the same landmarks, a mirrored object's landmarks are
the mirrored landmarks under the declared flip pairs, and the COCO keypoint
file loads with xtcocotools."""
import os.path as osp

import numpy as np
import pytest

from mmlc.datasets import (TOY_CLASSES, TOY_KEYPOINT_FLIP_PAIRS, TOY_KEYPOINTS,
                           ToyPose, ToySceneOptions, make_scene,
                           object_keypoints, object_mask)

SIZE = (96, 96)
# the rotations each shape looks the same under (None: every rotation)
SYMMETRY = {'disc': None, 'ring': None, 'frame': 4, 'cross': 4, 'star': 5}


def _scenes(count=40, seed=13, options=ToySceneOptions()):
    return [
        make_scene(np.random.default_rng([seed, i]), SIZE, options)
        for i in range(count)
    ]


def _reference_landmarks(mask):
    """From an object's pixels alone: for top, bottom, left and right, the
    mean pixel centre (x, y) of its pixels within one pixel of that
    extreme."""
    rows, cols = np.nonzero(mask)
    x, y = cols + 0.5, rows + 0.5
    landmarks = []
    for values, pick in ((y, np.min), (y, np.max), (x, np.min), (x, np.max)):
        near = np.abs(values - pick(values)) <= 1.0
        landmarks.append([x[near].mean(), y[near].mean()])
    return np.asarray(landmarks)


def test_landmarks_are_the_extreme_points_of_the_painted_object():
    """A lone object (no clutter, nothing to occlude it): the generator's
    mask is what was painted; away from the image border its landmarks are
    the reference's, all visible."""
    checked = 0
    lone = ToySceneOptions(max_objects=1, max_clutter=0)
    # 200 scenes hold triangles whose corners the drawing box cuts
    for scene in _scenes(200, options=lone):
        inst, = scene.instances
        mask = inst.mask
        assert (object_mask(inst.label, inst.pose, SIZE) == mask).all()
        if mask[[0, -1], :].any() or mask[:, [0, -1]].any():
            continue
        points = np.asarray(inst.keypoints).reshape(-1, 3)
        np.testing.assert_allclose(
            points[:, :2], _reference_landmarks(mask), atol=0.006)
        assert (points[:, 2] == 2).all()
        checked += 1
    assert checked >= 100


def test_visibility_follows_occlusion():
    counts = {0: 0, 1: 0, 2: 0}
    for scene in _scenes():
        for inst in scene.instances:
            whole = object_mask(inst.label, inst.pose, SIZE)
            # the pose reproduces the object: its visible part lies in it
            assert (whole | ~inst.mask).all()
            rows, cols = np.nonzero(whole)
            points = np.asarray(inst.keypoints).reshape(-1, 3)
            assert len(points) == len(TOY_KEYPOINTS)
            for x, y, v in points:
                counts[int(v)] += 1
                if v == 0:
                    assert x == y == 0
                    continue
                assert 0 <= x < SIZE[1] and 0 <= y < SIZE[0]
                # the visibility of the object's nearest pixel (by a
                # brute-force search over the whole mask; ties must agree)
                distance = (rows + 0.5 - y)**2 + (cols + 0.5 - x)**2
                nearest = distance <= distance.min() + 1e-6
                seen = set(inst.mask[rows[nearest], cols[nearest]].tolist())
                if len(seen) == 1:
                    assert seen.pop() == (v == 2), TOY_CLASSES[inst.label]
    # all three cases occur in 40 scenes of up to four objects
    assert min(counts.values()) > 0, counts


@pytest.mark.parametrize('name', sorted(SYMMETRY))
def test_objects_that_look_the_same_have_the_same_landmarks(name):
    """A landmark must be readable from the pixels: the same shape turned by
    one of its symmetries draws the same object (checked on its mask), so it
    must have the same landmarks, which fixed points of the shape's own frame
    (the data's version 3) are not."""
    label = TOY_CLASSES.index(name)
    rng = np.random.default_rng(7)
    everywhere = np.ones(SIZE, bool)
    for _ in range(5):
        pose = ToyPose(
            rng.uniform(40, 56), rng.uniform(40, 56), rng.uniform(0, 6.28),
            1.0, rng.uniform(12, 24))
        step = rng.uniform(
            0, 6.28) if SYMMETRY[name] is None else (2 * np.pi /
                                                     SYMMETRY[name])
        turned = ToyPose(pose.cy, pose.cx, pose.angle + step, 1.0, pose.radius)
        mask = object_mask(label, pose, SIZE)
        differ = mask != object_mask(label, turned, SIZE)
        assert differ.sum() <= 0.02 * mask.sum()
        np.testing.assert_allclose(
            object_keypoints(label, pose, everywhere),
            object_keypoints(label, turned, everywhere),
            atol=1.0)


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
                point[:2], [SIZE[1] - source[0], source[1]], atol=1.0)


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
