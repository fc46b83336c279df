"""mmlc.apis.initial_weights rebuilds the weights a run started from."""
import pytest
import torch

from mmlc.apis import build_runner, initial_weights


def trained_parameters(state):
    """The backbone's and neck's weights an optimiser updates (BN running
    statistics move in a forward pass, whatever the learning rate)."""
    return {
        name: tensor
        for name, tensor in state.items()
        if name.startswith(('backbone.', 'neck.')) and 'running' not in name
        and 'num_batches' not in name
    }


def test_initial_weights_are_the_weights_a_run_trains_from(
        frozen_run_cfg, tmp_path):
    cfg = frozen_run_cfg(tmp_path / 'run', seed=3)
    build_runner(cfg.copy()).train()
    checkpoint = torch.load(
        tmp_path / 'run' / 'iter_1.pth', map_location='cpu')['state_dict']

    rebuilt = trained_parameters(initial_weights(cfg))
    started_from = trained_parameters(checkpoint)
    assert rebuilt.keys() == started_from.keys()
    assert any(name.endswith('conv1.weight') for name in rebuilt)
    for name, tensor in rebuilt.items():
        assert torch.equal(tensor, started_from[name]), name

    # weights before the first step, whatever a step would do to them
    learning = frozen_run_cfg(tmp_path / 'lr', seed=3)
    learning.optim_wrapper.optimizer.lr = 0.3
    assert torch.equal(
        initial_weights(learning)['backbone.layer1.0.conv1.weight'],
        rebuilt['backbone.layer1.0.conv1.weight'])

    other_seed = initial_weights(frozen_run_cfg(tmp_path / 'other', seed=4))
    assert not torch.equal(other_seed['backbone.layer1.0.conv1.weight'],
                           rebuilt['backbone.layer1.0.conv1.weight'])


def test_initial_weights_writes_nothing_and_keeps_the_config(
        frozen_run_cfg, tmp_path):
    cfg = frozen_run_cfg(tmp_path / 'run', seed=0)
    initial_weights(cfg)
    assert not (tmp_path / 'run').exists()
    assert cfg.train_cfg.max_iters == 1
    assert cfg.work_dir == str(tmp_path / 'run')


def test_initial_weights_needs_a_loop_length(frozen_run_cfg, tmp_path):
    cfg = frozen_run_cfg(tmp_path / 'run', seed=0)
    cfg.train_cfg = dict(type='IterBasedTrainLoop')
    with pytest.raises(ValueError, match='train_cfg.*max_iters'):
        initial_weights(cfg)


def test_initial_weights_needs_the_runs_seed(frozen_run_cfg, tmp_path):
    cfg = frozen_run_cfg(tmp_path / 'run', seed=0)
    cfg.randomness = dict(deterministic=False)
    with pytest.raises(ValueError, match='randomness.seed is not set'):
        initial_weights(cfg)
    assert not (tmp_path / 'run').exists()
