"""Which checkpoint ``--resume`` continues from: the newest one that is
complete."""
import glob
import logging
import os.path as osp
import zipfile
from typing import List, Optional

from mmengine.logging import print_log

from mmlc.utils import is_remote

CHECKPOINT_PATTERNS = ('iter_*.pth', 'epoch_*.pth')


def checkpoint_problem(path: str) -> Optional[str]:
    """Why ``path`` is not a complete torch checkpoint, or None when it is.

    torch writes checkpoints as zip archives; a save killed part-way leaves an
    archive without its central directory or with a member cut short, which
    the CRC check of every member finds.
    """
    if not osp.isfile(path):
        return 'no such file'
    if osp.getsize(path) == 0:
        return 'empty file'
    try:
        with zipfile.ZipFile(path) as archive:
            bad_member = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        return f'not a complete torch checkpoint ({error})'
    if bad_member is not None:
        return f'corrupt archive member {bad_member}'
    return None


def _candidates(work_dir: str) -> List[str]:
    """``last_checkpoint``'s target first, then every checkpoint, newest first,
    in the work dir and in the folder ``last_checkpoint`` points to (a separate
    ``out_dir``)."""
    named = ''
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer, encoding='utf-8') as f:
            named = f.read().strip()
    folders = {work_dir} | ({osp.dirname(named)} if named
                            and osp.isdir(osp.dirname(named)) else set())
    found = [
        path for folder in folders for pattern in CHECKPOINT_PATTERNS
        for path in glob.glob(osp.join(glob.escape(folder), pattern))
    ]
    found.sort(key=osp.getmtime, reverse=True)
    return list(dict.fromkeys(([named] if named else []) + found))


def find_resumable_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint ``--resume`` (without a path) should continue from.

    ``last_checkpoint`` names the latest save, but mmengine writes it in place
    and the checkpoint it names may be cut short by a crash during the save.
    Every candidate is checked; a damaged one is skipped with a warning that
    names it, and the newest complete checkpoint is returned.

    Returns:
        str or None: the checkpoint path; None when ``work_dir`` holds no
        checkpoint at all.

    Raises:
        FileNotFoundError: checkpoints exist but none is complete (starting
            over would overwrite them).
    """
    candidates = _candidates(work_dir)
    if candidates and is_remote(candidates[0]):
        # remote storage: mmengine's backend reads it as saved
        return candidates[0]
    problems = []
    for path in candidates:
        problem = checkpoint_problem(path)
        if problem is None:
            return path
        problems.append(f'{path}: {problem}')
        print_log(
            f'--resume skips {path}: {problem}',
            logger='current',
            level=logging.WARNING)
    if problems:
        raise FileNotFoundError(
            f'--resume: no complete checkpoint in {work_dir} '
            f'({"; ".join(problems)})')
    return None
