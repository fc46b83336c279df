"""Write the embedded toy dataset (image folder, COCO, VOC, semantic labels).

    python tools/dataset_converters/make_toy_dataset.py data/toy --seed 0 \
        --num-images 2000

Version 2: the class of an object is its shape; colour, texture and
brightness are drawn per object from pools shared by every class, and the
background carries clutter from the same pools (mmlc/datasets/toy.py).
"""
import argparse
import time

from mmlc.datasets import ToySceneOptions, make_toy_dataset


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='output root (created if missing)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-images', type=int, default=2000)
    parser.add_argument(
        '--size', type=int, nargs=2, default=(128, 128), metavar=('H', 'W'))
    parser.add_argument(
        '--formats',
        nargs='+',
        default=None,
        choices=['imagenet', 'coco', 'voc'],
        help='default: all')
    defaults = ToySceneOptions()
    parser.add_argument(
        '--max-objects',
        type=int,
        default=defaults.max_objects,
        help='at most this many objects per scene')
    parser.add_argument(
        '--max-clutter',
        type=int,
        default=defaults.max_clutter,
        help='at most this many background blobs per scene (0: none)')
    parser.add_argument(
        '--object-scale',
        type=float,
        nargs=2,
        default=defaults.object_scale,
        metavar=('LOW', 'HIGH'),
        help='object radius as a fraction of the shorter image side')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    roots = make_toy_dataset(
        args.out_dir,
        num_images=args.num_images,
        seed=args.seed,
        size=tuple(args.size),
        formats=args.formats,
        options=ToySceneOptions(args.max_objects, args.max_clutter,
                                tuple(args.object_scale)))
    for name, root in roots.items():
        print(f'{name:9s} -> {root}')
    print(f'{args.num_images} scenes in {time.perf_counter() - start:.1f} s')


if __name__ == '__main__':
    main()
