"""CorrespondenceAccuracy (an mmengine metric) and DenseViewFeatures: hand
cases, crop geometry, and a whole test loop against a direct computation."""
import copy
import os.path as osp

import numpy as np
import pytest
import torch

from mmlc.evaluation import (CorrespondenceAccuracy,
                             flip_correspondence_accuracy)

FULL = [0., 0., 8., 8.]


def _one_hot_cells(h, w):
    """[h*w, h, w]: cell (r, c) has feature e_{r*w + c}."""
    return torch.eye(h * w).view(h * w, h, w)


def _sample(view_a, view_b, boxes, flips):
    return dict(
        view_dense=torch.stack([view_a, view_b]),
        view_boxes=torch.tensor(boxes),
        view_flips=torch.tensor(flips))


def _score(samples, **kwargs):
    metric = CorrespondenceAccuracy(**kwargs)
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)['accuracy']


def test_mirrored_features_score_100_and_unflipped_ones_the_middle_column():
    cells = _one_hot_cells(3, 3)
    mirrored = cells.flip(-1)
    flip_pair = ([FULL, FULL], [False, True])
    assert _score([_sample(cells, mirrored, *flip_pair)]) == 100.0
    # features that ignore the flip: cell (r, c) matches (r, c), right only
    # where c is the mirrored column, i.e. the middle one (1 of 3)
    assert _score([_sample(cells, cells,
                           *flip_pair)]) == pytest.approx(100 / 3)
    # the mean is over images
    assert _score([
        _sample(cells, mirrored, *flip_pair),
        _sample(cells, cells, *flip_pair)
    ]) == pytest.approx((100 + 100 / 3) / 2)


def test_tolerance_accepts_neighbouring_cells():
    cells = _one_hot_cells(4, 4)
    flip_pair = ([FULL, FULL], [False, True])
    # unflipped features on 4 columns: |c - (3 - c)| is 3, 1, 1, 3
    assert _score([_sample(cells, cells, *flip_pair)]) == 0.0
    assert _score([_sample(cells, cells, *flip_pair)],
                  tolerance=1) == pytest.approx(50.0)


def _image_position_features(h, centres_x, shift=0):
    """[2 * 8, h, len(centres_x)] one-hot of (row, image column) of each
    cell of an 8 x 8 image; ``shift`` moves every column's code."""
    feats = torch.zeros(h * 8, h, len(centres_x))
    for r in range(h):
        for c, x in enumerate(centres_x):
            feats[r * 8 + min(int(x) + shift, 7), r, c] = 1
    return feats


def test_a_crop_scores_only_the_cells_it_contains():
    """View 0 is the whole 8 x 8 image, view 1 its right half (x in [4, 8]),
    both on a 2 x 4 grid. View 0's cell centres are at x = 1, 3, 5, 7: only
    the last two lie in view 1, where their true columns are 1 (u = 0.25)
    and 3 (u = 0.75); view 1's cell centres are at x = 4.5, 5.5, 6.5, 7.5."""
    whole = _image_position_features(2, [1, 3, 5, 7])
    boxes = [FULL, [4., 0., 4., 8.]]
    right = _image_position_features(2, [4.5, 5.5, 6.5, 7.5])
    # the two outside cells match nothing (argmax 0, wrong) and are not
    # counted: 100, not 50
    assert _score([_sample(whole, right, boxes, [False, False])]) == 100.0
    # codes shifted by one column: x = 5 matches column 0, x = 7 column 2
    shifted = _image_position_features(2, [4.5, 5.5, 6.5, 7.5], shift=1)
    assert _score([_sample(whole, shifted, boxes, [False, False])]) == 0.0


def test_equals_the_flip_protocol_function_on_random_features():
    torch.manual_seed(0)
    feats = torch.randn(5, 2, 16, 6, 6)
    samples = [_sample(f[0], f[1], [FULL, FULL], [False, True]) for f in feats]
    expected = flip_correspondence_accuracy(feats[:, 0], feats[:, 1]).mean()
    assert _score(samples) == pytest.approx(100 * float(expected))


def test_missing_features_and_wrong_shapes_are_named():
    metric = CorrespondenceAccuracy()
    with pytest.raises(KeyError, match='view_dense'):
        metric.process({}, [dict(view_boxes=torch.zeros(2, 4))])
    with pytest.raises(ValueError, match=r'\[2, C, h, w\]'):
        metric.process({}, [
            dict(
                view_dense=torch.zeros(3, 4, 2, 2),
                view_boxes=torch.zeros(3, 4),
                view_flips=torch.zeros(3, dtype=torch.bool))
        ])
    with pytest.raises(ValueError, match='tolerance'):
        CorrespondenceAccuracy(tolerance=-1)


def _toy_test_cfg(repo_root, toy_root, work_dir):
    from mmengine.config import Config
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs', 'benchmarks', 'correspondence',
                 'correspondence_resnet18-d16_toy-flip.py'))
    cfg.work_dir = work_dir
    cfg.test_dataloader.dataset.data_root = osp.join(toy_root, 'imagenet')
    cfg.test_dataloader.batch_size = 4
    cfg.model.backbone.base_channels = 16
    cfg.model.backbone.stem_channels = 16
    # no colour transforms: the direct computation below sees the same
    # pixels
    pipeline = cfg.test_dataloader.dataset.pipeline
    pipeline[1]['scale'] = (64, 64)
    flip = dict(type='RandomFlipWithGeometry', prob=1.0)
    pipeline[2]['transforms'] = [[], [flip]]
    cfg.randomness = dict(seed=0)
    return cfg


def test_the_toy_config_runs_as_a_test_loop_and_matches_a_direct_computation(
        repo_root, toy_root, tmp_path):
    from mmengine.runner import Runner
    from PIL import Image

    from mmlc.evaluation.backbone import normalise
    from mmlc.evaluation.images import list_images
    runner = Runner.from_cfg(_toy_test_cfg(repo_root, toy_root, str(tmp_path)))
    metrics = runner.test()
    backbone = copy.deepcopy(runner.model.backbone)
    backbone.eval()  # mmpretrain's ResNet.train() returns None
    paths = list_images(osp.join(toy_root, 'imagenet', 'val'))
    images = torch.from_numpy(
        np.stack([
            np.asarray(
                Image.open(p).convert('RGB').resize((64, 64), Image.BICUBIC))
            for p in paths
        ])).permute(0, 3, 1, 2)
    with torch.no_grad():
        feats = backbone(normalise(images))[-1]
        flipped = backbone(normalise(images.flip(-1)))[-1]
    expected = 100 * flip_correspondence_accuracy(feats, flipped).mean()
    assert metrics['correspondence/accuracy'] == pytest.approx(
        float(expected), abs=1e-4)


def test_the_coco_config_builds_its_model_and_metric(repo_root):
    from mmengine.config import Config

    from mmlc.registry import METRICS, MODELS
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs', 'benchmarks', 'correspondence',
                 'correspondence_resnet50_coco-val-flip.py'))
    model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'DenseViewFeatures'
    assert model.backbone.depth == 50
    assert isinstance(
        METRICS.build(cfg.test_evaluator), CorrespondenceAccuracy)
    views = cfg.test_dataloader.dataset.pipeline[2]
    flips = [[
        t['prob'] for t in group if t['type'] == 'RandomFlipWithGeometry'
    ] for group in views['transforms']]
    assert flips == [[], [1.0]]
