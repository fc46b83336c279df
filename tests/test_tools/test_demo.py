"""A shortened demo (a few iterations) runs end to end; reruns reuse results;
its schedule scaling."""
import json
import os
import os.path as osp
import re

import pytest
import torch
import toy_harness as harness
from toy_demo import run_demo
from toy_harness import (DOWNSTREAM_CONFIGS, REPO_ROOT, ToyBudget,
                         scale_schedule, stretched_schedule)


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
    # one sitting, from the start, in the precision the record names
    [sitting] = pretrain_record['sittings']
    assert sitting['from_iter'] == 0
    assert sitting['precision'] == pretrain_record['precision']
    assert sitting['cpu_capability']


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


class _Killed(Exception):
    """A pretraining process killed mid-run."""


def _fake_runner(stop_at):
    """Stands in for mmengine's runner: continues from the checkpoint the
    config resumes (``load_from``), saves one every 250 iterations up to
    ``stop_at``, then has finished (at 500) or is killed."""

    class Runner:

        def __init__(self, cfg):
            self.cfg = cfg

        def train(self):
            start = int(re.search(
                r'iter_(\d+)',
                self.cfg.load_from).group(1)) if self.cfg.resume else 0
            for it in range(start + 250, stop_at + 1, 250):
                checkpoint = osp.join(self.cfg.work_dir, f'iter_{it}.pth')
                torch.save({'meta': {'iter': it}}, checkpoint)
                with open(osp.join(self.cfg.work_dir, 'last_checkpoint'),
                          'w') as f:
                    f.write(checkpoint)
            if stop_at < 500:
                raise _Killed

    return Runner


def test_each_sitting_of_a_resumed_pretraining_is_recorded(
        tmp_path, monkeypatch):
    config = osp.join(harness.REPO_ROOT, harness.PRETRAIN_CONFIGS['lc-byol'])
    work_dir = str(tmp_path / 'run')
    # killed before its first checkpoint on a CPU with native bfloat16,
    # rerun from the start without it and killed at 250, resumed with it
    monkeypatch.setattr(harness, 'cpu_has_native_bfloat16', lambda: True)
    monkeypatch.setattr(harness, 'build_runner', _fake_runner(0))
    with pytest.raises(_Killed):
        harness.pretrain(config, work_dir, 'data', max_iters=500)
    monkeypatch.setattr(harness, 'cpu_has_native_bfloat16', lambda: False)
    monkeypatch.setattr(harness, 'build_runner', _fake_runner(250))
    with pytest.raises(_Killed):
        harness.pretrain(config, work_dir, 'data', max_iters=500)
    monkeypatch.setattr(harness, 'cpu_has_native_bfloat16', lambda: True)
    monkeypatch.setattr(harness, 'build_runner', _fake_runner(500))
    final = harness.pretrain(config, work_dir, 'data', max_iters=500)
    assert final == osp.join(work_dir, 'iter_500.pth')
    # a finished run is not trained again, so it logs no sitting
    monkeypatch.setattr(harness, 'build_runner', None)
    harness.pretrain(config, work_dir, 'data', max_iters=500)
    sittings = harness.read_sittings(work_dir)
    assert [(s['from_iter'], s['precision'])
            for s in sittings] == [(0, 'float32'), (250, 'bfloat16 autocast')]
    assert all(s['cpu_capability'] and s['cpu_model'] for s in sittings)
    assert harness.run_precision(sittings) == 'mixed'
    assert harness.run_precision(sittings[1:]) == 'bfloat16 autocast'
    assert harness.run_precision([]) == 'not recorded'
    # a sitting whose training a later one discarded is dropped from the log
    resumed = harness.record_sitting(work_dir, 'float32',
                                     osp.join(work_dir, 'iter_250.pth'))
    assert [(s['from_iter'], s['precision'])
            for s in resumed] == [(0, 'float32'), (250, 'float32')]
    assert harness.read_sittings(work_dir) == resumed


def test_a_run_resumed_from_before_the_sitting_log_is_not_recorded(tmp_path):
    work_dir = str(tmp_path)
    sittings = harness.record_sitting(work_dir, 'float32',
                                      str(tmp_path / 'iter_250.pth'))
    assert [(s['from_iter'], s['precision'])
            for s in sittings] == [(0, 'not recorded'), (250, 'float32')]
    assert harness.read_sittings(work_dir) == sittings
    assert harness.run_precision(sittings) == 'not recorded'
    with pytest.raises(ValueError, match='epoch_3.pth'):
        harness.record_sitting(work_dir, 'float32',
                               str(tmp_path / 'epoch_3.pth'))
    assert harness.read_sittings(work_dir) == sittings


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


def test_step_schedules_stretch_their_milestones_and_steps():
    schedule = [
        dict(
            type='MultiStepLR',
            by_epoch=False,
            begin=0,
            end=400,
            milestones=[320, 360],
            gamma=0.1),
        dict(type='StepLR', by_epoch=False, begin=0, end=400, step_size=100)
    ]
    assert scale_schedule(schedule, 6.0) == [
        dict(
            type='MultiStepLR',
            by_epoch=False,
            begin=0,
            end=2400,
            milestones=[1920, 2160],
            gamma=0.1),
        dict(type='StepLR', by_epoch=False, begin=0, end=2400, step_size=600)
    ]
    # the toy detector's own schedule, as the detection-schedule stage
    # stretches it to 2,400 iterations: warm-up to 240, the step at 1,920
    stretched = stretched_schedule(
        osp.join(REPO_ROOT, DOWNSTREAM_CONFIGS['detection'][0]), 2400)
    assert stretched['train_cfg.max_iters'] == 2400
    assert [(s['type'], s['end'], s.get('milestones'))
            for s in stretched['param_scheduler']] == [('LinearLR', 240, None),
                                                       ('MultiStepLR', 2400,
                                                        [1920])]
    with pytest.raises(ValueError, match='periods'):
        scale_schedule([
            dict(
                type='CosineRestartLR',
                by_epoch=False,
                periods=[100],
                restart_weights=[1])
        ], 2.0)


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
