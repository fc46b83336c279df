"""The one-command demo (``make demo``), as functions.

toy data -> LC-BYOL and BYOL pretraining (same budget) -> converted checkpoints
-> correspondence accuracy (and a randomly initialised network) -> a detector
and a segmentor trained briefly from each -> one table (Markdown, CSV, PNG).
Every number comes from the run itself, at toy scale on the CPU.
"""
import os
import os.path as osp
import time
from typing import Dict, List, Optional

import torch
from mmengine.config import Config

from mmlc.converters import convert_checkpoint
from mmlc.datasets import make_toy_dataset
from mmlc.utils import write_json, write_text
from .benchmark import run_benchmark
from .train import build_runner, merge_train_args

TOY_SEED = 0
TOY_IMAGES = 400
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PRETRAIN_CONFIGS = {
    'lc-byol': 'configs/lc_byol/lc-byol_resnet18_1xb16-300iter_toy.py',
    'byol': 'configs/byol/byol_resnet18_1xb16-300iter_toy.py',
}
ABLATION_CONFIGS = {
    'lc-byol-nocolor': 'configs/lc_byol/lc-byol_resnet18_1xb16-300iter-nocolor_toy.py',
}
DOWNSTREAM_CONFIGS = (
    'configs/benchmarks/toy/faster-rcnn_r18-toy_fpn_toy-voc.py',
    'configs/benchmarks/toy/fcn_r18-toy-frozen_toy-voc.py',
)
TOY_BACKBONE = dict(depth=18, base_channels=16, last_stride=1)


class Progress:
    """Numbered step banners with elapsed time."""

    def __init__(self, total: int) -> None:
        self.total, self.step, self.start = total, 0, time.perf_counter()

    def __call__(self, message: str) -> None:
        self.step += 1
        elapsed = time.perf_counter() - self.start
        print(f'\n[demo {self.step}/{self.total} | {elapsed:5.0f} s] {message}', flush=True)


def ensure_toy_dataset(data_root: str, num_images: int = TOY_IMAGES,
                       seed: int = TOY_SEED) -> str:
    """Generate the toy dataset under ``data_root`` unless it is already there."""
    if not osp.isfile(osp.join(data_root, 'imagenet', 'meta', 'train.txt')):
        make_toy_dataset(data_root, num_images=num_images, seed=seed)
    return data_root


def scale_schedule(schedulers: List[dict], factor: float) -> List[dict]:
    """Stretch iteration-based parameter schedulers by ``factor``.

    ``begin``, ``end`` and ``T_max`` are rescaled and rounded; every phase keeps
    at least one iteration, so a shortened run still warms up and decays.
    """
    scaled = []
    for scheduler in schedulers:
        scheduler = dict(scheduler)
        if scheduler.get('by_epoch', True):
            raise ValueError(f'param_scheduler {scheduler["type"]}: only by_epoch=False '
                             'schedules can be rescaled to a new max_iters')
        begin = round(scheduler.get('begin', 0) * factor)
        scheduler['begin'] = begin
        if 'end' in scheduler:
            scheduler['end'] = max(begin + 1, round(scheduler['end'] * factor))
        if 'T_max' in scheduler:
            scheduler['T_max'] = max(1, round(scheduler['T_max'] * factor))
        scaled.append(scheduler)
    return scaled


def pretrain(config: str, work_dir: str, data_root: str, max_iters: Optional[int] = None,
             seed: int = 0) -> str:
    """Pretrain a toy config; returns the last checkpoint."""
    cfg = merge_train_args(Config.fromfile(config), config, work_dir=work_dir)
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.train_dataloader.dataset.data_root = osp.join(data_root, 'imagenet')
    if max_iters is not None:
        cfg.param_scheduler = scale_schedule(cfg.param_scheduler,
                                             max_iters / cfg.train_cfg.max_iters)
        cfg.train_cfg.max_iters = max_iters
        cfg.default_hooks.checkpoint.interval = max_iters
    runner = build_runner(cfg)
    runner.train()
    return osp.join(work_dir, f'iter_{runner.iter}.pth')


def save_random_backbone(path: str, seed: int = 0) -> str:
    """A randomly initialised toy backbone, saved in the openmmlab layout."""
    from mmlc.evaluation import load_resnet
    model = load_resnet(None, depth=TOY_BACKBONE['depth'],
                        base_channels=TOY_BACKBONE['base_channels'], seed=seed)
    os.makedirs(osp.dirname(path), exist_ok=True)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def measure_correspondence(checkpoint: str, data_root: str, out_file: str,
                           max_images: Optional[int] = None, seed: int = 0) -> float:
    from mmlc.evaluation import correspondence_record, evaluate_correspondence, load_resnet
    from mmlc.evaluation.images import list_images
    backbone = load_resnet(checkpoint, depth=TOY_BACKBONE['depth'],
                           base_channels=TOY_BACKBONE['base_channels'],
                           last_stride=TOY_BACKBONE['last_stride'])
    paths = list_images(osp.join(data_root, 'imagenet', 'val'))[:max_images]
    record = correspondence_record(
        checkpoint, evaluate_correspondence(backbone, paths, img_size=96, seed=seed))
    write_json(out_file, record)
    return record['metrics']['accuracy']


def downstream(config: str, checkpoint: str, data_root: str, work_dir: str,
               max_iters: Optional[int] = None, seed: int = 0) -> Dict[str, float]:
    """Train + test a toy benchmark from a converted checkpoint; writes results.json."""
    voc = osp.join(data_root, 'VOCdevkit')
    if 'fcn' in osp.basename(config):
        voc = osp.join(voc, 'VOC2007')
    options = {f'{loader}.dataset.data_root': voc
               for loader in ('train_dataloader', 'test_dataloader')}
    options['randomness'] = dict(seed=seed, deterministic=False)
    if max_iters is not None:
        options.update({'train_cfg.max_iters': max_iters,
                        'param_scheduler': None,
                        'default_hooks.checkpoint.interval': max_iters})
    return run_benchmark(config, checkpoint, work_dir=work_dir, cfg_options=options)


def bar_chart(header, rows, out_file: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    columns = header[1:]
    fig, ax = plt.subplots(figsize=(1.8 * len(columns) + 2, 4), dpi=100)
    width = 0.8 / max(len(rows), 1)
    for index, row in enumerate(rows):
        values = [float(v) if v != '-' else 0.0 for v in row[1:]]
        ax.bar(np.arange(len(columns)) + index * width, values, width, label=row[0])
    ax.set_xticks(np.arange(len(columns)) + 0.4 - width / 2)
    ax.set_xticklabels([c.replace(' ', '\n') for c in columns], fontsize=7)
    ax.set_ylabel('%')
    ax.set_title('mmlc demo (toy scale, CPU)')
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)


def run_demo(work_dir: str, data_root: str = 'data/toy', pretrain_iters: Optional[int] = None,
             downstream_iters: Optional[int] = None, max_eval_images: Optional[int] = None,
             seed: int = 0, methods: Optional[Dict[str, str]] = None) -> str:
    """The whole demo; returns the Markdown table (also written under ``work_dir``).

    Args:
        work_dir (str): everything the demo writes goes here.
        data_root (str): toy dataset location (generated if missing).
        pretrain_iters (int, optional): pretraining iterations (the configs' 300
            otherwise); the LR schedule is stretched to match.
        downstream_iters (int, optional): shorten each downstream run (the configs'
            100 / 300 otherwise).
        max_eval_images (int, optional): use at most this many correspondence images.
        seed (int): seeds pretraining, the random network, the evaluation's colour
            transforms and the downstream runs.
        methods (dict, optional): method name -> pretraining config (relative to
            the repository); :data:`PRETRAIN_CONFIGS` by default.
    """
    from mmlc.evaluation import load_results, results_table, to_csv, to_markdown
    progress = Progress(total=7)
    progress(f'toy dataset under {data_root}')
    ensure_toy_dataset(data_root)
    checkpoints = {}
    for method, config in (methods or PRETRAIN_CONFIGS).items():
        progress(f'pretraining {method} ({config})')
        raw = pretrain(osp.join(REPO_ROOT, config), osp.join(work_dir, 'pretrain', method),
                       data_root, pretrain_iters, seed)
        checkpoints[method] = osp.join(work_dir, 'checkpoints', f'{method}.pth')
        convert_checkpoint(raw, checkpoints[method], depth=TOY_BACKBONE['depth'],
                           base_channels=TOY_BACKBONE['base_channels'])
    checkpoints['random-init'] = save_random_backbone(
        osp.join(work_dir, 'checkpoints', 'random-init.pth'), seed)
    progress('correspondence accuracy (image vs. its flipped copy)')
    results_dir = osp.join(work_dir, 'results')
    for method, checkpoint in checkpoints.items():
        accuracy = measure_correspondence(checkpoint, data_root, osp.join(
            results_dir, method, 'correspondence.json'), max_eval_images, seed)
        print(f'  {method:12s} {100 * accuracy:.1f}%')
    for config in DOWNSTREAM_CONFIGS:
        progress(f'downstream {osp.basename(config)} from each checkpoint')
        for method, checkpoint in checkpoints.items():
            task = osp.splitext(osp.basename(config))[0]
            metrics = downstream(osp.join(REPO_ROOT, config), checkpoint, data_root,
                                 osp.join(results_dir, method, task), downstream_iters, seed)
            print(f'  {method:12s} {metrics}')
    progress('table')
    header, rows = results_table(load_results([results_dir]))
    markdown = to_markdown(header, rows)
    write_text(osp.join(work_dir, 'table.md'), markdown)
    write_text(osp.join(work_dir, 'table.csv'), to_csv(header, rows))
    bar_chart(header, rows, osp.join(work_dir, 'table.png'))
    print(markdown)
    print(f'written: {work_dir}/table.md, table.csv, table.png (toy scale, CPU; '
          'not the paper\'s numbers)')
    return markdown
