"""Correspondence accuracy of a backbone (paper Sec. 4.6) on a folder of
images.

    python tools/analysis_tools/correspondence_accuracy.py CHECKPOINT IMAGES \
        [--out result.json] [--seed 0] [--img-size 224] [--device cpu]

CHECKPOINT: any layout tools/model_converters/convert_checkpoint.py reads, or
`random` for a randomly initialised network.
"""
import argparse

from backbone_args import add_backbone_arguments, backbone_from_args

from mmlc.evaluation import correspondence_record, evaluate_correspondence
from mmlc.evaluation.images import list_images
from mmlc.utils import write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='checkpoint file, or "random"')
    parser.add_argument(
        'images', help='an image or a folder of images (recursive)')
    parser.add_argument('--out', help='write the result JSON here')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument(
        '--tolerance', type=int, default=0, help='cells of slack (0: exact)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--max-images', type=int, default=None)
    add_backbone_arguments(parser)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    backbone = backbone_from_args(args)
    paths = list_images(args.images)[:args.max_images]
    result = evaluate_correspondence(
        backbone,
        paths,
        img_size=args.img_size,
        seed=args.seed,
        device=args.device,
        batch_size=args.batch_size,
        tolerance=args.tolerance)
    record = correspondence_record(args.checkpoint, result)
    print(f'correspondence accuracy {record["metrics"]["accuracy"]:.4f} over '
          f'{record["num_images"]} images, grid {record["grid"]}')
    if args.out:
        write_json(args.out, record)
    return record


if __name__ == '__main__':
    main()
