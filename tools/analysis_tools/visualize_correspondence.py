"""Draw feature correspondences between two views (the pictures of Figs. 4 and
5).

    # an image and its flipped copy (the Sec. 4.6 protocol)
    python tools/analysis_tools/visualize_correspondence.py CHECKPOINT IMAGE \
        --out flip.png
    # a crop + flip pair, ground truth from the recorded geometry
    python tools/analysis_tools/visualize_correspondence.py CHECKPOINT IMAGE \
        --out crop.png --mode crop --seed 3 --show-gt

Lines join each cell of the first view to its most similar cell in the second:
green where the match is correct, red where it is not; --show-gt adds the true
positions as dotted grey lines.
"""
import argparse

from backbone_args import add_backbone_arguments, backbone_from_args

from mmlc.evaluation.visualize import draw_correspondence, make_view_pair


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='checkpoint file, or "random"')
    parser.add_argument('image')
    parser.add_argument('--out', required=True, help='PNG to write')
    parser.add_argument('--mode', choices=('flip', 'crop'), default='flip')
    parser.add_argument('--show-gt', action='store_true')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--img-size', type=int, default=224)
    add_backbone_arguments(parser)
    return parser.parse_args(argv)


def main(argv=None) -> float:
    args = parse_args(argv)
    backbone = backbone_from_args(args)
    pair = make_view_pair(args.image, args.mode, args.img_size, args.seed)
    accuracy = draw_correspondence(
        backbone, pair, args.out, show_gt=args.show_gt)
    print(f'{args.out}: {100 * accuracy:.1f}% of the valid cells matched '
          f'correctly')
    return accuracy


if __name__ == '__main__':
    main()
