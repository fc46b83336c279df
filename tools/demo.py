"""The README's main command: toy data -> LC-BYOL pretraining on the CPU.

    python tools/demo.py --work-dir work_dirs/demo

Generates the embedded toy dataset (once), pretrains the CPU-sized LC-BYOL
config on it and prints where the checkpoint is and how the losses moved.
Toy scale: nothing printed here is one of the paper's numbers.
"""
import argparse
import os.path as osp

from mmlc.apis.demo import run_demo


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--data-root', default='data/toy')
    parser.add_argument('--config', default=osp.join(
        osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs', 'lc_byol',
        'lc-byol_resnet18_1xb16-300iter_toy.py'))
    parser.add_argument('--iters', type=int, default=None, help='override max_iters')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    summary = run_demo(args.config, args.work_dir, args.data_root, max_iters=args.iters)
    print('\n'.join(f'{key:>14}: {value}' for key, value in summary.items()))


if __name__ == '__main__':
    main()
