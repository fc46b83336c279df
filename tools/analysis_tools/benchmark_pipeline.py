"""Throughput of two pretraining data pipelines on the same images (one
process).

    python tools/analysis_tools/benchmark_pipeline.py \
        configs/byol/byol_resnet50_16xb256-coslr-300e_in1k.py \
        configs/lc_byol/lc-byol_resnet50_16xb256-coslr-400e_in1k.py \
        --images IMAGE_FOLDER   # or --synthetic 64 (toy scenes of 375 x 500
        px)
"""
import argparse
import tempfile

from overhead_profiler import benchmark_pipelines

from mmlc.evaluation.images import list_images


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config_a')
    parser.add_argument('config_b')
    parser.add_argument('--images', help='folder of images')
    parser.add_argument(
        '--synthetic',
        type=int,
        default=64,
        help='without --images: this many generated 375 x 500 scenes')
    parser.add_argument('--rounds', type=int, default=3)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.images:
            paths = list_images(args.images)
        else:
            from mmlc.datasets import make_toy_dataset
            root = make_toy_dataset(
                tmp,
                num_images=args.synthetic,
                size=(375, 500),
                formats=['imagenet'])['imagenet']
            paths = list_images(root)
        report = benchmark_pipelines(args.config_a, args.config_b, paths,
                                     args.rounds)
    print(f'A {report["a"]["images_per_s"]:.1f} img/s, B '
          f'{report["b"]["images_per_s"]:.1f} '
          f'img/s, B / A = {report["ratio_b_over_a"]:.3f} ({report["images"]} '
          f'images, '
          f'median of {report["rounds"]} rounds)')
    return report


if __name__ == '__main__':
    main()
