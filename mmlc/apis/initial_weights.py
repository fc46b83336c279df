"""The weights a training run starts from, rebuilt from its config."""
import copy
import tempfile
from typing import Dict

import torch
from mmengine.config import Config

from .train import build_runner


def initial_weights(cfg: Config) -> Dict[str, torch.Tensor]:
    """The model's weights as ``cfg``'s runner initialises them, before its
    first training step.

    The runner is built and its train loop run for zero iterations, so the
    model is built and initialised in the order training does it, under the
    config's ``randomness``: a run pretrained from ``cfg`` started from
    exactly these weights. Nothing is written beside the run: the runner
    works in a temporary directory, and ``load_from`` and ``resume`` are
    ignored.

    Args:
        cfg (Config): the training config as the run used it, its
            ``randomness.seed`` included.

    Returns:
        Dict[str, torch.Tensor]: the model's state dict (``backbone.*``,
        ``neck.*``, ...), on the CPU.
    """
    if cfg.get('randomness', {}).get('seed') is None:
        raise ValueError(
            'randomness.seed is not set: the runner would draw a seed of its '
            'own, and its weights would not be the run\'s; set the seed the '
            'run trained with (its log names it)')
    cfg = copy.deepcopy(cfg)
    loop_length = next(
        (key for key in ('max_iters', 'max_epochs') if key in cfg.train_cfg),
        None)
    if loop_length is None:
        raise ValueError('train_cfg: neither max_iters nor max_epochs is set, '
                         'so the train loop cannot be run for zero steps')
    cfg.train_cfg[loop_length] = 0
    cfg.load_from = None
    cfg.resume = False
    with tempfile.TemporaryDirectory() as work_dir:
        cfg.work_dir = work_dir
        runner = build_runner(cfg)
        runner.train()
        return {
            name: tensor.detach().cpu().clone()
            for name, tensor in runner.model.state_dict().items()
        }
