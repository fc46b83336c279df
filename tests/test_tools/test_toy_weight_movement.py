"""The toy study's weight-movement measurement, on a real pretraining run."""
import pytest
import torch
import toy_harness

from mmlc.evaluation import filter_bank_summary

# one step at learning rate 0 leaves every kernel where the runner put it
FROZEN_STEP = {
    'optim_wrapper.optimizer.lr': 0.0,
    'train_dataloader.batch_size': 4,
    'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
}


@pytest.fixture(scope='module')
def frozen_network(toy_root, tmp_path_factory):
    """BYOL's toy recipe pretrained one step at learning rate 0 (seed 5) and
    converted like the study's networks; ``(run, checkpoint, work_dir)``."""
    work_dir = str(tmp_path_factory.mktemp('work'))
    run = toy_harness.ToyRun('byol_frozen_seed-5', 'byol', 5, FROZEN_STEP,
                             (toy_harness.WEIGHT_MOVEMENT, ))
    checkpoint = toy_harness.pretrained_backbone(
        run, toy_root, work_dir, str(tmp_path_factory.mktemp('results')),
        toy_harness.ToyBudget(pretrain_iters=1))
    return run, checkpoint, work_dir


def test_a_network_left_where_it_started_has_not_moved(frozen_network,
                                                       toy_root):
    run, checkpoint, work_dir = frozen_network
    record = toy_harness.measure_weight_movement(run, checkpoint, toy_root,
                                                 work_dir)
    assert list(
        record['stages']) == ['conv1', 'layer1', 'layer2', 'layer3', 'layer4']
    for stage, moved in record['stages'].items():
        assert moved['cosine'] == pytest.approx(1.0, abs=1e-9), stage
        assert moved['change'] == pytest.approx(0.0, abs=1e-9), stage
        assert record['metrics'][f'{stage}_cosine'] == moved['cosine']
    assert list(record['norm_stages']) == [
        'bn1', 'layer1', 'layer2', 'layer3', 'layer4'
    ]
    for stage, moved in record['norm_stages'].items():
        assert moved['weight_shift'] == pytest.approx(0.0, abs=1e-9), stage
        assert moved['bias_shift'] == pytest.approx(0.0, abs=1e-9), stage
    # the stem's filters are the start's: a random bank of 64 filters
    filters = record['stem_filters']
    assert filters['trained'] == pytest.approx(filters['start'])
    assert filters['start']['effective_rank'] > 40
    # the images' three main patch directions hold most of their energy and
    # are nearly flat (local means); a random stem has 3 / 147 of its
    # energy along them, and a stem that did not move has no update
    subspace = record['stem_input_subspace']
    assert subspace['directions'] == 3
    assert 0.5 < subspace['patch_share'] < 1
    assert subspace['trained'] == pytest.approx(subspace['start'])
    assert subspace['start'] == pytest.approx(3 / 147, abs=0.015)
    assert subspace['update'] is None
    _, directions = toy_harness.pretraining_patch_directions(run, toy_root, 7)
    top = directions[:, :3].T.reshape(3, 3, 7, 7).float()
    assert filter_bank_summary(top)['flat_share'] > 0.8


def test_a_moved_stage_shows_and_the_start_is_the_runs_own(
        frozen_network, toy_root, tmp_path):
    run, checkpoint, work_dir = frozen_network
    state = torch.load(checkpoint, map_location='cpu')
    for name, tensor in state['state_dict'].items():
        if name.startswith('layer4.') and tensor.dim() >= 2:
            tensor.neg_()
        if name.startswith('layer2.') and name.endswith('.bias'):
            tensor.sub_(0.5)  # every BN bias of layer2 (no conv has one)
    # every stem filter moved along the images' main patch direction
    _, directions = toy_harness.pretraining_patch_directions(run, toy_root, 7)
    main_direction = directions[:, 0].float().view(3, 7, 7)
    state['state_dict']['conv1.weight'] += 10 * main_direction
    moved = str(tmp_path / 'moved.pth')
    torch.save(state, moved)
    record = toy_harness.measure_weight_movement(run, moved, toy_root,
                                                 work_dir)
    stages, norm_stages = record['stages'], record['norm_stages']
    assert norm_stages['layer2']['bias_shift'] == pytest.approx(0.5)
    assert norm_stages['layer4']['bias_shift'] == pytest.approx(0.0, abs=1e-9)
    assert stages['layer4']['cosine'] == pytest.approx(-1.0, abs=1e-9)
    assert stages['layer4']['change'] == pytest.approx(2.0, abs=1e-9)
    assert stages['layer3']['cosine'] == pytest.approx(1.0, abs=1e-9)
    subspace = record['stem_input_subspace']
    assert subspace['update'] == pytest.approx(1.0)
    assert subspace['trained'] > 0.9 > subspace['start']

    # measured against another seed's start, every kernel is another draw
    other = toy_harness.ToyRun(run.name, run.method, 6, run.cfg_options)
    stages = toy_harness.measure_weight_movement(other, checkpoint, toy_root,
                                                 work_dir)['stages']
    assert all(abs(moved['cosine']) < 0.1 for moved in stages.values())


def test_the_random_network_has_no_start_to_compare_with(toy_root, tmp_path):
    run = toy_harness.ToyRun('random-init_seed-0', toy_harness.RANDOM_INIT)
    with pytest.raises(ValueError, match='random-init_seed-0.*not pretrained'):
        toy_harness.measure_weight_movement(run, 'x.pth', toy_root,
                                            str(tmp_path))
