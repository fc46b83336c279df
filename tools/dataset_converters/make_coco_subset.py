"""Write a mini-COCO annotation file (a seeded fraction of the training
images).

    python tools/dataset_converters/make_coco_subset.py \
        data/coco/annotations/instances_train2017.json \
        data/coco/annotations/instances_train2017_5pct_seed0.json --fraction
        0.05 --seed 0
"""
import argparse

from mmlc.datasets.coco_subset import make_coco_subset


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('ann_file', help='source COCO annotation json')
    parser.add_argument('out_file', help='subset annotation json to write')
    parser.add_argument(
        '--fraction', type=float, required=True, help='e.g. 0.05 or 0.1')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    record = make_coco_subset(args.ann_file, args.out_file, args.fraction,
                              args.seed)
    print(f'{args.out_file}: {record}')


if __name__ == '__main__':
    main()
