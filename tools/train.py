"""Train with a config: ``python tools/train.py CONFIG [--work-dir ...]``.

Same command line as mmpretrain's ``tools/train.py``; the logic lives in
:mod:`mmlc.apis.train`.
"""
import argparse
import sys

from mmengine.config import Config, DictAction

from mmlc.apis import (CollectiveTimeoutError, build_runner,
                       close_process_group, ensure_local_rank,
                       merge_train_args, train_and_report)
from mmlc.engine import RunStoppedError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint, or without a value from '
        'the latest checkpoint in the work dir (a run that torchrun or '
        'slurm_train.sh restarted does this by itself)')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--no-validate', action='store_true', help='skip validation')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by actual batch size / '
        'auto_scale_lr.base_batch_size')
    parser.add_argument('--no-pin-memory', action='store_true')
    parser.add_argument('--no-persistent-workers', action='store_true')
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
    cfg = merge_train_args(
        Config.fromfile(args.config),
        args.config,
        work_dir=args.work_dir,
        resume=args.resume,
        amp=args.amp,
        auto_scale_lr=args.auto_scale_lr,
        launcher=args.launcher,
        no_validate=args.no_validate,
        no_pin_memory=args.no_pin_memory,
        no_persistent_workers=args.no_persistent_workers,
        cfg_options=args.cfg_options)
    runner = build_runner(cfg)
    stopped = None
    try:
        train_and_report(runner, cfg)
    except CollectiveTimeoutError as error:
        # the process group is broken: nothing to close in order
        print(f'error: {error}', file=sys.stderr)
        sys.exit(1)
    except RunStoppedError as error:
        # every rank stops here together (the guards decide collectively);
        # the message only: the traceback would keep the Runner alive
        stopped = str(error)
    del runner
    close_process_group()
    if stopped is not None:
        print(f'error: {stopped}', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
