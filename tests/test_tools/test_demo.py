"""A shortened demo (a few iterations) runs end to end."""
import os.path as osp

from mmlc.apis.demo import run_demo


def test_short_demo_end_to_end(toy_root, tmp_path):
    markdown = run_demo(str(tmp_path), data_root=toy_root, pretrain_iters=2,
                        downstream_iters=2, max_eval_images=4)
    lines = markdown.strip().splitlines()
    header = lines[0]
    for column in ('faster-rcnn_r18-toy_fpn_toy-voc AP50', 'fcn_r18-toy-frozen_toy-voc mIoU',
                   'correspondence acc'):
        assert column in header
    methods = [line.split('|')[1].strip() for line in lines[2:]]
    assert methods == ['byol', 'lc-byol', 'random-init']
    assert all(cell.strip() != '-' for line in lines[2:] for cell in line.split('|')[2:-1])
    for name in ('table.md', 'table.csv', 'table.png'):
        assert osp.getsize(tmp_path / name) > 0
