"""Distributed runs that report what went wrong: restarts, collective
timeouts, the rank that did not answer."""
import datetime
import logging
import os
import time
from typing import Optional

import torch.distributed as dist
from mmengine.config import Config
from mmengine.dist import get_rank, get_world_size, is_distributed
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
    """Whether ``error`` is a collective that gave up waiting: gloo's ``Timed
    out waiting 30000ms for recv operation to complete``, NCCL's ``Watchdog
    caught collective operation timeout`` (other timeouts, e.g. a dataloader
    worker's, are not)."""
    text = str(error).lower()
    return ('timed out waiting' in text
            or 'collective operation timeout' in text)


class CollectiveWatch:
    """After a collective timed out, find which ranks do not answer, through
    the rendezvous store (``MASTER_ADDR:MASTER_PORT``: torchrun's agent store,
    or rank 0's under slurm), not through a process group whose state the
    timeout left unknown.

    Each rank that timed out checks in under a key of its own; rank 0 waits
    up to ``grace`` seconds for all of them and publishes the ranks that did
    not check in; the other ranks wait for that verdict. A rank that is hung,
    dead or busy for longer than the timeout does not check in. Keys carry
    the restart count, so a restarted worker group never reads the last
    group's.

    Args:
        timeout (int): the process-group timeout, seconds.
    """

    def __init__(self, timeout: int) -> None:
        self.timeout = timeout
        self.grace = min(timeout, MAX_GRACE_S)
        run = os.environ.get('TORCHELASTIC_RUN_ID', 'run')
        self.prefix = f'mmlc/timeout/{run}/{restart_count()}/'

    def _store(self) -> Optional[dist.TCPStore]:
        host, port = os.environ.get('MASTER_ADDR'), os.environ.get(
            'MASTER_PORT')
        if not host or not port:
            return None
        return dist.TCPStore(
            host,
            int(port),
            is_master=False,
            timeout=datetime.timedelta(seconds=self.grace))

    def explain(self, error: BaseException, iteration: int) -> str:
        """The one-line report of a timed-out collective."""
        rank, world_size = get_rank(), get_world_size()
        head = (f'rank {rank}: a collective timed out after {self.timeout} s '
                f'(env_cfg.dist_cfg.timeout) at iteration {iteration + 1}')
        try:
            store = self._store()
            if store is None:
                return f'{head}; no rendezvous store to ask the others. ' \
                       f'Cause: {error}'
            verdict = self._verdict(store, rank, world_size)
        except (RuntimeError, OSError) as store_error:
            return f'{head}; the rendezvous store did not answer either ' \
                   f'({store_error}). Cause: {error}'
        if verdict is None:
            return (f'{head}; rank 0 gave no verdict within '
                    f'{2 * self.grace} s (it may be the rank that is hung)')
        if verdict:
            return (f'{head}; rank(s) {verdict} did not answer within '
                    f'{self.grace} s (hung, dead or too slow)')
        return (f'{head}, but every rank answers: the ranks are alive and '
                f'waited in different collectives, or one was slower than '
                f'the timeout. Cause: {error}')

    def _verdict(self, store: dist.TCPStore, rank: int,
                 world_size: int) -> Optional[str]:
        """Rank 0: the ranks that did not check in ('' when all did). Other
        ranks: rank 0's verdict, or None when it gave none."""
        store.set(f'{self.prefix}{rank}', 'here')
        verdict_key = f'{self.prefix}verdict'
        if rank != 0:
            try:
                store.wait([verdict_key],
                           datetime.timedelta(seconds=2 * self.grace))
            except RuntimeError:
                return None
            return store.get(verdict_key).decode()
        keys = [f'{self.prefix}{r}' for r in range(world_size)]
        deadline = time.monotonic() + self.grace
        while not store.check(keys) and time.monotonic() < deadline:
            time.sleep(0.5)
        missing = [
            str(r) for r, key in enumerate(keys) if not store.check([key])
        ]
        verdict = ', '.join(missing)
        store.set(verdict_key, verdict)
        return verdict


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
