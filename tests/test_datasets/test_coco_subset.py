"""mini-COCO subsets: seeded, recorded, consistent."""
import json
import os.path as osp

import pytest

from mmlc.datasets.coco_subset import make_coco_subset


def test_subset_is_seeded_recorded_and_consistent(toy_root, tmp_path):
    src = osp.join(toy_root, 'coco', 'annotations', 'instances_train.json')
    full = json.load(open(src))
    a = make_coco_subset(src, str(tmp_path / 'a.json'), fraction=0.25, seed=1)
    make_coco_subset(src, str(tmp_path / 'b.json'), fraction=0.25, seed=1)
    make_coco_subset(src, str(tmp_path / 'c.json'), fraction=0.25, seed=2)
    sub_a, sub_b, sub_c = (
        json.load(open(tmp_path / f'{n}.json')) for n in 'abc')
    assert sub_a == sub_b
    assert {i['id']
            for i in sub_a['images']} != {i['id']
                                          for i in sub_c['images']}
    assert len(sub_a['images']) == round(len(full['images']) * 0.25)
    ids = {image['id'] for image in sub_a['images']}
    assert all(ann['image_id'] in ids for ann in sub_a['annotations'])
    assert len(sub_a['annotations']) == sum(ann['image_id'] in ids
                                            for ann in full['annotations'])
    assert sub_a['info']['mmlc_subset'] == a == dict(
        source='instances_train.json',
        fraction=0.25,
        seed=1,
        num_images=len(ids),
        num_annotations=len(sub_a['annotations']))
    assert sub_a['categories'] == full['categories']


def test_subset_refuses_bad_input(toy_root, tmp_path):
    src = osp.join(toy_root, 'coco', 'annotations', 'instances_train.json')
    with pytest.raises(ValueError, match='fraction'):
        make_coco_subset(src, str(tmp_path / 'x.json'), fraction=0.0)
    with pytest.raises(ValueError, match='overwrite'):
        make_coco_subset(src, src, fraction=0.5)
    (tmp_path / 'bad.json').write_text('{"images": []}')
    with pytest.raises(ValueError, match='not a COCO annotation file'):
        make_coco_subset(
            str(tmp_path / 'bad.json'), str(tmp_path / 'y.json'), fraction=0.5)
