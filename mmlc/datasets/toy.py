"""The embedded default dataset: small synthetic scenes with annotations.

Nothing may be downloaded at run time, so mmlc carries a deterministic
generator of small natural-looking scenes: a textured background (smooth
colour gradient, low-frequency noise, grain), several objects of
:data:`TOY_CLASSES` with a shape, base colour and texture of their own, at
varied scales, painted back to front so that later objects occlude earlier
ones. From the same scenes it writes

- ``imagenet/``: an ImageNet-style folder (``train/<class>/*.png`` and
  ``meta/train.txt``; the class of an image is that of its largest object),
- ``coco/``: ``annotations/instances_{train,val}.json`` with boxes and
  instance masks (compressed RLE of the visible part), images under
  ``train/`` and ``val/``,
- ``VOCdevkit/VOC2007/``: ``JPEGImages``, ``Annotations`` (xml),
  ``ImageSets/Main`` and ``ImageSets/Segmentation``, ``SegmentationClass``,
- semantic labels: ``SegmentationClass/*.png`` hold ``0`` for background and
  ``k + 1`` for class ``k``.
"""
import json
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple
from xml.etree import ElementTree as ET

import numpy as np
from PIL import Image

TOY_CLASSES: Tuple[str, ...] = ('disc', 'box', 'triangle', 'ring', 'cross', 'diamond')
# base RGB colour and texture of each class (texture names: see _texture)
_CLASS_STYLE = {
    'disc': ((220, 60, 50), 'spots'),
    'box': ((40, 110, 210), 'checker'),
    'triangle': ((240, 200, 40), 'stripes'),
    'ring': ((60, 180, 90), 'grain'),
    'cross': ((170, 70, 190), 'plain'),
    'diamond': ((250, 130, 30), 'waves'),
}
_MIN_VISIBLE_PIXELS = 20


@dataclass
class ToyInstance:
    """One object of a scene.

    Args:
        label (int): index into :data:`TOY_CLASSES`.
        mask (np.ndarray): bool (H, W), the visible part after occlusion.
    """
    label: int
    mask: np.ndarray

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
        semantic (np.ndarray): uint8 (H, W); 0 background, ``label + 1`` objects.
    """
    image: np.ndarray
    instances: List[ToyInstance]
    semantic: np.ndarray

    @property
    def main_label(self) -> int:
        """Label of the object with the largest visible area."""
        areas = [inst.mask.sum() for inst in self.instances]
        return self.instances[int(np.argmax(areas))].label


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    """Low-frequency noise in [0, 1]: a coarse random grid, bilinearly upsampled."""
    coarse = rng.random((cells + 1, cells + 1))
    ys = np.linspace(0, cells, h, endpoint=False)
    xs = np.linspace(0, cells, w, endpoint=False)
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = coarse[y0][:, x0] * (1 - fx) + coarse[y0][:, x0 + 1] * fx
    bottom = coarse[y0 + 1][:, x0] * (1 - fx) + coarse[y0 + 1][:, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def _background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Float (H, W, 3) in [0, 1]: two-colour gradient modulated by smooth noise."""
    c0, c1 = rng.uniform(0.15, 0.85, size=(2, 3))
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    t = np.clip(0.5 + (xx - 0.5) * np.cos(angle) + (yy - 0.5) * np.sin(angle), 0, 1)
    base = c0 * (1 - t[..., None]) + c1 * t[..., None]
    noise = _smooth_noise(rng, h, w, int(rng.integers(3, 8)))
    grain = rng.normal(0, 0.03, size=(h, w, 1))
    return np.clip(base * (0.7 + 0.6 * noise[..., None]) + grain, 0, 1)


def _shape_mask(name: str, yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """Bool mask of a class shape in local coordinates (unit radius at 1)."""
    r = np.sqrt(xx ** 2 + yy ** 2)
    if name == 'disc':
        return r <= 1
    if name == 'box':
        return (np.abs(xx) <= 0.85) & (np.abs(yy) <= 0.85)
    if name == 'triangle':
        return (yy <= 0.8) & (yy >= 2 * np.abs(xx) - 1.0)
    if name == 'ring':
        return (r <= 1) & (r >= 0.55)
    if name == 'cross':
        return ((np.abs(xx) <= 0.3) | (np.abs(yy) <= 0.3)) & (np.abs(xx) <= 1) & (np.abs(yy) <= 1)
    if name == 'diamond':
        return np.abs(xx) + np.abs(yy) <= 1
    raise KeyError(name)


def _texture(name: str, rng: np.random.Generator, yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """Brightness modulation in about [0.6, 1.3] for a texture name."""
    freq = rng.uniform(3, 6)
    if name == 'spots':
        return 1.0 + 0.3 * (np.sin(freq * 2 * xx) * np.sin(freq * 2 * yy) > 0.5)
    if name == 'checker':
        return 0.75 + 0.4 * ((np.floor(freq * xx) + np.floor(freq * yy)) % 2)
    if name == 'stripes':
        return 0.7 + 0.5 * (np.sin(freq * 3 * (xx + yy)) > 0)
    if name == 'grain':
        return rng.uniform(0.7, 1.3, size=xx.shape)
    if name == 'waves':
        return 1.0 + 0.3 * np.sin(freq * 2 * xx + 2 * np.sin(freq * yy))
    return np.ones_like(xx)


def make_scene(rng: np.random.Generator, size: Tuple[int, int],
               max_objects: int = 4) -> ToyScene:
    """Generate one scene.

    Args:
        rng (np.random.Generator): the only source of randomness.
        size (tuple[int, int]): (H, W) of the image.
        max_objects (int): at most this many objects (at least one is visible).

    Returns:
        ToyScene: image, visible instances and semantic label map.
    """
    h, w = size
    image = _background(rng, h, w)
    owner = np.full((h, w), -1, dtype=np.int64)
    labels = []
    for index in range(int(rng.integers(1, max_objects + 1))):
        label = int(rng.integers(len(TOY_CLASSES)))
        name = TOY_CLASSES[label]
        radius = rng.uniform(0.12, 0.4) * min(h, w)
        cy, cx = rng.uniform(0.1, 0.9) * h, rng.uniform(0.1, 0.9) * w
        angle = rng.uniform(0, 2 * np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
        dy, dx = (yy - cy) / radius, (xx - cx) / radius
        ly = dx * np.sin(angle) + dy * np.cos(angle)
        lx = dx * np.cos(angle) - dy * np.sin(angle)
        mask = _shape_mask(name, ly, lx)
        colour, texture = _CLASS_STYLE[name]
        jitter = rng.uniform(0.8, 1.15)
        shade = _texture(texture, rng, ly, lx) * (1.0 - 0.25 * np.clip(ly, -1, 1))
        paint = np.clip(np.asarray(colour) / 255.0 * jitter * shade[..., None], 0, 1)
        image[mask] = paint[mask]
        owner[mask] = index
        labels.append(label)
    instances = []
    semantic = np.zeros((h, w), dtype=np.uint8)
    for index, label in enumerate(labels):
        visible = owner == index
        if visible.sum() >= _MIN_VISIBLE_PIXELS:
            instances.append(ToyInstance(label=label, mask=visible))
            semantic[visible] = label + 1
    if not instances:
        return make_scene(rng, size, max_objects)
    image = np.clip(image + rng.normal(0, 0.01, size=image.shape), 0, 1)
    return ToyScene(image=(image * 255).round().astype(np.uint8), instances=instances,
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
        images.append(dict(id=image_id, file_name=file_name, height=h, width=w))
        for inst in scene.instances:
            annotations.append(dict(
                id=len(annotations) + 1, image_id=image_id, category_id=inst.label + 1,
                bbox=inst.bbox_xywh, area=float(inst.mask.sum()), iscrowd=0,
                segmentation=_rle(inst.mask)))
    categories = [dict(id=i + 1, name=name, supercategory='toy')
                  for i, name in enumerate(TOY_CLASSES)]
    info = dict(description='mmlc toy scenes', seed=seed)
    return dict(info=info, images=images, annotations=annotations, categories=categories)


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
        for key, value in (('xmin', x + 1), ('ymin', y + 1), ('xmax', x + bw), ('ymax', y + bh)):
            ET.SubElement(box, key).text = str(int(value))
    return ET.ElementTree(root)


def _write_lines(path: str, lines: Sequence[str]) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(''.join(f'{line}\n' for line in lines))


def make_toy_dataset(out_dir: str, num_images: int = 200, seed: int = 0,
                     size: Tuple[int, int] = (112, 112), val_fraction: float = 0.2,
                     formats: Optional[Sequence[str]] = None) -> Dict[str, str]:
    """Write the toy dataset in every format under ``out_dir``.

    Args:
        out_dir (str): output root; created if missing.
        num_images (int): number of scenes (train + val).
        seed (int): seed of ``np.random.default_rng``; the same seed gives
            byte-identical images and annotations.
        size (tuple[int, int]): (H, W) of every image.
        val_fraction (float): fraction of scenes in the val split (the last ones).
        formats (Sequence[str], optional): subset of ``('imagenet', 'coco', 'voc')``;
            all by default.

    Returns:
        dict: format name -> root folder written.
    """
    if num_images < 2:
        raise ValueError(f'num_images must be at least 2, got {num_images}')
    formats = tuple(formats or ('imagenet', 'coco', 'voc'))
    unknown = set(formats) - {'imagenet', 'coco', 'voc'}
    if unknown:
        raise ValueError(f'unknown formats {sorted(unknown)}')
    rng = np.random.default_rng(seed)
    scenes = [make_scene(rng, size) for _ in range(num_images)]
    num_val = max(1, int(round(num_images * val_fraction)))
    splits = {'train': range(num_images - num_val), 'val': range(num_images - num_val, num_images)}
    names = [f'toy_{i:06d}' for i in range(num_images)]
    roots = {}
    if 'imagenet' in formats:
        roots['imagenet'] = _write_imagenet(osp.join(out_dir, 'imagenet'), scenes, names, splits)
    if 'coco' in formats:
        roots['coco'] = _write_coco(osp.join(out_dir, 'coco'), scenes, names, splits, seed)
    if 'voc' in formats:
        roots['voc'] = _write_voc(osp.join(out_dir, 'VOCdevkit'), scenes, names, splits)
    return roots


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
            Image.fromarray(scenes[i].image).save(osp.join(root, split, file_name))
            records.append((file_name, scenes[i]))
        os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
        with open(osp.join(root, 'annotations', f'instances_{split}.json'), 'w') as f:
            json.dump(_coco_dict(records, seed), f)
    return root


def _write_voc(root: str, scenes, names, splits) -> str:
    voc = osp.join(root, 'VOC2007')
    for sub in ('JPEGImages', 'Annotations', 'SegmentationClass'):
        os.makedirs(osp.join(voc, sub), exist_ok=True)
    for i, scene in enumerate(scenes):
        Image.fromarray(scene.image).save(osp.join(voc, 'JPEGImages', f'{names[i]}.jpg'), quality=95)
        _voc_xml(f'{names[i]}.jpg', scene).write(osp.join(voc, 'Annotations', f'{names[i]}.xml'))
        Image.fromarray(scene.semantic).save(osp.join(voc, 'SegmentationClass', f'{names[i]}.png'))
    train = [names[i] for i in splits['train']]
    val = [names[i] for i in splits['val']]
    for folder in ('Main', 'Segmentation'):
        _write_lines(osp.join(voc, 'ImageSets', folder, 'train.txt'), train)
        _write_lines(osp.join(voc, 'ImageSets', folder, 'val.txt'), val)
        _write_lines(osp.join(voc, 'ImageSets', folder, 'trainval.txt'), train + val)
        _write_lines(osp.join(voc, 'ImageSets', folder, 'test.txt'), val)
    return root
