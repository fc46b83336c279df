"""Correspondence accuracy (paper Sec. 4.6, Figs. 4-5).

Each image and its horizontally flipped copy, each with its own colour
transforms, go through the frozen backbone; every final-stage feature of the
first is matched to the most cosine-similar feature of the second; a match is
correct when it lands on the mirrored cell. The ground truth comes from
:func:`mmlc.models.utils.map_grid_points`, like the training loss's.
"""
from typing import Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor
from tqdm import tqdm

from mmlc.models.utils import map_grid_points
from .backbone import normalise
from .images import apply_colour, build_colour_transforms, load_rgb


def points_to_cells(points: Tensor, grid_hw: Tuple[int, int]) -> Tensor:
    """``grid_sample`` coordinates [..., 2] -> (row, col) of the containing
    cell [..., 2]."""
    h, w = grid_hw
    col = ((points[..., 0] + 1) / 2 * w).floor().clamp(0, w - 1)
    row = ((points[..., 1] + 1) / 2 * h).floor().clamp(0, h - 1)
    return torch.stack([row, col], dim=-1).long()


def flip_ground_truth(grid_hw: Tuple[int, int], device=None) -> Tensor:
    """(row, col) in the flipped view of each cell of the original view, [h*w,
    2]."""
    box = torch.tensor([[0., 0., 1., 1.]], device=device)
    points, _ = map_grid_points(box, torch.tensor([False], device=device), box,
                                torch.tensor([True], device=device), grid_hw)
    return points_to_cells(points[0], grid_hw)


def match_cells(feat_a: Tensor, feat_b: Tensor) -> Tensor:
    """For every cell of ``feat_a`` the (row, col) of its most similar cell in
    ``feat_b``.

    Args:
        feat_a (Tensor): [B, C, h, w].
        feat_b (Tensor): [B, C, h, w].

    Returns:
        Tensor: [B, h*w, 2] (row, col); ties go to the first cell in row-major
        order.
    """
    h, w = feat_b.shape[-2:]
    a = F.normalize(feat_a.flatten(2).float(), dim=1)
    b = F.normalize(feat_b.flatten(2).float(), dim=1)
    best = torch.einsum('bca,bcn->ban', a, b).argmax(dim=-1)
    return torch.stack([best // w, best % w], dim=-1)


def view_correspondence_accuracy(feat_a: Tensor,
                                 feat_b: Tensor,
                                 boxes: Tensor,
                                 flips: Tensor,
                                 tolerance: int = 0) -> Tensor:
    """Per-image fraction of view a's cells whose most similar cell in view b
    is the cell that shows the same image point.

    Args:
        feat_a (Tensor): [B, C, h, w] features of view a.
        feat_b (Tensor): [B, C, h, w] features of view b.
        boxes (Tensor): [B, 2, 4] ``(x, y, w, h)`` boxes of views a and b.
        flips (Tensor): [B, 2] bool, their horizontal flips.
        tolerance (int): a match within this many cells (Chebyshev distance)
            of the true cell counts as correct; 0 means the exact cell.

    Returns:
        Tensor: [B] accuracies in [0, 1] over the cells of view a whose centre
        lies inside view b (NaN for an image where none does).
    """
    grid_hw = tuple(feat_a.shape[-2:])
    points, valid = map_grid_points(boxes[:, 0], flips[:, 0], boxes[:, 1],
                                    flips[:, 1], grid_hw)
    truth = points_to_cells(points, grid_hw)
    matches = match_cells(feat_a, feat_b)
    correct = (matches - truth).abs().max(dim=-1).values <= tolerance
    return (correct & valid).sum(dim=1) / valid.sum(dim=1)


def flip_correspondence_accuracy(feat_a: Tensor,
                                 feat_flipped: Tensor,
                                 tolerance: int = 0) -> Tensor:
    """Per-image fraction of cells matched to the mirrored cell.

    Args:
        feat_a (Tensor): [B, C, h, w] features of the images.
        feat_flipped (Tensor): [B, C, h, w] features of their flipped copies.
        tolerance (int): a match within this many cells (Chebyshev distance)
            of the true cell counts as correct; 0 means the exact cell.

    Returns:
        Tensor: [B] accuracies in [0, 1].
    """
    batch = feat_a.shape[0]
    whole = feat_a.new_tensor([0., 0., 1., 1.]).expand(batch, 2, 4)
    flips = torch.tensor([False, True], device=feat_a.device).expand(batch, 2)
    return view_correspondence_accuracy(feat_a, feat_flipped, whole, flips,
                                        tolerance)


def evaluate_correspondence(backbone: torch.nn.Module,
                            image_paths,
                            img_size: int = 224,
                            seed: int = 0,
                            device: str = 'cpu',
                            batch_size: int = 16,
                            tolerance: int = 0,
                            progress: bool = True) -> dict:
    """Run the Sec. 4.6 protocol over images.

    Args:
        backbone (nn.Module): returns a tuple whose last element is the final
            stage.
        image_paths (list[str]): images to use.
        img_size (int): images are resized to ``img_size x img_size``.
        seed (int): seeds the colour transforms (the result is deterministic).
        device (str): where the backbone runs.
        batch_size (int): images per forward pass.
        tolerance (int): see :func:`flip_correspondence_accuracy`.
        progress (bool): show a progress bar.

    Returns:
        dict: ``accuracy`` over all cells of all images, ``per_image``,
        ``grid``.
    """

    transforms = build_colour_transforms()
    backbone.to(device)
    backbone.eval()
    per_image, grid = {}, None
    batches = range(0, len(image_paths), batch_size)
    for start in tqdm(batches, desc='correspondence', disable=not progress):
        paths = image_paths[start:start + batch_size]
        originals, flipped = [], []
        for offset, path in enumerate(paths):
            img = load_rgb(path, img_size)
            index_seed = seed * 1_000_003 + 2 * (start + offset)
            originals.append(apply_colour(img, transforms, index_seed))
            flipped.append(
                apply_colour(
                    np.ascontiguousarray(img[:, ::-1]), transforms,
                    index_seed + 1))
        pair = torch.from_numpy(np.stack(originals + flipped)).permute(
            0, 3, 1, 2)
        with torch.no_grad():
            feats = backbone(normalise(pair.to(device)))[-1]
        accuracy = flip_correspondence_accuracy(feats[:len(paths)],
                                                feats[len(paths):], tolerance)
        grid = tuple(feats.shape[-2:])
        per_image.update(zip(paths, accuracy.cpu().tolist()))
    return dict(
        accuracy=float(np.mean(list(per_image.values()))),
        per_image=per_image,
        grid=list(grid),
        img_size=img_size,
        seed=seed,
        tolerance=tolerance,
        num_images=len(per_image))


def correspondence_record(checkpoint: str, result: dict) -> dict:
    """The result file of a correspondence run (the collector's
    ``task``/``checkpoint``/ ``metrics`` layout) from what
    :func:`evaluate_correspondence` returns."""
    details = {
        key: value
        for key, value in result.items() if key != 'accuracy'
    }
    return dict(
        task='correspondence',
        checkpoint=checkpoint,
        metrics=dict(accuracy=result['accuracy']),
        **details)
