"""Real processes killed with SIGKILL, then resumed: the run continues exactly.

Each run is ``tools/train.py`` in a subprocess on a small config derived from
the toy LC-BYOL config. A test-only hook (written next to the config) kills
its own process with SIGKILL at a chosen moment: after an iteration, or in
the middle of writing a checkpoint.
"""
import glob
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import textwrap

import pytest
import torch

KILL_HOOKS = '''
import os
import signal
import threading
import time

import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class KillAfterIterHook(Hook):
    """SIGKILL this process once iteration ``at_iter`` (1-based) is done."""
    priority = 'LOWEST'

    def __init__(self, at_iter):
        self.at_iter = at_iter

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at_iter:
            os.kill(os.getpid(), signal.SIGKILL)


@HOOKS.register_module()
class KillDuringSaveHook(Hook):
    """Bloat the checkpoint of ``at_iter`` and SIGKILL while it is written."""
    priority = 'LOWEST'

    def __init__(self, at_iter, work_dir):
        self.at_iter, self.work_dir = at_iter, work_dir

    def before_save_checkpoint(self, runner, checkpoint):
        if checkpoint['meta']['iter'] != self.at_iter:
            return
        checkpoint['padding'] = torch.ones(64 * 2**20)  # 256 MB to write
        threading.Thread(target=self._kill_once_writing, daemon=True).start()

    def _kill_once_writing(self):
        name = f'iter_{self.at_iter}.pth'
        while True:
            for entry in os.scandir(self.work_dir):
                if name in entry.name and entry.stat().st_size > 2**20:
                    os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(0.001)
'''


def write_config(tmp_path, repo_root, toy_root, name, num_workers=0, extra=''):
    base = osp.join(repo_root, 'configs', 'lc_byol',
                    'lc-byol_resnet18_1xb16-300iter_toy.py')
    path = tmp_path / f'{name}.py'
    data_root = osp.join(toy_root, 'imagenet')
    path.write_text(
        textwrap.dedent(f'''\
        _base_ = {base!r}
        custom_imports = dict(imports=['mmlc', 'kill_hooks'],
                              allow_failed_imports=False)
        img_size = 64
        train_dataloader = dict(batch_size=4, num_workers={num_workers},
                                persistent_workers=False,
                                dataset=dict(
                                    data_root={data_root!r}))
        train_cfg = dict(max_iters=14)
        param_scheduler = [
            dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
                 end=4),
            dict(type='CosineAnnealingLR', T_max=10, by_epoch=False, begin=4,
                 end=14),
        ]
        default_hooks = dict(logger=dict(interval=1),
                             checkpoint=dict(interval=4, max_keep_ckpts=1))
        log_level = 'WARNING'
        randomness = dict(seed=7)
    ''') + textwrap.dedent(extra))
    (tmp_path / 'kill_hooks.py').write_text(KILL_HOOKS)
    return str(path)


def train(repo_root, config, work_dir, resume=False):
    cmd = [
        sys.executable, 'tools/train.py', config, '--work-dir',
        str(work_dir)
    ]
    if resume:
        cmd.append('--resume')
    env = dict(
        os.environ,
        OMP_NUM_THREADS='1',
        PYTHONPATH=os.pathsep.join([osp.dirname(config), repo_root]))
    return subprocess.run(
        cmd,
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600)


def logged_losses(work_dir):
    """iteration -> every logged loss value, over all runs in the work dir."""
    losses = {}
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                losses[record['iter']] = {
                    k: v
                    for k, v in record.items()
                    if k.startswith(('loss', 'l_', 'lr', 'momentum'))
                }
    return losses


def assert_same_training_state(path_a, path_b):
    a = torch.load(path_a, map_location='cpu')
    b = torch.load(path_b, map_location='cpu')
    assert a['state_dict'].keys() == b['state_dict'].keys()
    for key in a['state_dict']:
        assert torch.equal(a['state_dict'][key], b['state_dict'][key]), key
    for key, state in a['optimizer']['state'].items():
        for name, value in state.items():
            assert torch.equal(value,
                               b['optimizer']['state'][key][name]), (key, name)
    assert a['param_schedulers'] == b['param_schedulers']
    rng_a, rng_b = a['meta']['rng_states'][0], b['meta']['rng_states'][0]
    assert rng_a['python'] == rng_b['python']
    assert torch.equal(rng_a['numpy']['key'], rng_b['numpy']['key'])
    assert rng_a['numpy']['pos'] == rng_b['numpy']['pos']
    assert torch.equal(rng_a['torch'], rng_b['torch'])


@pytest.fixture(scope='module')
def uninterrupted(repo_root, toy_root, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('uninterrupted')
    config = write_config(tmp_path, repo_root, toy_root, 'plain')
    result = train(repo_root, config, tmp_path / 'work')
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp_path / 'work'


def test_sigkill_after_a_checkpoint_then_resume_is_exact(
        repo_root, toy_root, tmp_path, uninterrupted):
    # 19 training images / batch 4 = 5 iterations per epoch (the last one of 3
    # images): the run crosses epoch boundaries, the checkpoint at 4 is
    # mid-epoch and the kill comes at 6, just after a boundary
    config = write_config(
        tmp_path,
        repo_root,
        toy_root,
        'killed',
        extra="custom_hooks = [dict(type='KillAfterIterHook', at_iter=6)]\n")
    killed = train(repo_root, config, tmp_path / 'work')
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    assert (tmp_path / 'work' /
            'last_checkpoint').read_text().endswith('iter_4.pth')

    plain = write_config(tmp_path, repo_root, toy_root, 'resume')
    resumed = train(repo_root, plain, tmp_path / 'work', resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]

    assert_same_training_state(uninterrupted / 'iter_14.pth',
                               tmp_path / 'work' / 'iter_14.pth')
    expected, got = logged_losses(uninterrupted), logged_losses(tmp_path /
                                                                'work')
    assert sorted(k for k in got if k > 4) == list(range(5, 15))
    for iteration in range(5, 15):
        assert got[iteration] == expected[iteration], iteration


def test_resume_from_an_epoch_boundary_is_exact(repo_root, toy_root, tmp_path,
                                                uninterrupted):
    every_epoch = "default_hooks['checkpoint']['interval'] = 5\n"
    config = write_config(
        tmp_path,
        repo_root,
        toy_root,
        'boundary',
        extra=every_epoch +
        "custom_hooks = [dict(type='KillAfterIterHook', at_iter=7)]\n")
    killed = train(repo_root, config, tmp_path / 'work')
    assert killed.returncode == -signal.SIGKILL
    assert (tmp_path / 'work' /
            'last_checkpoint').read_text().endswith('iter_5.pth')
    plain = write_config(
        tmp_path, repo_root, toy_root, 'boundary_resume', extra=every_epoch)
    resumed = train(repo_root, plain, tmp_path / 'work', resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert_same_training_state(uninterrupted / 'iter_14.pth',
                               tmp_path / 'work' / 'iter_14.pth')


EPOCH_LOOP = """\
train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop', max_epochs=3)
default_hooks['checkpoint'].update(interval=1, by_epoch=True)
"""


def test_epoch_based_loop_resumes_exactly_from_an_epoch_checkpoint(
        repo_root, toy_root, tmp_path):
    """The ImageNet configs' loop: 3 epochs of 5 iterations, a checkpoint per
    epoch, killed in the middle of the second epoch."""
    reference = write_config(
        tmp_path, repo_root, toy_root, 'epochs', extra=EPOCH_LOOP)
    assert train(repo_root, reference, tmp_path / 'reference').returncode == 0
    killed = write_config(
        tmp_path,
        repo_root,
        toy_root,
        'epochs_killed',
        extra=EPOCH_LOOP +
        "custom_hooks = [dict(type='KillAfterIterHook', at_iter=9)]\n")
    assert train(repo_root, killed,
                 tmp_path / 'work').returncode == -signal.SIGKILL
    assert (tmp_path / 'work' /
            'last_checkpoint').read_text().endswith('epoch_1.pth')
    resumed = train(repo_root, reference, tmp_path / 'work', resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert_same_training_state(tmp_path / 'reference' / 'epoch_3.pth',
                               tmp_path / 'work' / 'epoch_3.pth')
    expected, got = logged_losses(tmp_path / 'reference'), logged_losses(
        tmp_path / 'work')
    for iteration in range(6, 16):
        assert got[iteration] == expected[iteration], iteration


def test_sigkill_while_saving_keeps_the_previous_checkpoint(
        repo_root, toy_root, tmp_path, uninterrupted):
    work_dir = tmp_path / 'work'
    config = write_config(
        tmp_path,
        repo_root,
        toy_root,
        'killed_in_save',
        extra=f"custom_hooks = [dict(type='KillDuringSaveHook', at_iter=8, "
        f"work_dir={str(work_dir)!r})]\n")
    killed = train(repo_root, config, work_dir)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    # the interrupted write left a temporary file, never a truncated
    # iter_8.pth, and max_keep_ckpts=1 did not remove iter_4.pth before
    # iter_8.pth existed
    assert not (work_dir / 'iter_8.pth').exists()
    assert (work_dir / 'iter_4.pth').exists()
    assert (work_dir / 'last_checkpoint').read_text().endswith('iter_4.pth')

    plain = write_config(tmp_path, repo_root, toy_root, 'resume')
    resumed = train(repo_root, plain, work_dir, resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert_same_training_state(uninterrupted / 'iter_14.pth',
                               work_dir / 'iter_14.pth')
    # pruned once a newer one was written
    assert not (work_dir / 'iter_4.pth').exists()
    # the interrupted write was cleaned up
    assert not glob.glob(str(work_dir / '.*.tmp'))


def test_with_worker_processes_schedules_continue_without_a_jump(
        repo_root, toy_root, tmp_path, uninterrupted):
    """num_workers > 0: augmentations after the resume differ (each worker
    reseeds when it starts), but the model, optimizer, LR schedule and EMA
    step count continue from the checkpoint."""
    work_dir = tmp_path / 'work'
    config = write_config(
        tmp_path,
        repo_root,
        toy_root,
        'workers',
        num_workers=2,
        extra="custom_hooks = [dict(type='KillAfterIterHook', at_iter=6)]\n")
    killed = train(repo_root, config, work_dir)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    plain = write_config(
        tmp_path, repo_root, toy_root, 'workers_resume', num_workers=2)
    resumed = train(repo_root, plain, work_dir, resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]

    expected, got = logged_losses(uninterrupted), logged_losses(work_dir)
    for iteration in range(5, 15):
        assert got[iteration]['lr'] == expected[iteration]['lr'], iteration
    final = torch.load(work_dir / 'iter_14.pth', map_location='cpu')
    reference = torch.load(uninterrupted / 'iter_14.pth', map_location='cpu')
    assert final['param_schedulers'] == reference['param_schedulers']
    assert final['state_dict']['target_net.steps'].item() == 14
    assert final['meta']['iter'] == 14
    for key, state in reference['optimizer']['state'].items():
        assert final['optimizer']['state'][key].keys() == state.keys()
