"""Train a downstream benchmark from a converted checkpoint, test it, write
results.json.

    python tools/benchmarks/train_and_test.py CONFIG PRETRAIN [--work-dir DIR]

The work dir defaults to work_dirs/benchmarks/<config>/<checkpoint>/.
"""
import argparse

from mmengine.config import DictAction

from mmlc.apis import ensure_local_rank
from mmlc.apis.benchmark import run_benchmark


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a config under configs/benchmarks/')
    parser.add_argument(
        'pretrained', help='checkpoint written by convert_checkpoint.py')
    parser.add_argument('--work-dir')
    parser.add_argument('--amp', action='store_true')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    ensure_local_rank(args.local_rank)
    metrics = run_benchmark(
        args.config,
        args.pretrained,
        work_dir=args.work_dir,
        launcher=args.launcher,
        amp=args.amp,
        cfg_options=args.cfg_options)
    print(metrics)


if __name__ == '__main__':
    main()
