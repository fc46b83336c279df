"""Distributed runs that report what went wrong: restarts, collective
timeouts, the rank that did not answer."""
import datetime
import logging
import os
import re
from typing import Optional

import torch.distributed as dist
from mmengine.config import Config
from mmengine.dist import get_rank, is_distributed
from mmengine.logging import print_log

from mmlc.engine.errors import RunStoppedError

# mmengine's default process-group timeout when ``dist_cfg`` has none
DEFAULT_TIMEOUT_S = 1800
# the longest wait for the ranks to answer once a collective has timed out
MAX_GRACE_S = 60


class CollectiveTimeoutError(RunStoppedError):
    """A collective timed out; the message names the ranks that did not
    answer."""


def restart_count() -> int:
    """How many times this run's worker group has been restarted: by torchrun
    (``TORCHELASTIC_RESTART_COUNT``, ``tools/dist_train.sh`` with
    ``MAX_RESTARTS``) or by ``tools/slurm_train.sh`` (``MMLC_RESTART_COUNT``).
    """
    for name in ('TORCHELASTIC_RESTART_COUNT', 'MMLC_RESTART_COUNT'):
        value = os.environ.get(name)
        if value:
            return int(value)
    return 0


def dist_timeout(cfg: Config) -> int:
    """``env_cfg.dist_cfg.timeout`` in seconds (mmengine's 1800 if unset)."""
    dist_cfg = (cfg.get('env_cfg') or {}).get('dist_cfg') or {}
    timeout = dist_cfg.get('timeout', DEFAULT_TIMEOUT_S)
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError('env_cfg.dist_cfg.timeout must be a positive number '
                         f'of seconds, got {timeout!r}')
    return int(timeout)


def is_timeout(error: BaseException) -> bool:
    """Whether ``error`` is a collective that gave up waiting (gloo's
    ``Timed out waiting ...``, NCCL's watchdog ``timeout``)."""
    text = str(error).lower()
    return 'timed out' in text or 'timeout' in text


class CollectiveWatch:
    """A separate gloo group that finds, after a collective timed out, which
    ranks do not answer.

    Every rank calls ``torch.distributed.monitored_barrier`` on the group.
    Rank 0 waits for all the others and names those that did not come; a
    rank that is stuck (or hung, or busy for longer than the timeout) does
    not come. The other ranks wait twice as long for rank 0's answer, so that
    rank 0's report is the one in the log.

    Args:
        timeout (int): the process-group timeout, seconds.
    """

    def __init__(self, timeout: int) -> None:
        self.timeout = timeout
        self.grace = min(timeout, MAX_GRACE_S)
        self.group = dist.new_group(backend='gloo')

    def explain(self, error: BaseException, iteration: int) -> str:
        """The one-line report of a timed-out collective."""
        rank = get_rank()
        head = (f'rank {rank}: a collective timed out after {self.timeout} s '
                f'(env_cfg.dist_cfg.timeout) at iteration {iteration + 1}')
        wait = self.grace if rank == 0 else 2 * self.grace
        try:
            dist.monitored_barrier(
                group=self.group,
                timeout=datetime.timedelta(seconds=wait),
                wait_all_ranks=True)
        except RuntimeError as barrier_error:
            missing = re.search(r'Ranks? ([\d, ]+) failed', str(barrier_error))
            if rank == 0 and missing:
                ranks = missing.group(1).strip()
                return (f'{head}; rank(s) {ranks} did not answer within '
                        f'{wait} s (hung, dead or too slow)')
            return (f'{head}; the ranks did not all answer within {wait} s '
                    f'(rank 0 names them: see its log). Cause: {error}')
        return (f'{head}, but every rank answers: the ranks are alive and '
                f'waited in different collectives, or one was slower than '
                f'the timeout. Cause: {error}')


def train_and_report(runner, cfg: Config) -> None:
    """``runner.train()``; a collective that times out is re-raised as a
    :class:`CollectiveTimeoutError` naming the ranks that did not answer."""
    watch: Optional[CollectiveWatch] = None
    if is_distributed():
        watch = CollectiveWatch(dist_timeout(cfg))
    try:
        runner.train()
    except RuntimeError as error:
        if (watch is None or isinstance(error, RunStoppedError)
                or not is_timeout(error)):
            raise
        message = watch.explain(error, runner.iter)
        print_log(message, logger='current', level=logging.ERROR)
        raise CollectiveTimeoutError(message) from error
