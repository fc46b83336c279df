"""Effective rank of a backbone's dense features on a folder of images.

    python tools/analysis_tools/feature_rank.py CHECKPOINT IMAGES \
        [--out rank.json]
        [--img-size 224] [--depth 50] [--base-channels 64] [--last-stride 2]

A collapse diagnostic: features spread over many directions have a rank near
their channel count; features that collapsed onto a few directions have a
small one. CHECKPOINT: any layout the converter reads, or `random`.
"""
import argparse

from backbone_args import add_backbone_arguments, backbone_from_args

from mmlc.evaluation.feature_rank import dense_feature_rank
from mmlc.evaluation.images import list_images
from mmlc.utils import write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='checkpoint file, or "random"')
    parser.add_argument(
        'images', help='an image or a folder of images (recursive)')
    parser.add_argument('--out', help='write the result JSON here')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of a random network')
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--max-images', type=int, default=None)
    add_backbone_arguments(parser)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    paths = list_images(args.images)[:args.max_images]
    result = dense_feature_rank(
        backbone_from_args(args),
        paths,
        img_size=args.img_size,
        device=args.device)
    record = dict(
        checkpoint=args.checkpoint,
        num_images=len(paths),
        img_size=args.img_size,
        metrics=result)
    print(f'effective rank {result["effective_rank"]:.1f} of '
          f'{result["channels"]} channels '
          f'({result["num_features"]} features); top-1 direction holds '
          f'{100 * result["top1_variance"]:.1f}% of the variance')
    if args.out:
        write_json(args.out, record)
    return record


if __name__ == '__main__':
    main()
