"""A checkpoint save that fails with ENOSPC (``DiskFullBackend`` writes 4 KB of
``iter_8.pth`` and raises): the previous checkpoint stays the resume target,
no partial file is left, and the run stops with one line naming the path and
the error, or, with ``on_save_error='warn'``, trains on and saves at the next
interval."""
import glob
import os.path as osp
import textwrap
import zipfile

import pytest
import torch

from mmlc.apis import checkpoint_problem, find_resumable_checkpoint


def write_config(write_small_config, tmp_path, on_save_error, max_iters):
    return write_small_config(
        tmp_path, on_save_error,
        textwrap.dedent(f'''\
        train_cfg = dict(max_iters={max_iters})
        default_hooks = dict(
            logger=dict(interval=1),
            checkpoint=dict(interval=4, max_keep_ckpts=1,
                            on_save_error={on_save_error!r},
                            backend_args=dict(backend='disk_full',
                                              fail_on='iter_8.pth')))
        log_level = 'WARNING'
        '''))


def checkpoint_files(work_dir):
    return sorted(
        osp.basename(p) for p in glob.glob(str(work_dir / '*.pth')) +
        glob.glob(str(work_dir / '.*')))


def test_full_disk_stops_the_run_with_one_line(train_tool, write_small_config,
                                               tmp_path, capsys):
    config = write_config(write_small_config, tmp_path, 'raise', 10)
    work_dir = tmp_path / 'work'
    with pytest.raises(SystemExit) as stopped:
        train_tool.main([config, '--work-dir', str(work_dir)])
    assert stopped.value.code == 1
    errors = [
        line for line in capsys.readouterr().err.splitlines()
        if line.startswith('error:')
    ]
    assert errors == [
        f'error: could not save checkpoint {work_dir}/iter_8.pth: [Errno 28] '
        f'No space left on device: ' +
        errors[0].split('No space left on device: ')[-1]
    ]
    assert errors[0].endswith(
        f'; the checkpoint to resume from is still {work_dir}/iter_4.pth')
    # the partial write is gone, the previous checkpoint is whole and chosen
    assert checkpoint_files(work_dir) == ['iter_4.pth']
    assert (work_dir / 'last_checkpoint').read_text() == str(work_dir /
                                                             'iter_4.pth')
    assert checkpoint_problem(str(work_dir / 'iter_4.pth')) is None
    assert find_resumable_checkpoint(str(work_dir)) == str(work_dir /
                                                           'iter_4.pth')


def test_full_disk_can_warn_and_save_at_the_next_interval(
        train_tool, write_small_config, tmp_path, capsys):
    config = write_config(write_small_config, tmp_path, 'warn', 12)
    work_dir = tmp_path / 'work'
    train_tool.main([config, '--work-dir', str(work_dir)])
    assert 'could not save checkpoint' in capsys.readouterr().out
    # max_keep_ckpts=1: iter_4.pth is removed once iter_12.pth is on disk
    assert checkpoint_files(work_dir) == ['iter_12.pth']
    assert (work_dir / 'last_checkpoint').read_text().endswith('iter_12.pth')
    saved = torch.load(work_dir / 'iter_12.pth', map_location='cpu')
    assert saved['meta']['iter'] == 12
    assert saved['message_hub']['runtime_info']['keep_ckpt_ids'] == [12]
    with zipfile.ZipFile(work_dir / 'iter_12.pth') as archive:
        assert archive.testzip() is None
