"""The README's main command: the whole pipeline at toy scale on the CPU.

    python tools/demo.py --work-dir work_dirs/demo

Generates the embedded toy dataset (version 2: classes are shapes), pretrains
BYOL and LC-BYOL with the toy recipe at a demo budget, converts both
checkpoints, and measures them and a randomly initialised network on
correspondence, a dense linear probe, frozen-backbone segmentation and
fine-tuned detection. Prints the table and says, claim by claim, whether the
ordering it measured is the paper's. Toy scale: nothing printed here is one of
the paper's numbers (docs/evaluation.md has the multi-seed study).
"""
import argparse
import dataclasses

from mmlc.apis.demo import DEMO_BUDGET, run_demo


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
