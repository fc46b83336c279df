"""How far a training run moved each stage of its model from where it
started.

    python tools/analysis_tools/weight_movement.py CONFIG CHECKPOINT \
        [--seed N] [--cfg-options KEY=VALUE ...] [--prefix backbone.] \
        [--out movement.json]

The weights the run started from are rebuilt from CONFIG (its runner built
and initialised as training does, under the run's seed:
``mmlc.apis.initial_weights``), so pass the config, the ``--cfg-options`` and
the seed the run trained with. CHECKPOINT is one of the run's Runner
checkpoints (``iter_600.pth``, ``epoch_200.pth``). Per stage (``conv1``,
``layer1``, ...) of the model's ``--prefix`` part, the mean cosine of its
kernels before and after and their mean relative change: a stage whose cosine
is near 1 kept its random initialisation. Then, per stage, its normalisation
layers' mean scale (weight) and how far their weights and biases moved (root
mean square of the shift; BN starts at weight 1 and bias 0).
"""
import argparse
from typing import Dict, Optional

import torch
from mmengine.config import Config, DictAction

from mmlc.apis import initial_weights
from mmlc.evaluation import backbone_movement
from mmlc.utils import register_all_modules, write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the config the run trained with')
    parser.add_argument('checkpoint', help='a Runner checkpoint of the run')
    parser.add_argument(
        '--seed',
        type=int,
        default=None,
        help='the run\'s seed (default: the config\'s randomness.seed)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='the overrides the run trained with')
    parser.add_argument(
        '--prefix',
        default='backbone.',
        help='the part of the model to measure (state-dict key prefix)')
    parser.add_argument('--out', help='write the result JSON here')
    return parser.parse_args(argv)


def part(state: Dict[str, torch.Tensor], prefix: str,
         source: str) -> Dict[str, torch.Tensor]:
    """The entries of ``state`` under ``prefix``, the prefix removed."""
    selected = {
        name[len(prefix):]: tensor
        for name, tensor in state.items() if name.startswith(prefix)
    }
    if not selected:
        raise ValueError(f'{source}: no weight under the prefix {prefix!r}')
    return selected


def main(argv=None) -> Optional[dict]:
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.seed is not None:
        cfg.randomness = dict(cfg.get('randomness', {}), seed=args.seed)
    checkpoint = torch.load(args.checkpoint, map_location='cpu')
    if 'state_dict' not in checkpoint:
        raise ValueError(f'{args.checkpoint}: not a Runner checkpoint (it has '
                         'no state_dict)')
    start = part(initial_weights(cfg), args.prefix, args.config)
    trained = part(checkpoint['state_dict'], args.prefix, args.checkpoint)
    movement = backbone_movement(start, trained)
    stages, norm_stages = movement['stages'], movement['norm_stages']
    print(f'{"stage":10s} {"cosine":>8s} {"change":>8s} {"norm ratio":>10s}')
    for stage, moved in stages.items():
        print(f'{stage:10s} {moved["cosine"]:8.3f} {moved["change"]:8.3f} '
              f'{moved["norm_ratio"]:10.3f}')
    if norm_stages:
        print(f'\n{"norm layers":12s} {"weight mean":>11s} '
              f'{"weight shift":>12s} {"bias shift":>10s}')
    for stage, moved in norm_stages.items():
        print(f'{stage:12s} {moved["weight_mean"]:11.3f} '
              f'{moved["weight_shift"]:12.3f} {moved["bias_shift"]:10.3f}')
    record = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        seed=cfg.get('randomness', {}).get('seed'),
        prefix=args.prefix,
        **movement)
    if args.out:
        write_json(args.out, record)
    return record


if __name__ == '__main__':
    main()
