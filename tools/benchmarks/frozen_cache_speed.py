"""Time the toy frozen FCN with and without ``FrozenBackboneCacheHook`` and
check that both train the same heads.

    python tools/benchmarks/frozen_cache_speed.py CHECKPOINT \
        --data-root data/toy --iters 400

Prints a markdown table: the samples the cache served, seconds per
iteration over the first epoch (every input a miss) and after it, the whole
training time, and the largest difference between the two runs' head
weights. Toy scale, CPU.
"""
import argparse
import os.path as osp
import platform
import time
from typing import Dict, List, Optional

import torch
from mmengine.hooks import Hook
from toy_harness import REPO_ROOT

from mmlc.apis.benchmark import load_benchmark_config
from mmlc.apis.train import build_runner
from mmlc.engine import FrozenBackboneCacheHook

CONFIG = osp.join(REPO_ROOT,
                  'configs/benchmarks/toy/fcn_r18-d16-frozen_toy-voc.py')


class IterTimer(Hook):
    """The wall-clock end of every training iteration."""

    def __init__(self) -> None:
        self.ends: List[float] = []

    def before_train(self, runner) -> None:
        self.ends = [time.perf_counter()]

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None) -> None:
        self.ends.append(time.perf_counter())


def train_frozen_fcn(checkpoint: str, data_root: str, iters: int,
                     work_dir: str, cache: bool) -> Dict:
    """Train the toy frozen FCN for ``iters`` iterations; returns its
    per-iteration times, its iterations per epoch, the samples the cache
    served and its head weights."""
    voc = osp.join(data_root, 'VOCdevkit', 'VOC2007')
    cfg = load_benchmark_config(
        CONFIG,
        checkpoint,
        work_dir=work_dir,
        cfg_options={
            'train_cfg.max_iters': iters,
            'randomness': dict(seed=0, deterministic=False),
            'train_dataloader.dataset.data_root': voc,
            'test_dataloader.dataset.data_root': voc,
        })
    if not cache:
        cfg.custom_hooks = [
            hook for hook in cfg.custom_hooks
            if hook['type'] != FrozenBackboneCacheHook.__name__
        ]
    runner = build_runner(cfg)
    timer = IterTimer()
    runner.register_hook(timer, priority='VERY_LOW')
    runner.train()
    heads = {
        name: value.clone()
        for name, value in runner.model.state_dict().items()
        if not name.startswith('backbone.')
    }
    served = sum(
        hook.hits for hook in runner.hooks
        if isinstance(hook, FrozenBackboneCacheHook))
    return dict(
        steps=[b - a for a, b in zip(timer.ends, timer.ends[1:])],
        epoch=len(runner.train_dataloader),
        served=served,
        heads=heads)


def _mean(values: List[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def _cell(value: Optional[float]) -> str:
    return '-' if value is None else f'{value:.3f}'


def compare(checkpoint: str, data_root: str, iters: int, work_dir: str) -> str:
    runs = {
        name:
        train_frozen_fcn(checkpoint, data_root, iters,
                         osp.join(work_dir, name), cache)
        for name, cache in (('without the cache', False), ('with the cache',
                                                           True))
    }
    plain, cached = runs.values()
    head_diff = max(
        (plain['heads'][name] - cached['heads'][name]).abs().max().item()
        for name in plain['heads'])
    lines = [
        '| run | samples served from the cache | s/iteration, first epoch | '
        's/iteration, after it | training s |', '|---|---|---|---|---|'
    ]
    for name, run in runs.items():
        epoch = run['epoch']
        lines.append(f'| {name} | {run["served"]} | '
                     f'{_cell(_mean(run["steps"][:epoch]))} | '
                     f'{_cell(_mean(run["steps"][epoch:]))} | '
                     f'{sum(run["steps"]):.0f} |')
    lines.append(f'\n{iters} iterations, {plain["epoch"]} per epoch; largest '
                 f'difference between the two runs\' head weights: '
                 f'{head_diff:.3g}; {platform.machine()}, '
                 f'{torch.backends.cpu.get_cpu_capability()}, '
                 f'{time.strftime("%Y-%m-%d")} (toy scale, CPU)')
    return '\n'.join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'checkpoint', help='a converted toy ResNet-18 backbone checkpoint')
    parser.add_argument('--data-root', default='data/toy')
    parser.add_argument('--iters', type=int, default=400)
    parser.add_argument('--work-dir', default='work_dirs/frozen_cache_speed')
    args = parser.parse_args(argv)
    if args.iters < 1:
        parser.error(f'--iters must be positive, got {args.iters}')
    return args


def main(argv=None) -> str:
    args = parse_args(argv)
    table = compare(args.checkpoint, args.data_root, args.iters, args.work_dir)
    print(table)
    return table


if __name__ == '__main__':
    main()
