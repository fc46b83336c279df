"""Object cue probes: mask pooling against direct computation, and probes
that find a cue exactly when the features carry it."""
import numpy as np
import pytest
import torch
from torch import nn

from mmlc.datasets import make_scene
from mmlc.evaluation.backbone import normalise
from mmlc.evaluation.cue_probe import (OBJECT_CUES, fit_cue_probes,
                                       object_features, pool_by_masks,
                                       scene_similarity)


def test_pool_by_masks_matches_a_cell_by_cell_reference():
    rng = np.random.default_rng(0)
    features = torch.from_numpy(rng.normal(size=(5, 3, 4)))
    masks = torch.from_numpy(rng.random((2, 12, 16)) < 0.3)
    masks[1] = False
    masks[1, :3, :4] = True  # exactly cell (0, 0)
    pooled = pool_by_masks(features, masks)
    for k in range(2):
        total, weight = torch.zeros(5, dtype=torch.float64), 0.0
        for i in range(3):
            for j in range(4):
                share = masks[k, 4 * i:4 * i + 4,
                              4 * j:4 * j + 4].double().mean()
                total += share * features[:, i, j]
                weight += share
        torch.testing.assert_close(pooled[k], total / weight)
    torch.testing.assert_close(pooled[1], features[:, 0, 0])


class _Identity(nn.Module):
    """A 'backbone' whose final stage is its input, at full resolution."""

    def forward(self, x):
        return (x, )


def test_object_features_average_the_pixels_under_each_visible_mask():
    scenes = [
        make_scene(np.random.default_rng([5, i]), (32, 32)) for i in range(3)
    ]
    features, labels = object_features(_Identity(), scenes, batch_size=2)
    instances = [inst for scene in scenes for inst in scene.instances]
    assert features.shape == (len(instances), 3)
    row = 0
    for scene in scenes:
        image = normalise(
            torch.from_numpy(scene.image).permute(2, 0, 1)[None])[0]
        for inst in scene.instances:
            expected = image[:, torch.from_numpy(inst.mask)].mean(1)
            np.testing.assert_allclose(
                features[row], expected.numpy(), rtol=1e-5, atol=1e-5)
            row += 1
    assert labels['shape'].tolist() == [inst.label for inst in instances]
    assert labels['texture'].tolist() == [inst.texture for inst in instances]
    assert labels['colour'].tolist() == [inst.colour for inst in instances]


def _labels(rng, n):
    return {
        cue: rng.integers(size, size=n)
        for cue, (_, size) in OBJECT_CUES.items()
    }


def test_probes_find_the_cue_the_features_encode_and_no_other():
    rng = np.random.default_rng(1)
    train, val = _labels(rng, 600), _labels(rng, 300)

    def encode(labels):
        size = OBJECT_CUES['texture'][1]
        one_hot = np.eye(size)[labels['texture']]
        return np.concatenate(
            [one_hot, 0.1 * rng.normal(size=(len(one_hot), 8))], axis=1)

    result = fit_cue_probes(encode(train), train, encode(val), val)
    assert result['texture']['accuracy'] == 100.0
    for cue in ('shape', 'colour'):
        assert result[cue]['accuracy'] < 2 * result[cue]['chance']
        assert result[cue]['chance'] == 100 / OBJECT_CUES[cue][1]
    counts = np.bincount(val['shape'])
    assert result['shape']['majority'] == pytest.approx(100 * counts.max() /
                                                        counts.sum())


def test_scene_similarity_by_hand():
    # scene 0: (2, 1), (2, -1); scene 1: (-2, 1), (-2, -1); mean (0, 0), every
    # norm sqrt(5): same-scene cosines (4 - 1) / 5, other-scene ones
    # (-4 + 1) / 5 and (-4 - 1) / 5 twice each
    features = np.array([[2., 1.], [2., -1.], [-2., 1.], [-2., -1.]])
    scenes = np.array([0, 0, 1, 1])
    result = scene_similarity(features, scenes)
    assert result['same_scene'] == pytest.approx(0.6)
    assert result['other_scenes'] == pytest.approx(-0.8)
    # the same objects grouped across the first axis (cosines -0.6 within
    # each scene; 0.6, -1, -1, 0.6 across)
    result = scene_similarity(features, np.array([0, 1, 0, 1]))
    assert result['same_scene'] == pytest.approx(-0.6)
    assert result['other_scenes'] == pytest.approx(-0.2)
    # a shift of every feature and the order of the objects change nothing;
    # a scene of one object has no same-scene pair
    order = np.array([4, 2, 0, 3, 1])
    features = np.concatenate([features, [[0., 3.]]])
    scenes = np.array([0, 0, 1, 1, 2])
    moved = scene_similarity(features[order] + 7.0, scenes[order])
    assert moved == pytest.approx(scene_similarity(features, scenes))
