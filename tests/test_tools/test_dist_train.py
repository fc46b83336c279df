"""tools/dist_train.sh with 2 CPU processes (gloo, BN) completes, checkpoints
and resumes."""
import os
import os.path as osp
import socket
import subprocess
import sys

import torch


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_two_process_cpu_training_writes_a_checkpoint(repo_root, toy_root,
                                                      tmp_path):
    config = osp.join(repo_root, 'configs', 'lc_byol',
                      'lc-byol_resnet18_1xb16-300iter_toy.py')
    env = dict(
        os.environ,
        PORT=str(_free_port()),
        PYTHON=sys.executable,
        OMP_NUM_THREADS='1')
    cmd = [
        'bash',
        osp.join(repo_root, 'tools',
                 'dist_train.sh'), config, '2', '--work-dir',
        str(tmp_path), '--cfg-options',
        f'train_dataloader.dataset.data_root={toy_root}/imagenet',
        'train_dataloader.batch_size=4', 'default_hooks.checkpoint.interval=4',
        'param_scheduler=None'
    ]
    out = subprocess.run(
        cmd + ['train_cfg.max_iters=4'],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    ckpt = torch.load(osp.join(tmp_path, 'iter_4.pth'), map_location='cpu')
    assert ckpt['meta']['iter'] == 4
    assert any(
        k.startswith('local_branch.local_neck.') for k in ckpt['state_dict'])
    log = out.stdout + out.stderr
    assert 'Distributed training: True' in log
    assert "dist_cfg: {'backend': 'gloo'}" in log
    assert '[rank1]' not in log  # no error from the second process
    # each rank's generator states are gathered into the checkpoint ...
    assert len(ckpt['meta']['rng_states']) == 2
    # ... and each rank restores its own when the run is resumed
    env['PORT'] = str(_free_port())
    resumed = subprocess.run(
        cmd + ['train_cfg.max_iters=6', '--resume'],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600)
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[
        -3000:]
    assert torch.load(
        osp.join(tmp_path, 'iter_6.pth'),
        map_location='cpu')['meta']['iter'] == 6
    resumed_log = resumed.stdout + resumed.stderr
    assert 'holds no random generator states' not in resumed_log
    assert 'generators are not restored' not in resumed_log
