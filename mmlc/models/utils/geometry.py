"""View geometry: the one place that knows crop boxes and flips.

A view of an image is described by

- ``box``: ``(x, y, w, h)`` in original-image pixels; the view shows the
  continuous rectangle ``[x, x + w] x [y, y + h]`` of the original image,
  resized to the view's size;
- ``flip``: whether the view was mirrored horizontally after the crop.

A position inside a view is written in normalised view coordinates
``(u, v)`` in ``[0, 1]^2`` (``(0, 0)`` the top-left corner of the top-left
pixel, ``(1, 1)`` the bottom-right corner of the bottom-right pixel). Cell
``(i, j)`` of an ``h x w`` feature map over a view is centred at
``((j + 0.5) / w, (i + 0.5) / h)``.
"""
from typing import Tuple

import torch
from torch import Tensor


def grid_cell_centres(grid_hw: Tuple[int, int],
                      device=None,
                      dtype: torch.dtype = torch.float32) -> Tensor:
    """Normalised centres ``(u, v)`` of the cells of an ``h x w`` grid.

    Args:
        grid_hw (tuple[int, int]): ``(h, w)``.

    Returns:
        Tensor: (h * w, 2), row-major order, ``[..., 0]`` is ``u``.
    """
    h, w = grid_hw
    v = (torch.arange(h, device=device, dtype=dtype) + 0.5) / h
    u = (torch.arange(w, device=device, dtype=dtype) + 0.5) / w
    vv, uu = torch.meshgrid(v, u, indexing='ij')
    return torch.stack([uu.reshape(-1), vv.reshape(-1)], dim=-1)


def view_to_image(uv: Tensor, boxes: Tensor, flips: Tensor) -> Tensor:
    """Map normalised view coordinates to original-image pixels.

    Args:
        uv (Tensor): (B, N, 2) normalised ``(u, v)`` in the view.
        boxes (Tensor): (B, 4) view boxes ``(x, y, w, h)``.
        flips (Tensor): (B,) bool, the view was flipped horizontally.

    Returns:
        Tensor: (B, N, 2) ``(x, y)`` in original-image pixels.
    """
    u = torch.where(flips[:, None], 1 - uv[..., 0], uv[..., 0])
    x = boxes[:, None, 0] + u * boxes[:, None, 2]
    y = boxes[:, None, 1] + uv[..., 1] * boxes[:, None, 3]
    return torch.stack([x, y], dim=-1)


def image_to_view(xy: Tensor, boxes: Tensor, flips: Tensor) -> Tensor:
    """Inverse of :func:`view_to_image`.

    Args:
        xy (Tensor): (B, N, 2) original-image pixels.
        boxes (Tensor): (B, 4) view boxes ``(x, y, w, h)``.
        flips (Tensor): (B,) bool.

    Returns:
        Tensor: (B, N, 2) normalised ``(u, v)``; outside ``[0, 1]`` when the
        point is not in the view.
    """
    u = (xy[..., 0] - boxes[:, None, 0]) / boxes[:, None, 2]
    v = (xy[..., 1] - boxes[:, None, 1]) / boxes[:, None, 3]
    u = torch.where(flips[:, None], 1 - u, u)
    return torch.stack([u, v], dim=-1)


def map_grid_points(src_boxes: Tensor, src_flips: Tensor, dst_boxes: Tensor,
                    dst_flips: Tensor,
                    grid_hw: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
    """Where each cell centre of a source view's grid lies in a destination
    view.

    Args:
        src_boxes (Tensor): (B, 4) float, source view boxes ``(x, y, w, h)``.
        src_flips (Tensor): (B,) bool, source views flipped horizontally.
        dst_boxes (Tensor): (B, 4) float, destination view boxes.
        dst_flips (Tensor): (B,) bool, destination views flipped.
        grid_hw (tuple[int, int]): ``(h, w)`` of the source feature grid.

    Returns:
        tuple[Tensor, Tensor]:
        - points (B, h * w, 2): ``(x, y)`` in ``[-1, 1]`` with
          ``grid_sample(align_corners=False)`` semantics (-1 and 1 are the
          outer edges of the destination view), row-major cell order;
        - valid (B, h * w) bool: the point lies inside the destination view.
    """
    src_boxes = src_boxes.float()
    dst_boxes = dst_boxes.to(src_boxes)
    src_flips = src_flips.to(device=src_boxes.device, dtype=torch.bool)
    dst_flips = dst_flips.to(device=src_boxes.device, dtype=torch.bool)
    centres = grid_cell_centres(grid_hw, device=src_boxes.device)
    centres = centres.unsqueeze(0).expand(src_boxes.shape[0], -1, -1)
    image_xy = view_to_image(centres, src_boxes, src_flips)
    dst_uv = image_to_view(image_xy, dst_boxes, dst_flips)
    valid = ((dst_uv >= 0) & (dst_uv <= 1)).all(dim=-1)
    return dst_uv * 2 - 1, valid
