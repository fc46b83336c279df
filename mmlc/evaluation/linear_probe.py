"""A linear probe of frozen dense features, per pixel: segmentation without a
decoder.

The backbone's final-stage map is computed once per image (frozen, eval
mode); a 1 x 1 linear layer on the per-channel standardised features gives
class logits per cell, which are bilinearly upsampled to the label map and
trained with per-pixel cross-entropy. Nothing but a linear map sits between
the features and the labels, so a decoder cannot hide a bad backbone.
Validation reports mmseg's mIoU (per-class IoU over the whole split, mean
over the classes that occur).
"""
import os.path as osp
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor, nn

from .backbone import final_stage_features


def confusion_matrix(pred: Tensor,
                     label: Tensor,
                     num_classes: int,
                     ignore_index: int = 255) -> Tensor:
    """[num_classes, num_classes] counts, rows = ground truth, columns =
    prediction.

    Args:
        pred (Tensor): integer predictions, any shape.
        label (Tensor): integer labels, same shape; ``ignore_index`` is
            skipped.
    """
    keep = label != ignore_index
    index = label[keep].long() * num_classes + pred[keep].long()
    return torch.bincount(
        index, minlength=num_classes**2).view(num_classes, num_classes)


def iou_from_confusion(confusion: Tensor) -> Dict[str, float]:
    """mmseg's ``IoUMetric`` summary: ``mIoU`` and ``aAcc`` in %, plus
    per-class IoU.

    A class that neither occurs nor is predicted has no IoU and is left out of
    the mean (mmseg's nan-mean).
    """
    confusion = confusion.double()
    intersection = confusion.diag()
    union = confusion.sum(0) + confusion.sum(1) - intersection
    iou = intersection / union  # nan where union == 0
    valid = ~torch.isnan(iou)
    return dict(
        mIoU=100 * float(iou[valid].mean()),
        aAcc=100 * float(intersection.sum() / confusion.sum()),
        per_class_iou=[
            None if not ok else 100 * float(v)
            for v, ok in zip(iou.tolist(), valid.tolist())
        ])


def load_label_maps(paths: Sequence[str], size: int) -> Tensor:
    """uint8 label PNGs resized (nearest) to ``size x size``: [N, size, size]
    long."""
    maps = []
    for path in paths:
        with Image.open(path) as img:
            maps.append(np.asarray(img.resize((size, size), Image.NEAREST)))
    return torch.from_numpy(np.stack(maps)).long()


def dense_features(backbone: nn.Module,
                   image_paths: Sequence[str],
                   img_size: int,
                   batch_size: int = 32) -> Tensor:
    """Final-stage features of every image, [N, C, h, w] float32 on the CPU."""
    return torch.cat(
        list(
            final_stage_features(
                backbone, image_paths, img_size,
                batch_size=batch_size))).float()


class DenseLinearProbe(nn.Module):
    """Per-channel standardisation (train-set statistics, fixed) and a 1 x 1
    linear map.

    Args:
        mean (Tensor): [C] channel means of the training features.
        std (Tensor): [C] channel standard deviations of the training features.
        num_classes (int): classes including background.
    """

    def __init__(self, mean: Tensor, std: Tensor, num_classes: int) -> None:
        super().__init__()
        self.register_buffer('mean', mean.view(1, -1, 1, 1))
        self.register_buffer('std', std.view(1, -1, 1, 1))
        self.classifier = nn.Conv2d(mean.numel(), num_classes, kernel_size=1)

    def forward(self, features: Tensor, out_hw: Tuple[int, int]) -> Tensor:
        """[B, C, h, w] features -> [B, num_classes, *out_hw] logits."""
        logits = self.classifier((features - self.mean) / self.std)
        return F.interpolate(
            logits, size=out_hw, mode='bilinear', align_corners=False)


def train_linear_probe(train_features: Tensor,
                       train_labels: Tensor,
                       num_classes: int,
                       epochs: int = 30,
                       batch_size: int = 64,
                       lr: float = 1e-2,
                       weight_decay: float = 1e-4,
                       ignore_index: int = 255,
                       seed: int = 0) -> DenseLinearProbe:
    """Fit a :class:`DenseLinearProbe` with Adam and per-pixel cross-entropy.

    Args:
        train_features (Tensor): [N, C, h, w].
        train_labels (Tensor): [N, H, W] class indices (``ignore_index``
            skipped).
        num_classes (int): classes including background.
        epochs (int): passes over the training set (cosine-decayed learning
            rate).
        batch_size (int): images per step.
        lr (float): Adam's initial learning rate.
        weight_decay (float): L2 on the linear weights.
        ignore_index (int): label value that carries no loss.
        seed (int): seeds the initialisation and the batch order.
    """
    generator = torch.Generator().manual_seed(seed)
    channels = train_features.transpose(0, 1).flatten(1)
    torch.manual_seed(seed)
    probe = DenseLinearProbe(
        channels.mean(1),
        channels.std(1).clamp(min=1e-6), num_classes)
    optimiser = torch.optim.Adam(
        probe.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = -(-len(train_features) // batch_size)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimiser, epochs * steps_per_epoch)
    out_hw = tuple(train_labels.shape[-2:])
    for _ in range(epochs):
        for batch in torch.randperm(
                len(train_features), generator=generator).split(batch_size):
            loss = F.cross_entropy(
                probe(train_features[batch], out_hw),
                train_labels[batch],
                ignore_index=ignore_index)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
    return probe


@torch.no_grad()
def evaluate_linear_probe(probe: DenseLinearProbe,
                          features: Tensor,
                          labels: Tensor,
                          num_classes: int,
                          ignore_index: int = 255,
                          batch_size: int = 64) -> Dict[str, float]:
    """mIoU / aAcc of the probe's per-pixel argmax against ``labels`` [N, H,
    W]."""
    confusion = torch.zeros(num_classes, num_classes, dtype=torch.long)
    for batch in torch.arange(len(features)).split(batch_size):
        pred = probe(features[batch], tuple(labels.shape[-2:])).argmax(1)
        confusion += confusion_matrix(pred, labels[batch], num_classes,
                                      ignore_index)
    return iou_from_confusion(confusion)


def voc_segmentation_split(voc_root: str,
                           split: str) -> Tuple[List[str], List[str]]:
    """(image paths, label-map paths) of a VOC
    ``ImageSets/Segmentation/<split>.txt``."""
    list_file = osp.join(voc_root, 'ImageSets', 'Segmentation', f'{split}.txt')
    if not osp.isfile(list_file):
        raise FileNotFoundError(
            f'{list_file} does not exist (expected a VOC2007-style root)')
    with open(list_file, encoding='utf-8') as f:
        names = f.read().split()
    return ([
        osp.join(voc_root, 'JPEGImages', f'{name}.jpg') for name in names
    ], [
        osp.join(voc_root, 'SegmentationClass', f'{name}.png')
        for name in names
    ])


def linear_probe_on_voc(backbone: nn.Module,
                        voc_root: str,
                        num_classes: int,
                        img_size: int = 224,
                        epochs: int = 30,
                        seed: int = 0,
                        ignore_index: int = 255) -> Dict:
    """Fit the probe on the ``train`` split of a VOC-style root, report on
    ``val``.

    Returns:
        dict: ``mIoU``, ``aAcc``, ``per_class_iou`` on val, and the settings
        used.
    """
    splits = {}
    for split in ('train', 'val'):
        images, label_maps = voc_segmentation_split(voc_root, split)
        splits[split] = (dense_features(backbone, images, img_size),
                         load_label_maps(label_maps, img_size))
    probe = train_linear_probe(
        *splits['train'],
        num_classes,
        epochs=epochs,
        seed=seed,
        ignore_index=ignore_index)
    metrics = evaluate_linear_probe(probe, *splits['val'], num_classes,
                                    ignore_index)
    return dict(
        metrics,
        grid=list(splits['val'][0].shape[-2:]),
        img_size=img_size,
        epochs=epochs,
        seed=seed,
        num_train=len(splits['train'][0]),
        num_val=len(splits['val'][0]))
