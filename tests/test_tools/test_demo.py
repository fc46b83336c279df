"""A shortened demo (a few iterations) runs end to end; reruns reuse results;
its schedule scaling."""
import json
import os
import os.path as osp

import pytest
import toy_harness as harness
from toy_demo import run_demo
from toy_harness import ToyBudget, scale_schedule


def test_short_demo_end_to_end(toy_root, tmp_path):
    budget = ToyBudget(
        pretrain_iters=2,
        downstream_iters=2,
        probe_epochs=1,
        max_eval_images=4)
    markdown = run_demo(
        str(tmp_path),
        data_root=toy_root,
        budget=budget,
        num_images=24,
        image_size=64)
    lines = markdown.strip().splitlines()
    assert lines[0] == (
        '| method | correspondence acc | linear probe mIoU | frozen seg mIoU '
        '| det AP50 | keypoint AP |')
    assert [line.split('|')[1].strip()
            for line in lines[2:5]] == ['BYOL', 'LC-BYOL', 'random init']
    assert all(cell.strip() != '-' for line in lines[2:5]
               for cell in line.split('|')[2:-1])
    # one sentence per claim of the paper, each saying whether it held
    verdict = [line for line in lines if line.startswith('- ')]
    assert len(verdict) == 10
    assert all(
        line.startswith(('- as in the paper: ', '- NOT as in the paper: '))
        for line in verdict)
    for name in ('table.md', 'table.png'):
        assert osp.getsize(tmp_path / name) > 0
    for run in ('byol', 'lc-byol', 'random-init'):
        for evaluation in ('correspondence', 'linear-probe', 'frozen-seg',
                           'detection', 'keypoints'):
            assert osp.isfile(tmp_path / 'results' / run /
                              f'{evaluation}.json')
    with open(tmp_path / 'results' / 'lc-byol' / 'pretrain.json') as f:
        pretrain_record = json.load(f)
    assert pretrain_record['precision'] in ('bfloat16 autocast', 'float32')
    assert pretrain_record['cpu_capability']


@pytest.mark.parametrize('native, cfg_options, expected', [
    (True, None, 'bfloat16 autocast'),
    (False, None, 'float32'),
    (True, {
        'optim_wrapper.type': 'OptimWrapper'
    }, 'float32'),
])
def test_pretraining_precision_follows_the_cpu_and_the_optim_wrapper(
        monkeypatch, native, cfg_options, expected):
    monkeypatch.setattr(harness, 'cpu_has_native_bfloat16', lambda: native)
    config = osp.join(harness.REPO_ROOT, harness.PRETRAIN_CONFIGS['lc-byol'])
    assert harness.pretraining_precision(config, cfg_options) == expected


def test_a_rerun_reuses_every_finished_result(toy_root, tmp_path, monkeypatch):
    run = harness.ToyRun(
        'random-init', harness.RANDOM_INIT, evaluations=('correspondence', ))
    budget = ToyBudget(max_eval_images=2)
    first = harness.run_toy(run, toy_root, str(tmp_path),
                            str(tmp_path / 'results'), budget)

    def fail(*args, **kwargs):
        raise AssertionError('a finished evaluation ran again')

    monkeypatch.setattr(harness, 'measure_correspondence', fail)
    monkeypatch.setattr(harness, 'pretrained_backbone', fail)
    again = harness.run_toy(run, toy_root, str(tmp_path),
                            str(tmp_path / 'results'), budget)
    assert again == first


def test_a_different_dataset_under_the_root_is_refused_and_kept(toy_root):
    from mmlc.datasets import ensure_toy_dataset
    with pytest.raises(ValueError, match='toy_dataset.json'):
        ensure_toy_dataset(toy_root, num_images=2000)
    assert len(os.listdir(osp.join(toy_root, 'imagenet', 'train'))) > 0


def test_schedule_stretches_with_the_iteration_budget():
    schedule = [
        dict(
            type='LinearLR',
            start_factor=1e-3,
            by_epoch=False,
            begin=0,
            end=30),
        dict(
            type='CosineAnnealingLR',
            T_max=270,
            by_epoch=False,
            begin=30,
            end=300)
    ]
    assert scale_schedule(schedule, 2.0) == [
        dict(
            type='LinearLR',
            start_factor=1e-3,
            by_epoch=False,
            begin=0,
            end=60),
        dict(
            type='CosineAnnealingLR',
            T_max=540,
            by_epoch=False,
            begin=60,
            end=600)
    ]
    # 3 iterations instead of 300: every phase keeps at least one iteration
    assert scale_schedule(schedule, 0.01) == [
        dict(
            type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0,
            end=1),
        dict(
            type='CosineAnnealingLR', T_max=3, by_epoch=False, begin=0, end=3)
    ]
    assert schedule[0]['end'] == 30  # the input is not modified


def test_epoch_based_schedule_cannot_be_stretched_to_iterations():
    with pytest.raises(ValueError, match='by_epoch=False'):
        scale_schedule([dict(type='LinearLR', by_epoch=True, begin=0, end=10)],
                       2.0)


def test_the_study_evaluations_run_on_a_toy_network(toy_root, tmp_path):
    """The two evaluations the study adds to the demo's four: dense retrieval
    and mmpose's toy keypoints, with their headline numbers in the table."""
    from toy_report import group_values, load_toy_records, summary_markdown
    run = harness.ToyRun(
        'random-init',
        harness.RANDOM_INIT,
        evaluations=('dense-retrieval', 'keypoints'))
    records = harness.run_toy(run, toy_root, str(tmp_path),
                              str(tmp_path / 'results'),
                              ToyBudget(downstream_iters=2))
    assert 0.0 <= records['dense-retrieval']['metrics']['mIoU'] <= 100.0
    assert 0.0 <= records['keypoints']['metrics']['coco/AP'] <= 1.0
    values = group_values(
        load_toy_records(str(tmp_path / 'results')),
        {'random-init': 'random init'})
    header = summary_markdown(values, ['random init']).splitlines()[0]
    assert header == '| method | retrieval mIoU | keypoint AP |'
