"""Downstream benchmarks: train, test, and leave a results.json (library behind
``tools/benchmarks/train_and_test.py``)."""
import os.path as osp
import time
from typing import Dict, Optional, Tuple

from mmengine.config import Config
from mmengine.dist import get_rank

from mmlc.utils.fileio import write_json
from .train import build_runner, merge_train_args

BENCHMARK_ROOT = osp.join('work_dirs', 'benchmarks')


def benchmark_work_dir(config: str,
                       pretrained: str,
                       root: str = BENCHMARK_ROOT) -> str:
    """``<root>/<config name>/<checkpoint name>/``."""
    config_name = osp.splitext(osp.basename(config))[0]
    checkpoint_name = osp.splitext(osp.basename(pretrained))[0]
    return osp.join(root, config_name, checkpoint_name)


def load_benchmark_config(config: str,
                          pretrained: str,
                          work_dir: Optional[str] = None,
                          launcher: str = 'none',
                          amp: bool = False,
                          cfg_options: Optional[dict] = None) -> Config:
    """A benchmark config with the pretrained checkpoint set by the one
    documented route (``model.backbone.init_cfg.checkpoint``)."""
    if not osp.isfile(pretrained):
        raise FileNotFoundError(
            f'pretrained checkpoint {pretrained} does not exist')
    options = {'model.backbone.init_cfg.checkpoint': pretrained}
    options.update(cfg_options or {})
    return merge_train_args(
        Config.fromfile(config),
        config,
        work_dir=work_dir or benchmark_work_dir(config, pretrained),
        amp=amp,
        launcher=launcher,
        cfg_options=options)


def train_and_test(cfg: Config) -> Tuple[object, Dict[str, float]]:
    """Train with a downstream config, then test the final model.

    Returns:
        tuple: the Runner and the test metrics the evaluator reported.
    """
    runner = build_runner(cfg)
    runner.train()
    metrics = runner.test()
    return runner, dict(metrics)


def write_results(cfg: Config, metrics: Dict[str, float],
                  seconds: float) -> Optional[str]:
    """Write ``<work_dir>/results.json`` (rank 0 only); returns its path."""
    if get_rank() != 0:
        return None
    path = osp.join(cfg.work_dir, 'results.json')
    task = osp.splitext(osp.basename(cfg.filename))[0]
    record = dict(
        task=task,
        config=cfg.filename,
        checkpoint=cfg.model.backbone.init_cfg.checkpoint,
        metrics={
            k: float(v)
            for k, v in metrics.items()
        },
        wall_time_s=round(seconds, 1),
        date=time.strftime('%Y-%m-%d %H:%M:%S %Z'))
    write_json(path, record)
    return path


def run_benchmark(config: str, pretrained: str, **kwargs) -> Dict[str, float]:
    """Train + test one benchmark and write its results.json.

    Args:
        config (str): a config under ``configs/benchmarks/``.
        pretrained (str): converted backbone checkpoint (``--to openmmlab``).
        **kwargs: ``work_dir``, ``launcher``, ``amp``, ``cfg_options`` of
            :func:`load_benchmark_config`.

    Returns:
        dict: the test metrics.
    """
    cfg = load_benchmark_config(config, pretrained, **kwargs)
    start = time.perf_counter()
    _, metrics = train_and_test(cfg)
    write_results(cfg, metrics, time.perf_counter() - start)
    return metrics
