"""Shared fixtures: everything the tests use is generated here, nothing
downloaded."""
import os.path as osp
import sys

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the scripts of these folders import their helper modules (toy_harness,
# backbone_args, ...) as siblings; tests import them the same way
for _tools_folder in ('benchmarks', 'analysis_tools'):
    sys.path.append(osp.join(REPO_ROOT, 'tools', _tools_folder))


@pytest.fixture(scope='session', autouse=True)
def mmlc_setup():
    """The explicit set-up a tool makes (``import mmlc`` alone does not):
    tests load Runner checkpoints with ``torch.load`` directly, whichever test
    runs first."""
    from mmlc.utils import register_all_modules
    register_all_modules(init_default_scope=False)


@pytest.fixture(autouse=True)
def isolated_default_scope():
    """Each test starts in mmpretrain's scope, whatever scope an earlier test's
    Runner left as mmengine's current default (registries build through it)."""
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        yield


@pytest.fixture(scope='session')
def repo_root() -> str:
    return REPO_ROOT


@pytest.fixture(scope='session')
def toy_root(tmp_path_factory) -> str:
    """A small toy dataset in every format (24 scenes of 64 x 64 px)."""
    from mmlc.datasets import make_toy_dataset
    root = str(tmp_path_factory.mktemp('toy'))
    make_toy_dataset(root, num_images=24, seed=0, size=(64, 64))
    return root


@pytest.fixture(scope='session')
def train_tool():
    """``tools/train.py`` as a module, for in-process runs through its
    ``main(argv)``."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'train_tool', osp.join(REPO_ROOT, 'tools', 'train.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def write_small_config(repo_root, toy_root):
    """``write(folder, name, body) -> path``: a 64 px, batch-4, worker-less
    variant of the test-sized LC-BYOL config that imports
    ``mmlc.testing.faults``, with ``body`` (config lines, unindented)
    appended."""
    import textwrap
    base = osp.join(repo_root, 'configs', 'lc_byol',
                    'lc-byol_resnet18_1xb16-300iter_toy.py')
    data_root = osp.join(toy_root, 'imagenet')

    def write(folder, name: str, body: str) -> str:
        path = folder / f'{name}.py'
        path.write_text(
            textwrap.dedent(f'''\
            _base_ = {base!r}
            custom_imports = dict(imports=['mmlc', 'mmlc.testing.faults'],
                                  allow_failed_imports=False)
            img_size = 64
            train_dataloader = dict(
                batch_size=4, num_workers=0, persistent_workers=False,
                dataset=dict(data_root={data_root!r}))
            param_scheduler = None
            ''') + body)
        return str(path)

    return write


@pytest.fixture(scope='session')
def frozen_run_cfg(repo_root, toy_root):
    """``make(work_dir, seed) -> Config``: the test-sized LC-BYOL config for
    one step at learning rate 0 (batch 4, a checkpoint at iteration 1), so
    the step leaves every trained weight where the runner initialised it."""
    from mmengine.config import Config

    def make(work_dir, seed: int):
        cfg = Config.fromfile(
            osp.join(repo_root, 'configs', 'lc_byol',
                     'lc-byol_resnet18_1xb16-300iter_toy.py'))
        cfg.work_dir = str(work_dir)
        cfg.randomness = dict(seed=seed)
        cfg.train_dataloader.batch_size = 4
        cfg.train_dataloader.num_workers = 0
        cfg.train_dataloader.persistent_workers = False
        cfg.train_dataloader.dataset.data_root = osp.join(toy_root, 'imagenet')
        cfg.train_cfg.max_iters = 1
        cfg.optim_wrapper.optimizer.lr = 0.0
        cfg.param_scheduler = None
        cfg.default_hooks.checkpoint = dict(
            type='CheckpointHook', interval=1, by_epoch=False)
        cfg.log_level = 'WARNING'
        return cfg

    return make
