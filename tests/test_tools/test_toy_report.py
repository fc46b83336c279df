"""The toy study's bookkeeping: grouping over seeds, the paper-ordering
verdict, the learning-rate choice, and the pictures."""
import importlib.util
import json
import os
import os.path as osp

import pytest
import torch
from toy_report import (bar_chart, bar_heights, group_values, load_toy_records,
                        mean_sd, paper_ordering, summary_markdown)


def _record(run, task, value, seed=0):
    metric = {
        'correspondence': 'accuracy',
        'detection': 'pascal_voc/mAP',
        'detection-d16': 'pascal_voc/mAP'
    }.get(task, 'mIoU')
    return dict(
        task=task,
        method=run,
        seed=seed,
        checkpoint='x',
        metrics={metric: value})


def _values(lc, byol, random):
    records = []
    for seed, (a, b, c) in enumerate(zip(lc, byol, random)):
        for task in ('frozen-seg', 'linear-probe'):
            records += [
                _record(f'lc_{seed}', task, a, seed),
                _record(f'byol_{seed}', task, b, seed),
                _record(f'rand_{seed}', task, c, seed)
            ]
    groups = {
        f'{name}_{s}': label
        for s in range(len(lc))
        for name, label in (('lc', 'LC'), ('byol', 'BYOL'), ('rand', 'random'))
    }
    return group_values(records, groups)


def test_mean_and_sample_sd_by_hand():
    assert mean_sd([1.0, 2.0, 3.0]) == (2.0, 1.0)
    assert mean_sd([4.0]) == (4.0, 0.0)


def test_grouping_orders_seeds_and_scales_headlines():
    records = [
        _record('a_1', 'correspondence', 0.5, seed=1),
        _record('a_0', 'correspondence', 0.25, seed=0)
    ]
    values = group_values(records, {'a_0': 'A', 'a_1': 'A'})
    assert values == {
        'A': {
            'correspondence': [25.0, 50.0]
        }
    }  # fractions shown in %
    table = summary_markdown(values, ['A', 'missing'])
    # by default a column per evaluation that was measured
    assert table.splitlines()[0] == '| method | correspondence acc |'
    assert '| A | 37.5 ± 17.7 (n=2) |' in table
    assert 'missing' not in table
    every = summary_markdown(values, ['A'],
                             ['correspondence', 'linear-probe', 'frozen-seg'])
    assert '| A | 37.5 ± 17.7 (n=2) | - | - |' in every


def test_bar_heights_leave_out_what_was_not_measured():
    import math
    heights = bar_heights({
        'correspondence': [1.0, 3.0],
        'linear-probe': [5.0]
    }, ['correspondence', 'linear-probe', 'detection'])
    assert heights[0] == (2.0, math.sqrt(2.0), 2)
    # one seed: its value, but no error bar (an sd of 0 would read as exact)
    mean, sd, runs = heights[1]
    assert mean == 5.0 and math.isnan(sd) and runs == 1
    mean, sd, runs = heights[2]
    assert math.isnan(mean) and runs == 0


def test_bar_chart_labels_each_bar_with_its_number_of_seeds(
        tmp_path, monkeypatch):
    import matplotlib.pyplot as plt
    closed = []
    monkeypatch.setattr(plt, 'close', closed.append)
    values = {
        'LC': {
            'correspondence': [60.0, 62.0],
            'linear-probe': [15.0]
        },
        'BYOL': {
            'correspondence': [20.0]
        }
    }
    out_file = tmp_path / 'chart.png'
    bar_chart(values, ['LC', 'BYOL'], str(out_file), 'title',
              ['correspondence', 'linear-probe'])
    assert out_file.stat().st_size > 0
    labels = [(text.get_text(), text.xy[1])
              for text in closed[0].axes[0].texts]
    # above the error bar where there is one, above the bar where not; no
    # label where nothing was measured (BYOL's probe)
    assert labels == [('n=2', 61.0 + 2**0.5), ('n=1', 15.0), ('n=1', 20.0)]
    monkeypatch.undo()
    plt.close(closed[0])


def test_verdict_follows_the_measured_order_and_the_sd_margin():
    clear = paper_ordering(
        _values([60, 62, 61], [50, 51, 49], [30, 31, 29]), 'LC', 'BYOL',
        'random')
    assert len(clear) == 6 and all(
        s.startswith('as in the paper') for s in clear)
    assert all('by more than one sd' in s for s in clear)
    close = paper_ordering(
        _values([51, 49, 53], [50, 48, 52], [30, 31, 29]), 'LC', 'BYOL',
        'random')
    assert ('as in the paper: LC > BYOL on frozen seg mIoU (+1.0, within one '
            'sd)') in close
    reversed_ = paper_ordering(
        _values([20, 21, 22], [50, 51, 49], [30, 31, 29]), 'LC', 'BYOL',
        'random')
    not_as = 'NOT as in the paper: '
    assert not_as + 'LC < BYOL on frozen seg mIoU (-29.0)' in reversed_
    assert not_as + 'LC < random on linear probe mIoU (-9.0)' in reversed_
    single = paper_ordering(_values([60], [50], [30]), 'LC', 'BYOL', 'random')
    assert ('as in the paper: LC > BYOL on frozen seg mIoU (+10.0, one seed: '
            'no sd to compare with)') in single
    # a gap that rounds to 0.0 keeps its sign and does not read as a tie
    tiny = paper_ordering(
        _values([11.48], [11.5], [11.0]), 'LC', 'BYOL', 'random')
    assert not_as + 'LC < BYOL on frozen seg mIoU (-0.02)' in tiny
    # equal means fail a '>' claim and read as a tie, not as '<'
    tie = paper_ordering(
        _values([11.53], [11.53], [11.53]), 'LC', 'BYOL', 'random')
    assert not_as + 'LC = BYOL on frozen seg mIoU (+0.00)' in tie
    assert not_as + 'BYOL = random on frozen seg mIoU (+0.00)' in tie


@pytest.fixture
def toy_study(repo_root):
    path = osp.join(repo_root, 'tools', 'benchmarks', 'toy_study.py')
    spec = importlib.util.spec_from_file_location('toy_study', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(results, record):
    path = osp.join(results, record['method'], f'{record["task"]}.json')
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(record, f)


def test_lr_is_chosen_by_byol_frozen_segmentation_once_the_sweep_is_done(
        toy_study, tmp_path):
    results = str(tmp_path)
    scores = dict(zip(toy_study.LR_SWEEP, (40.0, 55.0, 50.0)))
    for lr, score in list(scores.items())[:-1]:
        _write(results,
               _record(toy_study.lr_run(lr).name, 'frozen-seg', score))
    # one run missing
    assert toy_study.chosen_lr(load_toy_records(results)) is None
    last = toy_study.LR_SWEEP[-1]
    _write(results,
           _record(toy_study.lr_run(last).name, 'frozen-seg', scores[last]))
    # a better linear probe at another lr does not change the choice
    _write(results, _record(toy_study.lr_run(last).name, 'linear-probe', 99.0))
    assert toy_study.chosen_lr(
        load_toy_records(results)) == toy_study.LR_SWEEP[1]


def test_lr_extension_stage_trains_byol_above_the_sweep_without_an_lr(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    # no --lr and no sweep results: the stage needs neither
    toy_study.main(['--stages', 'lr-extension'] + _study_dirs(tmp_path))
    evaluations = ('correspondence', 'linear-probe', 'frozen-seg', 'detection',
                   'weight-movement')
    assert _measured(events) == [
        ('byol_lr-0.3_seed-0', 'byol', {
            'optim_wrapper.optimizer.lr': 0.3
        }, evaluations),
        ('byol_lr-1_seed-0', 'byol', {
            'optim_wrapper.optimizer.lr': 1.0
        }, evaluations),
    ]


def _write_frozen(results, name, value, seed=0):
    _write(results, _record(name, 'frozen-seg', value, seed))


def test_extension_rate_replaces_the_choice_only_beyond_the_seeds_sd(
        toy_study, tmp_path):
    results = str(tmp_path)
    # the sweep chooses 0.1 (seed 0: 12.0); BYOL at 0.1 over seeds 0-2:
    # 12.0, 12.4, 11.6, sd 0.4
    for lr, value in zip(toy_study.LR_SWEEP, (11.0, 11.5, 12.0)):
        _write_frozen(results, toy_study.lr_run(lr).name, value)
    _write_frozen(results, 'byol_lr-0.3_seed-0', 12.3)

    def extended():
        return toy_study.extended_lr(load_toy_records(results))

    # the extension is not finished, and 0.1 has one seed
    assert extended() is None
    assert 'not decided yet' in toy_study.report(results, [0])
    _write_frozen(results, 'byol_lr-1_seed-0', 12.35)
    assert extended() is None
    _write_frozen(results, 'byol_lr-0.1_seed-1', 12.4, 1)
    _write_frozen(results, 'byol_lr-0.1_seed-2', 11.6, 2)
    # another network of seed 1 is not BYOL at the chosen rate
    _write_frozen(results, 'lc-byol_lr-0.1_seed-1', 30.0, 1)
    # 12.3 and 12.35 are within 0.4 of 12.0: the choice stays
    assert extended() == 0.1
    # 0.3 at 12.5 beats 12.0 by more than 0.4, 1.0 at 12.35 does not
    _write_frozen(results, 'byol_lr-0.3_seed-0', 12.5)
    assert extended() == 0.3
    # both beyond: the best of them
    _write_frozen(results, 'byol_lr-1_seed-0', 12.7)
    assert extended() == 1.0
    # the sweep's own choice is unchanged by the extension
    assert toy_study.chosen_lr(load_toy_records(results)) == 0.1
    markdown = toy_study.report(results, [0])
    sweep = markdown.split('## Learning-rate sweep (BYOL, seed 0)\n')[1]
    assert '| 1 | - | - | 12.7 |' in sweep.split('Chosen: 0.1')[0]
    section = sweep.split('## Above the sweep: SGD at 0.3, 1 (BYOL, '
                          'seed 0)\n')[1].split('\n## ')[0]
    rows = [line for line in section.splitlines() if line.startswith('| ')]
    assert [row.split(' | ')[0] for row in rows[1:]] == [
        '| byol_lr-0.1_seed-0', '| byol_lr-0.3_seed-0', '| byol_lr-1_seed-0'
    ]
    assert "the recipe's rate moves from 0.1 to 1" in section


def test_report_writes_tables_and_pictures_from_result_files(
        toy_study, tmp_path):
    results = str(tmp_path)
    lr = toy_study.LR_SWEEP[0]
    _write_sweep(toy_study, results, lr)
    for seed in (0, 1):
        for run in toy_study.main_runs(lr, [seed]):
            base = {'byol': 40.0, 'lc-byol': 50.0}.get(run.method, 20.0) + seed
            for task in ('correspondence', 'linear-probe', 'frozen-seg',
                         'detection'):
                scale = 0.01 if task in ('correspondence', 'detection') else 1
                _write(results, _record(run.name, task, base * scale, seed))
    alpha_run = toy_study.alpha_runs(lr)[0]
    _write(results, _record(alpha_run.name, 'correspondence', 0.7))
    markdown = toy_study.report(results, [0, 1])
    assert '| LC-BYOL | 50.5 ± 0.7 (n=2) |' in markdown
    assert 'NOT as in the paper' not in markdown
    # the alpha table reads the sweep run
    assert '| 0.3 | 70.0 | - | - |' in markdown
    for picture in ('study.png', 'alpha.png'):
        assert osp.getsize(osp.join(results, picture)) > 1000


def test_host_stage_pairs_each_host_with_its_lc_variant_at_one_budget(
        toy_study, repo_root):
    import toy_harness
    runs = toy_study.host_runs(0.1)
    methods = [run.method for run in runs]
    assert methods == [
        m for host in toy_study.HOSTS for m in (host, f'lc-{host}')
    ]
    assert {tuple(sorted(run.cfg_options.items()))
            for run in runs} == {(('optim_wrapper.optimizer.lr', 0.1), )}
    for run in runs:
        config = osp.join(repo_root, toy_harness.PRETRAIN_CONFIGS[run.method])
        assert osp.isfile(config), config
        assert f'iters-{toy_study.HOSTS_ITERS}' in run.name


def test_pretrain_data_runs_pretrain_on_their_own_data_and_are_reported(
        toy_study, tmp_path, monkeypatch):
    import toy_harness
    pretrained_on = {}

    def fake_pretrain(config, work_dir, data_root, *args):
        pretrained_on[osp.basename(work_dir)] = data_root
        return osp.join(work_dir, 'raw.pth')

    def fake_convert(raw, out, **kwargs):
        os.makedirs(osp.dirname(out), exist_ok=True)
        open(out, 'w').close()

    monkeypatch.setattr(toy_harness, 'pretrain', fake_pretrain)
    monkeypatch.setattr(toy_harness, 'convert_checkpoint', fake_convert)
    monkeypatch.setattr(toy_harness, 'loss_curves', lambda work_dir: {})
    results, study_root = str(tmp_path / 'results'), str(tmp_path / 'toy')
    objects_root = toy_study.variant_root(study_root, 'pretrain-objects')
    byol, lc_byol = toy_study.pretrain_data_runs(0.1, 'objects', objects_root)
    plain = toy_study.main_runs(0.1, [0])[1]
    for run in (byol, lc_byol, plain):
        toy_harness.pretrained_backbone(run, study_root, str(tmp_path / 'w'),
                                        results, toy_harness.ToyBudget())
    assert pretrained_on == {
        byol.name: objects_root,
        lc_byol.name: objects_root,
        plain.name: study_root
    }
    with open(osp.join(results, byol.name, 'pretrain.json')) as f:
        assert json.load(f)['pretrain_data'] == 'toy-pretrain-objects'
    # pretrained again elsewhere, recorded for another run: the first
    # record stays as it was
    with open(osp.join(results, plain.name, 'pretrain.json')) as f:
        first_record = f.read()
    again = toy_study.stem_swap_runs(plain)['as-pretrained']
    toy_harness.pretrained_backbone(
        plain,
        study_root,
        str(tmp_path / 'w-again'),
        results,
        toy_harness.ToyBudget(),
        record_run=again)
    with open(osp.join(results, plain.name, 'pretrain.json')) as f:
        assert f.read() == first_record
    with open(osp.join(results, again.name, 'pretrain.json')) as f:
        assert json.load(f)['method'] == again.name
    # the report shows them after the runs pretrained on the study's scenes
    for lr in toy_study.LR_SWEEP:
        _write(results,
               _record(toy_study.lr_run(lr).name, 'frozen-seg', lr * 100))
    assert toy_study.chosen_lr(load_toy_records(results)) == 0.1
    assert 'Pretrained on other data' not in toy_study.report(results, [0])
    _write(results, _record(lc_byol.name, 'frozen-seg', 30.0))
    markdown = toy_study.report(results, [0])
    section = markdown.split('## Pretrained on other data')[1].split(
        '\n## ')[0]
    assert '`objects`: 10000 images' in section
    rows = [line for line in section.splitlines() if line.startswith('| ')]
    assert rows[1:] == [
        '| byol_lr-0.1_seed-0 | - | - | 10.0 |',
        f'| {lc_byol.name} | - | - | 30.0 |'
    ]


def test_cue_record_holds_the_probes_and_the_scene_similarity(
        toy_root, tmp_path):
    import numpy as np
    import toy_harness

    from mmlc.datasets import toy_scenes
    from mmlc.evaluation.cue_probe import object_features, scene_similarity
    run = toy_harness.ToyRun('random-init_seed-3', toy_harness.RANDOM_INIT, 3)
    checkpoint = toy_harness.save_random_backbone(
        str(tmp_path / 'random.pth'), run.seed)
    record = toy_harness.measure_cues(run, checkpoint, toy_root)
    metrics = record['metrics']
    assert set(metrics) == {
        'shape', 'texture', 'colour', 'same_scene', 'other_scenes'
    }
    # the similarities are those of the validation objects, scene by scene
    scenes = toy_scenes(toy_root, 'val')
    features, _ = object_features(
        toy_harness.load_toy_backbone(run.method, checkpoint), scenes)
    index = np.concatenate([[i] * len(s.instances)
                            for i, s in enumerate(scenes)])
    expected = scene_similarity(features, index)
    assert metrics['same_scene'] == pytest.approx(expected['same_scene'])
    assert metrics['other_scenes'] == pytest.approx(expected['other_scenes'])


def test_momentum_stage_overrides_the_byol_configs_own_momentum(
        toy_study, repo_root):
    import toy_harness
    from mmengine.config import Config
    config = Config.fromfile(
        osp.join(repo_root, toy_harness.PRETRAIN_CONFIGS['byol']))
    # the recipe's momentum, as mmpretrain's CosineEMA weights the online net
    assert config.model.base_momentum == pytest.approx(1 - 0.996)
    for run, tau in zip(
            toy_study.momentum_runs(0.1), toy_study.MOMENTUM_SWEEP):
        assert run.method == 'byol' and f'momentum-{tau:g}' in run.name
        config.merge_from_dict(run.cfg_options)
        assert config.model.base_momentum == pytest.approx(1 - tau)
        assert config.optim_wrapper.optimizer.lr == 0.1


def test_scheduled_frozen_segmentation_stretches_the_configs_poly_schedule(
        tmp_path, monkeypatch):
    import toy_harness
    options_per_call = []

    def fake_benchmark(config, checkpoint, work_dir, cfg_options):
        options_per_call.append(cfg_options)
        return {'mIoU': 17.0, 'aAcc': 81.0, 'mAcc': 21.0}

    monkeypatch.setattr(toy_harness, 'run_benchmark', fake_benchmark)
    longer = toy_harness.scheduled_evaluation('frozen-seg', 2500)
    assert longer == 'frozen-seg_iters-2500'
    run = toy_harness.ToyRun(
        'random-init_seed-0',
        toy_harness.RANDOM_INIT,
        evaluations=('frozen-seg', longer))
    results = tmp_path / 'results'
    records = toy_harness.run_toy(run, str(tmp_path / 'toy'),
                                  str(tmp_path / 'work'), str(results))
    plain_options, longer_options = options_per_call
    assert 'train_cfg.max_iters' not in plain_options
    assert 'param_scheduler' not in plain_options
    assert longer_options['train_cfg.max_iters'] == 2500
    assert longer_options['default_hooks.checkpoint.interval'] == 2500
    # the config's PolyLR from 0 to 1,000 (eta_min 1e-4, power 0.9), 2.5 times
    # as long
    [poly] = longer_options['param_scheduler']
    assert (poly['type'], poly['begin'], poly['end'], poly['eta_min'],
            poly['power']) == ('PolyLR', 0, 2500, 1e-4, 0.9)
    assert records[longer]['task'] == longer
    assert records[longer]['max_iters'] == 2500
    assert 'max_iters' not in records['frozen-seg']
    assert osp.isfile(results / run.name / f'{longer}.json')
    with pytest.raises(ValueError, match='linear-probe'):
        toy_harness.scheduled_evaluation('linear-probe', 2000)


def test_frozen_schedule_report_puts_each_length_in_its_column(
        toy_study, tmp_path):
    results = str(tmp_path)
    for lr in toy_study.LR_SWEEP:
        _write(results,
               _record(toy_study.lr_run(lr).name, 'frozen-seg', lr * 100))
    random, lc_long = 'random-init_seed-0', 'lc-byol_lr-0.1_iters-4800_seed-0'
    _write(results, _record(random, 'frozen-seg', 11.7))
    _write(results, _record('byol_lr-0.1_seed-0', 'frozen-seg', 11.9))
    assert 'against its training length' not in toy_study.report(results, [0])
    _write(results, _record(random, 'frozen-seg_iters-4000', 17.1))
    _write(results, _record(lc_long, 'frozen-seg_iters-2000', 13.0))
    _write(results,
           _record('lc-byol_lr-0.1_seed-1', 'frozen-seg_iters-4000', 14.2))

    def schedule_rows(seeds):
        markdown = toy_study.report(results, seeds)
        section = markdown.split('against its training length')[1].split(
            '\n## ')[0]
        return [line for line in section.splitlines() if line.startswith('| ')]

    # the benchmark's own 1,000 iterations first; BYOL has no longer run
    assert schedule_rows([0]) == [
        '| run | 1000 it. | 2000 it. | 4000 it. |',
        f'| {random} | 11.7 | - | 17.1 |',
        f'| {lc_long} | - | 13.0 | - |',
    ]
    # the report's seeds choose the rows, seed by seed
    assert schedule_rows([0, 1])[1:] == [
        f'| {random} | 11.7 | - | 17.1 |',
        f'| {lc_long} | - | 13.0 | - |',
        '| lc-byol_lr-0.1_seed-1 | - | - | 14.2 |',
    ]


def _fake_stages(toy_study, monkeypatch, events):
    """Run ``toy_study.main`` without data, training or report: each data
    root it generates goes into ``events`` as ``('generate', root)``, each run
    it would measure as ``('run', root, name, method, cfg_options,
    evaluations)``."""

    def ensure(root, options=None):
        events.append(('generate', root))
        return root

    def run_toy(run, root, *args):
        events.append(('run', root, run.name, run.method, run.cfg_options,
                       tuple(run.evaluations)))

    monkeypatch.setattr(toy_study, 'ensure_toy_dataset', ensure)
    monkeypatch.setattr(toy_study, 'report', lambda *args: '')
    monkeypatch.setattr(toy_study, 'run_toy', run_toy)


def _study_dirs(tmp_path):
    """The study's --work-dir, --results and --data-root under
    ``tmp_path``."""
    return [
        '--work-dir',
        str(tmp_path / 'work'), '--results',
        str(tmp_path / 'results'), '--data-root',
        str(tmp_path / 'toy')
    ]


def _existing_networks(tmp_path, names):
    """Empty checkpoints of the networks ``names`` in the study's --work-dir
    under ``tmp_path`` (see :func:`_study_dirs`), as stages that measure only
    existing networks look for them."""
    checkpoints = tmp_path / 'work' / 'checkpoints'
    checkpoints.mkdir(parents=True)
    for name in names:
        (checkpoints / f'{name}.pth').write_bytes(b'')


def _measured(events):
    """``(name, method, cfg_options, evaluations)`` of each run in
    ``events``, in order."""
    return [event[2:] for event in events if event[0] == 'run']


def test_frozen_schedule_stage_trains_the_given_lengths_in_order(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    work_dir = tmp_path / 'work'
    (work_dir / 'checkpoints').mkdir(parents=True)
    lc_long = toy_study.long_runs(0.1)[0].name
    (work_dir / 'checkpoints' / f'{lc_long}.pth').write_bytes(b'')
    argv = ['--stages', 'frozen-schedule', '--lr', '0.1'
            ] + _study_dirs(tmp_path)
    byol_seed_1 = toy_study.main_runs(0.1, [1])[1].name
    assert byol_seed_1 == 'byol_lr-0.1_seed-1'
    (work_dir / 'checkpoints' / f'{byol_seed_1}.pth').write_bytes(b'')
    # only the networks that exist: the random ones and the long LC-BYOL
    toy_study.main(argv + ['--seeds', '0', '--frozen-iters', '4000', '16000'])
    trained = [(name, evaluations)
               for name, _, _, evaluations in _measured(events)]
    random = ['random-init_seed-0', 'random-init-zero-residual_seed-0']
    assert trained == [(name, (f'frozen-seg_iters-{iters}', ))
                       for iters in (4000, 16000)
                       for name in random + [lc_long]]
    # every --seeds, seed by seed: seed 1's random networks and its BYOL
    events.clear()
    toy_study.main(argv + ['--seeds', '0', '1'])
    trained = [(name, evaluations)
               for name, _, _, evaluations in _measured(events)]
    seed_1 = [
        'random-init_seed-1', 'random-init-zero-residual_seed-1', byol_seed_1
    ]
    assert trained == [(name, (f'frozen-seg_iters-{iters}', ))
                       for iters in toy_study.FROZEN_SCHEDULE
                       for name in random + [lc_long] + seed_1]


def test_detector_stride_stage_measures_the_main_networks_that_exist(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    _existing_networks(tmp_path,
                       ['lc-byol_lr-0.1_seed-0', 'byol_lr-0.1_seed-1'])
    toy_study.main(
        ['--stages', 'detector-stride', '--lr', '0.1', '--seeds', '0', '1'] +
        _study_dirs(tmp_path))
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    # seed by seed, the random network first; only the stride-16 detection
    assert _measured(events) == [
        ('random-init_seed-0', 'random-init', {}, ('detection-d16', )),
        ('lc-byol_lr-0.1_seed-0', 'lc-byol', lr, ('detection-d16', )),
        ('random-init_seed-1', 'random-init', {}, ('detection-d16', )),
        ('byol_lr-0.1_seed-1', 'byol', lr, ('detection-d16', )),
    ]


def test_report_sets_detection_at_both_layer4_strides_side_by_side(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    _write(results, _record('random-init_seed-0', 'detection', 0.309))
    _write(results, _record('byol_lr-0.1_seed-0', 'detection', 0.278))
    _write(results, _record('lc-byol_lr-0.1_seed-0', 'detection', 0.296))
    assert 'layer4 stride' not in toy_study.report(results, [0])
    _write(results, _record('random-init_seed-0', 'detection-d16', 0.300))
    _write(results, _record('byol_lr-0.1_seed-0', 'detection-d16', 0.325))
    markdown = toy_study.report(results, [0])
    section = markdown.split('layer4 stride\n')[1].split('\n## ')[0]
    # the networks with a stride-16 result, the main runs' order
    assert [line for line in section.splitlines()
            if line.startswith('| ')] == [
                '| run | det AP50 | det AP50, stride-16 backbone |',
                '| random-init_seed-0 | 30.9 | 30.0 |',
                '| byol_lr-0.1_seed-0 | 27.8 | 32.5 |',
            ]
    # the paper's detection claim is checked at each stride
    assert ('as in the paper: BYOL >= random init on det AP50, stride-16 '
            'backbone (+2.5, one seed: no sd to compare with)') in markdown
    assert 'NOT as in the paper: BYOL < random init on det AP50 (-3.1)' in (
        markdown)


@pytest.mark.parametrize(
    'option', ['--pretrain-iters', '--downstream-iters', '--frozen-iters'])
@pytest.mark.parametrize('value', ['0', '-400'])
def test_iteration_options_reject_non_positive_counts_by_name(
        toy_study, option, value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        toy_study.parse_args([option, value])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert option in error and value in error
    assert toy_study.parse_args([option, '1']) is not None


def test_random_network_is_built_and_initialised_like_the_pretrained_ones(
        toy_study, repo_root, tmp_path):
    import torch
    import toy_harness
    from mmengine.config import Config
    from mmpretrain.registry import MODELS
    random = torch.load(
        toy_harness.save_random_backbone(str(tmp_path / 'random.pth'), 3),
        weights_only=True)['state_dict']
    # the backbone of both toy recipes, initialised under the same seed
    for method in ('byol', 'lc-byol'):
        config = Config.fromfile(
            osp.join(repo_root, toy_harness.PRETRAIN_CONFIGS[method]))
        torch.manual_seed(3)
        backbone = MODELS.build(config.model.backbone)
        backbone.init_weights()
        expected = backbone.state_dict()
        assert list(random) == list(expected)
        assert all(torch.equal(random[k], expected[k]) for k in expected)
    # every residual branch is live: the last BN of each of the 8 basic
    # blocks scales by 1; the zero-residual network's scale by 0 and the
    # rest of the two networks is the same
    zero = torch.load(
        toy_harness.save_random_backbone(
            str(tmp_path / 'zero.pth'), 3, toy_study.ZERO_RESIDUAL),
        weights_only=True)['state_dict']
    last_bn = [k for k in random if k.endswith('.bn2.weight')]
    assert len(last_bn) == 8
    assert all(torch.all(random[k] == 1) for k in last_bn)
    assert all(torch.all(zero[k] == 0) for k in last_bn)
    assert all(
        torch.equal(random[k], zero[k]) for k in random if k not in last_bn)


def test_random_stage_measures_both_random_networks_for_every_seed(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    toy_study.main(['--stages', 'random', '--seeds', '1', '2'] +
                   _study_dirs(tmp_path))
    zero_residual = {'model.backbone.zero_init_residual': True}
    study = ('correspondence', 'linear-probe', 'frozen-seg',
             'frozen-seg_iters-4000', 'detection', 'dense-retrieval',
             'keypoints')
    sweep = ('correspondence', 'linear-probe', 'frozen-seg')
    expected = []
    for seed in (1, 2):
        expected += [
            (f'random-init_seed-{seed}', 'random-init', {}, study),
            (f'random-init-zero-residual_seed-{seed}', 'random-init',
             zero_residual, sweep),
        ]
    assert _measured(events) == expected


def test_long_stage_pretrains_both_methods_for_every_seed(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    toy_study.main(['--stages', 'long', '--lr', '0.1', '--seeds', '1', '2'] +
                   _study_dirs(tmp_path))
    evaluations = ('correspondence', 'linear-probe', 'frozen-seg',
                   'frozen-seg_iters-4000', 'detection', 'cues')
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    assert _measured(events) == [(f'{method}_lr-0.1_iters-4800_seed-{seed}',
                                  method, lr, evaluations) for seed in (1, 2)
                                 for method in ('lc-byol', 'byol')]


def _write_sweep(toy_study, results, lr):
    """The learning-rate sweep's results, ``lr`` the chosen one."""
    for sweep_lr in toy_study.LR_SWEEP:
        _write(
            results,
            _record(
                toy_study.lr_run(sweep_lr).name, 'frozen-seg',
                60.0 if sweep_lr == lr else 10.0))


def test_report_compares_long_runs_with_the_random_networks_of_their_seeds(
        toy_study, tmp_path):
    results = str(tmp_path)
    lr = toy_study.LR_SWEEP[0]
    _write_sweep(toy_study, results, lr)
    markdown = toy_study.report(results, [0, 1])
    assert 'pretraining iterations (mean' not in markdown
    assert not osp.exists(osp.join(results, 'study-long.png'))
    frozen_long = 'frozen-seg_iters-4000'
    long_4000 = {'lc-byol': (15.0, 15.4), 'byol': (13.5, 13.9)}
    for seed in (0, 1):
        for run in toy_study.long_runs(lr, seed):
            _write(
                results,
                _record(run.name, frozen_long, long_4000[run.method][seed],
                        seed))
        _write(results,
               _record(f'random-init_seed-{seed}', frozen_long, 12.5, seed))
    # neither another seed's random network nor the zero-residual one counts
    _write(results, _record('random-init_seed-2', frozen_long, 90.0, 2))
    _write(results,
           _record('random-init-zero-residual_seed-0', frozen_long, 17.1))
    markdown = toy_study.report(results, [0, 1])
    section = markdown.split('## Main comparison at 4800 pretraining '
                             'iterations (mean ± sd over seeds)\n')[1]
    table = section.split('## ')[0]
    assert table.splitlines()[1] == (
        '| method | correspondence acc | linear probe mIoU | frozen seg mIoU '
        '| frozen seg mIoU, 4,000 it. | det AP50 |')
    assert '| LC-BYOL | - | - | - | 15.2 ± 0.3 (n=2) | - |' in table
    assert '| BYOL | - | - | - | 13.7 ± 0.3 (n=2) | - |' in table
    assert '| random init | - | - | - | 12.5 ± 0.0 (n=2) | - |' in table
    assert ('- as in the paper: LC-BYOL > BYOL on frozen seg mIoU, 4,000 it. '
            '(+1.5, by more than one sd)') in table
    assert ('- as in the paper: BYOL > random init on frozen seg mIoU, '
            '4,000 it. (+1.2, by more than one sd)') in table
    assert 'NOT' not in table
    assert osp.getsize(osp.join(results, 'study-long.png')) > 1000


def test_cue_stage_generates_the_variant_data_its_random_networks_need(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    data_root = str(tmp_path / 'toy')
    toy_study.main(['--stages', 'cues', '--lr', '0.1'] + _study_dirs(tmp_path))
    sparse = f'{data_root}-sparse'
    # nothing is trained: only the random networks, each on its own data,
    # which was generated before the first probe
    zero = {'model.backbone.zero_init_residual': True}
    assert events == [('generate', data_root), ('generate', sparse)] + [
        ('run', root, f'random-init{tag}_seed-0', 'random-init', options,
         ('cues', )) for root, tag, options in (
             (data_root, '', {}), (data_root, '-zero-residual', zero),
             (sparse, '_data-sparse', {}),
             (sparse, '-zero-residual_data-sparse', zero))
    ]


def test_report_names_the_networks_trained_in_float32(toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, toy_study.LR_SWEEP[0])
    old = dict(
        task='pretrain', method='byol_old', seed=0, checkpoint='x', metrics={})
    _write(results, old)
    _write(results,
           dict(old, method='byol_bf16', precision='bfloat16 autocast'))
    assert '## Precision' not in toy_study.report(results, [0])
    _write(results, dict(old, method='lc-byol_fp32', precision='float32'))
    _write(results, dict(old, method='byol_fp32', precision='float32'))
    section = toy_study.report(results, [0]).split('## Precision\n')[1]
    named = section.split('. Every other')[0]
    assert named.endswith('`byol_fp32`, `lc-byol_fp32`')
    assert 'bf16' not in named and 'old' not in named


def test_report_gives_the_sittings_of_a_network_resumed_on_another_cpu(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, toy_study.LR_SWEEP[0])
    record = dict(task='pretrain', seed=0, checkpoint='x', metrics={})
    sittings = [
        dict(from_iter=0, precision='float32', cpu_capability='AVX2'),
        dict(
            from_iter=250,
            precision='bfloat16 autocast',
            cpu_capability='AVX512')
    ]
    _write(
        results,
        dict(
            record, method='byol_mixed', precision='mixed', sittings=sittings))
    _write(results,
           dict(record, method='byol_unknown', precision='not recorded'))
    _write(
        results,
        dict(
            record,
            method='lc-byol_partly',
            precision='not recorded',
            sittings=[
                dict(
                    from_iter=0, precision='not recorded',
                    cpu_capability=None),
                dict(
                    from_iter=250, precision='float32', cpu_capability='AVX2')
            ]))
    section = toy_study.report(results, [0]).split('## Precision\n')[1]
    assert 'float32, on a CPU' not in section
    assert ('`byol_mixed` (from iteration 0: float32 on AVX2, from iteration '
            '250: bfloat16 autocast on AVX512)') in section
    assert ('Precision not recorded, in whole or in part: `byol_unknown`, '
            '`lc-byol_partly` (from iteration 0: not recorded, from '
            'iteration 250: float32 on AVX2).') in section
    assert section.count('`lc-byol_partly`') == 1


def test_lars_stage_trains_byol_with_the_papers_lars_groups(
        toy_study, repo_root):
    import toy_harness
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import DefaultScope
    from mmpretrain.registry import MODELS
    runs = toy_study.lars_runs()
    assert [run.name for run in runs] == [
        f'byol_lars-lr-{lr:g}_seed-0' for lr in toy_study.LARS_SWEEP
    ]
    config = Config.fromfile(
        osp.join(repo_root, toy_harness.PRETRAIN_CONFIGS['byol']))
    config.merge_from_dict(runs[0].cfg_options)
    assert config.optim_wrapper.optimizer == dict(
        type='LARS',
        lr=toy_study.LARS_SWEEP[0],
        momentum=0.9,
        weight_decay=1e-6)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = MODELS.build(config.model)
        optimizer = build_optim_wrapper(model, config.optim_wrapper).optimizer
    assert type(optimizer).__name__ == 'LARS'
    groups = {
        name: group
        for name, param in model.named_parameters()
        for group in optimizer.param_groups if group['params'][0] is param
    }
    adapted = {
        name
        for name, group in groups.items() if not group.get('lars_exclude')
    }
    # every kernel is adapted and decayed; BN, biases and the shortcut BN
    # neither, as in mmpretrain's BYOL configs
    assert 'backbone.layer4.1.conv2.weight' in adapted
    assert 'backbone.layer2.0.downsample.0.weight' in adapted
    assert all(groups[name]['weight_decay'] == 1e-6 for name in adapted)
    for name in ('backbone.layer1.0.bn1.weight', 'backbone.bn1.bias',
                 'backbone.layer2.0.downsample.1.weight', 'neck.bn0.bias'):
        assert groups[name]['lars_exclude'], name
        assert groups[name]['weight_decay'] == 0, name
    assert all(param.dim() >= 2 for name, param in model.named_parameters()
               if name in adapted)


def test_movement_stage_measures_the_pretrained_networks_that_exist(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    lars = toy_study.lars_runs()[0]
    _existing_networks(
        tmp_path, ['byol_lr-0.1_seed-1', lars.name, 'lc-byol_lr-0.1_seed-2'])
    toy_study.main(
        ['--stages', 'movement', '--lr', '0.1', '--seeds', '0', '1'] +
        _study_dirs(tmp_path))
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    # no random network; seed 2 is not among --seeds; each run's own options,
    # which its starting weights are rebuilt from
    assert _measured(events) == [
        ('byol_lr-0.1_seed-1', 'byol', lr, ('weight-movement', )),
        (lars.name, 'byol', lars.cfg_options, ('weight-movement', )),
    ]


def test_report_tables_how_far_each_stage_moved(toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    assert 'moved the backbone' not in toy_study.report(results, [0])
    for name, layer4 in (('byol_lr-0.1_seed-0', 0.9994),
                         ('byol_lars-lr-4.8_seed-0', 0.5)):
        stages = {
            'conv1': dict(cosine=0.48, change=1.79, norm_ratio=2.0),
            'layer4': dict(cosine=layer4, change=0.059, norm_ratio=0.97)
        }
        _write(
            results,
            dict(
                task='weight-movement',
                method=name,
                seed=0,
                checkpoint='x',
                metrics={
                    f'{s}_cosine': v['cosine']
                    for s, v in stages.items()
                },
                stages=stages))
    assert 'BN layers' not in toy_study.report(results, [0])
    # a newer record also has its BN layers; the older one has none
    norm_stages = {
        'bn1':
        dict(weight_mean=1.254, weight_shift=0.3, bias_shift=0.126, layers=1),
        'layer4':
        dict(weight_mean=0.9, weight_shift=0.1, bias_shift=0.02, layers=5)
    }
    record_file = osp.join(results, 'byol_lr-0.1_seed-0',
                           'weight-movement.json')
    with open(record_file, encoding='utf-8') as f:
        record = json.load(f)
    # and its stem's filter bank at the start and after pretraining
    stem_filters = dict(
        start=dict(
            effective_rank=51.46,
            top3_variance=0.1134,
            flat_share=0.0214,
            channel_mean_share=0.326),
        trained=dict(
            effective_rank=16.54,
            top3_variance=0.582,
            flat_share=0.4612,
            channel_mean_share=0.501))
    # and how much of its stem lies along the images' main patch directions
    stem_input_subspace = dict(
        directions=3,
        patch_share=0.8613,
        start=0.0206,
        trained=0.5394,
        update=0.7404)
    _write(
        results,
        dict(
            record,
            norm_stages=norm_stages,
            stem_filters=stem_filters,
            stem_input_subspace=stem_input_subspace))
    section = toy_study.report(
        results, [0]).split('moved the backbone\n')[1].split('\n## ')[0]
    assert [line for line in section.splitlines()
            if line.startswith('| ')] == [
                '| run | conv1 | layer4 |',
                '| byol_lars-lr-4.8_seed-0 | 0.480 (1.79) | 0.500 (0.06) |',
                '| byol_lr-0.1_seed-0 | 0.480 (1.79) | 0.999 (0.06) |',
                '| run | bn1 | layer4 |',
                '| byol_lr-0.1_seed-0 | 1.254 / 0.300 / 0.126 | '
                '0.900 / 0.100 / 0.020 |',
                '| run | effective rank | top-3 share | flat share | '
                'channel-mean share |',
                '| byol_lr-0.1_seed-0 | 51.5 -> 16.5 | 0.11 -> 0.58 | '
                '0.02 -> 0.46 | 0.33 -> 0.50 |',
                '| run | patches\' energy in the top 3 | stem at the start | '
                'after pretraining | the update |',
                '| byol_lr-0.1_seed-0 | 0.861 | 0.021 | 0.539 | 0.740 |',
            ]
    # a stem that did not move has no update to place
    _write(
        results,
        dict(
            record, stem_input_subspace=dict(stem_input_subspace,
                                             update=None)))
    assert '| byol_lr-0.1_seed-0 | 0.861 | 0.021 | 0.539 | - |' in \
        toy_study.report(results, [0])


def test_report_sets_the_lars_runs_beside_the_recipe_and_the_random_network(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    _write(results, _record('random-init_seed-0', 'detection', 0.312))
    _write(results, _record('byol_lr-0.1_seed-0', 'frozen-seg', 11.9))
    assert 'LARS' not in toy_study.report(results, [0])
    lars = toy_study.lars_runs()
    _write(results, _record(lars[1].name, 'frozen-seg', 13.0))
    _write(results, _record(lars[1].name, 'detection', 0.335))
    section = toy_study.report(results, [0]).split('optimiser (seed 0)\n')[1]
    section = section.split('\n## ')[0]
    # the random network, the recipe, then the sweep's order; each measured
    # evaluation in its column
    assert [line for line in section.splitlines()
            if line.startswith('| ')] == [
                '| run | correspondence acc | linear probe mIoU | '
                'frozen seg mIoU | det AP50 |',
                '| random-init_seed-0 | - | - | - | 31.2 |',
                '| byol_lr-0.1_seed-0 | - | - | 11.9 | - |',
                f'| {lars[1].name} | - | - | 13.0 | 33.5 |',
            ]


def _tensors(value,
             keys=('conv1.weight', 'bn1.running_mean', 'bn1.running_var',
                   'layer1.0.conv1.weight', 'layer1.0.bn1.bias',
                   'layer1.0.bn1.running_mean')):
    """A tiny backbone state dict, every tensor filled with ``value``: two
    output channels of a one-element kernel each for a convolution, shape
    (2, 1), two channels for BN, shape (2, )."""
    return {
        key: torch.full((2, 1) if 'conv' in key else (2, ), float(value))
        for key in keys
    }


def test_stem_swaps_mix_the_pretrained_network_and_its_start(toy_study):
    pretrained, start = _tensors(2), _tensors(0.5)
    backbones = toy_study.stem_swap_backbones(pretrained, start)
    assert list(backbones) == list(toy_study.STEM_SWAPS)
    expected = {  # 2: the pretrained weight, 0.5: the start's
        'as-pretrained': (2, 2, 2, 2, 2, 2),
        'norm-reset': (2, 0.5, 0.5, 2, 0.5, 0.5),
        'stem-reset': (0.5, 0.5, 0.5, 2, 2, 2),
        'start': (0.5, 0.5, 0.5, 0.5, 0.5, 0.5),
        'start-trained-stem': (2, 2, 2, 0.5, 0.5, 0.5),
        # the stem's kernels scaled by 0.5 / 2 to the start's norm, bn1's
        # running mean by that scale and its running variance by its square
        'stem-rescaled': (0.5, 0.5, 0.125, 2, 2, 2)
    }
    for swap, values in expected.items():
        assert list(backbones[swap]) == list(pretrained), swap
        assert [float(t[0])
                for t in backbones[swap].values()] == list(values), swap
    # a start that lacks a key of the pretrained network is refused by name
    del start['layer1.0.bn1.bias']
    with pytest.raises(ValueError, match=r'layer1\.0\.bn1\.bias'):
        toy_study.stem_swap_backbones(pretrained, start)


def test_stem_swap_stage_saves_each_swap_and_fine_tunes_it_for_detection(
        toy_study, tmp_path, monkeypatch, capsys):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    pretrained_calls = []

    def pretrained_backbone(run, data_root, work_dir, *args, record_run):
        pretrained_calls.append((run.name, record_run.name))
        path = osp.join(work_dir, 'checkpoints', f'{run.name}.pth')
        os.makedirs(osp.dirname(path), exist_ok=True)
        torch.save({'state_dict': _tensors(1)}, path)
        return path

    monkeypatch.setattr(toy_study, 'pretrained_backbone', pretrained_backbone)
    monkeypatch.setattr(toy_study, 'start_backbone',
                        lambda run, *args: _tensors(0.5))
    argv = ['--stages', 'stem-swap', '--lr', '0.1', '--seeds', '2'
            ] + _study_dirs(tmp_path)
    toy_study.main(argv)
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    bases = ('byol_lr-0.1_seed-2', 'lc-byol_lr-0.1_seed-2')
    # no pretraining was recorded before: each records itself
    assert pretrained_calls == [(base, base) for base in bases]
    assert _measured(events) == [(f'{base}_{swap}', base.split('_')[0], lr,
                                  ('detection', )) for base in bases
                                 for swap in toy_study.STEM_SWAPS]
    saved = torch.load(tmp_path / 'work' / 'checkpoints' /
                       'byol_lr-0.1_seed-2_start-trained-stem.pth')
    assert [float(t[0])
            for t in saved['state_dict'].values()] == [1, 1, 1, 0.5, 0.5, 0.5]
    # a base whose swaps all have results is neither pretrained nor measured
    for swap in toy_study.STEM_SWAPS:
        _write(
            str(tmp_path / 'results'),
            _record(f'{bases[0]}_{swap}', 'detection', 0.3, seed=2))
    # a network measured before keeps its pretrain.json: a pretraining
    # again is recorded by the swap that is the network itself
    _write(str(tmp_path / 'results'), _record(bases[1], 'pretrain', 0, seed=2))
    events.clear()
    pretrained_calls.clear()
    toy_study.main(argv)
    assert pretrained_calls == [(bases[1], f'{bases[1]}_as-pretrained')]
    assert [name for name, *_ in _measured(events)
            ] == [f'{bases[1]}_{swap}' for swap in toy_study.STEM_SWAPS]
    # a swap still missing after the network's checkpoint is gone, where the
    # pretraining again is recorded: it would come from a third pretraining,
    # so the base is left out by name
    results = str(tmp_path / 'results')
    for swap in toy_study.STEM_SWAPS[2:]:
        _write(results, _record(f'{bases[1]}_{swap}', 'detection', 0.3, 2))
    _write(results, _record(f'{bases[1]}_as-pretrained', 'pretrain', 0, 2))
    os.remove(tmp_path / 'work' / 'checkpoints' / f'{bases[1]}.pth')
    events.clear()
    pretrained_calls.clear()
    capsys.readouterr()
    toy_study.main(argv)
    assert pretrained_calls == [] and _measured(events) == []
    assert (f'{bases[1]} left out: as-pretrained, norm-reset would come from '
            'another pretraining' in capsys.readouterr().out)


def test_report_sets_the_stem_swaps_beside_their_network_and_random(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    _write(results, _record('random-init_seed-2', 'detection', 0.305, 2))
    _write(results, _record('byol_lr-0.1_seed-2', 'detection', 0.266, 2))
    _write(results, _record('lc-byol_lr-0.1_seed-2', 'detection', 0.281, 2))
    assert 'stem swapped' not in toy_study.report(results, [2])
    for swap, ap in zip(toy_study.STEM_SWAPS,
                        (0.262, 0.284, 0.301, 0.310, 0.270, 0.279)):
        _write(results,
               _record(f'byol_lr-0.1_seed-2_{swap}', 'detection', ap, 2))
    section = toy_study.report(results, [2]).split('stem swapped\n')[1]
    section = section.split('\n## ')[0]
    # only the network with swaps, after its seed's random network
    assert [line for line in section.splitlines()
            if line.startswith('| ')] == [
                '| run | det AP50 |',
                '| random-init_seed-2 | 30.5 |',
                '| byol_lr-0.1_seed-2 | 26.6 |',
                '| byol_lr-0.1_seed-2_as-pretrained | 26.2 |',
                '| byol_lr-0.1_seed-2_norm-reset | 28.4 |',
                '| byol_lr-0.1_seed-2_stem-reset | 30.1 |',
                '| byol_lr-0.1_seed-2_start | 31.0 |',
                '| byol_lr-0.1_seed-2_start-trained-stem | 27.0 |',
                '| byol_lr-0.1_seed-2_stem-rescaled | 27.9 |',
            ]


def _random_stage_runs(toy_study, monkeypatch, tmp_path, args):
    """``_measured`` of ``toy_study.main(args)`` on an AVX512 CPU, without
    data, training or report (no learning rate: nothing is pretrained)."""
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    monkeypatch.setattr(toy_study.torch.backends.cpu, 'get_cpu_capability',
                        lambda: 'AVX512')
    toy_study.main(args + _study_dirs(tmp_path))
    return _measured(events)


def test_random_draws_stage_fine_tunes_each_seed_named_after_the_cpu(
        toy_study, tmp_path, monkeypatch):
    assert _random_stage_runs(
        toy_study, monkeypatch, tmp_path,
        ['--stages', 'random-draws', '--seeds', '4', '0']) == [
            ('random-init_seed-4_cpu-avx512', 'random-init', {},
             ('detection', )),
            ('random-init_seed-0_cpu-avx512', 'random-init', {},
             ('detection', )),
        ]
    # the network of the seed, not another draw
    assert [run.seed
            for run in toy_study.random_draw_runs([4, 0], 'AVX2')] == [4, 0]


def test_random_finetune_seeds_stage_fine_tunes_each_draw_again(
        toy_study, tmp_path, monkeypatch):
    # the default fine-tuning seeds 0-2 but each draw's own, under the name
    # of the draw, so the plain detection of ``random-draws`` joins them
    assert _random_stage_runs(
        toy_study, monkeypatch, tmp_path,
        ['--stages', 'random-finetune-seeds', '--seeds', '4', '0']) == [
            ('random-init_seed-4_cpu-avx512', 'random-init', {},
             ('detection_finetune-seed-0', 'detection_finetune-seed-1',
              'detection_finetune-seed-2')),
            ('random-init_seed-0_cpu-avx512', 'random-init', {},
             ('detection_finetune-seed-1', 'detection_finetune-seed-2')),
        ]
    # a draw with nothing but its own seed left has nothing to fine-tune
    assert _random_stage_runs(toy_study, monkeypatch, tmp_path, [
        '--stages', 'random-finetune-seeds', '--seeds', '1', '3',
        '--finetune-seeds', '1'
    ]) == [
        ('random-init_seed-3_cpu-avx512', 'random-init', {},
         ('detection_finetune-seed-1', )),
    ]


def test_report_gives_the_random_draws_of_each_cpu_apart(toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    assert 'per kind of CPU' not in toy_study.report(results, [0])
    for seed, ap in ((3, 0.301), (0, 0.312), (5, 0.290)):
        _write(
            results,
            _record(f'random-init_seed-{seed}_cpu-avx2', 'detection', ap,
                    seed))
    _write(results,
           _record('random-init_seed-1_cpu-avx512', 'detection', 0.293, 1))
    # a draw fine-tuned under another seed (``random-finetune-seeds``) is not
    # another draw: it goes to the table of fine-tuning seeds, beside the
    # draw's plain detection (seed 1)
    _write(
        results,
        dict(
            _record('random-init_seed-1_cpu-avx512',
                    'detection_finetune-seed-0', None, 1),
            metrics={'pascal_voc/mAP': 0.315},
            cpu_capability='AVX512'))
    # neither a re-run under another name nor another evaluation is a draw
    _write(results, _record('random-init_seed-2_again', 'detection', 0.293, 2))
    _write(results,
           _record('random-init_seed-4_cpu-avx2', 'frozen-seg', 50.0, 4))
    section = toy_study.report(results, [0]).split('per kind of CPU\n')[1]
    section = section.split('\n## ')[0]
    # avx2: 31.2, 30.1, 29.0: mean 30.1, sample sd 1.1 (by hand)
    assert [line for line in section.splitlines()
            if line.startswith('| ')] == [
                '| CPU | seeds | det AP50 per seed | mean ± sd |',
                '| avx2 | 0, 3, 5 | 31.2, 30.1, 29.0 | 30.1 ± 1.1 (n=3) |',
                '| avx512 | 1 | 29.3 | 29.3 ± 0.0 (n=1) |',
            ]
    seeded = toy_study.report(
        results, [0]).split('over fine-tuning seeds\n')[1].split('\n## ')[0]
    # 31.5 and 29.3: mean 30.4, sample sd 2.2 / sqrt(2) = 1.6 (by hand); the
    # plain record has no cpu_capability (older than the field)
    assert [
        line for line in seeded.splitlines() if line.startswith('| random')
    ] == [
        '| random-init_seed-1_cpu-avx512 | avx512, not recorded '
        '| 0, 1 | 31.5, 29.3 | 30.4 ± 1.6 (n=2) |'
    ]


def test_every_result_record_names_the_cpu_it_was_measured_on(
        toy_study, tmp_path, monkeypatch):
    import toy_harness
    benchmarks = []

    def run_benchmark(config, checkpoint, work_dir, cfg_options):
        benchmarks.append(config)
        return {'pascal_voc/mAP': 0.25}

    monkeypatch.setattr(toy_harness, 'run_benchmark', run_benchmark)
    monkeypatch.setattr(toy_harness.torch.backends.cpu, 'get_cpu_capability',
                        lambda: 'AVX512')
    monkeypatch.setattr(toy_harness, 'cpu_model',
                        lambda: 'Intel(R) Xeon(R) Processor')
    run, = toy_study.random_draw_runs([1], 'AVX512')
    records = toy_harness.run_toy(run, str(tmp_path / 'toy'),
                                  str(tmp_path / 'work'),
                                  str(tmp_path / 'results'))
    assert [osp.basename(config)
            for config in benchmarks] == ['faster-rcnn_r18_fpn_toy-voc.py']
    with open(tmp_path / 'results' / run.name / 'detection.json') as f:
        record = json.load(f)
    assert record == records['detection']
    assert (record['cpu_capability'], record['cpu_model'], record['seed'],
            record['metrics']) == ('AVX512', 'Intel(R) Xeon(R) Processor', 1, {
                'pascal_voc/mAP': 0.25
            })


def test_cpu_model_reads_the_first_model_name_of_cpuinfo(tmp_path):
    import toy_harness
    cpuinfo = tmp_path / 'cpuinfo'
    cpuinfo.write_text('processor\t: 0\nvendor_id\t: AuthenticAMD\n'
                       'cpu family\t: 25\nmodel\t\t: 17\n'
                       'model name\t: AMD EPYC 9R14\n\nprocessor\t: 1\n'
                       'cpu family\t: 6\nmodel\t\t: 207\n'
                       'model name\t: another\n')
    assert toy_harness.cpu_model(
        str(cpuinfo)) == 'AMD EPYC 9R14 (family 25, model 17)'
    # without the numbers, the name alone
    cpuinfo.write_text('processor\t: 0\nmodel name\t: Intel(R) Xeon(R) '
                       'Processor\n')
    assert toy_harness.cpu_model(str(cpuinfo)) == 'Intel(R) Xeon(R) Processor'
    # an ARM cpuinfo names no model; a missing file is no error
    cpuinfo.write_text('processor\t: 0\nBogoMIPS\t: 50.00\n'
                       'model name\t:\n')
    assert toy_harness.cpu_model(str(cpuinfo)) == 'not recorded'
    assert toy_harness.cpu_model(str(tmp_path / 'none')) == 'not recorded'


def _fake_starts(toy_study, monkeypatch):
    """An AVX2 CPU and a ``start_backbone`` that records each run whose
    start it rebuilds; returns that list of runs."""
    monkeypatch.setattr(toy_study.torch.backends.cpu, 'get_cpu_capability',
                        lambda: 'AVX2')
    rebuilt = []

    def start_backbone(run, data_root, work_dir):
        rebuilt.append(run)
        return _tensors(run.seed)

    monkeypatch.setattr(toy_study, 'start_backbone', start_backbone)
    return rebuilt


def _fake_stages_without_pretraining(toy_study, monkeypatch):
    """:func:`_fake_stages` and :func:`_fake_starts`, failing the test if a
    stage pretrains; returns ``(events, rebuilt)``."""
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    rebuilt = _fake_starts(toy_study, monkeypatch)
    monkeypatch.setattr(
        toy_study, 'pretrained_backbone',
        lambda *args, **kwargs: pytest.fail('the stage pretrains nothing'))
    return events, rebuilt


def test_starts_stage_fine_tunes_the_start_of_each_network_without_pretraining(
        toy_study, tmp_path, monkeypatch):
    events, rebuilt = _fake_stages_without_pretraining(toy_study, monkeypatch)
    argv = ['--stages', 'starts', '--lr', '0.1', '--seeds', '2', '1'
            ] + _study_dirs(tmp_path)
    toy_study.main(argv)
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    names = [
        f'{method}_lr-0.1_seed-{seed}_start_cpu-avx2' for seed in (2, 1)
        for method in ('byol', 'lc-byol')
    ]
    assert _measured(events) == [
        (name, name.split('_')[0], lr, ('detection', )) for name in names
    ]
    # each start is rebuilt from its own network's config, overrides and seed
    assert [(run.method, run.seed, run.cfg_options) for run in rebuilt] == [
        (method, seed, lr) for seed in (2, 1) for method in ('byol', 'lc-byol')
    ]
    saved = torch.load(tmp_path / 'work' / 'checkpoints' / f'{names[2]}.pth')
    assert [float(t[0])
            for t in saved['state_dict'].values()] == [1.0] * len(_tensors(1))
    # a start with a result is neither rebuilt nor fine-tuned again
    _write(
        str(tmp_path / 'results'), _record(names[0], 'detection', 0.3, seed=2))
    events.clear()
    rebuilt.clear()
    toy_study.main(argv)
    assert [name for name, *_ in _measured(events)] == names[1:]
    assert len(rebuilt) == 3


def test_detection_schedule_stage_fine_tunes_each_pair_at_every_length(
        toy_study, tmp_path, monkeypatch):
    events, rebuilt = _fake_stages_without_pretraining(toy_study, monkeypatch)
    network = 'byol_lr-0.1_recipe-views_seed-{}_cpu-avx2'
    start = 'byol_lr-0.1_seed-{}_start_cpu-avx2'
    results = str(tmp_path / 'results')
    # seeds 1 and 0 were measured at 400 iterations and kept their networks;
    # seed 2's was measured on this kind of CPU but its checkpoint is gone
    # (another kind's is there): its pair is left out, its start not
    # fine-tuned; seed 3 has neither
    _existing_networks(tmp_path, [
        network.format(0),
        network.format(1), 'byol_lr-0.1_recipe-views_seed-2_cpu-avx512'
    ])
    for seed in (0, 1, 2):
        _write(results, _record(network.format(seed), 'detection', 0.3, seed))
    measure = toy_study.run_toy

    def run_toy(run, data_root, work_dir, *args):
        # measuring a network that is not there pretrains it first
        measure(run, data_root, work_dir, *args)
        open(toy_study.checkpoint_file(work_dir, run), 'wb').close()

    monkeypatch.setattr(toy_study, 'run_toy', run_toy)
    toy_study.main([
        '--stages', 'detection-schedule', '--lr', '0.1', '--seeds', '1', '2',
        '3', '0', '--detection-iters', '3200', '1600'
    ] + _study_dirs(tmp_path))
    lr = {'optim_wrapper.optimizer.lr': 0.1}

    def pair(seed, evaluations):
        return [(start.format(seed), 'byol', lr, evaluations),
                (network.format(seed), 'byol', lr, evaluations)]

    # seed 3's pair at the benchmark's length first, then length by length
    # in the given order, pair by pair, the start first
    expected = pair(3, ('detection', ))
    for iters in (3200, 1600):
        for seed in (1, 3, 0):
            expected += pair(seed, (f'detection_iters-{iters}', ))
    assert _measured(events) == expected
    assert [(run.method, run.seed)
            for run in rebuilt] == [('byol', 3)] + [('byol', 1), ('byol', 3),
                                                    ('byol', 0)] * 2


def test_detection_schedule_stage_measures_the_methods_asked_for(
        toy_study, tmp_path, monkeypatch):
    events, rebuilt = _fake_stages_without_pretraining(toy_study, monkeypatch)
    measure = toy_study.run_toy

    def run_toy(run, data_root, work_dir, *args):
        # measuring a network that is not there pretrains it first
        measure(run, data_root, work_dir, *args)
        open(toy_study.checkpoint_file(work_dir, run), 'wb').close()

    monkeypatch.setattr(toy_study, 'run_toy', run_toy)
    argv = [
        '--stages', 'detection-schedule', '--lr', '0.1', '--seeds', '2',
        '--detection-iters', '1600'
    ] + _study_dirs(tmp_path)
    toy_study.main(argv + ['--schedule-methods', 'lc-byol', 'byol'])
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    lc_byol = [('lc-byol_lr-0.1_seed-2_start_cpu-avx2', 'lc-byol', lr),
               ('lc-byol_lr-0.1_seed-2_cpu-avx2', 'lc-byol', lr)]
    byol = [('byol_lr-0.1_seed-2_start_cpu-avx2', 'byol', lr),
            ('byol_lr-0.1_recipe-views_seed-2_cpu-avx2', 'byol', lr)]

    def measured(pairs, evaluation):
        return [run + ((evaluation, ), ) for run in pairs]

    # method by method in the given order, at 400 iterations first, then
    # at each length
    assert _measured(events) == (
        measured(lc_byol, 'detection') + measured(byol, 'detection') +
        measured(lc_byol, 'detection_iters-1600') +
        measured(byol, 'detection_iters-1600'))
    assert [run.method for run in rebuilt] == ['lc-byol', 'byol'] * 2
    # by default BYOL's pair alone (the fakes write no results)
    events.clear()
    toy_study.main(argv)
    assert _measured(events) == (
        measured(byol, 'detection') + measured(byol, 'detection_iters-1600'))
    # with --schedule-long the same start beside the long stage's network,
    # pretrained for its iterations
    budgets = []
    monkeypatch.setattr(
        toy_study, 'run_toy', lambda run, data_root, work_dir, results, budget:
        (budgets.append(budget.pretrain_iters),
         run_toy(run, data_root, work_dir, results, budget)))
    events.clear()
    toy_study.main(argv + ['--schedule-methods', 'lc-byol', '--schedule-long'])
    long_pair = [
        lc_byol[0], ('lc-byol_lr-0.1_iters-4800_seed-2', 'lc-byol', lr)
    ]
    assert _measured(events) == (
        measured(long_pair, 'detection') +
        measured(long_pair, 'detection_iters-1600'))
    assert budgets == [None, toy_study.LONG_ITERS] * 2
    events.clear()
    # LC-BYOL's start at the longer length under another fine-tuning seed
    toy_study.main([
        '--stages', 'schedule-finetune-seeds', '--lr', '0.1', '--seeds', '2',
        '--detection-iters', '1600', '--finetune-seeds', '0', '2',
        '--schedule-methods', 'lc-byol'
    ] + _study_dirs(tmp_path))
    assert _measured(events) == [
        lc_byol[0] + (('detection_iters-1600_finetune-seed-0', ), )
    ]


def test_report_sets_each_network_beside_its_start_at_every_detection_length(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    start = 'byol_lr-0.1_seed-{}_start_cpu-avx512'
    network = 'byol_lr-0.1_recipe-views_seed-{}_cpu-avx512'

    def detection(name, seed, ap, task='detection'):
        _write(
            results,
            dict(
                _record(name.format(seed), 'detection', ap, seed),
                task=task,
                cpu_capability='AVX512'))

    for seed, (start_ap, network_ap) in enumerate(
        ((0.325, 0.270), (0.313, 0.258))):
        detection(start, seed, start_ap)
        detection(network, seed, network_ap)
    # the benchmark's own length alone makes no section
    assert 'against its fine-tuning length' not in toy_study.report(
        results, [0, 1])
    detection(start, 0, 0.400, 'detection_iters-1600')
    detection(network, 0, 0.412, 'detection_iters-1600')
    # seed 1's start has a longer result and its network none: no row;
    # a fine-tuning under another seed is not a length
    detection(start, 1, 0.390, 'detection_iters-1600')
    detection(network, 1, 0.5, 'detection_finetune-seed-0')

    def rows(seeds):
        markdown = toy_study.report(results, seeds)
        section = markdown.split('against its fine-tuning length (avx512)')[1]
        return [
            line for line in section.split('\n## ')[0].splitlines()
            if line.startswith('| ')
        ]

    assert rows([0, 1]) == [
        '| method | pretraining | seed | '
        'start, network, difference at 400 it. | '
        'start, network, difference at 1600 it. |',
        '| byol | recipe | 0 | 32.5, 27.0, -5.5 | 40.0, 41.2, +1.2 |',
    ]
    # the report's seeds choose the rows
    assert 'against its fine-tuning length' not in toy_study.report(
        results, [1])
    # LC-BYOL's pair of seed 1 joins, BYOL's rows first
    lc_start = 'lc-byol_lr-0.1_seed-{}_start_cpu-avx512'
    lc_network = 'lc-byol_lr-0.1_seed-{}_cpu-avx512'
    detection(lc_start, 1, 0.300)
    detection(lc_network, 1, 0.291)
    detection(lc_start, 1, 0.790, 'detection_iters-1600')
    detection(lc_network, 1, 0.803, 'detection_iters-1600')
    assert rows([0, 1])[1:] == [
        '| byol | recipe | 0 | 32.5, 27.0, -5.5 | 40.0, 41.2, +1.2 |',
        '| lc-byol | recipe | 1 | 30.0, 29.1, -0.9 | 79.0, 80.3, +1.3 |',
    ]
    # the long stage's LC-BYOL of seed 1 beside the same start, after the
    # recipe's networks
    long_network = 'lc-byol_lr-0.1_iters-4800_seed-{}'
    detection(long_network, 1, 0.468)
    detection(long_network, 1, 0.776, 'detection_iters-1600')
    assert rows([1])[1:] == [
        '| lc-byol | recipe | 1 | 30.0, 29.1, -0.9 | 79.0, 80.3, +1.3 |',
        '| lc-byol | 4800 it. | 1 | 30.0, 46.8, +16.8 | 79.0, 77.6, -1.4 |',
    ]


def test_schedule_finetune_seeds_stage_reseeds_each_start_at_every_length(
        toy_study, tmp_path, monkeypatch):
    events, rebuilt = _fake_stages_without_pretraining(toy_study, monkeypatch)
    argv = [
        '--stages', 'schedule-finetune-seeds', '--lr', '0.1', '--seeds', '2',
        '0', '--detection-iters', '2400', '1600'
    ] + _study_dirs(tmp_path)
    # no network is in --work-dir: the starts need none
    toy_study.main(argv)
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    start = 'byol_lr-0.1_seed-{}_start_cpu-avx2'
    assert _measured(events) == [
        (start.format(2), 'byol', lr,
         ('detection_iters-2400_finetune-seed-0',
          'detection_iters-2400_finetune-seed-1',
          'detection_iters-1600_finetune-seed-0',
          'detection_iters-1600_finetune-seed-1')),
        (start.format(0), 'byol', lr,
         ('detection_iters-2400_finetune-seed-1',
          'detection_iters-2400_finetune-seed-2',
          'detection_iters-1600_finetune-seed-1',
          'detection_iters-1600_finetune-seed-2')),
    ]
    assert [(run.method, run.seed) for run in rebuilt] == [('byol', 2),
                                                           ('byol', 0)]
    # a start whose own seed is the only one given has nothing to run
    events.clear()
    toy_study.main(argv + ['--finetune-seeds', '2'])
    assert _measured(events) == [
        (start.format(0), 'byol', lr,
         ('detection_iters-2400_finetune-seed-2',
          'detection_iters-1600_finetune-seed-2')),
    ]


def test_report_gives_the_spread_of_a_start_at_a_longer_fine_tuning(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    start = 'byol_lr-0.1_seed-0_start_cpu-avx512'
    network = 'byol_lr-0.1_recipe-views_seed-0_cpu-avx512'
    for name, ap, task in ((start, 0.325, 'detection'), (network, 0.270,
                                                         'detection'),
                           (start, 0.808, 'detection_iters-2400'),
                           (network, 0.780, 'detection_iters-2400'),
                           (start, 0.760,
                            'detection_iters-2400_finetune-seed-1'),
                           (start, 0.820,
                            'detection_iters-2400_finetune-seed-2'),
                           (start, 0.301, 'detection_finetune-seed-1')):
        _write(
            results,
            dict(
                _record(name, 'detection', ap),
                task=task,
                cpu_capability='AVX512'))
    markdown = toy_study.report(results, [0])

    def rows(title):
        section = markdown.split(title)[1].split('\n## ')[0]
        return [line for line in section.splitlines() if line.startswith('| ')]

    # the pair keeps the start's own seed: 78.0 - 80.8
    assert rows('against its fine-tuning length (avx512)')[1:] == [
        '| byol | recipe | 0 | 32.5, 27.0, -5.5 | 80.8, 78.0, -2.8 |'
    ]
    # 80.8, 76.0, 82.0: mean 79.6, sd 3.17 (by hand)
    assert rows(
        '## Fine-tuned detection at 2400 iterations over fine-tuning '
        'seeds'
    )[1:] == [
        f'| {start} | avx512 | 0, 1, 2 | 80.8, 76.0, 82.0 | 79.6 ± 3.2 (n=3) |'
    ]
    # the benchmark's own length keeps its table: 32.5, 30.1 -> 31.3 ± 1.7
    assert rows('of one network over fine-tuning seeds')[1:] == [
        f'| {start} | avx512 | 0, 1 | 32.5, 30.1 | 31.3 ± 1.7 (n=2) |'
    ]
    assert 'at 1600 iterations' not in markdown
    assert markdown.count('over fine-tuning seeds\n') == 2


def test_report_pairs_each_network_with_its_start_and_both_cpus(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    assert 'against its start' not in toy_study.report(results, [1])
    network = _record('byol_lr-0.1_seed-1', 'detection', 0.290, 1)
    network['cpu_capability'] = 'AVX2'
    _write(results, network)
    _write(results, _record('lc-byol_lr-0.1_seed-1', 'detection', 0.288, 1))
    for name, ap in (('byol_lr-0.1_seed-1', 0.312),
                     ('lc-byol_lr-0.1_seed-1', 0.2954), ('byol_lr-0.1_seed-3',
                                                         0.300)):
        _write(results, _record(f'{name}_start_cpu-avx2', 'detection', ap))
    # the same start fine-tuned on another kind of CPU keeps both rows
    _write(results,
           _record('byol_lr-0.1_seed-1_start_cpu-avx512', 'detection', 0.313))
    # the stem swap's start (no CPU in its name) is not one of these
    _write(results, _record('byol_lr-0.1_seed-2_start', 'detection', 0.272))
    section = toy_study.report(results, [1]).split('against its start\n')[1]
    section = section.split('\n## ')[0]
    # 29.0 - 31.2 = -2.2; 28.8 - 29.54 = -0.74 (by hand)
    assert [
        line for line in section.splitlines() if line.startswith('| ')
    ] == [
        '| network | its start: det AP50 | CPU | the network: det AP50 '
        '| CPU | network - start |',
        '| byol_lr-0.1_seed-1 | 31.2 | avx2 | 29.0 | avx2 | -2.2 |',
        '| byol_lr-0.1_seed-1 | 31.3 | avx512 | 29.0 | avx2 | -2.3 |',
        '| byol_lr-0.1_seed-3 | 30.0 | avx2 | - | - | - |',
        '| lc-byol_lr-0.1_seed-1 | 29.5 | avx2 | 28.8 | not recorded '
        '| -0.7 |',
    ]


def test_a_seeded_evaluation_is_fine_tuned_under_its_own_seed(
        tmp_path, monkeypatch):
    import toy_harness
    calls = []

    def run_benchmark(config, checkpoint, work_dir, cfg_options):
        calls.append((osp.basename(config), cfg_options['randomness']['seed'],
                      cfg_options.get('train_cfg.max_iters')))
        return {'pascal_voc/mAP': 0.25, 'mIoU': 17.0}

    monkeypatch.setattr(toy_harness, 'run_benchmark', run_benchmark)
    seeded = toy_harness.seeded_evaluation('detection', 4)
    longer = toy_harness.seeded_evaluation(
        toy_harness.scheduled_evaluation('frozen-seg', 2500), 0)
    assert (seeded, longer) == ('detection_finetune-seed-4',
                                'frozen-seg_iters-2500_finetune-seed-0')
    assert toy_harness.parse_finetune_seed(longer) == ('frozen-seg_iters-2500',
                                                       0)
    assert toy_harness.parse_finetune_seed('detection') == ('detection', None)
    run = toy_harness.ToyRun(
        'random-init_seed-3',
        toy_harness.RANDOM_INIT,
        3,
        evaluations=('detection', seeded, longer))
    results = tmp_path / 'results'
    records = toy_harness.run_toy(run, str(tmp_path / 'toy'),
                                  str(tmp_path / 'work'), str(results))
    # the plain evaluation under the run's seed, the others under theirs
    assert calls == [('faster-rcnn_r18_fpn_toy-voc.py', 3, None),
                     ('faster-rcnn_r18_fpn_toy-voc.py', 4, None),
                     ('fcn_r18-d16-frozen_toy-voc.py', 0, 2500)]
    assert [(records[e]['task'], records[e]['seed'],
             records[e]['finetune_seed'])
            for e in run.evaluations] == [('detection', 3, 3), (seeded, 3, 4),
                                          (longer, 3, 0)]
    assert osp.isfile(results / run.name / f'{seeded}.json')
    with pytest.raises(ValueError, match='already names'):
        toy_harness.seeded_evaluation(seeded, 1)
    with pytest.raises(ValueError, match='linear-probe'):
        toy_harness.seeded_evaluation('linear-probe_iters-10', 1)


def test_finetune_seeds_stage_fine_tunes_starts_and_existing_networks_again(
        toy_study, tmp_path, monkeypatch):
    events = []
    _fake_stages(toy_study, monkeypatch, events)
    rebuilt = _fake_starts(toy_study, monkeypatch)
    # the swaps that are the network itself or its start are not fine-tuned
    # again: the starts and the network runs cover them
    _existing_networks(tmp_path, [
        'lc-byol_lr-0.1_seed-1', 'byol_lr-0.1_seed-1_start-trained-stem',
        'lc-byol_lr-0.1_seed-1_stem-reset',
        'lc-byol_lr-0.1_seed-1_as-pretrained', 'lc-byol_lr-0.1_seed-1_start',
        'byol_lr-0.1_seed-1_norm-reset', 'byol_lr-0.1_seed-1_stem-rescaled'
    ])
    argv = [
        '--stages', 'finetune-seeds', '--lr', '0.1', '--seeds', '1',
        '--finetune-seeds', '0', '1', '2'
    ] + _study_dirs(tmp_path)
    toy_study.main(argv)
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    # every fine-tuning seed but the run's own (1); the starts, then the one
    # pretrained network whose checkpoint exists, then its swaps and those of
    # the network without a checkpoint, stem-reset before norm-reset before
    # start-trained-stem before stem-rescaled
    again = ('detection_finetune-seed-0', 'detection_finetune-seed-2')
    starts = [f'{m}_lr-0.1_seed-1_start_cpu-avx2' for m in ('byol', 'lc-byol')]
    assert _measured(events) == [
        (starts[0], 'byol', lr, again),
        (starts[1], 'lc-byol', lr, again),
        ('lc-byol_lr-0.1_seed-1', 'lc-byol', lr, again),
        ('lc-byol_lr-0.1_seed-1_stem-reset', 'lc-byol', lr, again),
        ('byol_lr-0.1_seed-1_norm-reset', 'byol', lr, again),
        ('byol_lr-0.1_seed-1_start-trained-stem', 'byol', lr, again),
        ('byol_lr-0.1_seed-1_stem-rescaled', 'byol', lr, again),
    ]
    assert [run.name for run in rebuilt] == starts
    # a start with every result is neither rebuilt nor fine-tuned again
    for evaluation in again:
        _write(
            str(tmp_path / 'results'),
            _record(starts[0], evaluation, 0.3, seed=1))
    events.clear()
    rebuilt.clear()
    toy_study.main(argv)
    assert [name for name, *_ in _measured(events)] == [
        starts[1], 'lc-byol_lr-0.1_seed-1', 'lc-byol_lr-0.1_seed-1_stem-reset',
        'byol_lr-0.1_seed-1_norm-reset',
        'byol_lr-0.1_seed-1_start-trained-stem',
        'byol_lr-0.1_seed-1_stem-rescaled'
    ]
    assert [run.name for run in rebuilt] == starts[1:]


def test_long_finetune_seeds_stage_fine_tunes_only_existing_long_networks(
        toy_study, tmp_path, monkeypatch):
    measured = []

    def run_toy(run, root, work_dir, results, budget):
        measured.append((run.name, run.method, run.cfg_options,
                         tuple(run.evaluations), budget.pretrain_iters))

    _fake_stages(toy_study, monkeypatch, [])
    monkeypatch.setattr(toy_study, 'run_toy', run_toy)
    # a 600-iteration network of the same seed is not this stage's
    _existing_networks(tmp_path, [
        'lc-byol_lr-0.1_iters-4800_seed-0', 'byol_lr-0.1_iters-4800_seed-2',
        'byol_lr-0.1_seed-0'
    ])
    toy_study.main([
        '--stages', 'long-finetune-seeds', '--lr', '0.1', '--seeds', '0', '1',
        '2', '--finetune-seeds', '0', '1'
    ] + _study_dirs(tmp_path))
    lr = {'optim_wrapper.optimizer.lr': 0.1}
    # seed by seed; each fine-tuning seed but the network's own, under the
    # long stage's budget (its checkpoint is loaded, nothing is pretrained)
    assert measured == [
        ('lc-byol_lr-0.1_iters-4800_seed-0', 'lc-byol', lr,
         ('detection_finetune-seed-1', ), 4800),
        ('byol_lr-0.1_iters-4800_seed-2', 'byol', lr,
         ('detection_finetune-seed-0', 'detection_finetune-seed-1'), 4800),
    ]
    # a network whose only fine-tuning seed is its own has nothing to run
    measured.clear()
    toy_study.main([
        '--stages', 'long-finetune-seeds', '--lr', '0.1', '--seeds', '0',
        '--finetune-seeds', '0'
    ] + _study_dirs(tmp_path))
    assert measured == []


def test_report_lists_each_network_over_its_fine_tuning_seeds(
        toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    start = 'byol_lr-0.1_seed-1_start_cpu-avx2'
    plain = _record(start, 'detection', 0.334, 1)
    _write(results, dict(plain, cpu_capability='AVX2'))
    assert 'over fine-tuning seeds' not in toy_study.report(results, [1])
    for finetune_seed, ap in ((2, 0.293), (0, 0.326)):
        _write(
            results,
            dict(
                _record(start, 'detection', ap, 1),
                task=f'detection_finetune-seed-{finetune_seed}',
                cpu_capability='AVX2',
                finetune_seed=finetune_seed))
    # a record older than both fields: its own seed, its CPU not recorded
    _write(results, _record('lc-byol_lr-0.1_seed-1', 'detection', 0.288, 1))
    _write(
        results,
        dict(
            _record('lc-byol_lr-0.1_seed-1', 'detection', 0.300, 1),
            task='detection_finetune-seed-0',
            cpu_capability='AVX2',
            finetune_seed=0))
    section = toy_study.report(
        results, [1]).split('over fine-tuning seeds\n')[1].split('\n## ')[0]
    # 32.6, 33.4, 29.3: mean 31.77, sample sd 2.17; 30.0, 28.8: mean 29.4,
    # sd 0.85 (by hand)
    assert [line for line in section.splitlines()
            if line.startswith('| ')] == [
                '| run | CPU | fine-tuning seeds | det AP50 per fine-tuning '
                'seed | mean ± sd |',
                f'| {start} | avx2 | 0, 1, 2 | 32.6, 33.4, 29.3 | '
                '31.8 ± 2.2 (n=3) |',
                '| lc-byol_lr-0.1_seed-1 | avx2, not recorded | 0, 1 | '
                '30.0, 28.8 | 29.4 ± 0.8 (n=2) |',
            ]


def test_views_stage_switches_off_one_augmentation_and_nothing_else(
        toy_study, repo_root):
    import numpy as np
    import toy_harness
    from mmengine.config import Config
    from mmpretrain.registry import TRANSFORMS
    runs = toy_study.view_runs(0.1, [1], [0, 1, 2], 'AVX2')
    assert [(run.name, run.method, run.seed) for run in runs
            ] == [(f'byol_lr-0.1_{views}_seed-1_cpu-avx2', 'byol', 1)
                  for views in ('recipe-views', 'no-blur', 'no-colour')]
    for run in runs:
        assert run.evaluations == (toy_harness.WEIGHT_MOVEMENT, 'detection',
                                   'detection_finetune-seed-0',
                                   'detection_finetune-seed-2')
    config_file = osp.join(repo_root, toy_harness.PRETRAIN_CONFIGS['byol'])
    recipe = Config.fromfile(config_file)

    def views_of(run):
        config = Config.fromfile(config_file)
        config.merge_from_dict(run.cfg_options)
        assert config.optim_wrapper.optimizer.lr == 0.1
        return config.train_dataloader.dataset.pipeline[1].transforms

    def probs(views):
        return [{
            (index, transform['type']): transform['prob']
            for index, transform in enumerate(view) if 'prob' in transform
        } for view in views]

    # BYOL's asymmetric views, as the config writes them
    recipe_probs = [{
        (1, 'RandomApply'): 0.8,
        (2, 'RandomGrayscale'): 0.2,
        (3, 'GaussianBlur'): 1.0
    }, {
        (1, 'RandomFlipWithGeometry'): 0.5,
        (2, 'RandomApply'): 0.8,
        (3, 'RandomGrayscale'): 0.2,
        (4, 'GaussianBlur'): 0.1,
        (5, 'Solarize'): 0.2
    }]
    off = {
        'recipe-views': (),
        'no-blur': ('GaussianBlur', ),
        'no-colour': ('RandomApply', 'RandomGrayscale')
    }
    for run, (views, types) in zip(runs, off.items()):
        expected = [{
            key: 0.0 if key[1] in types else prob
            for key, prob in view.items()
        } for view in recipe_probs]
        ablated = views_of(run)
        assert probs(ablated) == expected, views
        # nothing but those probabilities changes
        for view, recipe_view in zip(
                ablated,
                recipe.train_dataloader.dataset.pipeline[1].transforms):
            assert [dict(transform, prob=None) for transform in view] == [
                dict(transform, prob=None) for transform in recipe_view
            ]
    # a transform with prob 0 leaves every image as it was
    image = np.random.default_rng(0).integers(
        0, 256, (16, 16, 3), dtype=np.uint8)
    for run, index in ((runs[1], 3), (runs[2], 1), (runs[2], 2)):
        transform = TRANSFORMS.build(views_of(run)[0][index])
        for _ in range(20):
            assert np.array_equal(
                transform(dict(img=image.copy()))['img'], image)


def test_colour_strength_stage_changes_only_the_colour_jitters_strength(
        toy_study, repo_root):
    import toy_harness
    from mmengine.config import Config
    runs = toy_study.colour_strength_runs(0.1, [1, 2], [0, 1], 'AVX512')
    assert [(run.name, run.method, run.seed) for run in runs] == [
        (f'byol_lr-0.1_strong-colour_seed-{seed}_cpu-avx512', 'byol', seed)
        for seed in (1, 2)
    ]
    sweep = ('correspondence', 'linear-probe', 'frozen-seg', 'detection',
             'cues', toy_harness.WEIGHT_MOVEMENT)
    assert runs[0].evaluations == sweep + ('detection_finetune-seed-0', )
    assert runs[1].evaluations == sweep + ('detection_finetune-seed-0',
                                           'detection_finetune-seed-1')
    config_file = osp.join(repo_root, toy_harness.PRETRAIN_CONFIGS['byol'])
    recipe_views = Config.fromfile(
        config_file).train_dataloader.dataset.pipeline[1].transforms
    config = Config.fromfile(config_file)
    config.merge_from_dict(runs[0].cfg_options)
    assert config.optim_wrapper.optimizer.lr == 0.1
    strong_views = config.train_dataloader.dataset.pipeline[1].transforms
    # BYOL's jitter (Grill et al. 2020) in the recipe, SimCLR's s = 1
    # (Chen et al. 2020) in the variant, at the same place and probability
    byol = dict(brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)
    simclr = dict(brightness=0.8, contrast=0.8, saturation=0.8, hue=0.2)
    for recipe_view, strong_view, jitter_index in zip(recipe_views,
                                                      strong_views, (1, 2)):
        assert len(strong_view) == len(recipe_view)
        for index, (recipe,
                    strong) in enumerate(zip(recipe_view, strong_view)):
            if index != jitter_index:
                assert strong == recipe
                continue
            assert recipe['type'] == strong['type'] == 'RandomApply'
            assert recipe['prob'] == strong['prob'] == 0.8
            assert recipe['transforms'][0] == dict(type='ColorJitter', **byol)
            assert strong['transforms'][0] == dict(
                type='ColorJitter', **simclr)


def test_long_colour_stage_is_colour_strength_at_the_long_budget(
        toy_study, tmp_path, monkeypatch):
    import toy_harness
    measured = []

    def run_toy(run, root, work_dir, results, budget):
        measured.append((run.name, run.method, run.seed, run.cfg_options,
                         tuple(run.evaluations), budget.pretrain_iters))

    _fake_stages(toy_study, monkeypatch, [])
    monkeypatch.setattr(toy_study, 'run_toy', run_toy)
    monkeypatch.setattr(toy_study.torch.backends.cpu, 'get_cpu_capability',
                        lambda: 'AVX512')
    toy_study.main([
        '--stages', 'long-colour', '--lr', '0.1', '--seeds', '2', '0',
        '--finetune-seeds', '0', '1'
    ] + _study_dirs(tmp_path))
    # the colour-strength stage's pretraining, seed by seed as given
    strong = {
        run.seed: run.cfg_options
        for run in toy_study.colour_strength_runs(0.1, [2, 0], [], 'AVX512')
    }
    long_evaluations = ('correspondence', 'linear-probe', 'frozen-seg',
                        'frozen-seg_iters-4000', 'detection', 'cues',
                        toy_harness.WEIGHT_MOVEMENT)
    assert measured == [
        ('byol_lr-0.1_iters-4800_strong-colour_seed-2_cpu-avx512', 'byol', 2,
         strong[2], long_evaluations +
         ('detection_finetune-seed-0', 'detection_finetune-seed-1'), 4800),
        ('byol_lr-0.1_iters-4800_strong-colour_seed-0_cpu-avx512', 'byol', 0,
         strong[0], long_evaluations + ('detection_finetune-seed-1', ), 4800),
    ]
    # the long stage's BYOL of the same seed differs only in its views
    recipe = toy_study.long_runs(0.1, 2)[1]
    assert recipe.name == 'byol_lr-0.1_iters-4800_seed-2'
    assert {
        key: value
        for key, value in strong[2].items() if 'pipeline' not in key
    } == recipe.cfg_options
    assert any('pipeline' in key for key in strong[2])


def test_view_sweep_pretrains_the_views_stages_networks_and_adds_the_sweep(
        toy_study):
    import toy_harness
    sweep = toy_study.view_sweep_runs(0.1, [0, 2], 'AVX512')
    views = {
        run.name: run
        for run in toy_study.view_runs(0.1, [0, 2], [], 'AVX512')
    }
    assert [run.name for run in sweep] == [
        f'byol_lr-0.1_{name}_seed-{seed}_cpu-avx512' for seed in (0, 2)
        for name in ('recipe-views', 'no-blur')
    ]
    for run in sweep:
        # the same pretraining as the views stage's network of that name
        assert (run.method, run.seed,
                run.cfg_options) == (views[run.name].method,
                                     views[run.name].seed,
                                     views[run.name].cfg_options)
        assert run.evaluations == ('correspondence', 'linear-probe',
                                   'frozen-seg', 'detection',
                                   toy_harness.WEIGHT_MOVEMENT)


def test_chosen_views_moves_off_the_recipe_only_beyond_the_noise(toy_study):
    recipe_frozen = [11.9, 12.0, 12.1]

    def sweep(no_blur_detection, no_blur_frozen=(12.0, 12.0, 12.0)):
        return {
            'recipe-views': {
                'detection': [25.0, 26.0, 27.0],
                'frozen-seg': recipe_frozen
            },
            'no-blur': {
                'detection': list(no_blur_detection),
                'frozen-seg': list(no_blur_frozen)
            }
        }

    # 5 AP50 better, sds 1: the sweep moves
    assert toy_study.chosen_views(sweep([30.0, 31.0, 32.0]), 3) == 'no-blur'
    # 1 AP50 better with sd 2 (27 +- 2): within the noise, the recipe stays
    assert toy_study.chosen_views(sweep([25.0, 27.0, 29.0]),
                                  3) == 'recipe-views'
    # better detection, but frozen segmentation 2 mIoU lower (sd 0.1)
    assert toy_study.chosen_views(
        sweep([30.0, 31.0, 32.0], (10.0, 10.0, 10.0)), 3) == 'recipe-views'
    # frozen segmentation lower within its sd does not block the move
    assert toy_study.chosen_views(
        sweep([30.0, 31.0, 32.0], (11.9, 11.95, 12.0)), 3) == 'no-blur'
    # a seed missing, one seed or no guard: no choice yet
    assert toy_study.chosen_views(sweep([30.0, 31.0]), 3) is None
    assert toy_study.chosen_views(sweep([30.0]), 1) is None
    missing_guard = sweep([30.0, 31.0, 32.0])
    del missing_guard['no-blur']['frozen-seg']
    assert toy_study.chosen_views(missing_guard, 3) is None


def test_view_sweep_values_group_runs_by_views_and_cpu(toy_study):
    records = [
        _record('byol_lr-0.1_recipe-views_seed-2_cpu-avx512', 'detection',
                0.27, 2),
        _record('byol_lr-0.1_recipe-views_seed-0_cpu-avx512', 'detection',
                0.25, 0),
        _record('byol_lr-0.1_no-blur_seed-0_cpu-avx512', 'detection', 0.31),
        _record('byol_lr-0.1_no-blur_seed-0_cpu-avx512', 'frozen-seg', 12.0),
        _record('byol_lr-0.1_no-blur_seed-0_cpu-avx2', 'detection', 0.29),
        # not in the sweep: another view set, another learning rate, a
        # stem graft made of a sweep network
        _record('byol_lr-0.1_no-colour_seed-0_cpu-avx512', 'detection', 0.2),
        _record('byol_lr-0.01_no-blur_seed-0_cpu-avx512', 'detection', 0.2),
        _record('byol_lr-0.1_no-blur_seed-0_cpu-avx512_recipe-views-stem',
                'detection', 0.2),
    ]
    values = toy_study.view_sweep_values(records, 0.1)
    assert list(values) == ['avx2', 'avx512']
    assert values['avx2'] == {'no-blur': {'detection': [pytest.approx(29.0)]}}
    assert values['avx512'] == {
        'recipe-views': {
            'detection': [pytest.approx(25.0),
                          pytest.approx(27.0)]
        },
        'no-blur': {
            'detection': [pytest.approx(31.0)],
            'frozen-seg': [12.0]
        }
    }


def _detection(run, value, seed, finetune_seed=None):
    task = 'detection' if finetune_seed is None else (
        f'detection_finetune-seed-{finetune_seed}')
    return dict(
        task=task,
        method=run,
        seed=seed,
        checkpoint='x',
        metrics={'pascal_voc/mAP': value})


def test_view_confirm_pretrains_fresh_seeds_and_fine_tunes_each_three_times(
        toy_study):
    import toy_harness
    runs = toy_study.view_confirm_runs(0.1, 'AVX512')
    sweep = {
        run.name: run
        for run in toy_study.view_sweep_runs(0.1, [3, 4], 'AVX512')
    }
    # the sweep's networks of fresh seeds, none of the sweep's own 0-2
    assert [run.name for run in runs] == list(sweep)
    assert {run.seed for run in runs} == {3, 4}
    for run in runs:
        assert (run.method, run.cfg_options) == (sweep[run.name].method,
                                                 sweep[run.name].cfg_options)
        assert run.evaluations == ('correspondence', 'linear-probe',
                                   'frozen-seg', toy_harness.WEIGHT_MOVEMENT,
                                   'detection_finetune-seed-0',
                                   'detection_finetune-seed-1',
                                   'detection_finetune-seed-2')


def test_detection_by_finetune_seed_reads_a_plain_run_as_its_own_seed(
        toy_study):
    name = 'byol_lr-0.1_no-blur_seed-1_cpu-avx512'
    other = 'byol_lr-0.1_no-blur_seed-0_cpu-avx512'
    results = [
        _detection(name, 0.25, 1),
        _detection(name, 0.27, 1, 0),
        _detection(name, 0.30, 1, 2),
        _detection(other, 0.9, 0, 1),
        _record(name, 'frozen-seg', 12.0, 1),
        _record(name, 'detection-d16', 0.5, 1),
    ]
    assert toy_study.detection_by_finetune_seed(results) == {
        name: {
            1: pytest.approx(25.0),
            0: pytest.approx(27.0),
            2: pytest.approx(30.0)
        },
        other: {
            1: pytest.approx(90.0)
        }
    }


def _confirm_results(gains, no_blur_frozen=12.0, other='no-blur'):
    """Two view sets, seeds 0-4, each network fine-tuned under seeds 0-2;
    the ``other`` views' network of seed s detects ``gains[s]`` AP50 above
    the recipe's 26, and frozen segmentation is 12 (``no_blur_frozen`` with
    the other views)."""
    results = []
    for seed, gain in enumerate(gains):
        for views, ap50, frozen in (('recipe-views', 26.0, 12.0),
                                    (other, 26.0 + gain, no_blur_frozen)):
            name = f'byol_lr-0.1_{views}_seed-{seed}_cpu-avx512'
            results.append(_record(name, 'frozen-seg', frozen, seed))
            for finetune_seed, offset in enumerate((-1.0, 0.0, 1.0)):
                value = (ap50 + offset) / 100
                results.append(
                    _detection(name, value, seed) if finetune_seed ==
                    seed else _detection(name, value, seed, finetune_seed))
    return results


def test_view_confirm_decides_on_the_fresh_seeds_only(toy_study):
    # seeds 0-2 gain 4-6 AP50, the fresh seeds 3 and 4 gain nothing
    results = _confirm_results([5.0, 4.0, 6.0, 0.5, -0.5])
    values = toy_study.view_confirm_values(results, 0.1, [3, 4])
    assert values == {
        'avx512': {
            'recipe-views': {
                'detection': [pytest.approx(26.0),
                              pytest.approx(26.0)],
                'frozen-seg': [12.0, 12.0]
            },
            'no-blur': {
                'detection': [pytest.approx(26.5),
                              pytest.approx(25.5)],
                'frozen-seg': [12.0, 12.0]
            }
        }
    }
    markdown = ''.join(toy_study.view_confirm_markdown(results, 0.1))
    assert 'Chosen: recipe-views' in markdown
    # over every seed the no-blur mean is 3 AP50 higher: described only
    every_seed = toy_study.view_confirm_values(results, 0.1, None)
    assert every_seed['avx512']['no-blur']['detection'] == [
        pytest.approx(26.0 + gain) for gain in (5.0, 4.0, 6.0, 0.5, -0.5)
    ]
    # gains on the fresh seeds beyond their spread move the choice
    moved = _confirm_results([0.0, 0.0, 0.0, 5.0, 4.0])
    assert 'Chosen: no-blur' in ''.join(
        toy_study.view_confirm_markdown(moved, 0.1))
    # ... unless they lower frozen segmentation beyond its spread
    assert 'Chosen: recipe-views' in ''.join(
        toy_study.view_confirm_markdown(
            _confirm_results([0.0, 0.0, 0.0, 5.0, 4.0], no_blur_frozen=10.0),
            0.1))
    # a fresh network without its third fine-tuning: no choice yet
    unfinished = [
        record for record in moved
        if not (record['method'] == 'byol_lr-0.1_no-blur_seed-4_cpu-avx512'
                and record['task'] == 'detection_finetune-seed-2')
    ]
    assert 'not every view set has every seed' in ''.join(
        toy_study.view_confirm_markdown(unfinished, 0.1))


def test_colour_confirm_sets_strong_colour_against_the_recipe_on_fresh_seeds(
        toy_study):
    # seeds 0-2 gain 5 AP50, the fresh seeds 3 and 4 within their spread
    within = _confirm_results([5.0, 5.0, 5.0, 0.5, -0.5],
                              other='strong-colour')
    markdown = ''.join(toy_study.colour_confirm_markdown(within, 0.1))
    assert "SimCLR's colour strength on fresh seeds" in markdown
    assert 'Chosen: recipe-views' in markdown
    row = '| strong-colour | 26.0 ± 0.7 (n=2) | 12.0 ± 0.0 (n=2) |'
    assert row in markdown
    # fresh seeds 5 and 4 AP50 better, sd 0.7: strong colour is chosen
    moved = _confirm_results([0.0, 0.0, 0.0, 5.0, 4.0], other='strong-colour')
    assert 'Chosen: strong-colour' in ''.join(
        toy_study.colour_confirm_markdown(moved, 0.1))
    # ... unless frozen segmentation falls beyond its spread
    assert 'Chosen: recipe-views' in ''.join(
        toy_study.colour_confirm_markdown(
            _confirm_results([0.0, 0.0, 0.0, 5.0, 4.0],
                             no_blur_frozen=10.0,
                             other='strong-colour'), 0.1))
    # the view-confirm section never sees the strong-colour networks
    view_confirm = ''.join(toy_study.view_confirm_markdown(moved, 0.1))
    assert 'strong-colour' not in view_confirm
    assert 'not every view set has every seed' in view_confirm
    # no strong-colour network of a fresh seed: no section
    assert toy_study.colour_confirm_markdown(
        _confirm_results([5.0, 4.0, 6.0, 0.5, -0.5]), 0.1) == []
    assert toy_study.colour_confirm_markdown([
        record for record in moved
        if record['seed'] not in toy_study.VIEW_CONFIRM_SEEDS
        or 'strong-colour' not in record['method']
    ], 0.1) == []


def test_report_keeps_the_view_sweep_on_its_own_seeds(toy_study, tmp_path):
    results = str(tmp_path)
    _write_sweep(toy_study, results, 0.1)
    # the fresh seeds' frozen segmentation far off the sweep's
    for record in _confirm_results([5.0, 4.0, 6.0, 0.5, -0.5]):
        if record['seed'] in toy_study.VIEW_CONFIRM_SEEDS and record[
                'task'] == 'frozen-seg':
            record['metrics']['mIoU'] = 50.0
        _write(results, record)
    markdown = toy_study.report(results, [0, 1, 2, 3, 4])
    sweep = markdown.split('## Choosing the toy views (BYOL, avx512 CPU)')[1]
    sweep = sweep.split('## ')[0]
    # seeds 0-2 only: one fine-tuning a network, frozen segmentation 12
    assert 'Chosen over 3 seeds: no-blur' in sweep
    assert '50.0' not in sweep and '(n=5)' not in sweep
    confirm = markdown.split('## Confirming the toy views on fresh seeds')[1]
    assert 'Chosen: recipe-views' in confirm


def test_long_colour_section_sets_each_network_beside_long_byol_of_its_seed(
        toy_study):
    recipe = 'byol_lr-0.1_iters-4800_seed-2'
    strong = 'byol_lr-0.1_iters-4800_strong-colour_seed-2_cpu-avx512'
    results = [
        _record(recipe, 'correspondence', 0.106, 2),
        _record(strong, 'correspondence', 0.2, 2),
        _record(strong, toy_study.FROZEN_SEG_LONG, 14.0, 2),
        _detection(recipe, 0.232, 2),
        _detection(recipe, 0.226, 2, 1),
        _detection(strong, 0.30, 2),
        _detection(strong, 0.35, 2, 0),
        _detection(strong, 0.28, 2, 1),
        dict(
            task='cues',
            method=strong,
            seed=2,
            checkpoint='x',
            metrics=dict(
                shape=31.0,
                texture=20.0,
                colour=50.0,
                same_scene=0.25,
                other_scenes=0.02)),
        # logged every 1,000 iterations: only 4,000 and 4,800 are late
        dict(
            task='pretrain',
            method=strong,
            seed=2,
            checkpoint='x',
            metrics={},
            curves={
                'iter': [1000, 2000, 3000, 4000, 4800],
                'loss': [-1.0, -2.0, -9.0, -3.0, -3.5]
            }),
        # a long BYOL of a seed without a strong-colour network stays out
        _record('byol_lr-0.1_iters-4800_seed-0', 'correspondence', 0.13, 0),
    ]
    values = toy_study.long_colour_values(results, 0.1)
    assert list(values) == [recipe, strong]
    assert values[recipe]['detection'] == pytest.approx((23.2 + 22.6) / 2)
    assert values[recipe]['fine-tunings'] == 2
    assert values[strong]['detection'] == pytest.approx((30 + 35 + 28) / 3)
    assert values[strong]['fine-tunings'] == 3
    assert values[strong]['late_loss'] == pytest.approx(-3.25)
    markdown = ''.join(toy_study.long_colour_markdown(results, 0.1))
    assert '## BYOL at 4800 pretraining iterations with SimCLR' in markdown
    header = ('| run | correspondence acc | linear probe mIoU | frozen seg '
              'mIoU | frozen seg mIoU, 4,000 it. | det AP50 | fine-tunings | '
              'shape acc | texture acc | colour acc | same-scene cos | '
              'late loss |')
    assert header in markdown
    assert (f'| {strong} | 20.0 | - | - | 14.0 | 31.0 | 3 | 31.0 | 20.0 | '
            '50.0 | 0.25 | -3.25 |') in markdown
    assert f'| {recipe} | 10.6 | - | - | - | 22.9 | 2 | - |' in markdown
    # no strong-colour network: no section
    assert toy_study.long_colour_markdown(
        [r for r in results if r['method'] != strong], 0.1) == []
