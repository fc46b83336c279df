"""tools/dist_train.sh with 2 CPU processes (gloo, BN): it completes,
checkpoints and resumes; under a restart budget a killed worker group
restarts and resumes by itself; a hung rank is named; tools/slurm_train.sh
retries a failed step.

Every run's full output is written next to its work dir (``*.log``), so a
failure here can be read afterwards (pytest keeps a failed test's tmp_path).
"""
import os
import os.path as osp
import socket
import subprocess
import sys
import textwrap
import time

import torch


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def dist_train(repo_root, config, work_dir, *args, timeout=600, **env_vars):
    """Run ``tools/dist_train.sh CONFIG 2``; the output goes to
    ``<work_dir>.log`` as well."""
    env = dict(
        os.environ,
        PORT=str(_free_port()),
        PYTHON=sys.executable,
        OMP_NUM_THREADS='1',
        **env_vars)
    cmd = [
        'bash',
        osp.join(repo_root, 'tools', 'dist_train.sh'), config, '2',
        '--work-dir',
        str(work_dir), *args
    ]
    out = subprocess.run(
        cmd,
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout)
    log = f'$ {" ".join(cmd)}\n[exit {out.returncode}]\n{out.stdout}\n' \
          f'{out.stderr}'
    with open(f'{work_dir}.log', 'a') as f:
        f.write(log)
    return out.returncode, log


def write_config(write_small_config, tmp_path, name, extra=''):
    return write_small_config(
        tmp_path, name,
        textwrap.dedent('''\
        train_cfg = dict(max_iters=8)
        default_hooks = dict(logger=dict(interval=1),
                             checkpoint=dict(interval=4, max_keep_ckpts=1))
        randomness = dict(seed=5)
        ''') + extra)


def test_two_process_cpu_training_writes_a_checkpoint(repo_root, toy_root,
                                                      tmp_path):
    config = osp.join(repo_root, 'configs', 'lc_byol',
                      'lc-byol_resnet18_1xb16-300iter_toy.py')
    options = [
        '--cfg-options',
        f'train_dataloader.dataset.data_root={toy_root}/imagenet',
        'train_dataloader.batch_size=4', 'default_hooks.checkpoint.interval=4',
        'param_scheduler=None'
    ]
    code, log = dist_train(repo_root, config, tmp_path / 'work', *options,
                           'train_cfg.max_iters=4')
    assert code == 0, log[-6000:]
    ckpt = torch.load(tmp_path / 'work' / 'iter_4.pth', map_location='cpu')
    assert ckpt['meta']['iter'] == 4
    assert any(
        k.startswith('local_branch.local_neck.') for k in ckpt['state_dict'])
    assert 'Distributed training: True' in log
    assert "dist_cfg: {'backend': 'gloo', 'timeout': 300}" in log
    assert '[rank1]' not in log  # no error from the second process
    # each rank's generator states are gathered into the checkpoint ...
    assert len(ckpt['meta']['rng_states']) == 2
    # ... and each rank restores its own when the run is resumed
    code, resumed_log = dist_train(repo_root, config, tmp_path / 'work',
                                   *options, 'train_cfg.max_iters=6',
                                   '--resume')
    assert code == 0, resumed_log[-6000:]
    assert torch.load(
        tmp_path / 'work' / 'iter_6.pth',
        map_location='cpu')['meta']['iter'] == 6
    assert 'holds no random generator states' not in resumed_log
    assert 'generators are not restored' not in resumed_log


def test_a_killed_worker_restarts_and_ends_where_an_uninterrupted_run_does(
        repo_root, write_small_config, tmp_path):
    plain = write_config(write_small_config, tmp_path, 'plain')
    code, log = dist_train(repo_root, plain, tmp_path / 'plain')
    assert code == 0, log[-6000:]

    killed = write_config(
        write_small_config,
        tmp_path,
        'killed',
        extra="custom_hooks = [dict(type='FaultInjectionHook', rank=1, "
        'kill_after_iter=6)]\n')
    code, log = dist_train(
        repo_root, killed, tmp_path / 'killed', MAX_RESTARTS='1')
    assert code == 0, log[-6000:]
    # rank 1 died of SIGKILL after iteration 6, the group restarted once and
    # resumed from iter_4.pth without --resume
    assert 'failed (exitcode: -9) local_rank: 1' in log, log[-6000:]
    assert 'restart 1 of this run: resuming' in log
    assert 'resumed epoch: 0, iter: 4' in log
    expected = torch.load(
        tmp_path / 'plain' / 'iter_8.pth', map_location='cpu')
    got = torch.load(tmp_path / 'killed' / 'iter_8.pth', map_location='cpu')
    assert got['state_dict'].keys() == expected['state_dict'].keys()
    for key, value in expected['state_dict'].items():
        assert torch.equal(got['state_dict'][key], value), key
    for index, state in expected['optimizer']['state'].items():
        for name, value in state.items():
            assert torch.equal(got['optimizer']['state'][index][name],
                               value), (index, name)
    # and each rank's random generators are where the uninterrupted run's are
    for rank, (got_rng, expected_rng) in enumerate(
            zip(got['meta']['rng_states'], expected['meta']['rng_states'])):
        assert got_rng['python'] == expected_rng['python'], rank
        assert torch.equal(got_rng['torch'], expected_rng['torch']), rank
        assert torch.equal(got_rng['numpy']['key'],
                           expected_rng['numpy']['key']), rank


def test_a_hung_rank_is_named_within_the_timeout(repo_root, write_small_config,
                                                 tmp_path):
    config = write_config(
        write_small_config,
        tmp_path,
        'hung',
        extra='env_cfg = dict(dist_cfg=dict(timeout=30))\n'
        "custom_hooks = [dict(type='FaultInjectionHook', rank=1, "
        'hang_before_iter=3, hang_seconds=900)]\n')
    start = time.monotonic()
    code, log = dist_train(repo_root, config, tmp_path / 'hung')
    elapsed = time.monotonic() - start
    assert code != 0
    # start-up, two iterations, 30 s timeout, 30 s for the ranks to answer;
    # far below the 900 s hang
    assert elapsed < 400, elapsed
    assert ('error: rank 0: a collective timed out after 30 s '
            '(env_cfg.dist_cfg.timeout) at iteration 3; rank(s) 1 did not '
            'answer within 30 s') in log, log[-6000:]


def test_slurm_train_retries_a_failed_step_with_the_restart_count(
        repo_root, tmp_path):
    """A stand-in ``srun`` records each call and fails the first one."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    calls = tmp_path / 'calls'
    fake_srun = bin_dir / 'srun'
    fake_srun.write_text(
        textwrap.dedent(f'''\
        #!/usr/bin/env bash
        echo "$MMLC_RESTART_COUNT $*" >> {calls}
        [ "$MMLC_RESTART_COUNT" -ge "$SUCCEED_AT" ]
        '''))
    fake_srun.chmod(0o755)

    def slurm_train(max_restarts, succeed_at):
        env = dict(
            os.environ,
            PATH=f'{bin_dir}{os.pathsep}{os.environ["PATH"]}',
            MAX_RESTARTS=str(max_restarts),
            SUCCEED_AT=str(succeed_at))
        calls.write_text('')
        out = subprocess.run([
            'bash', 'tools/slurm_train.sh', 'part', 'job', 'cfg.py', 'wd',
            '--amp'
        ],
                             cwd=repo_root,
                             env=env,
                             capture_output=True,
                             text=True)
        return out.returncode, calls.read_text().splitlines()

    code, lines = slurm_train(max_restarts=2, succeed_at=1)
    assert code == 0
    assert [line.split()[0] for line in lines] == ['0', '1']
    assert lines[1].endswith(
        'tools/train.py cfg.py --work-dir=wd --launcher=slurm --amp')
    code, lines = slurm_train(max_restarts=1, succeed_at=5)
    assert code == 1
    assert [line.split()[0] for line in lines] == ['0', '1']
    code, lines = slurm_train(max_restarts=0, succeed_at=5)
    assert code == 1 and len(lines) == 1
