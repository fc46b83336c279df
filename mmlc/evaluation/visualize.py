"""Correspondence pictures: two views side by side, a line per matched cell."""
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from mmlc.models.utils import map_grid_points
from .backbone import normalise
from .correspondence import match_cells, points_to_cells
from .images import build_transforms, load_rgb


@dataclass
class ViewPair:
    """Two views of one image with their geometry (see
    mmlc.models.utils.geometry).

    Args:
        views (list[np.ndarray]): two uint8 [S, S, 3] RGB views.
        boxes (np.ndarray): float32 [2, 4] ``(x, y, w, h)`` in original pixels.
        flips (np.ndarray): bool [2].
    """
    views: list
    boxes: np.ndarray
    flips: np.ndarray


def make_view_pair(image_path: str, mode: str, img_size: int,
                   seed: int) -> ViewPair:
    """``flip``: the image and its mirror; ``crop``: the image and a random
    crop + flip."""

    with Image.open(image_path) as img:
        width, height = img.size
    # square resize keeps the box simple
    original = load_rgb(image_path, max(width, height))
    side = original.shape[0]
    if mode == 'flip':
        pipelines = [[], [dict(type='RandomFlipWithGeometry', prob=1.0)]]
    else:
        pipelines = [[],
                     [
                         dict(
                             type='RandomResizedCropWithBox',
                             scale=side,
                             crop_ratio_range=(0.3, 0.7)),
                         dict(type='RandomFlipWithGeometry', prob=0.5)
                     ]]
    np.random.seed(seed)
    multi_view, = build_transforms([
        dict(
            type='MultiViewWithGeometry',
            num_views=[1, 1],
            transforms=pipelines)
    ])
    results = multi_view(dict(img=original))
    views = [
        np.asarray(
            torch.nn.functional.interpolate(
                torch.from_numpy(np.ascontiguousarray(v)).permute(
                    2, 0, 1)[None].float(),
                size=(img_size, img_size),
                mode='bilinear',
                align_corners=False)[0].permute(1, 2, 0).round().byte())
        for v in results['img']
    ]
    return ViewPair(views, results['view_boxes'], results['view_flips'])


def draw_correspondence(backbone: torch.nn.Module,
                        pair: ViewPair,
                        out_file: str,
                        show_gt: bool = False) -> float:
    """Match every cell of view 0 in view 1, draw the matches, return the
    accuracy.

    A cell counts when its true position lies inside view 1; a match is
    correct when it lands in the cell that contains the true position.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    images = torch.from_numpy(np.stack(pair.views)).permute(0, 3, 1, 2)
    with torch.no_grad():
        backbone.eval()
        feats = backbone(normalise(images))[-1]
    grid_hw = tuple(feats.shape[-2:])
    h, w = grid_hw
    points, valid = map_grid_points(
        torch.from_numpy(pair.boxes[:1]), torch.from_numpy(pair.flips[:1]),
        torch.from_numpy(pair.boxes[1:]), torch.from_numpy(pair.flips[1:]),
        grid_hw)
    truth = points_to_cells(points[0], grid_hw)
    matches = match_cells(feats[:1], feats[1:])[0]
    correct = (matches == truth).all(-1) & valid[0]
    size = pair.views[0].shape[0]
    canvas = np.concatenate(
        [pair.views[0],
         np.full((size, 8, 3), 255, np.uint8), pair.views[1]],
        axis=1)
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    ax.imshow(canvas)
    ax.axis('off')
    offset = size + 8

    def centre(cell):
        return ((cell[1] + 0.5) * size / w, (cell[0] + 0.5) * size / h)

    for index in range(h * w):
        if not valid[0, index]:
            continue
        x0, y0 = centre((index // w, index % w))
        x1, y1 = centre(matches[index].tolist())
        colour = 'lime' if correct[index] else 'red'
        ax.plot([x0, x1 + offset], [y0, y1],
                color=colour,
                linewidth=0.8,
                alpha=0.8)
        if show_gt:
            gx = (points[0, index, 0].item() + 1) / 2 * size
            gy = (points[0, index, 1].item() + 1) / 2 * size
            ax.plot([x0, gx + offset], [y0, gy],
                    color='grey',
                    linewidth=0.6,
                    linestyle=':')
    accuracy = float(correct.sum() / valid[0].sum().clamp(min=1))
    ax.set_title(
        f'{100 * accuracy:.1f}% correct ({int(valid[0].sum())} cells)')
    fig.savefig(out_file, bbox_inches='tight')
    plt.close(fig)
    return accuracy
