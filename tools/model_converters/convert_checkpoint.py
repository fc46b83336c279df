"""Convert a backbone checkpoint for mmdet/mmseg, torchvision or
detectron2.

    python tools/model_converters/convert_checkpoint.py SRC DST \
        [--to openmmlab]
        [--src-format auto] [--branch online] [--depth 50] [--trust-pickle]
        [--backbone-config CONFIG]

A ResNet by default (``--depth``, ``--base-channels``); with
``--backbone-config`` the ``model.backbone`` of that config (any backbone
mmpretrain builds: Swin, ConvNeXt, ...) is the reference, written for
mmdet/mmseg (``--to openmmlab``).

Exit status 2 with a one-line message on any bad input; nothing is written
then.
"""
import argparse
import sys

from mmlc.converters import (LAYOUT_NAMES, TARGETS, ConversionError,
                             backbone_cfg_from_config, convert_checkpoint)
from mmlc.converters.convert import describe


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='checkpoint to read')
    parser.add_argument('dst', help='file to write (atomically; never SRC)')
    parser.add_argument('--to', choices=TARGETS, default='openmmlab')
    parser.add_argument(
        '--src-format', choices=('auto', ) + LAYOUT_NAMES, default='auto')
    parser.add_argument(
        '--branch',
        choices=('online', 'target'),
        default='online',
        help='online network or its EMA (target) copy, for self-supervised '
        'checkpoints')
    parser.add_argument(
        '--depth',
        type=int,
        default=50,
        help='ResNet depth to validate against')
    parser.add_argument(
        '--base-channels',
        type=int,
        default=64,
        help='first-stage width (64 for standard ResNets; 16 for the toy '
        'configs)')
    parser.add_argument(
        '--backbone-config',
        help='a config whose model.backbone describes the backbone to '
        'validate against (instead of a ResNet)')
    parser.add_argument(
        '--trust-pickle',
        action='store_true',
        help='allow arbitrary unpickling (only for files you trust)')
    return parser.parse_args(argv)


def first_line(err: Exception) -> str:
    """The first line of an exception's message, or ``'no message'``."""
    text = str(err).strip()
    return text.splitlines()[0] if text else 'no message'


def one_line(text: str) -> str:
    """``text`` with every character that is not printable (line breaks, NUL,
    ...) written as its escape: a key named ``bn1.\\rias`` in a corrupt file
    stays on the message's one line."""
    return ''.join(char if char.isprintable() else char.
                   encode('unicode_escape').decode('ascii') for char in text)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        backbone_cfg = (
            backbone_cfg_from_config(args.backbone_config)
            if args.backbone_config else None)
        backbone = convert_checkpoint(
            args.src,
            args.dst,
            to=args.to,
            src_format=args.src_format,
            branch=args.branch,
            depth=args.depth,
            trust_pickle=args.trust_pickle,
            base_channels=args.base_channels,
            backbone_cfg=backbone_cfg)
    except ConversionError as err:
        print(f'error: {one_line(str(err))}', file=sys.stderr)
        return 2
    # anything else a malformed file triggers: still one line
    except Exception as err:
        print(
            f'error: {args.src}: cannot convert ({type(err).__name__}: '
            f'{one_line(first_line(err))})',
            file=sys.stderr)
        return 2
    print(f'wrote {args.dst} ({args.to}): {describe(backbone)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
