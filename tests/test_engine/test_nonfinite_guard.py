"""NonFiniteLossGuardHook: a non-finite loss or gradient never reaches the
weights, a run that keeps producing them stops with a message that says
where, and no checkpoint with a non-finite tensor is written or resumed.

The loss is spoiled by a test-only model switch (``NonFiniteLossAt`` in
``mmlc.testing.faults``) after an unchanged forward pass; the guard itself is
the hook every pretraining config carries.
"""
import glob
import os.path as osp
import textwrap

import pytest
import torch
from mmengine.hooks import Hook

from mmlc.apis import find_resumable_checkpoint
from mmlc.engine import first_nonfinite_tensor
from mmlc.registry import HOOKS

SPOIL_TERMS = ('loss_lc', )


@HOOKS.register_module()
class SkipStepsByIterationHook(Hook):
    """The reference for "a run that skipped exactly those steps": the
    optimizer step of the chosen iterations is dropped, chosen by number, with
    no look at the loss."""
    priority = 'VERY_HIGH'

    def __init__(self, at_iters):
        self.at_iters = set(at_iters)

    def before_train(self, runner):
        wrapper = runner.optim_wrapper
        step = wrapper.step

        def step_unless_chosen(**kwargs):
            if runner.iter + 1 not in self.at_iters:
                step(**kwargs)

        wrapper.step = step_unless_chosen


def write_config(write_small_config,
                 tmp_path,
                 name,
                 at_iters=(),
                 kind='nan',
                 max_iters=8,
                 extra=''):
    return write_small_config(
        tmp_path, name,
        textwrap.dedent(f'''\
        _lc_byol = _base_.model
        model = dict(_delete_=True, type='NonFiniteLossAt', model=_lc_byol,
                     at_iters={list(at_iters)!r}, terms={SPOIL_TERMS!r},
                     kind={kind!r})
        train_cfg = dict(max_iters={max_iters})
        default_hooks = dict(logger=dict(interval=1),
                             checkpoint=dict(interval=2, max_keep_ckpts=-1))
        log_level = 'WARNING'
        randomness = dict(seed=3)
        ''') + extra)


def run(train_tool, config, work_dir, *extra_args):
    train_tool.main([config, '--work-dir', str(work_dir), *extra_args])


def final_weights(work_dir, max_iters=8):
    return torch.load(
        osp.join(work_dir, f'iter_{max_iters}.pth'),
        map_location='cpu')['state_dict']


def assert_no_nonfinite_checkpoint(work_dir):
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        checkpoint = torch.load(path, map_location='cpu')
        assert first_nonfinite_tensor(checkpoint['state_dict']) is None, path
        assert first_nonfinite_tensor(checkpoint['optimizer']) is None, path


def test_first_nonfinite_tensor_names_the_tensor():
    state = {
        'a': torch.ones(2),
        'b': [torch.zeros(1), {
            'c': torch.tensor([1., float('inf')])
        }],
        'steps': torch.tensor(3),
    }
    assert first_nonfinite_tensor(state) == 'b.1.c'
    state['b'][1]['c'][1] = 0.
    assert first_nonfinite_tensor(state) is None
    assert first_nonfinite_tensor({'x': torch.tensor(float('nan'))}) == 'x'


@pytest.fixture(scope='module')
def reference_skipping_3_and_4(write_small_config, tmp_path_factory,
                               train_tool):
    tmp_path = tmp_path_factory.mktemp('reference')
    config = write_config(
        write_small_config,
        tmp_path,
        'reference',
        extra="custom_hooks = [dict(type='SkipStepsByIterationHook', "
        "at_iters=[3, 4])]\n")
    run(train_tool, config, tmp_path / 'work')
    return final_weights(tmp_path / 'work')


@pytest.mark.parametrize('kind', ['nan', 'inf', 'grad'])
def test_nonfinite_steps_are_skipped_exactly(train_tool, write_small_config,
                                             tmp_path,
                                             reference_skipping_3_and_4, kind):
    config = write_config(
        write_small_config, tmp_path, kind, at_iters=(3, 4), kind=kind)
    run(train_tool, config, tmp_path / 'work')
    weights = final_weights(tmp_path / 'work')
    assert weights.keys() == reference_skipping_3_and_4.keys()
    for key, value in reference_skipping_3_and_4.items():
        assert torch.equal(weights[key], value), key
    assert_no_nonfinite_checkpoint(tmp_path / 'work')


def test_without_the_skip_the_reference_differs(train_tool, write_small_config,
                                                tmp_path,
                                                reference_skipping_3_and_4):
    """The comparison above can fail: a run that steps at 3 and 4 ends
    elsewhere."""
    config = write_config(write_small_config, tmp_path, 'plain')
    run(train_tool, config, tmp_path / 'work')
    weights = final_weights(tmp_path / 'work')
    assert not all(
        torch.equal(weights[key], value)
        for key, value in reference_skipping_3_and_4.items())


def test_consecutive_nonfinite_steps_stop_the_run(train_tool,
                                                  write_small_config, tmp_path,
                                                  capsys):
    config = write_config(
        write_small_config,
        tmp_path,
        'stops',
        at_iters=(5, 6, 7),
        extra="default_hooks['nonfinite_guard'] = dict("
        "type='NonFiniteLossGuardHook', max_consecutive=3)\n")
    work_dir = tmp_path / 'work'
    with pytest.raises(SystemExit) as stopped:
        run(train_tool, config, work_dir)
    assert stopped.value.code == 1
    lines = [
        line for line in capsys.readouterr().err.splitlines()
        if line.startswith('error:')
    ]
    assert len(lines) == 1
    assert 'iteration 7' in lines[0]
    assert 'loss_lc' in lines[0]
    # steps 5 and 6 were skipped, so the weights saved at 6 are finite: the
    # newest checkpoint before the stop is iter_6.pth, and none is written
    # at 8
    assert lines[0].endswith(
        f'the last checkpoint saved before it: {work_dir}/iter_6.pth')
    assert sorted(osp.basename(p)
                  for p in glob.glob(str(work_dir / '*.pth'))) == [
                      'iter_2.pth', 'iter_4.pth', 'iter_6.pth'
                  ]
    assert_no_nonfinite_checkpoint(work_dir)


def test_a_nonfinite_checkpoint_is_refused_for_resume(train_tool,
                                                      write_small_config,
                                                      tmp_path, capsys):
    config = write_config(write_small_config, tmp_path, 'good', max_iters=2)
    work_dir = tmp_path / 'work'
    run(train_tool, config, work_dir)
    checkpoint = torch.load(work_dir / 'iter_2.pth', map_location='cpu')
    key = 'model.backbone.layer1.0.conv1.weight'
    checkpoint['state_dict'][key][0, 0, 0, 0] = float('nan')
    torch.save(checkpoint, work_dir / 'iter_2.pth')
    assert find_resumable_checkpoint(str(work_dir)).endswith('iter_2.pth')

    with pytest.raises(SystemExit):
        run(train_tool, config, work_dir, '--resume')
    error = capsys.readouterr().err
    assert f'state_dict.{key} is not finite' in error
    assert 'iter_2.pth' in error


def test_a_nonfinite_weight_is_never_saved(train_tool, write_small_config,
                                           tmp_path, capsys):
    """Weights spoiled by something other than a step (here: a hook that
    writes a NaN) are refused at the save, before anything is written."""
    config = write_config(
        write_small_config,
        tmp_path,
        'spoiled',
        max_iters=4,
        extra="custom_hooks = [dict(type='SpoilWeightHook', at_iter=3)]\n")
    with pytest.raises(SystemExit):
        run(train_tool, config, tmp_path / 'work')
    error = capsys.readouterr().err
    assert ('refusing to save the checkpoint of iteration 4: '
            'state_dict.model.neck.fc0.weight is not finite') in error
    assert not (tmp_path / 'work' / 'iter_4.pth').exists()
    assert not glob.glob(str(tmp_path / 'work' / '.*.tmp'))
    assert (tmp_path / 'work' / 'iter_2.pth').exists()


@HOOKS.register_module()
class SpoilWeightHook(Hook):

    def __init__(self, at_iter):
        self.at_iter = at_iter

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at_iter:
            with torch.no_grad():
                runner.model.model.neck.fc0.weight[0, 0] = float('nan')
