"""The README's main command: the whole pipeline at toy scale on the CPU.

    python tools/benchmarks/toy_demo.py --work-dir work_dirs/demo

Generates the embedded toy dataset (version 4: classes are shapes, four
keypoints per object), pretrains BYOL and LC-BYOL with the toy recipe at a
demo budget, converts both checkpoints, and measures them and a randomly
initialised network on correspondence, a dense linear probe, frozen-backbone
segmentation, fine-tuned detection and fine-tuned keypoints (mmpose). Prints
the table and says, claim by claim, whether the ordering it measured is the
paper's. Toy scale: nothing printed here is one of
the paper's numbers (docs/toy_study.md has the multi-seed study).
"""
import argparse
import dataclasses
import os.path as osp

from toy_harness import (EVALUATIONS, METHOD_LABELS, TOY_IMAGES, TOY_SEED,
                         TOY_SIZE, Progress, ToyBudget, ToyRun, run_toy)
from toy_report import (bar_chart, group_values, load_toy_records,
                        paper_ordering, summary_markdown)

from mmlc.datasets import ensure_toy_dataset
from mmlc.utils import write_text

# `make demo`: the toy recipe with every budget cut to fit 15 minutes on 2
# cores
DEMO_BUDGET = ToyBudget(
    pretrain_iters=50,
    downstream_iters=80,
    probe_epochs=10,
    max_eval_images=100)
# the study's evaluations but the training-free retrieval
DEMO_EVALUATIONS = EVALUATIONS + ('keypoints', )


def run_demo(work_dir: str,
             data_root: str = 'data/toy',
             budget: ToyBudget = DEMO_BUDGET,
             seed: int = 0,
             num_images: int = TOY_IMAGES,
             image_size: int = TOY_SIZE) -> str:
    """The whole demo; returns the Markdown table and verdict (also written
    under ``work_dir``: table.md, table.png, results/).

    Args:
        work_dir (str): everything the demo writes goes here.
        data_root (str): toy dataset location (generated if missing).
        budget (ToyBudget): iteration budgets (:data:`DEMO_BUDGET` by default).
        seed (int): seeds pretraining, the random network and the evaluations.
        num_images (int): scenes of the toy dataset.
        image_size (int): side of the toy dataset's images.
    """
    runs = [
        ToyRun(method, method, seed, {}, DEMO_EVALUATIONS)
        for method in METHOD_LABELS
    ]
    progress = Progress(total=len(runs) + 2)
    progress(f'toy dataset under {data_root}')
    ensure_toy_dataset(data_root, num_images, seed=TOY_SEED, size=image_size)
    results_dir = osp.join(work_dir, 'results')
    for run in runs:
        progress(f'{METHOD_LABELS[run.method]}: pretraining (if any), then '
                 f'{", ".join(run.evaluations)}')
        run_toy(run, data_root, work_dir, results_dir, budget)
    progress('table')
    values = group_values(
        load_toy_records(results_dir),
        {run.name: METHOD_LABELS[run.method]
         for run in runs})
    order = list(METHOD_LABELS.values())
    verdict = paper_ordering(
        values, lc='LC-BYOL', byol='BYOL', random='random init')
    bullets = '\n'.join(f'- {sentence}' for sentence in verdict)
    markdown = (
        summary_markdown(values, order) + '\n' + bullets +
        f'\n\nToy scale on the CPU ({budget}), one seed: not the paper\'s '
        f'numbers.\n')
    write_text(osp.join(work_dir, 'table.md'), markdown)
    bar_chart(values, order, osp.join(work_dir, 'table.png'),
              'mmlc demo (toy scale, CPU)')
    print(markdown)
    print(f'written: {work_dir}/table.md, table.png, results/')
    return markdown


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--data-root', default='data/toy')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--pretrain-iters', type=int, default=DEMO_BUDGET.pretrain_iters)
    parser.add_argument(
        '--downstream-iters', type=int, default=DEMO_BUDGET.downstream_iters)
    parser.add_argument(
        '--max-eval-images', type=int, default=DEMO_BUDGET.max_eval_images)
    return parser.parse_args(argv)


def main(argv=None) -> str:
    args = parse_args(argv)
    budget = dataclasses.replace(
        DEMO_BUDGET,
        pretrain_iters=args.pretrain_iters,
        downstream_iters=args.downstream_iters,
        max_eval_images=args.max_eval_images)
    return run_demo(args.work_dir, args.data_root, budget, seed=args.seed)


if __name__ == '__main__':
    main()
