"""The dense linear probe: mIoU bookkeeping by hand, and what the probe can
and cannot fit."""
import math

import pytest
import torch

from mmlc.evaluation.linear_probe import (confusion_matrix,
                                          evaluate_linear_probe,
                                          iou_from_confusion,
                                          linear_probe_on_voc,
                                          train_linear_probe)


def test_confusion_and_iou_by_hand():
    pred = torch.tensor([[0, 1], [1, 1]])
    label = torch.tensor([[0, 1], [0, 255]])  # 255 is ignored
    confusion = confusion_matrix(pred, label, num_classes=3)
    assert confusion.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
    metrics = iou_from_confusion(confusion)
    # class 0: 1 / (2 + 1 - 1); class 1: 1 / (1 + 2 - 1); class 2 never occurs:
    # no IoU
    assert metrics['per_class_iou'] == [50.0, 50.0, None]
    assert metrics['mIoU'] == pytest.approx(50.0)
    assert metrics['aAcc'] == pytest.approx(200 / 3)


def _cell_labels(n, grid, classes, generator):
    return torch.randint(classes, (n, grid, grid), generator=generator)


def test_probe_fits_linearly_encoded_labels_and_not_noise():
    generator = torch.Generator().manual_seed(0)
    n, grid, classes, channels, scale = 48, 4, 3, 8, 4
    cells = _cell_labels(n, grid, classes, generator)
    labels = cells.repeat_interleave(scale, 1).repeat_interleave(scale, 2)
    # channel k is 1 where the cell's class is k, plus noise in every channel
    features = torch.randn(n, channels, grid, grid, generator=generator) * 0.1
    features[:, :classes] += torch.nn.functional.one_hot(cells,
                                                         classes).permute(
                                                             0, 3, 1, 2)
    train, val = slice(0, 32), slice(32, None)
    probe = train_linear_probe(
        features[train], labels[train], classes, epochs=300)
    fitted = evaluate_linear_probe(probe, features[val], labels[val], classes)
    # the best any per-cell map can do once logits are upsampled bilinearly:
    # the true one-hot, sharpened, upsampled, argmax (pixels near cell borders
    # blend)
    oracle_logits = torch.nn.functional.interpolate(
        10 * torch.nn.functional.one_hot(cells[val], classes).permute(
            0, 3, 1, 2).float(),
        scale_factor=scale,
        mode='bilinear',
        align_corners=False)
    oracle = iou_from_confusion(
        confusion_matrix(oracle_logits.argmax(1), labels[val], classes))
    assert fitted['mIoU'] > oracle['mIoU'] - 5 and fitted['mIoU'] > 75
    noise = torch.randn(n, channels, grid, grid, generator=generator)
    probe = train_linear_probe(
        noise[train], labels[train], classes, epochs=300)
    blind = evaluate_linear_probe(probe, noise[val], labels[val], classes)
    assert blind['mIoU'] < 45  # chance IoU for 3 balanced classes is about 20


def test_probe_is_deterministic_under_its_seed():
    generator = torch.Generator().manual_seed(1)
    features = torch.randn(8, 4, 2, 2, generator=generator)
    labels = torch.randint(2, (8, 4, 4), generator=generator)
    a = train_linear_probe(features, labels, 2, epochs=3, seed=5).state_dict()
    b = train_linear_probe(features, labels, 2, epochs=3, seed=5).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_linear_probe_on_the_toy_voc_layout(toy_root):
    import os.path as osp

    from mmlc.evaluation import load_resnet
    backbone = load_resnet(
        None, depth=18, base_channels=16, last_stride=1, last_dilation=2)
    result = linear_probe_on_voc(
        backbone,
        osp.join(toy_root, 'VOCdevkit', 'VOC2007'),
        num_classes=7,
        img_size=64,
        epochs=2)
    assert result['grid'] == [
        4, 4
    ] and result['num_train'] + result['num_val'] == 24
    assert 0 <= result['mIoU'] <= 100 and not math.isnan(result['mIoU'])


def test_missing_split_file_names_the_path(tmp_path):
    with pytest.raises(
            FileNotFoundError, match='ImageSets/Segmentation/train.txt'):
        linear_probe_on_voc(torch.nn.Identity(), str(tmp_path), num_classes=2)
