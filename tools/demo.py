"""The README's main command: the whole pipeline at toy scale on the CPU.

    python tools/demo.py --work-dir work_dirs/demo

Generates the embedded toy dataset, pretrains LC-BYOL and BYOL with the same
budget, converts both checkpoints, measures correspondence accuracy (and for a
randomly initialised network), trains a detector and a segmentor briefly from
each, and prints the table (also table.md, table.csv, table.png in the work
dir). Toy scale: nothing printed here is one of the paper's numbers.
"""
import argparse

from mmlc.apis.demo import run_demo


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--data-root', default='data/toy')
    parser.add_argument('--pretrain-iters', type=int, default=None,
                        help='shorten pretraining (default: the configs\' 300)')
    parser.add_argument('--downstream-iters', type=int, default=None,
                        help='shorten each downstream run (default: the configs\' 100 / 300)')
    parser.add_argument('--max-eval-images', type=int, default=None)
    return parser.parse_args(argv)


def main(argv=None) -> str:
    args = parse_args(argv)
    return run_demo(args.work_dir, args.data_root, args.pretrain_iters, args.downstream_iters,
                    args.max_eval_images)


if __name__ == '__main__':
    main()
