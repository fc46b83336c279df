"""The one-command demo, as a function."""
import os.path as osp
import time
from typing import Dict, Optional

from mmengine.config import Config

from mmlc.datasets import make_toy_dataset
from .train import build_runner, merge_train_args

TOY_SEED = 0
TOY_IMAGES = 400


def ensure_toy_dataset(data_root: str, num_images: int = TOY_IMAGES,
                       seed: int = TOY_SEED) -> str:
    """Generate the toy dataset under ``data_root`` unless it is already there."""
    meta = osp.join(data_root, 'imagenet', 'meta', 'train.txt')
    if not osp.isfile(meta):
        print(f'[demo] generating {num_images} toy scenes (seed {seed}) under {data_root}')
        make_toy_dataset(data_root, num_images=num_images, seed=seed)
    return osp.join(data_root, 'imagenet')


def run_demo(config: str, work_dir: str, data_root: str,
             max_iters: Optional[int] = None) -> Dict[str, str]:
    """Pretrain the CPU config on the toy dataset and summarise the run.

    Args:
        config (str): the pretraining config (the toy LC-BYOL one by default).
        work_dir (str): where logs and checkpoints go.
        data_root (str): where the toy dataset lives (generated if missing).
        max_iters (int, optional): override the config's ``max_iters``.

    Returns:
        dict: printable summary (checkpoint, losses at start and end, time).
    """
    imagenet_root = ensure_toy_dataset(data_root)
    cfg = merge_train_args(Config.fromfile(config), config, work_dir=work_dir)
    cfg.train_dataloader.dataset.data_root = imagenet_root
    if max_iters is not None:
        cfg.train_cfg.max_iters = max_iters
    start = time.perf_counter()
    runner = build_runner(cfg)
    runner.train()
    hub = runner.message_hub
    summary = {'config': config, 'iterations': str(runner.iter),
               'checkpoint': osp.join(work_dir, f'iter_{runner.iter}.pth'),
               'wall time': f'{time.perf_counter() - start:.0f} s (toy scale, CPU)'}
    for key in ('loss', 'l_g', 'l_lc'):
        history = hub.get_scalar(f'train/{key}').data[0]
        summary[key] = f'{history[0]:.4f} (first iteration) -> {history[-10:].mean():.4f} ' \
                       '(mean of the last 10)'
    return summary
