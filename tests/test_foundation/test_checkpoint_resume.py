"""Runner checkpoints save, load and resume with torch's weights_only
default."""
import os.path as osp
import pickle

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmlc.utils import allow_mmengine_checkpoints, mmengine_safe_globals


def small_cfg(repo_root, toy_root, work_dir, max_iters):
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs', 'lc_byol',
                 'lc-byol_resnet18_1xb16-300iter_toy.py'))
    cfg.work_dir = str(work_dir)
    cfg.train_dataloader.batch_size = 4
    cfg.train_dataloader.dataset.data_root = osp.join(toy_root, 'imagenet')
    cfg.train_cfg.max_iters = max_iters
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=2, by_epoch=False)
    cfg.default_hooks.logger.interval = 1
    cfg.log_level = 'WARNING'
    return cfg


def test_weights_only_safety_is_not_switched_off():
    import os
    assert 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD' not in os.environ
    assert 'TORCH_FORCE_WEIGHTS_ONLY_LOAD' not in os.environ


def test_runner_checkpoint_resumes_iteration_and_optimizer(
        repo_root, toy_root, tmp_path):
    runner = Runner.from_cfg(
        small_cfg(repo_root, toy_root, tmp_path, max_iters=2))
    runner.train()
    ckpt_path = osp.join(tmp_path, 'iter_2.pth')
    assert osp.isfile(ckpt_path)
    saved_optim = runner.optim_wrapper.state_dict()

    # plain torch.load with the default weights_only=True reads it
    ckpt = torch.load(ckpt_path, map_location='cpu')
    assert ckpt['meta']['iter'] == 2
    # what the checkpoint needs beyond torch's own allow-list is exactly ours
    torch.serialization.clear_safe_globals()
    try:
        needed = set(
            torch.serialization.get_unsafe_globals_in_checkpoint(ckpt_path))
    finally:
        allow_mmengine_checkpoints()
    allowed = {
        f'{g.__module__}.{g.__qualname__}'
        for g in mmengine_safe_globals()
    }
    assert 'mmengine.logging.history_buffer.HistoryBuffer' in needed
    assert 'builtins.getattr' not in needed
    assert needed <= allowed, needed - allowed

    cfg = small_cfg(repo_root, toy_root, tmp_path / 'resumed', max_iters=3)
    cfg.resume, cfg.load_from = True, ckpt_path
    resumed = Runner.from_cfg(cfg)
    resumed._train_loop = resumed.build_train_loop(resumed._train_loop)
    resumed.optim_wrapper = resumed.build_optim_wrapper(resumed.optim_wrapper)
    resumed.load_or_resume()
    assert resumed.iter == 2
    restored = resumed.optim_wrapper.state_dict()
    assert restored['state'].keys() == saved_optim['state'].keys()
    for key, state in saved_optim['state'].items():
        torch.testing.assert_close(restored['state'][key]['momentum_buffer'],
                                   state['momentum_buffer'])
    for a, b in zip(resumed.model.state_dict().values(),
                    runner.model.state_dict().values()):
        torch.testing.assert_close(a, b)


def test_third_party_pickles_stay_under_weights_only(tmp_path):
    import argparse
    path = tmp_path / 'third_party.pth'
    torch.save(
        {
            'state_dict': {
                'w': torch.ones(1)
            },
            'args': argparse.Namespace(lr=1)
        }, path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    torch.save({'state_dict': {'w': torch.ones(1)}}, path)
    assert torch.load(path)['state_dict']['w'].item() == 1.0
