"""What LC-loss costs on top of BYOL: step time, peak memory, FLOPs (library
behind ``tools/analysis_tools/benchmark_overhead.py`` and
``benchmark_lc_loss.py``)."""
import statistics
import time
from typing import Callable, Dict, List, Sequence

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.model import revert_sync_batchnorm
from mmengine.optim import build_optim_wrapper
from torch import nn

from mmlc.testing import fake_view_batch
from mmlc.utils.memory import peak_memory, reset_peak_memory


def load_config(config: str) -> Config:
    """``Config.fromfile`` that also takes ``pkg::path`` (e.g. mmpretrain's
    own configs)."""
    if '::' in config:
        import importlib
        import os.path as osp
        package, rel = config.split('::', 1)
        root = osp.dirname(importlib.import_module(package).__file__)
        config = osp.join(root, '.mim', 'configs', rel)
    return Config.fromfile(config)


def build_for_benchmark(config: str, device: str, amp: bool = False) -> tuple:
    """Model (SyncBN reverted) and optimizer wrapper of a pretraining
    config."""
    from mmengine.registry import DefaultScope, init_default_scope

    import mmlc  # noqa: F401
    from mmlc.registry import MODELS
    cfg = load_config(config)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmpretrain')):
        model_cfg = cfg.model.copy()
        model_cfg.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
        model = revert_sync_batchnorm(MODELS.build(model_cfg)).to(device)
        optim_cfg = cfg.optim_wrapper.copy()
        if amp:
            optim_cfg.type = 'AmpOptimWrapper'
            optim_cfg.setdefault('loss_scale', 'dynamic')
        else:
            optim_cfg.type = 'OptimWrapper'
            optim_cfg.pop('loss_scale', None)
        optim_wrapper = build_optim_wrapper(model, optim_cfg)
    model.train()
    return model, optim_wrapper


def _sync(device: str) -> None:
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()


def timed_step(model: nn.Module, optim_wrapper, data: dict,
               device: str) -> float:
    """One full training step (forward, backward, optimizer step, EMA update),
    seconds."""
    _sync(device)
    start = time.perf_counter()
    model.train_step(data, optim_wrapper)
    _sync(device)
    return time.perf_counter() - start


def alternate_timing(steps: Sequence[Callable[[], float]], iters: int,
                     warmup: int) -> List[List[float]]:
    """Run ``steps`` in turn (A B A B ...) ``warmup`` times untimed, then
    ``iters`` times."""
    for _ in range(warmup):
        for step in steps:
            step()
    times = [[] for _ in steps]
    for _ in range(iters):
        for index, step in enumerate(steps):
            times[index].append(step())
    return times


def summarise_times(times: List[float]) -> Dict[str, float]:
    quartiles = statistics.quantiles(
        times, n=4) if len(times) > 1 else [times[0]] * 3
    return dict(
        median_s=statistics.median(times),
        q1_s=quartiles[0],
        q3_s=quartiles[2],
        min_s=min(times),
        max_s=max(times))


class _LossOnly(nn.Module):
    """``model.loss`` as a module of the views alone, for the FLOP counter."""

    def __init__(self, model: nn.Module, data_samples: list) -> None:
        super().__init__()
        self.model, self.data_samples = model, data_samples

    def forward(self, *views: torch.Tensor) -> torch.Tensor:
        losses = self.model.loss(list(views), self.data_samples)
        return sum(value for key, value in losses.items() if 'loss' in key)


def count_flops(model: nn.Module, data: dict, device: str) -> int:
    """Forward FLOPs of one loss computation (mmengine's FlopAnalyzer; it
    counts convolutions, matmuls/einsums, norms; not element-wise ops or
    grid_sample)."""
    from mmengine.analysis import FlopAnalyzer
    processed = model.data_preprocessor(data, True)
    views = tuple(v.to(device) for v in processed['inputs'])
    analyzer = FlopAnalyzer(_LossOnly(model, processed['data_samples']), views)
    analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    return int(analyzer.total())


def measure_peak_memory(model: nn.Module, optim_wrapper, data: dict,
                        device: str) -> int:
    """Extra peak memory (bytes) of one training step over what was resident
    before."""
    before = reset_peak_memory(device)
    model.train_step(data, optim_wrapper)
    return max(peak_memory(device) - before, 0)


def _memory_worker(config: str, batch_size: int, img_size: int, device: str,
                   amp: bool) -> int:
    MessageHub.get_current_instance().update_info('max_iters', 10_000)
    model, optim_wrapper = build_for_benchmark(config, device, amp)
    return measure_peak_memory(
        model, optim_wrapper,
        fake_view_batch(
            batch_size,
            img_size,
            image_hw=(240, 320),
            crop_xywh=None,
            flip=None,
            uint8=True), device)


def peak_memory_of_step(config: str, batch_size: int, img_size: int,
                        device: str, amp: bool) -> int:
    """Extra peak memory of one training step of a fresh model (bytes).

    On the CPU it runs in a fresh process: peak RSS is per process, and memory
    the allocator kept from an earlier model would hide the second one's.
    """
    if str(device).startswith('cuda'):
        return _memory_worker(config, batch_size, img_size, device, amp)
    import multiprocessing
    with multiprocessing.get_context('spawn').Pool(1) as pool:
        return pool.apply(_memory_worker,
                          (config, batch_size, img_size, device, amp))


def compare_configs(config_a: str,
                    config_b: str,
                    batch_size: int = 4,
                    img_size: int = 224,
                    iters: int = 10,
                    warmup: int = 2,
                    device: str = 'cpu',
                    amp: bool = False) -> Dict:
    """Time, memory and FLOPs of two pretraining configs on the same synthetic
    batch.

    Returns:
        dict: per config ``time`` (median, quartiles), ``peak_memory_mb``,
        ``gflops``; and ``ratio_b_over_a`` (median of the pairwise step-time
        ratios, peak memory and FLOPs ratios).
    """
    MessageHub.get_current_instance().update_info('max_iters', 10_000)
    data = fake_view_batch(
        batch_size,
        img_size,
        image_hw=(240, 320),
        crop_xywh=None,
        flip=None,
        uint8=True)
    entries = []
    for config in (config_a, config_b):
        model, optim_wrapper = build_for_benchmark(config, device, amp)
        entries.append(dict(config=config, model=model, optim=optim_wrapper))
    for entry in entries:
        entry['peak_memory_mb'] = peak_memory_of_step(
            entry['config'], batch_size, img_size, device, amp) / 2**20
    for entry in entries:
        entry['gflops'] = count_flops(entry['model'], data, device) / 1e9
    steps = [
        lambda e=entry: timed_step(e['model'], e['optim'], data, device)
        for entry in entries
    ]
    times = alternate_timing(steps, iters, warmup)
    pair_ratios = [b / a for a, b in zip(*times)]
    report = dict(
        batch_size=batch_size,
        img_size=img_size,
        iters=iters,
        warmup=warmup,
        device=device,
        amp=amp,
        torch=torch.__version__)
    for key, entry, entry_times in zip(('a', 'b'), entries, times):
        report[key] = dict(
            config=entry['config'],
            time=summarise_times(entry_times),
            peak_memory_mb=round(entry['peak_memory_mb'], 1),
            gflops=round(entry['gflops'], 3))
    report['ratio_b_over_a'] = dict(
        step_time_median_of_pairs=statistics.median(pair_ratios),
        peak_memory=entries[1]['peak_memory_mb'] /
        max(entries[0]['peak_memory_mb'], 1e-9),
        flops=entries[1]['gflops'] / entries[0]['gflops'])
    return report


def benchmark_lc_loss(grids: Sequence[int] = (7, 14, 28, 56),
                      batch_size: int = 32,
                      channels: int = 256,
                      device: str = 'cpu',
                      repeats: int = 3,
                      impls: Sequence[str] = ('direct', 'chunked'),
                      skip_direct_above: int = 10**9) -> List[Dict]:
    """Forward + backward time and extra peak memory of the direct and chunked
    LC-loss.

    ``skip_direct_above``: leave out the direct form when B * N_t * N_o exceeds
    it.
    """
    from mmlc.models.losses import local_contrastive_loss
    rows = []
    for grid in grids:
        g = torch.Generator(device='cpu').manual_seed(grid)
        target = torch.randn(
            batch_size, channels, grid, grid, generator=g).to(device)
        online = torch.randn(
            batch_size, channels, grid, grid, generator=g).to(device)
        points = (torch.rand(batch_size, grid * grid, 2, generator=g) * 2 -
                  1).to(device)
        valid = torch.ones(
            batch_size, grid * grid, dtype=torch.bool, device=device)
        for impl in impls:
            pairs = batch_size * grid**4
            if impl == 'direct' and pairs > skip_direct_above:
                rows.append(
                    dict(grid=grid, impl=impl, skipped=True, pairs=pairs))
                continue
            times, peaks = [], []
            for _ in range(repeats):
                t, o = target.clone().requires_grad_(), online.clone(
                ).requires_grad_()
                before = reset_peak_memory(device)
                _sync(device)
                start = time.perf_counter()
                local_contrastive_loss(
                    t, o, points, valid, 0.2, impl=impl).backward()
                _sync(device)
                times.append(time.perf_counter() - start)
                peaks.append(peak_memory(device) - before)
            rows.append(
                dict(
                    grid=grid,
                    impl=impl,
                    skipped=False,
                    pairs=pairs,
                    time_s=statistics.median(times),
                    peak_extra_mb=round(max(peaks) / 2**20, 1)))
    return rows


def benchmark_pipelines(config_a: str,
                        config_b: str,
                        image_paths: Sequence[str],
                        rounds: int = 3,
                        seed: int = 0) -> Dict:
    """Images per second through each config's full training pipeline, one
    process.

    Both pipelines see the same images; rounds alternate A and B, and the
    reported throughput is the median over rounds.
    """
    import random

    from mmcv.transforms import Compose
    from mmengine.registry import DefaultScope, init_default_scope

    import mmlc  # noqa: F401
    pipelines = []
    for config in (config_a, config_b):
        cfg = load_config(config)
        init_default_scope(cfg.get('default_scope', 'mmpretrain'))
        with DefaultScope.overwrite_default_scope(
                cfg.get('default_scope', 'mmpretrain')):
            pipelines.append(Compose(cfg.train_dataloader.dataset.pipeline))
    rates = [[], []]
    np.random.seed(seed)
    random.seed(seed)
    for _ in range(rounds):
        for index, pipeline in enumerate(pipelines):
            start = time.perf_counter()
            for path in image_paths:
                pipeline(dict(img_path=path))
            rates[index].append(
                len(image_paths) / (time.perf_counter() - start))
    a, b = (statistics.median(r) for r in rates)
    return dict(
        a=dict(config=config_a, images_per_s=a),
        b=dict(config=config_b, images_per_s=b),
        ratio_b_over_a=b / a,
        images=len(image_paths),
        rounds=rounds)
