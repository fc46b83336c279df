"""The ImageNet pretraining configs share one LARS schedule (the recipe
base) and set their length with ``train_cfg.max_epochs`` alone: built as
mmengine's Runner builds it, every config warms up for 10 epochs to lr 4.8
and decays by a cosine that reaches 0 at its own last epoch."""
import math
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import OptimWrapper
from mmengine.runner import BaseLoop, Runner

EPOCH_LENGTH = 5
CONFIGS = {
    'lc_byol/lc-byol_resnet50_16xb256-coslr-100e_in1k.py': 100,
    'lc_byol/lc-byol_resnet50_16xb256-coslr-200e_in1k.py': 200,
    'lc_byol/lc-byol_resnet50_16xb256-coslr-200e_in1k-160px.py': 200,
    'lc_byol/lc-byol_resnet50_16xb256-coslr-400e_in1k.py': 400,
    'lc_byol/lc-byol_resnet50_16xb256-coslr-200e_in1k-160px_alpha-0.3.py': 200,
    'lc_byol/lc-byol_resnet50_16xb256-coslr-200e_in1k_local-mse.py': 200,
    'lc_byol/lc-byol_resnet50_16xb256-coslr-600e_in1k.py': 600,
    'byol/byol_resnet50_16xb256-coslr-300e_in1k.py': 300,
    'byol/byol_resnet50_16xb256-coslr-1000e_in1k.py': 1000,
}


class _BuiltLoop(BaseLoop):
    """Stands for a built train loop: all the scheduler builder asks of it
    is that it exists."""

    def __init__(self):
        pass

    def run(self):
        pass


def _lr_per_iteration(cfg: Config):
    max_epochs = cfg.train_cfg.max_epochs
    runner = SimpleNamespace(
        _train_loop=_BuiltLoop(),
        max_epochs=max_epochs,
        max_iters=max_epochs * EPOCH_LENGTH,
        train_dataloader=[None] * EPOCH_LENGTH,
        logger=MMLogger.get_current_instance())
    lr = cfg.optim_wrapper.optimizer.lr
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    wrapper = OptimWrapper(optimizer)
    schedulers = Runner._build_param_scheduler(runner, cfg.param_scheduler,
                                               wrapper)
    lrs = []
    for _ in range(max_epochs * EPOCH_LENGTH):
        lrs.append(optimizer.param_groups[0]['lr'])
        for scheduler in schedulers:
            scheduler.step()
    return lrs


@pytest.mark.parametrize('config,max_epochs', CONFIGS.items())
def test_warm_up_then_cosine_to_zero_at_the_configs_last_epoch(
        repo_root, config, max_epochs):
    cfg = Config.fromfile(osp.join(repo_root, 'configs', config))
    assert cfg.train_cfg.max_epochs == max_epochs
    assert cfg.optim_wrapper.optimizer.lr == 4.8
    lrs = _lr_per_iteration(cfg)
    warmup = 10 * EPOCH_LENGTH
    cosine = (max_epochs - 10) * EPOCH_LENGTH
    assert lrs[0] == pytest.approx(4.8e-4)
    assert lrs[warmup] == pytest.approx(4.8)
    # k iterations into the cosine: lr (1 + cos(pi k / T)) / 2, T the
    # cosine's length in iterations (so lr / 2 half way); the last
    # iteration is one step before the end
    for k in (cosine // 4, cosine // 2, cosine - 1):
        assert lrs[warmup + k] == pytest.approx(
            2.4 * (1 + math.cos(math.pi * k / cosine)), rel=1e-6, abs=1e-9)
