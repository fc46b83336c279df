"""Bad image files: handled correctly, or refused naming the file and the
reason."""
import io

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from mmlc.datasets import ImageLoadError, LoadImageFromFileChecked
from mmlc.models.utils import image_to_view
from mmlc.registry import DATASETS, TRANSFORMS

RNG = np.random.default_rng(0)
RGB = RNG.integers(0, 256, (40, 60, 3), dtype=np.uint8)


def encode(array, fmt='PNG', **kwargs):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def load(path, **kwargs):
    return LoadImageFromFileChecked(**kwargs)(dict(img_path=str(path)))


PNG, JPEG = encode(RGB), encode(RGB, 'JPEG', quality=95)
BAD_FILES = {
    'zero-byte': (b'', 'zero-byte file'),
    'png-cut-in-half': (PNG[:len(PNG) // 2], 'truncated PNG'),
    'png-without-iend': (PNG[:-12], 'truncated PNG'),
    'jpeg-cut-in-half': (JPEG[:len(JPEG) // 2], 'truncated JPEG'),
    'jpeg-without-eoi': (JPEG[:-2], 'truncated JPEG'),
    'not-an-image': (b'GIF89a but not really an image at all', 'not an image'),
}


@pytest.mark.parametrize('name', sorted(BAD_FILES))
def test_bad_file_is_refused_with_its_name_and_reason(tmp_path, name):
    data, reason = BAD_FILES[name]
    path = tmp_path / f'{name}.img'
    path.write_bytes(data)
    with pytest.raises(ImageLoadError) as error:
        load(path)
    assert str(path) in str(error.value) and reason in str(error.value)
    assert path.read_bytes() == data  # nothing touched


def test_truncation_is_refused_even_where_the_decoder_would_accept_it(
        tmp_path, monkeypatch):
    # a process that sets Pillow's LOAD_TRUNCATED_IMAGES (some libraries do)
    # decodes a cut JPEG into a partly grey image without any error
    import mmcv
    from PIL import ImageFile
    monkeypatch.setattr(ImageFile, 'LOAD_TRUNCATED_IMAGES', True)
    cut = JPEG[:int(len(JPEG) * 0.9)]
    assert mmcv.imfrombytes(cut, backend='pillow').shape == (40, 60, 3)
    path = tmp_path / 'cut.jpg'
    path.write_bytes(cut)
    with pytest.raises(ImageLoadError, match='truncated JPEG'):
        load(path, imdecode_backend='pillow')


def test_missing_file_and_directory_are_refused(tmp_path):
    with pytest.raises(ImageLoadError, match='missing.png: cannot be read'):
        load(tmp_path / 'missing.png')
    with pytest.raises(ImageLoadError, match='cannot be read'):
        load(tmp_path)


def test_skip_policy_counts_and_warns(tmp_path, monkeypatch):
    from mmlc.datasets.transforms import loading
    logged = []
    monkeypatch.setattr(loading, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    transform = LoadImageFromFileChecked(on_error='skip')
    for index in range(3):
        path = tmp_path / f'empty{index}.png'
        path.write_bytes(b'')
        assert transform(dict(img_path=str(path))) is None
    assert transform.num_skipped == 3
    assert logged[-1] == (
        f'skipped {tmp_path}/empty2.png: zero-byte file (3 skipped by this '
        'loader process)')
    good = tmp_path / 'good.png'
    good.write_bytes(PNG)
    assert transform(dict(img_path=str(good)))['img'].shape == (40, 60, 3)
    assert transform.num_skipped == 3


def test_skipped_sample_is_replaced_by_the_dataset(tmp_path):
    folder = tmp_path / 'train' / 'a'
    folder.mkdir(parents=True)
    for index in range(4):
        (folder / f'{index}.png').write_bytes(PNG)
    (folder / 'broken.png').write_bytes(PNG[:100])
    dataset = DATASETS.build(
        dict(
            type='CustomDataset',
            data_root=str(tmp_path),
            data_prefix='train',
            pipeline=[
                dict(type='LoadImageFromFileChecked', on_error='skip'),
                dict(type='PackInputs')
            ]))
    assert len(dataset) == 5
    samples = [dataset[index] for index in range(len(dataset))]
    assert all(s['data_samples'].img_path.endswith(('0.png', '1.png', '2.png',
                                                    '3.png')) for s in samples)
    assert dataset.pipeline.transforms[0].num_skipped >= 1


def test_unknown_policy_is_a_config_error():
    with pytest.raises(ValueError, match="on_error must be 'raise' or 'skip'"):
        LoadImageFromFileChecked(on_error='ignore')


def test_grayscale_16bit_rgba_and_tiny_images_load_as_bgr_uint8(tmp_path):
    gray = RGB[..., 0]
    (tmp_path / 'gray.png').write_bytes(encode(gray))
    deep = (RGB[..., ::-1].astype(np.uint16) * 257)  # BGR order for OpenCV
    cv2.imwrite(str(tmp_path / 'deep.png'), deep)
    rgba = np.dstack([RGB, np.full(RGB.shape[:2], 7, np.uint8)])
    (tmp_path / 'rgba.png').write_bytes(encode(rgba))
    (tmp_path / 'tiny.png').write_bytes(encode(RGB[:3, :5]))

    bgr = RGB[..., ::-1]
    expected = {
        'gray': np.repeat(gray[..., None], 3, axis=2),
        'deep': bgr,
        'rgba': bgr,
        'tiny': bgr[:3, :5]
    }
    for name, pixels in expected.items():
        results = load(tmp_path / f'{name}.png')
        assert results['img'].dtype == np.uint8, name
        assert results['img_shape'] == pixels.shape[:2], name
        np.testing.assert_array_equal(results['img'], pixels, err_msg=name)


def exif_rotated_jpeg(path, stored, orientation):
    image = Image.fromarray(stored)
    exif = image.getexif()
    exif[0x0112] = orientation
    image.save(path, 'JPEG', quality=98, exif=exif.tobytes())


def bright_centroid(view):
    gray = view.astype(np.float64).mean(-1)
    ys, xs = np.nonzero(gray > 0.5 * gray.max())
    return np.average(
        xs, weights=gray[ys, xs]) + 0.5, np.average(
            ys, weights=gray[ys, xs]) + 0.5


def test_exif_rotation_is_applied_and_the_view_geometry_matches_the_pixels(
        tmp_path):
    # stored 120 x 80 (w x h) with a bright 9 x 9 square centred at (30.5,
    # 20.5); orientation 6 displays it rotated 90 degrees clockwise: 80 x 120,
    # and a stored (x, y) appears at (h - y, x) = (59.5, 30.5)
    stored = np.zeros((80, 120, 3), np.uint8)
    stored[16:25, 26:35] = 255
    path = tmp_path / 'rotated.jpg'
    exif_rotated_jpeg(path, stored, orientation=6)
    results = load(path)
    assert results['img_shape'] == (120, 80)
    upright_centre = (59.5, 30.5)
    assert np.allclose(
        bright_centroid(results['img']), upright_centre, atol=0.6)

    views = TRANSFORMS.build(
        dict(
            type='MultiViewWithGeometry',
            num_views=[1, 1],
            transforms=[[
                dict(type='Resize', scale=(64, 64), keep_ratio=False)
            ],
                        [
                            dict(
                                type='RandomResizedCropWithBox',
                                scale=64,
                                crop_ratio_range=(0.3, 1.)),
                            dict(type='RandomFlipWithGeometry', prob=0.5)
                        ]]))
    checked = 0
    for seed in range(30):
        np.random.seed(seed)
        out = views(dict(results))
        assert out['ori_hw'].tolist() == [120, 80]
        uv = image_to_view(
            torch.tensor([[upright_centre]]).expand(2, 1, 2),
            torch.from_numpy(out['view_boxes']),
            torch.from_numpy(out['view_flips']))[:, 0]
        for view, (u, v) in zip(out['img'], uv.tolist()):
            if 0.15 < u < 0.85 and 0.15 < v < 0.85:
                cx, cy = bright_centroid(view)
                assert abs(cx - 64 * u) < 2 and abs(cy - 64 * v) < 2, (seed, u,
                                                                       v, cx,
                                                                       cy)
                checked += 1
    assert checked > 30


def test_image_smaller_than_the_crop_is_upsampled_with_matching_geometry(
        tmp_path):
    small = np.zeros((12, 16, 3), np.uint8)
    small[5:8, 9:12] = 255  # centre (10.5, 6.5)
    path = tmp_path / 'small.png'
    path.write_bytes(encode(small))
    crop = TRANSFORMS.build(
        dict(
            type='MultiViewWithGeometry',
            num_views=1,
            transforms=[[
                dict(
                    type='RandomResizedCropWithBox',
                    scale=96,
                    crop_ratio_range=(1.0, 1.0),
                    aspect_ratio_range=(4 / 3, 4 / 3))
            ]]))
    out = crop(load(path))
    assert out['img'][0].shape == (96, 96, 3)
    np.testing.assert_allclose(out['view_boxes'][0], [0, 0, 16, 12])
    cx, cy = bright_centroid(out['img'][0])
    assert abs(cx - 96 * 10.5 / 16) < 2 and abs(cy - 96 * 6.5 / 12) < 2
