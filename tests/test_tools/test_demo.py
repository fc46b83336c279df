"""A shortened demo (a few iterations) runs end to end; its schedule scaling."""
import os.path as osp

import pytest

from mmlc.apis.demo import run_demo, scale_schedule


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


def test_schedule_stretches_with_the_iteration_budget():
    schedule = [dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=30),
                dict(type='CosineAnnealingLR', T_max=270, by_epoch=False, begin=30, end=300)]
    assert scale_schedule(schedule, 2.0) == [
        dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=60),
        dict(type='CosineAnnealingLR', T_max=540, by_epoch=False, begin=60, end=600)]
    # 3 iterations instead of 300: every phase keeps at least one iteration
    assert scale_schedule(schedule, 0.01) == [
        dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=1),
        dict(type='CosineAnnealingLR', T_max=3, by_epoch=False, begin=0, end=3)]
    assert schedule[0]['end'] == 30  # the input is not modified


def test_epoch_based_schedule_cannot_be_stretched_to_iterations():
    with pytest.raises(ValueError, match='by_epoch=False'):
        scale_schedule([dict(type='LinearLR', by_epoch=True, begin=0, end=10)], 2.0)
