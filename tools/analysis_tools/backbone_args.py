"""The command-line options every backbone evaluation tool shares
(correspondence, linear probe, dense retrieval, few-shot, feature rank,
visualisation)."""
import argparse

from torch import nn

from mmlc.converters import backbone_cfg_from_config
from mmlc.evaluation import load_backbone, load_resnet
from mmlc.utils import write_json


def add_voc_segmentation_arguments(parser: argparse.ArgumentParser) -> None:
    """CHECKPOINT, VOC_ROOT, ``--num-classes``, ``--img-size``, ``--out`` and
    the backbone options: what the dense segmentation evaluations share."""
    parser.add_argument('checkpoint', help='checkpoint file, or "random"')
    parser.add_argument(
        'voc_root', help='holds JPEGImages, SegmentationClass, ImageSets')
    parser.add_argument(
        '--num-classes',
        type=int,
        required=True,
        help='classes including background (21 for PASCAL VOC)')
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='write the result JSON here')
    add_backbone_arguments(parser)


def segmentation_record(args: argparse.Namespace, task: str,
                        result: dict) -> dict:
    """The result record of a VOC segmentation evaluation (``mIoU`` and
    ``aAcc`` as its metrics, every other entry of ``result`` beside them),
    written to ``--out`` when given."""
    metrics = {key: result.pop(key) for key in ('mIoU', 'aAcc')}
    record = dict(
        task=task, checkpoint=args.checkpoint, metrics=metrics, **result)
    if args.out:
        write_json(args.out, record)
    return record


def add_backbone_arguments(parser: argparse.ArgumentParser) -> None:
    """The command-line options every evaluation tool shares (CHECKPOINT is
    positional)."""
    parser.add_argument('--depth', type=int, default=50)
    parser.add_argument(
        '--base-channels',
        type=int,
        default=64,
        help='first-stage width: 64 for standard ResNets, 16 for the toy '
        'configs')
    parser.add_argument(
        '--last-stride',
        type=int,
        default=2,
        help='1 for the toy configs (stride-16 last stage)')
    parser.add_argument(
        '--last-dilation',
        type=int,
        default=1,
        help='2 for the toy recipe (resnet18-d16)')
    parser.add_argument(
        '--backbone-config',
        help='a config whose model.backbone is the network to evaluate (any '
        'mmpretrain backbone; replaces --depth, --base-channels, '
        '--last-stride and --last-dilation)')
    parser.add_argument(
        '--trust-pickle',
        action='store_true',
        help='allow arbitrary unpickling (only for files you trust)')


def backbone_from_args(args: argparse.Namespace) -> nn.Module:
    """The backbone the options describe (``--backbone-config``, else a
    ResNet from the flags); CHECKPOINT ``random`` gives random weights."""
    checkpoint = None if args.checkpoint == 'random' else args.checkpoint
    if args.backbone_config:
        return load_backbone(
            checkpoint,
            backbone_cfg_from_config(args.backbone_config),
            trust_pickle=args.trust_pickle,
            seed=args.seed)
    return load_resnet(
        checkpoint,
        depth=args.depth,
        base_channels=args.base_channels,
        last_stride=args.last_stride,
        last_dilation=args.last_dilation,
        trust_pickle=args.trust_pickle,
        seed=args.seed)
