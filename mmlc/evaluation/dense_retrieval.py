"""Dense nearest-neighbour retrieval segmentation (the "Hummingbird"
protocol of Balazevic et al., 2023): no training, only a memory bank.

Every training image's frozen final-stage map gives one feature per patch
(grid cell), labelled by the majority label of the cell's pixels; every
validation patch takes the label most common among its k nearest bank
patches by cosine similarity, and the patch labels, upsampled to the label
maps, give mmseg's mIoU. Patches tied with the k-th nearest count as
neighbours too, so the prediction does not depend on the bank's order (with
constant features every bank patch is a neighbour and the majority class
wins). The search runs in chunks of queries x bank patches and keeps the
bank in float16, so a bank of a million 2,048-d patches takes 4 GB and the
result does not depend on the chunk sizes.
"""
from typing import Dict, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .backbone import final_stage_features
from .linear_probe import (confusion_matrix, iou_from_confusion,
                           load_label_maps, voc_segmentation_split)

# relative tolerance of a tie with the k-th nearest similarity
_TIE_TOLERANCE = 1e-6


def patch_labels(label_maps: Tensor,
                 grid: Tuple[int, int],
                 num_classes: int,
                 ignore_index: int = 255) -> Tensor:
    """The majority label of each grid cell's pixels.

    Args:
        label_maps (Tensor): [N, H, W] class indices, H and W multiples of the
            grid's sides.
        grid (tuple[int, int]): (h, w) of the feature map.
        num_classes (int): classes including background.
        ignore_index (int): label of pixels that do not vote; a cell with no
            other pixel gets it.

    Returns:
        Tensor: [N, h * w] long, the cells in row-major order; a tie goes to
        the lowest class index.
    """
    n, height, width = label_maps.shape
    h, w = grid
    if height % h or width % w:
        raise ValueError(f'label maps of {height} x {width} do not tile a '
                         f'{h} x {w} grid')
    cells = label_maps.view(n, h, height // h, w, width // w)
    cells = cells.permute(0, 1, 3, 2, 4).reshape(n, h * w, -1)
    valid = cells != ignore_index
    counts = F.one_hot(
        torch.where(valid, cells, torch.zeros_like(cells)),
        num_classes) * valid[..., None]
    counts = counts.sum(2)
    labels = counts.argmax(-1)
    labels[counts.sum(-1) == 0] = ignore_index
    return labels


def _normalised(features: Tensor) -> Tensor:
    """[N, C, h, w] maps -> [N * h * w, C] unit rows (float32)."""
    return F.normalize(
        features.float().permute(0, 2, 3, 1).flatten(0, 2), dim=1)


def knn_vote(queries: Tensor,
             bank: Tensor,
             bank_labels: Tensor,
             k: int,
             num_classes: int,
             query_chunk: int = 1024,
             bank_chunk: int = 65536) -> Tensor:
    """The label of each query: the most common among its k nearest bank
    rows by cosine similarity, every row tied with the k-th included; a tie
    between labels goes to the larger summed similarity, then the lower
    index.

    Args:
        queries (Tensor): [Q, C] unit rows.
        bank (Tensor): [M, C] unit rows (any float dtype; compared in
            float32).
        bank_labels (Tensor): [M] long in ``[0, num_classes)``.
        k (int): neighbours per query.
        query_chunk, bank_chunk (int): rows per similarity block (memory:
            ``query_chunk x bank_chunk`` floats).

    Returns:
        Tensor: [Q] long.
    """
    if not 0 < k <= len(bank):
        raise ValueError(f'k must be in [1, {len(bank)}], got {k}')
    predictions = []
    for query in queries.float().split(query_chunk):
        kth = _kth_similarity(query, bank, k, bank_chunk)
        votes = torch.zeros(len(query), num_classes)
        weights = torch.zeros(len(query), num_classes)
        for start in range(0, len(bank), bank_chunk):
            sims = query @ bank[start:start + bank_chunk].float().t()
            near = sims >= kth[:, None] - _TIE_TOLERANCE * kth.abs().clamp(
                min=1.0)[:, None]
            one_hot = F.one_hot(bank_labels[start:start + bank_chunk],
                                num_classes).float()
            votes += near.float() @ one_hot
            weights += (sims * near) @ one_hot
        # counts are integers, the summed similarity breaks their ties only
        score = votes * (2 * len(bank) + 2) + weights
        predictions.append(score.argmax(1))
    return torch.cat(predictions)


def _kth_similarity(query: Tensor, bank: Tensor, k: int,
                    bank_chunk: int) -> Tensor:
    """[Q] the k-th largest cosine similarity of each query over the bank,
    merged chunk by chunk."""
    best = torch.full((len(query), 0), float('-inf'))
    for start in range(0, len(bank), bank_chunk):
        sims = query @ bank[start:start + bank_chunk].float().t()
        best = torch.cat([best, sims], 1).topk(
            min(k, best.shape[1] + sims.shape[1]), dim=1).values
    return best[:, k - 1]


class PatchBank:
    """The memory bank, filled one batch of training images at a time:
    unit-norm float16 patch features and their majority labels (patches
    without a label are left out).

    Args:
        num_classes (int): classes including background.
        ignore_index (int): label of unlabelled pixels.
    """

    def __init__(self, num_classes: int, ignore_index: int = 255) -> None:
        self.num_classes = num_classes
        self.ignore_index = ignore_index
        self._features, self._labels = [], []

    def add(self, features: Tensor, label_maps: Tensor) -> None:
        """Args: [B, C, h, w] frozen maps and their [B, H, W] label maps."""
        labels = patch_labels(label_maps, tuple(features.shape[-2:]),
                              self.num_classes, self.ignore_index).flatten()
        keep = labels != self.ignore_index
        self._features.append(_normalised(features)[keep].half())
        self._labels.append(labels[keep])

    def tensors(self) -> Tuple[Tensor, Tensor]:
        """[M, C] float16 features and [M] long labels (concatenated once,
        on the first call after the last :meth:`add`)."""
        if not self._features:
            raise ValueError('the bank is empty: add training maps first')
        if len(self._features) > 1:
            self._features = [torch.cat(self._features)]
            self._labels = [torch.cat(self._labels)]
        if not len(self._labels[0]):
            raise ValueError('the bank has no labelled patch (every training '
                             'pixel is ignore_index)')
        return self._features[0], self._labels[0]


@torch.no_grad()
def retrieval_confusion(bank: PatchBank,
                        features: Tensor,
                        label_maps: Tensor,
                        k: int = 10,
                        query_chunk: int = 1024,
                        bank_chunk: int = 65536) -> Tensor:
    """[num_classes, num_classes] confusion counts of one batch of validation
    images: each patch labelled by :func:`knn_vote`, the patch labels
    upsampled (nearest) to the label maps.

    Args:
        bank (PatchBank): the filled bank.
        features (Tensor): [B, C, h, w] frozen maps.
        label_maps (Tensor): [B, H, W], H and W multiples of h and w.
    """
    bank_features, bank_labels = bank.tensors()
    predicted = knn_vote(
        _normalised(features), bank_features, bank_labels, k, bank.num_classes,
        query_chunk, bank_chunk)
    n, h, w = len(features), *features.shape[-2:]
    height, width = label_maps.shape[-2:]
    predicted = predicted.view(n, h, w).repeat_interleave(
        height // h, dim=1).repeat_interleave(
            width // w, dim=2)
    return confusion_matrix(predicted, label_maps, bank.num_classes,
                            bank.ignore_index)


def dense_retrieval(train_features: Tensor,
                    train_label_maps: Tensor,
                    val_features: Tensor,
                    val_label_maps: Tensor,
                    num_classes: int,
                    k: int = 10,
                    ignore_index: int = 255,
                    query_chunk: int = 1024,
                    bank_chunk: int = 65536) -> Dict:
    """Retrieval segmentation of validation maps from a bank of the training
    maps' patches, all held in memory (:func:`dense_retrieval_on_voc` streams
    them from the images instead).

    Args:
        train_features, val_features (Tensor): [N, C, h, w] frozen maps.
        train_label_maps, val_label_maps (Tensor): [N, H, W] class indices,
            H and W multiples of h and w.
        num_classes (int): classes including background.
        k (int): neighbours per patch. Defaults to 10.
        ignore_index (int): unlabelled pixels (not in the bank, not scored).
        query_chunk, bank_chunk (int): block sizes of the search.

    Returns:
        dict: mmseg's ``mIoU``, ``aAcc`` and ``per_class_iou`` (%), plus
        ``bank_size`` and ``k``.
    """
    bank = PatchBank(num_classes, ignore_index)
    bank.add(train_features, train_label_maps)
    confusion = retrieval_confusion(bank, val_features, val_label_maps, k,
                                    query_chunk, bank_chunk)
    return dict(
        iou_from_confusion(confusion), bank_size=len(bank.tensors()[1]), k=k)


def dense_retrieval_on_voc(backbone: nn.Module,
                           voc_root: str,
                           num_classes: int,
                           img_size: int = 224,
                           k: int = 10,
                           batch_size: int = 32,
                           ignore_index: int = 255) -> Dict:
    """The bank from the ``train`` split of a VOC-style root, scored on
    ``val``, one batch of images at a time.

    Returns:
        dict: ``mIoU``, ``aAcc``, ``per_class_iou`` on val, and the settings
        used.
    """
    bank = PatchBank(num_classes, ignore_index)
    splits = {
        split: voc_segmentation_split(voc_root, split)
        for split in ('train', 'val')
    }
    images, label_files = splits['train']
    for start, features in zip(
            range(0, len(images), batch_size),
            final_stage_features(
                backbone, images, img_size, batch_size=batch_size)):
        bank.add(
            features.float(),
            load_label_maps(label_files[start:start + batch_size], img_size))
    images, label_files = splits['val']
    confusion = torch.zeros(num_classes, num_classes, dtype=torch.long)
    for start, features in zip(
            range(0, len(images), batch_size),
            final_stage_features(
                backbone, images, img_size, batch_size=batch_size)):
        confusion += retrieval_confusion(
            bank, features.float(),
            load_label_maps(label_files[start:start + batch_size], img_size),
            k)
    return dict(
        iou_from_confusion(confusion),
        grid=list(features.shape[-2:]),
        img_size=img_size,
        k=k,
        bank_size=len(bank.tensors()[1]),
        num_train=len(splits['train'][0]),
        num_val=len(images))
