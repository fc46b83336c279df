"""N-way K-shot classification with frozen backbone features (paper Table 7).

    python tools/analysis_tools/fewshot_eval.py CHECKPOINT DATASET_ROOT \
        [--n-way 5 --k-shot 5 --n-query 15 --episodes 600] [--out result.json]

DATASET_ROOT has one folder of images per class. Features (global average
pooled, L2-normalised) are computed once per run and kept in --cache if given.
"""
import argparse
import os.path as osp

import numpy as np
from backbone_args import add_backbone_arguments, backbone_from_args

from mmlc.evaluation import (evaluate_episodes, extract_features,
                             fewshot_summary, image_folder, sample_episodes)
from mmlc.utils import atomic_write, write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='checkpoint file, or "random"')
    parser.add_argument('dataset_root', help='one folder of images per class')
    parser.add_argument('--n-way', type=int, default=5)
    parser.add_argument('--k-shot', type=int, default=5)
    parser.add_argument('--n-query', type=int, default=15)
    parser.add_argument('--episodes', type=int, default=600)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument(
        '--cache', help='.npz file to keep/reuse the features of this run')
    parser.add_argument('--out', help='write the result JSON here')
    add_backbone_arguments(parser)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    paths, labels, classes = image_folder(args.dataset_root)
    if args.cache and osp.isfile(args.cache):
        features = np.load(args.cache)['features']
    else:
        backbone = backbone_from_args(args)
        features = extract_features(
            backbone,
            paths,
            img_size=args.img_size,
            device=args.device,
            batch_size=args.batch_size)
        if args.cache:

            def write(tmp: str) -> None:
                with open(tmp, 'wb') as f:
                    np.savez(f, features=features)

            atomic_write(args.cache, write)
    episodes = sample_episodes(labels, args.n_way, args.k_shot, args.n_query,
                               args.episodes, args.seed)
    summary = fewshot_summary(
        evaluate_episodes(features, episodes), args.n_way, args.k_shot,
        args.n_query, args.seed)
    record = dict(
        task=f'fewshot-{args.n_way}way{args.k_shot}shot',
        checkpoint=args.checkpoint,
        metrics=dict(
            accuracy=summary.pop('accuracy'), ci95=summary.pop('ci95')),
        classes=classes,
        **summary)
    print(
        f'{record["task"]}: {100 * record["metrics"]["accuracy"]:.2f} '
        f'± {100 * record["metrics"]["ci95"]:.2f} % over {record["episodes"]} '
        f'episodes')
    if args.out:
        write_json(args.out, record)
    return record


if __name__ == '__main__':
    main()
