"""What ``tools/train.py`` does, as functions tests can call."""
import datetime
import gc
import itertools
import logging
import os
import os.path as osp
from typing import Optional

import torch
import torch.distributed as dist
from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from mmlc.utils import is_remote, register_all_modules
from .checkpoint_selection import checkpoint_problem, find_resumable_checkpoint
from .config_checks import check_train_config
from .dist_watch import dist_timeout, restart_count

_RUNS = itertools.count()


def adapt_to_cpu_distributed(cfg: Config) -> Config:
    """Make a distributed config runnable on CPU-only processes.

    gloo instead of nccl, and :class:`~mmlc.engine.CPUDistributedDataParallel`
    (BN instead of SyncBN, no ``device_ids``) instead of mmengine's DDP
    wrapper.
    """
    cfg.env_cfg = cfg.get('env_cfg', ConfigDict())
    cfg.env_cfg.setdefault('dist_cfg', ConfigDict())
    cfg.env_cfg.dist_cfg.backend = 'gloo'
    wrapper = ConfigDict(cfg.get('model_wrapper_cfg') or {})
    wrapper.type = 'CPUDistributedDataParallel'
    wrapper.setdefault('broadcast_buffers', False)
    cfg.model_wrapper_cfg = wrapper
    cfg.pop('sync_bn', None)
    return cfg


def set_dataloader_defaults(cfg: Config,
                            pin_memory: bool = True,
                            persistent_workers: bool = True) -> None:
    """mmpretrain's dataloader defaults; ``persistent_workers`` needs
    workers."""
    for field in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(field)
        if loader is None:
            continue
        merged = ConfigDict(
            pin_memory=pin_memory and torch.cuda.is_available(),
            persistent_workers=persistent_workers,
            collate_fn=dict(type='default_collate'))
        merged.update(loader)
        # a dict inherited from a `pkg::` base carries `_scope_`, which
        # mmengine would pass to the collate function as a keyword argument
        if isinstance(merged.get('collate_fn'), dict):
            merged.collate_fn.pop('_scope_', None)
        if not pin_memory or not torch.cuda.is_available():
            merged.pin_memory = False
        if not persistent_workers or merged.get('num_workers', 0) == 0:
            merged.persistent_workers = False
        cfg[field] = merged


def merge_train_args(cfg: Config,
                     config_path: str,
                     work_dir: Optional[str] = None,
                     resume: Optional[str] = None,
                     amp: bool = False,
                     auto_scale_lr: bool = False,
                     launcher: str = 'none',
                     no_validate: bool = False,
                     no_pin_memory: bool = False,
                     no_persistent_workers: bool = False,
                     cfg_options: Optional[dict] = None) -> Config:
    """Apply the mmpretrain ``tools/train.py`` command-line conventions to a
    config.

    Args:
        cfg (Config): the loaded config (modified and returned).
        config_path (str): its path, for the default work dir.
        work_dir (str, optional): ``--work-dir``; else ``cfg.work_dir``, else
            ``work_dirs/<config name>``.
        resume (str, optional): ``'auto'`` (newest complete checkpoint of the
            work dir, see :func:`find_resumable_checkpoint`) or a checkpoint
            path. A restarted worker group (:func:`restart_count` > 0)
            resumes with ``'auto'`` when no path is given.
        amp (bool): use ``AmpOptimWrapper`` with dynamic loss scaling.
        auto_scale_lr (bool): enable ``cfg.auto_scale_lr`` (linear scaling
            rule).
        launcher (str): ``none``, ``pytorch``, ``slurm`` or ``mpi``.
        no_validate (bool): drop the validation loop.
        no_pin_memory (bool): ``pin_memory=False`` in the dataloaders.
        no_persistent_workers (bool): ``persistent_workers=False``.
        cfg_options (dict, optional): ``--cfg-options``, merged last.

    Returns:
        Config: the merged config.
    """
    if no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.launcher = launcher
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
    if amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if auto_scale_lr:
        if 'auto_scale_lr' not in cfg:
            raise KeyError(
                f'{config_path}: --auto-scale-lr needs `auto_scale_lr` '
                '(base_batch_size) in the config')
        cfg.auto_scale_lr.enable = True
    set_dataloader_defaults(
        cfg,
        pin_memory=not no_pin_memory,
        persistent_workers=not no_persistent_workers)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    give_visualizer_own_name(cfg)
    if launcher != 'none' and not torch.cuda.is_available():
        adapt_to_cpu_distributed(cfg)
    if resume is None and restart_count() > 0:
        print_log(
            f'restart {restart_count()} of this run: resuming from the newest '
            f'complete checkpoint in {cfg.work_dir}',
            logger='current',
            level=logging.WARNING)
        resume = 'auto'
    if resume is not None:
        set_resume(cfg, resume)
    return cfg


def give_visualizer_own_name(cfg: Config) -> None:
    """Make ``cfg.visualizer.name`` unique to this run.

    mmdet's, mmseg's and mmpose's configs name their visualizer
    ``'visualizer'``, and mmengine builds a visualizer through
    ``get_instance``, which returns the existing instance of that name. A
    second run in the same process (the demo, the toy study, the tests) then
    writes its logs into the first run's folder, or fails once that folder is
    gone. Without a name the Runner uses its experiment name, as mmpretrain's
    configs do.
    """
    visualizer = cfg.get('visualizer')
    if isinstance(visualizer, dict) and 'name' in visualizer:
        visualizer.name = f'{visualizer.name}@{cfg.work_dir}#{next(_RUNS)}'


def set_resume(cfg: Config, resume: str) -> None:
    """``--resume``: ``'auto'`` continues from the newest complete checkpoint
    of the work dir (a fresh start when it holds none); a path must be a
    complete checkpoint."""
    if resume == 'auto':
        checkpoint = find_resumable_checkpoint(cfg.work_dir)
        if checkpoint is None:
            print_log(
                f'--resume: no checkpoint in {cfg.work_dir}, training from '
                f'the start',
                logger='current',
                level=logging.WARNING)
        cfg.resume, cfg.load_from = checkpoint is not None, checkpoint
        return
    if not is_remote(resume):
        problem = checkpoint_problem(resume)
        if problem is not None:
            raise ValueError(f'--resume {resume}: {problem}')
    cfg.resume, cfg.load_from = True, resume


def init_launched_process_group(backend: str, timeout: int) -> None:
    """Join the process group of a ``torch.distributed.run`` launch.

    Used where mmengine's ``init_dist`` would fail:

    - without CUDA (gloo): ``init_dist`` calls ``torch.cuda.set_device``
      unconditionally, which fails without a GPU driver;
    - in a worker group torchrun restarted (``--max-restarts``): torch 2.14
      hands the restarted workers the agent's store from the failed attempt,
      keys and all, so the new group reads the old group's gloo addresses
      (or NCCL ids) and fails to connect or hangs. Here the keys of each
      attempt get a prefix of their own.

    The Runner skips its own initialisation when a process group exists.
    Reads ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``, ``MASTER_ADDR`` and
    ``MASTER_PORT`` set by ``torch.distributed.run``.

    Args:
        backend (str): ``gloo`` or ``nccl``.
        timeout (int): seconds a collective waits for the other ranks
            (``env_cfg.dist_cfg.timeout``, as mmengine's ``init_dist``).
    """
    if dist.is_initialized():
        return
    if backend == 'nccl':
        torch.cuda.set_device(int(os.environ.get('LOCAL_RANK', 0)))
    wait = datetime.timedelta(seconds=timeout)
    if os.environ.get('TORCHELASTIC_USE_AGENT_STORE') != 'True':
        dist.init_process_group(backend=backend, timeout=wait)
        return
    agent_store = dist.TCPStore(
        os.environ['MASTER_ADDR'],
        int(os.environ['MASTER_PORT']),
        is_master=False,
        timeout=wait)
    dist.init_process_group(
        backend=backend,
        timeout=wait,
        store=dist.PrefixStore(f'mmlc/attempt_{restart_count()}', agent_store),
        rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']))


def close_process_group() -> None:
    """Leave the process group once every rank has finished.

    Drop every reference to the Runner before calling it. A process group
    that is still referenced (DDP's reducer holds one) outlives
    ``destroy_process_group`` and is destroyed during interpreter shutdown,
    where its threads may be torn down out of order: the process then dies
    with ``terminate called without an active exception`` (SIGABRT) after a
    run that finished. So: collect the garbage (the Runner and its reference
    cycles), wait for every rank, destroy the group, collect again.
    """
    if dist.is_available() and dist.is_initialized():
        gc.collect()
        dist.barrier()
        dist.destroy_process_group()
        gc.collect()


def build_runner(cfg: Config):
    """Build the Runner a config asks for (``runner_type`` or the default)."""
    register_all_modules(init_default_scope=False)
    check_train_config(cfg)
    if cfg.get('launcher', 'none') == 'pytorch':
        _init_launch(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def _init_launch(cfg: Config) -> None:
    """gloo without CUDA; with CUDA only a restarted worker group needs
    mmlc's initialisation, the first attempt is left to mmengine."""
    if not torch.cuda.is_available():
        init_launched_process_group('gloo', dist_timeout(cfg))
    elif restart_count() > 0:
        dist_cfg = cfg.get('env_cfg', {}).get('dist_cfg', {})
        init_launched_process_group(
            dist_cfg.get('backend', 'nccl'), dist_timeout(cfg))


def ensure_local_rank(local_rank: int) -> None:
    """torch.distributed.launch passes ``--local-rank``; mmengine reads the
    env."""
    os.environ.setdefault('LOCAL_RANK', str(local_rank))
