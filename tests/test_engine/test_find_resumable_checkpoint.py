"""--resume picks the newest complete checkpoint, whatever a crash left
behind."""
import os
import time

import pytest
import torch
from mmengine.config import Config

from mmlc.apis import checkpoint_problem, find_resumable_checkpoint, set_resume


def save(path, value, age_s=0.0):
    torch.save({'state_dict': {'w': torch.full((1000, ), float(value))}}, path)
    stamp = time.time() - age_s
    os.utime(path, (stamp, stamp))
    return str(path)


def test_truncated_newest_checkpoint_falls_back_to_the_previous(tmp_path):
    older = save(tmp_path / 'iter_4.pth', 4, age_s=60)
    newest = save(tmp_path / 'iter_8.pth', 8)
    data = open(newest, 'rb').read()
    open(newest, 'wb').write(data[:len(data) // 2])  # a save cut short
    (tmp_path / 'last_checkpoint').write_text(newest)
    assert 'not a complete torch checkpoint' in checkpoint_problem(newest)
    assert find_resumable_checkpoint(str(tmp_path)) == older


def test_truncated_last_checkpoint_pointer_falls_back_to_scanning(tmp_path):
    older = save(tmp_path / 'iter_4.pth', 4, age_s=60)
    newest = save(tmp_path / 'iter_8.pth', 8)
    (tmp_path / 'last_checkpoint').write_text(newest[:-6])  # killed mid-write
    assert find_resumable_checkpoint(str(tmp_path)) == newest
    os.remove(newest)
    assert find_resumable_checkpoint(str(tmp_path)) == older


def test_flipped_byte_inside_a_member_is_found_by_the_crc(tmp_path):
    path = save(tmp_path / 'iter_4.pth', 4)
    data = bytearray(open(path, 'rb').read())
    index = data.index(torch.full((1, ), 4.0).numpy().tobytes())
    data[index] ^= 0xFF
    open(path, 'wb').write(bytes(data))
    assert 'corrupt archive member' in checkpoint_problem(path)


def test_no_checkpoint_means_a_fresh_start_and_only_broken_ones_an_error(
        tmp_path):
    cfg = Config(dict(work_dir=str(tmp_path)))
    set_resume(cfg, 'auto')
    assert cfg.resume is False and cfg.load_from is None
    (tmp_path / 'iter_4.pth').write_bytes(b'')
    with pytest.raises(FileNotFoundError, match='iter_4.pth: empty file'):
        set_resume(cfg, 'auto')


def test_explicit_resume_path_is_checked(tmp_path):
    broken = tmp_path / 'epoch_3.pth'
    broken.write_bytes(b'PK\x03\x04 not really')
    with pytest.raises(
            ValueError, match='--resume .*epoch_3.pth: not a complete'):
        set_resume(Config(dict(work_dir=str(tmp_path))), str(broken))
    good = save(tmp_path / 'epoch_2.pth', 2)
    cfg = Config(dict(work_dir=str(tmp_path)))
    set_resume(cfg, good)
    assert cfg.resume is True and cfg.load_from == good
