"""Can a colour histogram alone pair the two views of a pretraining config?

    python tools/analysis_tools/view_colour_shortcut.py CONFIG \
        [--cfg-options KEY=VALUE ...] [--images 512] [--group-size N] \
        [--bins 4] [--seed 0] [--out result.json]

Draws the two views of ``--images`` training images through the config's
own training pipeline (``train_dataloader.dataset``, with ``--cfg-options``
applied, e.g. other colour-jitter strengths), then measures
``mmlc.evaluation.pair_retrieval_accuracy`` of their joint RGB histograms in
groups of ``--group-size`` images (default: the config's training batch
size): the share of first views whose most similar second view by colour
alone is their own image's. Near 1, an objective that tells images apart can
pair the views by colour without seeing any shape; near 1 / group size, the
views' colour says nothing about which image they came from.
"""
import argparse
from typing import Optional

import torch
from mmengine.config import Config, DictAction
from mmengine.runner import set_random_seed

from mmlc.evaluation import colour_histograms, pair_retrieval_accuracy
from mmlc.utils import register_all_modules, write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a pretraining config with two views')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='overrides of the config (e.g. the views\' transforms)')
    parser.add_argument(
        '--images', type=int, default=512, help='training images to draw')
    parser.add_argument(
        '--group-size',
        type=int,
        default=None,
        help='images compared with each other (default: the config\'s '
        'train_dataloader.batch_size)')
    parser.add_argument(
        '--bins', type=int, default=4, help='histogram bins per channel')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='seed of the choice of images and of the views\' draws')
    parser.add_argument('--out', help='write the result JSON here')
    return parser.parse_args(argv)


def draw_view_pairs(dataset, count: int, seed: int):
    """The two views of ``count`` images of ``dataset``, chosen without
    repeats under ``seed``: two [count, 3, H, W] tensors."""
    if not 0 < count <= len(dataset):
        raise ValueError(f'--images {count}: the dataset has {len(dataset)} '
                         'images')
    set_random_seed(seed)
    chosen = torch.randperm(len(dataset))[:count].tolist()
    firsts, seconds = [], []
    for index in chosen:
        views = dataset[index]['inputs']
        if len(views) != 2:
            raise ValueError(f'the pipeline gives {len(views)} views of an '
                             'image; this measurement needs two')
        firsts.append(views[0])
        seconds.append(views[1])
    return torch.stack(firsts), torch.stack(seconds)


def main(argv=None) -> Optional[dict]:
    args = parse_args(argv)
    register_all_modules()
    from mmpretrain.registry import DATASETS
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    group_size = args.group_size or cfg.train_dataloader.batch_size
    if args.images % group_size:
        raise SystemExit(f'--images {args.images} is not a multiple of the '
                         f'group size {group_size}')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    firsts, seconds = draw_view_pairs(dataset, args.images, args.seed)
    accuracy = pair_retrieval_accuracy(
        colour_histograms(firsts, args.bins),
        colour_histograms(seconds, args.bins), group_size)
    result = dict(
        config=args.config,
        cfg_options=dict(args.cfg_options or {}),
        images=args.images,
        group_size=group_size,
        bins=args.bins,
        seed=args.seed,
        colour_pairing_accuracy=accuracy,
        chance=1 / group_size)
    print(f'views paired by colour alone: {100 * accuracy:.1f} % '
          f'(chance {100 / group_size:.1f} %; {args.images} images in groups '
          f'of {group_size}, {args.bins}^3 bins)')
    if args.out:
        write_json(args.out, result)
    return result


if __name__ == '__main__':
    main()
