"""Test (evaluate) a checkpoint with a config: ``python tools/test.py CONFIG
CHECKPOINT``.

Same command line as mmpretrain's ``tools/test.py`` for the options mmlc uses;
the config must define ``test_dataloader``/``test_evaluator``.
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction

from mmlc.apis import build_runner, ensure_local_rank


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the dir to save evaluation results')
    parser.add_argument(
        '--out', help='dump the metrics to this file (json/yaml/pkl)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    ensure_local_rank(args.local_rank)
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs',
        osp.splitext(osp.basename(args.config))[0])
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {args.checkpoint}')
    cfg.load_from = args.checkpoint
    metrics = build_runner(cfg).test()
    if args.out:
        import mmengine
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        mmengine.dump(metrics, args.out)


if __name__ == '__main__':
    main()
