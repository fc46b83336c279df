"""The embedded default dataset: synthetic scenes whose classes are shapes.

Nothing may be downloaded at run time, so mmlc carries a deterministic
generator of small scenes. Version 2 makes the class of an object its
**shape** and nothing else, so that a representation has to see shape to
tell the classes apart (as in natural images, where colour alone rarely
names the object):

- every object's colour, texture and brightness are drawn per instance from
  pools shared by all classes (:data:`COLOUR_POOL`, :data:`TEXTURE_POOL`);
- shapes carry the class-bound structure: a hole (``ring``, ``frame``),
  corners (``triangle``, ``frame``), arms (``cross``, ``star``), a smooth
  boundary (``disc``);
- objects vary in scale, aspect, rotation and occlusion (painted back to
  front);
- the background is a smooth gradient carrying clutter: irregular blobs
  painted from the same colour and texture pools, which are not objects.

From the same scenes it writes

- ``imagenet/``: an ImageNet-style folder (``train/<class>/*.png`` and
  ``meta/train.txt``; the class of an image is that of its largest object),
- ``coco/``: ``annotations/instances_{train,val}.json`` with boxes,
  instance masks (compressed RLE of the visible part) and keypoints (four
  landmarks of every object, :data:`TOY_KEYPOINTS`, ``v = 1`` where
  occluded), images under ``train/`` and ``val/``,
- ``VOCdevkit/VOC2007/``: ``JPEGImages``, ``Annotations`` (xml),
  ``ImageSets/Main`` and ``ImageSets/Segmentation``, ``SegmentationClass``
  (``0`` background, ``k + 1`` for class ``k``),
- ``toy_dataset.json``: the version and the arguments it was made with.

Scene ``i`` is drawn from ``np.random.default_rng([seed, i])`` alone, so a
scene does not depend on how many scenes are generated. Version 3 added the
keypoints and changed no pixel of version 2. Version 4 changed what the
keypoints are and nothing else: version 3's landmarks were fixed points of
each shape's own frame (the tip of its mirror axis, ...), which no image can
tell apart on shapes that look the same rotated (a disc, a square frame, a
cross, the star, the near-equilateral triangle), so no network could learn
them; version 4's are the object's extreme points along the image axes, which
every object's pixels show (:func:`extreme_points`).
"""
import json
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple
from xml.etree import ElementTree as ET

import numpy as np
from PIL import Image

TOY_DATASET_VERSION = 4
TOY_CLASSES: Tuple[str, ...] = ('disc', 'ring', 'triangle', 'frame', 'cross',
                                'star')
# RGB colours in [0, 1] shared by every class and by the background clutter
COLOUR_POOL: Tuple[Tuple[float, float, float],
                   ...] = ((0.86, 0.24, 0.20), (0.16, 0.43, 0.82),
                           (0.94, 0.78, 0.16), (0.24, 0.71, 0.35),
                           (0.67, 0.27, 0.75), (0.98, 0.51, 0.12),
                           (0.20, 0.75, 0.78), (0.55, 0.55, 0.55),
                           (0.45, 0.30, 0.18), (0.93, 0.55, 0.70),
                           (0.10, 0.18, 0.40), (0.85, 0.85, 0.80))
TEXTURE_POOL: Tuple[str, ...] = ('plain', 'spots', 'checker', 'stripes',
                                 'grain', 'waves')
_MIN_VISIBLE_PIXELS = 20
# landmarks of every object (version 4): its topmost, bottommost, leftmost
# and rightmost points in the image (its extreme points); a horizontal flip of
# the image swaps left and right
TOY_KEYPOINTS: Tuple[str, ...] = ('top', 'bottom', 'left', 'right')
TOY_KEYPOINT_FLIP_PAIRS: Tuple[Tuple[int, int], ...] = ((2, 3), )
# an extreme point is the mean centre of the object's pixels within this many
# pixels of the extreme, so a flat edge's landmark is near its middle
_EXTREME_BAND = 1.0


@dataclass(frozen=True)
class ToySceneOptions:
    """How crowded a scene is: the generator's knobs beyond size and seed.

    Args:
        max_objects (int): at most this many objects (at least one stays
            visible).
        max_clutter (int): at most this many background blobs (0: none).
        object_scale (tuple[float, float]): range of an object's radius as a
            fraction of the shorter image side.
    """
    max_objects: int = 4
    max_clutter: int = 4
    object_scale: Tuple[float, float] = (0.12, 0.3)

    def __post_init__(self) -> None:
        low, high = self.object_scale
        if self.max_objects < 1 or self.max_clutter < 0:
            raise ValueError(
                f'max_objects must be >= 1 and max_clutter >= 0, got '
                f'{self.max_objects} and {self.max_clutter}')
        if not 0 < low <= high <= 0.5:
            raise ValueError(
                f'object_scale must satisfy 0 < low <= high <= 0.5, got '
                f'{self.object_scale}')

    def to_dict(self) -> Dict:
        return dict(
            max_objects=int(self.max_objects),
            max_clutter=int(self.max_clutter),
            object_scale=[float(v) for v in self.object_scale])


@dataclass
class ToyInstance:
    """One object of a scene.

    Args:
        label (int): index into :data:`TOY_CLASSES`.
        mask (np.ndarray): bool (H, W), the visible part after occlusion.
        colour (int): index into :data:`COLOUR_POOL` of its paint.
        texture (int): index into :data:`TEXTURE_POOL` of its paint.
        pose (ToyPose): where its local frame lies.
        keypoints (list[float]): COCO ``[x, y, v]`` of each of
            :data:`TOY_KEYPOINTS` (:func:`object_keypoints`).
    """
    label: int
    mask: np.ndarray
    colour: int
    texture: int
    pose: 'ToyPose'
    keypoints: List[float]

    @property
    def bbox_xywh(self) -> List[float]:
        ys, xs = np.nonzero(self.mask)
        x0, y0 = float(xs.min()), float(ys.min())
        return [x0, y0, float(xs.max()) + 1 - x0, float(ys.max()) + 1 - y0]


@dataclass
class ToyScene:
    """A generated scene.

    Args:
        image (np.ndarray): uint8 (H, W, 3) RGB.
        instances (list[ToyInstance]): visible objects, back to front.
        semantic (np.ndarray): uint8 (H, W); 0 background, ``label + 1``
            objects.
    """
    image: np.ndarray
    instances: List[ToyInstance]
    semantic: np.ndarray

    @property
    def main_label(self) -> int:
        """Label of the object with the largest visible area."""
        areas = [inst.mask.sum() for inst in self.instances]
        return self.instances[int(np.argmax(areas))].label


def _smooth_noise(rng: np.random.Generator, h: int, w: int,
                  cells: int) -> np.ndarray:
    """Low-frequency noise in [0, 1]: a coarse random grid, bilinearly
    upsampled."""
    coarse = rng.random((cells + 1, cells + 1))
    ys = np.linspace(0, cells, h, endpoint=False)
    xs = np.linspace(0, cells, w, endpoint=False)
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = coarse[y0][:, x0] * (1 - fx) + coarse[y0][:, x0 + 1] * fx
    bottom = coarse[y0 + 1][:, x0] * (1 - fx) + coarse[y0 + 1][:, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def _background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Float (H, W, 3) in [0, 1]: two-colour gradient modulated by smooth
    noise."""
    c0, c1 = rng.uniform(0.15, 0.85, size=(2, 3))
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    t = np.clip(0.5 + (xx - 0.5) * np.cos(angle) + (yy - 0.5) * np.sin(angle),
                0, 1)
    base = c0 * (1 - t[..., None]) + c1 * t[..., None]
    noise = _smooth_noise(rng, h, w, int(rng.integers(3, 8)))
    grain = rng.normal(0, 0.03, size=(h, w, 1))
    return np.clip(base * (0.7 + 0.6 * noise[..., None]) + grain, 0, 1)


def _shape_mask(name: str, yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """Bool mask of a class shape in local coordinates (the shape fits the
    unit disc)."""
    r = np.sqrt(xx**2 + yy**2)
    if name == 'disc':
        return r <= 0.9
    if name == 'ring':
        return (r <= 1) & (r >= 0.55)
    if name == 'triangle':
        return (yy <= 0.6) & (yy >= 1.6 * np.abs(xx) - 1.0)
    if name == 'frame':
        outer = np.maximum(np.abs(xx), np.abs(yy))
        return (outer <= 0.75) & (outer >= 0.4)
    if name == 'cross':
        return ((np.abs(xx) <= 0.25) | (np.abs(yy) <= 0.25)) & (
            np.maximum(np.abs(xx), np.abs(yy)) <= 0.95)
    if name == 'star':
        phase = (np.arctan2(yy, xx) * 5 / (2 * np.pi)) % 1.0
        return r <= 0.4 + 0.6 * np.abs(1 - 2 * phase)
    raise KeyError(name)


def _texture(name: str, rng: np.random.Generator, yy: np.ndarray,
             xx: np.ndarray) -> np.ndarray:
    """Brightness modulation in about [0.6, 1.3] for a name of
    :data:`TEXTURE_POOL`."""
    freq = rng.uniform(3, 6)
    if name == 'spots':
        return 1.0 + 0.3 * (
            np.sin(freq * 2 * xx) * np.sin(freq * 2 * yy) > 0.5)
    if name == 'checker':
        return 0.75 + 0.4 * ((np.floor(freq * xx) + np.floor(freq * yy)) % 2)
    if name == 'stripes':
        return 0.7 + 0.5 * (np.sin(freq * 3 * (xx + yy)) > 0)
    if name == 'grain':
        return rng.uniform(0.7, 1.3, size=xx.shape)
    if name == 'waves':
        return 1.0 + 0.3 * np.sin(freq * 2 * xx + 2 * np.sin(freq * yy))
    if name == 'plain':
        return np.ones_like(xx)
    raise KeyError(name)


def _paint(rng: np.random.Generator, yy: np.ndarray,
           xx: np.ndarray) -> Tuple[np.ndarray, int, int]:
    """A pool colour, brightness, a pool texture and a shading gradient of
    random direction, all drawn per call (so never tied to a class).

    Returns:
        tuple: the float (..., 3) paint, and the indices of its colour in
        :data:`COLOUR_POOL` and of its texture in :data:`TEXTURE_POOL`.
    """
    colour_index = int(rng.integers(len(COLOUR_POOL)))
    colour = np.asarray(COLOUR_POOL[colour_index])
    colour = colour * rng.uniform(0.6, 1.2) + rng.normal(0, 0.04, size=3)
    texture_index = int(rng.integers(len(TEXTURE_POOL)))
    texture = _texture(TEXTURE_POOL[texture_index], rng, yy, xx)
    light = rng.uniform(0, 2 * np.pi)
    shade = 1.0 + 0.2 * (np.cos(light) * xx + np.sin(light) * yy)
    paint = np.clip(colour * (texture * shade)[..., None], 0, 1)
    return paint, colour_index, texture_index


@dataclass(frozen=True)
class ToyPose:
    """Where an object's local frame (its unit disc) lies in the image.

    Args:
        cy, cx (float): centre, in pixel indices.
        angle (float): rotation in radians.
        aspect (float): stretch of the local y axis against the x axis.
        radius (float): pixels per local unit.
    """
    cy: float
    cx: float
    angle: float
    aspect: float
    radius: float

    def local(self, yy: np.ndarray,
              xx: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Local (y, x) coordinates of the pixels at indices (yy, xx)."""
        dy, dx = (yy - self.cy) / self.radius, (xx - self.cx) / self.radius
        ly = (dx * np.sin(self.angle) + dy * np.cos(self.angle)) * np.sqrt(
            self.aspect)
        lx = (dx * np.cos(self.angle) - dy * np.sin(self.angle)) / np.sqrt(
            self.aspect)
        return ly, lx

    def image(self, ly: np.ndarray, lx: np.ndarray) -> np.ndarray:
        """[..., 2] continuous image (x, y) of local points, COCO's convention
        (pixel ``i`` spans ``[i, i + 1)``, so its centre is ``i + 0.5``)."""
        a, b = ly / np.sqrt(self.aspect), lx * np.sqrt(self.aspect)
        dx = a * np.sin(self.angle) + b * np.cos(self.angle)
        dy = a * np.cos(self.angle) - b * np.sin(self.angle)
        return np.stack([
            self.cx + dx * self.radius + 0.5, self.cy + dy * self.radius + 0.5
        ], -1)


def _drawing_window(pose: ToyPose) -> Tuple[int, int, int, int]:
    """Rows ``y0:y1`` and columns ``x0:x1``, not clipped to the image, of
    the box an object is drawn in: sized for the unit disc, so the corners of
    the shapes that reach beyond it (``triangle``, ``frame``) are cut where
    they point along an image axis."""
    reach = pose.radius * max(pose.aspect, 1 / pose.aspect) + 1
    return (int(pose.cy - reach), int(np.ceil(pose.cy + reach)) + 1,
            int(pose.cx - reach), int(np.ceil(pose.cx + reach)) + 1)


def _local_frame(
    rng: np.random.Generator, h: int, w: int, radius: float
) -> Tuple[Tuple[slice, slice], np.ndarray, np.ndarray, ToyPose]:
    """A random pose (centre, rotation, aspect) of an object of ``radius``
    pixels.

    Returns:
        tuple: the image window that can hold the object, the local (y, x)
        coordinates of the window's pixels (the object's unit disc), and the
        pose.
    """
    cy, cx = rng.uniform(0.1, 0.9) * h, rng.uniform(0.1, 0.9) * w
    angle = rng.uniform(0, 2 * np.pi)
    aspect = np.exp(rng.uniform(np.log(0.75), np.log(1.33)))
    pose = ToyPose(
        float(cy), float(cx), float(angle), float(aspect), float(radius))
    y0, y1, x0, x1 = _drawing_window(pose)
    y0, y1, x0, x1 = max(0, y0), min(h, y1), max(0, x0), min(w, x1)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    ly, lx = pose.local(yy, xx)
    return (slice(y0, y1), slice(x0, x1)), ly, lx, pose


def _drawn_pixels(label: int, pose: ToyPose) -> Tuple[np.ndarray, np.ndarray]:
    """Rows and columns of every pixel of the object as :func:`make_scene`
    draws it before occlusion, those outside the image too."""
    y0, y1, x0, x1 = _drawing_window(pose)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    inside = _shape_mask(TOY_CLASSES[label], *pose.local(yy, xx))
    return yy[inside], xx[inside]


def _in_image(rows: np.ndarray, cols: np.ndarray,
              size: Tuple[int, int]) -> np.ndarray:
    """Bool: which of the pixels (``rows``, ``cols``) lie in an image of
    ``size``."""
    return (rows >= 0) & (rows < size[0]) & (cols >= 0) & (cols < size[1])


def object_mask(label: int, pose: ToyPose, size: Tuple[int,
                                                       int]) -> np.ndarray:
    """The whole (unoccluded) bool (H, W) mask of class ``label`` at
    ``pose``, as :func:`make_scene` draws it."""
    rows, cols = _drawn_pixels(label, pose)
    keep = _in_image(rows, cols, size)
    mask = np.zeros(size, dtype=bool)
    mask[rows[keep], cols[keep]] = True
    return mask


def _extremes(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """[4, 2] (x, y) of the topmost, bottommost, leftmost and rightmost
    points of the pixels (``rows``, ``cols``): each the mean pixel centre of
    those within :data:`_EXTREME_BAND` pixels of that extreme."""
    x, y = cols + 0.5, rows + 0.5
    points = []
    for values, sign in ((y, 1.0), (y, -1.0), (x, 1.0), (x, -1.0)):
        signed = sign * values
        extreme = signed <= signed.min() + _EXTREME_BAND
        points.append((x[extreme].mean(), y[extreme].mean()))
    return np.asarray(points)


def extreme_points(label: int, pose: ToyPose) -> np.ndarray:
    """[4, 2] continuous image (x, y) of :data:`TOY_KEYPOINTS` of an object:
    its topmost, bottommost, leftmost and rightmost points, each the mean
    centre of the object's pixels as :func:`make_scene` draws them (occluded
    ones and those outside the image too) within :data:`_EXTREME_BAND`
    pixels of that extreme."""
    return _extremes(*_drawn_pixels(label, pose))


def object_keypoints(label: int, pose: ToyPose,
                     visible: np.ndarray) -> List[float]:
    """COCO keypoints ``[x, y, v] * 4`` of an object (:func:`extreme_points`):
    ``v = 2`` where the object's pixel nearest to the landmark (by pixel
    centre) is in the visible mask, 1 where the object is occluded there, 0
    (and x = y = 0) where the landmark is outside the image."""
    h, w = visible.shape
    rows, cols = _drawn_pixels(label, pose)
    landmarks = _extremes(rows, cols)
    keep = _in_image(rows, cols, (h, w))
    rows, cols = rows[keep], cols[keep]
    keypoints: List[float] = []
    for x, y in landmarks:
        if not (0 <= x < w and 0 <= y < h) or not len(rows):
            keypoints += [0.0, 0.0, 0]
            continue
        nearest = np.argmin((rows + 0.5 - y)**2 + (cols + 0.5 - x)**2)
        keypoints += [
            round(float(x), 2),
            round(float(y), 2), 2 if visible[rows[nearest],
                                             cols[nearest]] else 1
        ]
    return keypoints


def _add_clutter(rng: np.random.Generator, image: np.ndarray,
                 count: int) -> None:
    """Paint ``count`` irregular blobs (thresholded smooth noise, no class
    shape)."""
    h, w = image.shape[:2]
    for _ in range(count):
        radius = rng.uniform(0.06, 0.2) * min(h, w)
        window, ly, lx, _ = _local_frame(rng, h, w, radius)
        noise = _smooth_noise(rng, *ly.shape, cells=3)
        blob = np.sqrt(ly**2 + lx**2) <= 0.35 + 0.9 * noise
        blob &= np.maximum(np.abs(ly), np.abs(lx)) <= 1
        paint = _paint(rng, ly, lx)[0]
        image[window][blob] = paint[blob]


def make_scene(
    rng: np.random.Generator,
    size: Tuple[int, int],
    options: ToySceneOptions = ToySceneOptions()
) -> ToyScene:
    """Generate one scene.

    Args:
        rng (np.random.Generator): the only source of randomness.
        size (tuple[int, int]): (H, W) of the image.
        options (ToySceneOptions): objects, clutter and object scale.

    Returns:
        ToyScene: image, visible instances and semantic label map.
    """
    h, w = size
    image = _background(rng, h, w)
    _add_clutter(rng, image, int(rng.integers(0, options.max_clutter + 1)))
    owner = np.full((h, w), -1, dtype=np.int64)
    drawn = []
    for index in range(int(rng.integers(1, options.max_objects + 1))):
        label = int(rng.integers(len(TOY_CLASSES)))
        radius = rng.uniform(*options.object_scale) * min(h, w)
        window, ly, lx, pose = _local_frame(rng, h, w, radius)
        mask = _shape_mask(TOY_CLASSES[label], ly, lx)
        paint, colour, texture = _paint(rng, ly, lx)
        image[window][mask] = paint[mask]
        owner[window][mask] = index
        drawn.append((label, colour, texture, pose))
    instances = []
    semantic = np.zeros((h, w), dtype=np.uint8)
    for index, (label, colour, texture, pose) in enumerate(drawn):
        visible = owner == index
        if visible.sum() >= _MIN_VISIBLE_PIXELS:
            instances.append(
                ToyInstance(
                    label=label,
                    mask=visible,
                    colour=colour,
                    texture=texture,
                    pose=pose,
                    keypoints=object_keypoints(label, pose, visible)))
            semantic[visible] = label + 1
    if not instances:
        return make_scene(rng, size, options)
    image = np.clip(image + rng.normal(0, 0.01, size=image.shape), 0, 1)
    return ToyScene(
        image=(image * 255).round().astype(np.uint8),
        instances=instances,
        semantic=semantic)


def _rle(mask: np.ndarray) -> Dict:
    from pycocotools import mask as mask_utils
    encoded = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    encoded['counts'] = encoded['counts'].decode('ascii')
    return encoded


def _coco_dict(records: List[Tuple[str, ToyScene]], seed: int) -> Dict:
    images, annotations = [], []
    for image_id, (file_name, scene) in enumerate(records, start=1):
        h, w = scene.semantic.shape
        images.append(
            dict(id=image_id, file_name=file_name, height=h, width=w))
        for inst in scene.instances:
            annotations.append(
                dict(
                    id=len(annotations) + 1,
                    image_id=image_id,
                    category_id=inst.label + 1,
                    bbox=inst.bbox_xywh,
                    area=float(inst.mask.sum()),
                    iscrowd=0,
                    segmentation=_rle(inst.mask),
                    keypoints=inst.keypoints,
                    num_keypoints=sum(v > 0 for v in inst.keypoints[2::3])))
    categories = [
        dict(
            id=i + 1,
            name=name,
            supercategory='toy',
            keypoints=list(TOY_KEYPOINTS),
            skeleton=[[1, 3], [1, 4], [2, 3], [2, 4]])
        for i, name in enumerate(TOY_CLASSES)
    ]
    info = dict(
        description='mmlc toy scenes', version=TOY_DATASET_VERSION, seed=seed)
    return dict(
        info=info,
        images=images,
        annotations=annotations,
        categories=categories)


def _voc_xml(file_name: str, scene: ToyScene) -> ET.ElementTree:
    h, w = scene.semantic.shape
    root = ET.Element('annotation')
    ET.SubElement(root, 'folder').text = 'VOC2007'
    ET.SubElement(root, 'filename').text = file_name
    size = ET.SubElement(root, 'size')
    for key, value in (('width', w), ('height', h), ('depth', 3)):
        ET.SubElement(size, key).text = str(value)
    for inst in scene.instances:
        x, y, bw, bh = inst.bbox_xywh
        obj = ET.SubElement(root, 'object')
        ET.SubElement(obj, 'name').text = TOY_CLASSES[inst.label]
        ET.SubElement(obj, 'difficult').text = '0'
        box = ET.SubElement(obj, 'bndbox')
        # VOC boxes are 1-based inclusive pixel indices
        for key, value in (('xmin', x + 1), ('ymin', y + 1), ('xmax', x + bw),
                           ('ymax', y + bh)):
            ET.SubElement(box, key).text = str(int(value))
    return ET.ElementTree(root)


def _write_lines(path: str, lines: Sequence[str]) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(''.join(f'{line}\n' for line in lines))


def toy_dataset_meta(
    num_images: int,
    seed: int,
    size: Tuple[int, int],
    val_fraction: float,
    options: ToySceneOptions = ToySceneOptions()) -> Dict:
    """What ``toy_dataset.json`` records: the version and the generator's
    arguments."""
    return dict(
        version=TOY_DATASET_VERSION,
        num_images=int(num_images),
        seed=int(seed),
        size=[int(s) for s in size],
        val_fraction=float(val_fraction),
        classes=list(TOY_CLASSES),
        scene_options=options.to_dict())


def make_toy_dataset(
    out_dir: str,
    num_images: int = 2000,
    seed: int = 0,
    size: Tuple[int, int] = (128, 128),
    val_fraction: float = 0.2,
    formats: Optional[Sequence[str]] = None,
    options: ToySceneOptions = ToySceneOptions()
) -> Dict[str, str]:
    """Write the toy dataset in every format under ``out_dir``.

    Args:
        out_dir (str): output root; created if missing.
        num_images (int): number of scenes (train + val).
        seed (int): scene ``i`` is drawn from ``np.random.default_rng([seed,
            i])``; the same seed gives byte-identical images and annotations.
        size (tuple[int, int]): (H, W) of every image.
        val_fraction (float): fraction of scenes in the val split (the last
            ones).
        formats (Sequence[str], optional): subset of ``('imagenet', 'coco',
            'voc')``; all by default.
        options (ToySceneOptions): objects, clutter and object scale of every
            scene (the defaults make the study's data).

    Returns:
        dict: format name -> root folder written.
    """
    if num_images < 2:
        raise ValueError(f'num_images must be at least 2, got {num_images}')
    formats = tuple(formats or ('imagenet', 'coco', 'voc'))
    unknown = set(formats) - {'imagenet', 'coco', 'voc'}
    if unknown:
        raise ValueError(f'unknown formats {sorted(unknown)}')
    scenes = [
        make_scene(np.random.default_rng([seed, i]), size, options)
        for i in range(num_images)
    ]
    num_val = max(1, int(round(num_images * val_fraction)))
    splits = {
        'train': range(num_images - num_val),
        'val': range(num_images - num_val, num_images)
    }
    names = [f'toy_{i:06d}' for i in range(num_images)]
    roots = {}
    if 'imagenet' in formats:
        roots['imagenet'] = _write_imagenet(
            osp.join(out_dir, 'imagenet'), scenes, names, splits)
    if 'coco' in formats:
        roots['coco'] = _write_coco(
            osp.join(out_dir, 'coco'), scenes, names, splits, seed)
    if 'voc' in formats:
        roots['voc'] = _write_voc(
            osp.join(out_dir, 'VOCdevkit'), scenes, names, splits)
    with open(
            osp.join(out_dir, 'toy_dataset.json'), 'w', encoding='utf-8') as f:
        json.dump(
            toy_dataset_meta(num_images, seed, size, val_fraction, options),
            f,
            indent=1)
    return roots


def ensure_toy_dataset(
    data_root: str,
    num_images: int = 2000,
    seed: int = 0,
    size: int = 128,
    options: ToySceneOptions = ToySceneOptions()) -> str:
    """Generate the toy dataset under ``data_root`` unless the same one is
    there.

    Args:
        data_root (str): where the dataset is (or is to be written).
        num_images (int): number of scenes (train + val, 20 % val).
        seed (int): the generator's seed.
        size (int): side of the square images.
        options (ToySceneOptions): objects, clutter and object scale.

    Returns:
        str: ``data_root``.

    Raises:
        ValueError: ``data_root`` holds a toy dataset made with another
            version or other arguments, or other files (nothing is removed;
            remove it or choose another root).
    """
    meta_file = osp.join(data_root, 'toy_dataset.json')
    wanted = toy_dataset_meta(num_images, seed, (size, size), 0.2, options)
    if osp.isfile(meta_file):
        with open(meta_file, encoding='utf-8') as f:
            found = json.load(f)
        if found != wanted:
            raise ValueError(
                f'{meta_file}: the toy dataset there was made with {found}, '
                f'this run needs {wanted}; remove {data_root} or pass another '
                'data root')
        return data_root
    if osp.isdir(data_root) and os.listdir(data_root):
        raise ValueError(
            f'{data_root} is not empty and has no toy_dataset.json (an older '
            'toy dataset, or other data); remove it or pass another data '
            'root')
    make_toy_dataset(
        data_root,
        num_images=num_images,
        seed=seed,
        size=(size, size),
        options=options)
    return data_root


def toy_scenes(data_root: str, split: str) -> List[ToyScene]:
    """The scenes of one split of a generated toy dataset, regenerated with
    what the generator records of them (paint indices included).

    Args:
        data_root (str): a root written by :func:`make_toy_dataset`.
        split (str): ``'train'`` or ``'val'``.

    Raises:
        ValueError: ``data_root`` has no ``toy_dataset.json``, was made by
            another generator version, or its first image of ``split``
            differs from the regenerated one (the data was edited, or the
            generator changed).
    """
    meta_file = osp.join(data_root, 'toy_dataset.json')
    if not osp.isfile(meta_file):
        raise ValueError(f'{meta_file} is missing: {data_root} is not a toy '
                         'dataset written by make_toy_dataset')
    with open(meta_file, encoding='utf-8') as f:
        meta = json.load(f)
    if meta['version'] != TOY_DATASET_VERSION:
        raise ValueError(f'{meta_file}: version {meta["version"]}, this '
                         f'generator writes version {TOY_DATASET_VERSION}')
    options = ToySceneOptions(
        **{
            key: tuple(value) if isinstance(value, list) else value
            for key, value in meta['scene_options'].items()
        })
    num_images = meta['num_images']
    num_val = max(1, int(round(num_images * meta['val_fraction'])))
    indices = {
        'train': range(num_images - num_val),
        'val': range(num_images - num_val, num_images)
    }[split]
    scenes = [
        make_scene(
            np.random.default_rng([meta['seed'], i]), tuple(meta['size']),
            options) for i in indices
    ]
    first = osp.join(data_root, 'imagenet', split,
                     TOY_CLASSES[scenes[0].main_label],
                     f'toy_{indices[0]:06d}.png')
    with Image.open(first) as img:
        if not np.array_equal(np.asarray(img.convert('RGB')), scenes[0].image):
            raise ValueError(
                f'{first} differs from the scene the generator makes from '
                f'{meta_file}: regenerate {data_root}')
    return scenes


def _write_imagenet(root: str, scenes, names, splits) -> str:
    for split, indices in splits.items():
        lines = []
        for i in indices:
            cls = TOY_CLASSES[scenes[i].main_label]
            rel = f'{cls}/{names[i]}.png'
            os.makedirs(osp.join(root, split, cls), exist_ok=True)
            Image.fromarray(scenes[i].image).save(osp.join(root, split, rel))
            lines.append(f'{rel} {scenes[i].main_label}')
        _write_lines(osp.join(root, 'meta', f'{split}.txt'), lines)
    return root


def _write_coco(root: str, scenes, names, splits, seed: int) -> str:
    for split, indices in splits.items():
        os.makedirs(osp.join(root, split), exist_ok=True)
        records = []
        for i in indices:
            file_name = f'{names[i]}.png'
            Image.fromarray(scenes[i].image).save(
                osp.join(root, split, file_name))
            records.append((file_name, scenes[i]))
        os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
        with open(
                osp.join(root, 'annotations', f'instances_{split}.json'),
                'w') as f:
            json.dump(_coco_dict(records, seed), f)
    return root


def _write_voc(root: str, scenes, names, splits) -> str:
    voc = osp.join(root, 'VOC2007')
    for sub in ('JPEGImages', 'Annotations', 'SegmentationClass'):
        os.makedirs(osp.join(voc, sub), exist_ok=True)
    for i, scene in enumerate(scenes):
        Image.fromarray(scene.image).save(
            osp.join(voc, 'JPEGImages', f'{names[i]}.jpg'), quality=95)
        _voc_xml(f'{names[i]}.jpg',
                 scene).write(osp.join(voc, 'Annotations', f'{names[i]}.xml'))
        Image.fromarray(scene.semantic).save(
            osp.join(voc, 'SegmentationClass', f'{names[i]}.png'))
    train = [names[i] for i in splits['train']]
    val = [names[i] for i in splits['val']]
    for folder in ('Main', 'Segmentation'):
        _write_lines(osp.join(voc, 'ImageSets', folder, 'train.txt'), train)
        _write_lines(osp.join(voc, 'ImageSets', folder, 'val.txt'), val)
        _write_lines(
            osp.join(voc, 'ImageSets', folder, 'trainval.txt'), train + val)
        _write_lines(osp.join(voc, 'ImageSets', folder, 'test.txt'), val)
    return root
