"""Every shipped pretraining config builds and trains one iteration on the
CPU."""
import glob
import math
import os.path as osp

import pytest
from mmengine.config import Config

from mmlc.apis import build_runner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
METHOD_FOLDERS = ('lc_byol', 'byol', 'lc_mocov2', 'mocov2', 'lc_simsiam',
                  'simsiam', 'lc_densecl', 'densecl', 'dino', 'lc_dino')
CONFIGS = sorted(
    path for folder in METHOD_FOLDERS
    for path in glob.glob(osp.join(REPO, 'configs', folder, '*.py')))


def test_configs_exist():
    names = {osp.basename(p) for p in CONFIGS}
    assert 'lc-byol_resnet50_16xb256-coslr-400e_in1k.py' in names
    assert len(names) >= 15


def one_iteration_cfg(path, toy_root, work_dir):
    cfg = Config.fromfile(path)
    cfg.work_dir = str(work_dir)
    loader = cfg.train_dataloader
    loader.batch_size, loader.num_workers = 2, 0
    loader.persistent_workers = False
    dataset = loader.dataset
    dataset.type, dataset.data_root = 'CustomDataset', osp.join(
        toy_root, 'imagenet')
    dataset.data_prefix, dataset.ann_file = 'train', 'meta/train.txt'
    dataset.pop('split', None)
    dataset.indices = 2
    if cfg.optim_wrapper.type == 'AmpOptimWrapper':  # needs a GPU
        cfg.optim_wrapper.type = 'OptimWrapper'
        cfg.optim_wrapper.pop('loss_scale', None)
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=1)
    cfg.param_scheduler = None
    cfg.default_hooks.checkpoint.update(interval=10, by_epoch=False)
    cfg.log_level = 'WARNING'
    return cfg


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_trains_one_iteration(path, toy_root, tmp_path):
    cfg = one_iteration_cfg(path, toy_root, tmp_path)
    runner = build_runner(cfg)  # runs check_train_config first
    runner.train()
    assert runner.iter == 1
    # the pretraining guards (docs/reliability.md), whatever custom hooks the
    # method brings along
    hooks = [type(hook).__name__ for hook in runner.hooks]
    assert 'ResumableCheckpointHook' in hooks
    assert 'NonFiniteLossGuardHook' in hooks
    assert math.isfinite(runner.message_hub.get_scalar('train/loss').current())
    if 'local_branch' in cfg.model:
        assert runner.message_hub.get_scalar('train/l_lc').current() > 0
