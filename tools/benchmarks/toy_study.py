"""The toy study: BYOL, LC-BYOL and a random network on the toy data, over seeds.

    python tools/benchmarks/toy_study.py                 # every stage, in order
    python tools/benchmarks/toy_study.py --stages lr-sweep
    python tools/benchmarks/toy_study.py --stages report # tables and pictures only

Stages (each run writes one small JSON per evaluation under --results, and a
run whose result files all exist is skipped, so the study resumes from them,
on another machine too; checkpoints stay under --work-dir):

- ``lr-sweep``: BYOL, seed 0, at each of LR_SWEEP; the learning rate of the
  rest of the study is the one with BYOL's best frozen-segmentation mIoU, so
  the baseline is not handicapped;
- ``main``: BYOL, LC-BYOL and a random network for every --seeds, every
  evaluation;
- ``alpha``: LC-BYOL, seed 0, at ALPHA_SWEEP (alpha = 0 is BYOL: the same loss
  and gradients; alpha = 0.1 is the main LC-BYOL run);
- ``report``: study.md and the pictures in --results.

Toy scale on the CPU: nothing here is one of the paper's numbers.
"""
import argparse
import json
import os
import os.path as osp
import platform
import time
from typing import Dict, List, Optional

from mmlc.apis.demo import (METHOD_LABELS, RANDOM_INIT, ToyBudget, ToyRun, ensure_toy_dataset,
                            run_toy)
from mmlc.evaluation.toy_report import (HEADLINE, alpha_curve, bar_chart, group_values,
                                        headline, load_toy_records, loss_curve_chart,
                                        paper_ordering, summary_markdown)
from mmlc.utils import write_text

LR_SWEEP = (0.01, 0.03, 0.1)
ALPHA_SWEEP = (0.3, 0.5, 0.7, 1.0)
PAPER_ALPHA = 0.1
SWEEP_EVALUATIONS = ('correspondence', 'linear-probe', 'frozen-seg')
STAGES = ('lr-sweep', 'main', 'alpha', 'report')
GROUPS = METHOD_LABELS


def lr_run(lr: float, seed: int = 0, evaluations=SWEEP_EVALUATIONS) -> ToyRun:
    return ToyRun(f'byol_lr-{lr:g}_seed-{seed}', 'byol', seed,
                  {'optim_wrapper.optimizer.lr': lr}, evaluations)


def main_runs(lr: float, seeds: List[int]) -> List[ToyRun]:
    runs = []
    for seed in seeds:
        runs.append(ToyRun(f'random-init_seed-{seed}', RANDOM_INIT, seed))
        for method in ('byol', 'lc-byol'):
            runs.append(ToyRun(f'{method}_lr-{lr:g}_seed-{seed}', method, seed,
                               {'optim_wrapper.optimizer.lr': lr}))
    return runs


def alpha_runs(lr: float) -> List[ToyRun]:
    return [ToyRun(f'lc-byol_alpha-{alpha:g}_lr-{lr:g}_seed-0', 'lc-byol', 0,
                   {'optim_wrapper.optimizer.lr': lr, 'model.alpha': alpha},
                   SWEEP_EVALUATIONS) for alpha in ALPHA_SWEEP]


def sweep_values(records) -> Dict[float, Dict[str, float]]:
    """``{lr: {evaluation: value}}`` of the learning-rate sweep's runs."""
    names = {lr_run(lr).name: lr for lr in LR_SWEEP}
    values: Dict[float, Dict[str, float]] = {}
    for record in records:
        if record['method'] in names:
            values.setdefault(names[record['method']], {})[record['task']] = headline(record)
    return values


def chosen_lr(records) -> Optional[float]:
    """The sweep's learning rate with BYOL's best frozen-segmentation mIoU, once every
    sweep run has that result (None before)."""
    values = sweep_values(records)
    if any('frozen-seg' not in values.get(lr, {}) for lr in LR_SWEEP):
        return None
    return max(LR_SWEEP, key=lambda lr: values[lr]['frozen-seg'])


def alpha_points(records, lr: float) -> Dict[float, Dict[str, float]]:
    """``{alpha: {evaluation: value}}`` on seed 0 (0: BYOL; 0.1: the main LC-BYOL run)."""
    names = {run.name: alpha for run, alpha in zip(alpha_runs(lr), ALPHA_SWEEP)}
    names[f'byol_lr-{lr:g}_seed-0'] = 0.0
    names[f'lc-byol_lr-{lr:g}_seed-0'] = PAPER_ALPHA
    points: Dict[float, Dict[str, float]] = {}
    for record in records:
        if record['method'] in names and record['task'] in SWEEP_EVALUATIONS:
            points.setdefault(names[record['method']], {})[record['task']] = headline(record)
    return points


def _table(rows: Dict, key_name: str, evaluations) -> str:
    lines = [f'| {key_name} | ' + ' | '.join(HEADLINE[e][2] for e in evaluations) + ' |',
             '|' + '---|' * (len(evaluations) + 1)]
    for key in sorted(rows):
        cells = [f'{rows[key][e]:.1f}' if e in rows[key] else '-' for e in evaluations]
        lines.append(f'| {key:g} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def _loss_curves(results_dir: str, lr: float) -> Dict[str, Dict[str, List[float]]]:
    curves = {}
    for method in ('byol', 'lc-byol'):
        path = osp.join(results_dir, f'{method}_lr-{lr:g}_seed-0', 'pretrain.json')
        if osp.isfile(path):
            with open(path, encoding='utf-8') as f:
                curves[GROUPS[method]] = json.load(f)['curves']
    return curves


def correspondence_figure(work_dir: str, data_root: str, lr: float, out_file: str) -> bool:
    """The paper's Fig. 4 on the toy data: one validation image and its flipped copy,
    matched by the seed-0 BYOL and LC-BYOL backbones side by side. Needs their
    checkpoints under ``work_dir``; returns whether it drew the picture."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mmlc.apis.demo import TOY_BACKBONE, TOY_SIZE
    from mmlc.evaluation import load_resnet
    from mmlc.evaluation.images import list_images
    from mmlc.evaluation.visualize import draw_correspondence, make_view_pair
    checkpoints = {method: osp.join(work_dir, 'checkpoints', f'{method}_lr-{lr:g}_seed-0.pth')
                   for method in ('byol', 'lc-byol')}
    if not all(osp.isfile(path) for path in checkpoints.values()):
        return False
    image = list_images(osp.join(data_root, 'imagenet', 'val'))[0]
    pair = make_view_pair(image, 'flip', TOY_SIZE, seed=0)
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.6), dpi=100)
    for ax, (method, checkpoint) in zip(axes, checkpoints.items()):
        single = osp.join(osp.dirname(out_file), f'correspondence_{method}.png')
        accuracy = draw_correspondence(load_resnet(checkpoint, **TOY_BACKBONE), pair, single)
        ax.imshow(plt.imread(single))
        ax.set_title(f'{GROUPS[method]}: {100 * accuracy:.0f}% of cells matched to the '
                     'mirrored cell', fontsize=9)
        ax.axis('off')
        os.remove(single)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)
    return True


def report(results_dir: str, seeds: List[int], work_dir: Optional[str] = None,
           data_root: Optional[str] = None) -> str:
    """study.md plus study.png, alpha.png, losses.png (and, where the seed-0
    checkpoints are in ``work_dir``, correspondence.png) under ``results_dir``."""
    records = load_toy_records(results_dir)
    lr = chosen_lr(records)
    sections = ['# Toy study results\n',
                '## Learning-rate sweep (BYOL, seed 0)\n',
                _table(sweep_values(records), 'lr', SWEEP_EVALUATIONS),
                f'Chosen: {lr if lr is not None else "(sweep not finished)"}\n']
    if lr is not None:
        groups = {run.name: GROUPS[run.method] for run in main_runs(lr, seeds)}
        values = group_values(records, groups)
        order = list(GROUPS.values())
        sections += ['## Main comparison (mean ± sd over seeds)\n',
                     summary_markdown(values, order),
                     '\n'.join(f'- {s}' for s in paper_ordering(values, lc='LC-BYOL', byol='BYOL', random='random init')) + '\n',
                     '## Alpha sweep (seed 0)\n',
                     _table(alpha_points(records, lr), 'alpha', SWEEP_EVALUATIONS)]
        bar_chart(values, order, osp.join(results_dir, 'study.png'),
                  f'toy study, lr {lr:g}, seeds {seeds} (toy scale, CPU)')
        points = alpha_points(records, lr)
        if points:
            alpha_curve(points, osp.join(results_dir, 'alpha.png'),
                        'alpha sweep, seed 0 (toy scale, CPU)')
        curves = _loss_curves(results_dir, lr)
        if curves:
            loss_curve_chart(curves, osp.join(results_dir, 'losses.png'),
                             'pretraining losses, seed 0 (toy scale, CPU)')
        if work_dir and data_root:
            correspondence_figure(work_dir, data_root, lr,
                                  osp.join(results_dir, 'correspondence.png'))
    markdown = '\n'.join(sections)
    write_text(osp.join(results_dir, 'study.md'), markdown)
    return markdown


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/toy_study',
                        help='checkpoints and mmengine work dirs (large, not kept)')
    parser.add_argument('--results', default='docs/toy_study',
                        help='result files, study.md and pictures (small, committed)')
    parser.add_argument('--data-root', default='data/toy')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--stages', nargs='+', default=list(STAGES), choices=STAGES)
    parser.add_argument('--lr', type=float, default=None,
                        help='skip the sweep\'s choice and use this learning rate')
    parser.add_argument('--pretrain-iters', type=int, default=None)
    parser.add_argument('--downstream-iters', type=int, default=None)
    return parser.parse_args(argv)


def main(argv=None) -> str:
    args = parse_args(argv)
    start = time.perf_counter()
    ensure_toy_dataset(args.data_root)
    budget = ToyBudget(args.pretrain_iters, args.downstream_iters)

    def run_all(runs):
        for run in runs:
            print(f'\n[toy study | {time.perf_counter() - start:6.0f} s] {run.name}', flush=True)
            run_toy(run, args.data_root, args.work_dir, args.results, budget)

    if 'lr-sweep' in args.stages and args.lr is None:
        run_all([lr_run(lr) for lr in LR_SWEEP])
    lr = args.lr or chosen_lr(load_toy_records(args.results))
    if lr is None and {'main', 'alpha'} & set(args.stages):
        raise SystemExit('the learning-rate sweep has not finished: run --stages lr-sweep '
                         'first, or pass --lr')
    if 'main' in args.stages:
        run_all(main_runs(lr, args.seeds))
    if 'alpha' in args.stages:
        run_all(alpha_runs(lr))
    markdown = report(args.results, args.seeds, args.work_dir, args.data_root)
    print(markdown)
    print(f'{(time.perf_counter() - start) / 60:.0f} min on {platform.machine()}; '
          f'{time.strftime("%Y-%m-%d")}; toy scale, CPU: not the paper\'s numbers')
    return markdown


if __name__ == '__main__':
    main()
