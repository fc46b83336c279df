"""Refuse to train with a half-loaded pretrained backbone."""
import os.path as osp
from typing import Dict, Optional, Sequence

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmlc.converters.io import load_checkpoint_file
from mmlc.registry import HOOKS
from mmlc.utils import is_remote

SET_CHECKPOINT_HINT = ('pass the converted checkpoint with --cfg-options '
                       'model.backbone.init_cfg.checkpoint=PATH')


def _backbone_and_checkpoint(runner) -> tuple:
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    backbone = getattr(model, 'backbone', None)
    if backbone is None:
        raise RuntimeError(
            'PretrainedBackboneCheckHook: the model has no `backbone`')
    init_cfg = getattr(backbone, 'init_cfg', None) or {}
    if isinstance(init_cfg, list):
        init_cfg = next((c for c in init_cfg if c.get('type') == 'Pretrained'),
                        {})
    return backbone, init_cfg.get('checkpoint'), init_cfg.get('prefix')


def _file_state(path: str, prefix: Optional[str]) -> Dict[str, torch.Tensor]:
    """The backbone tensors of a checkpoint file as the backbone's init reads
    them: under ``prefix`` if the init names one, else under ``backbone.``
    when every key has it (what mmdet's and mmseg's Swin strip), else all."""
    checkpoint = load_checkpoint_file(path)
    state = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, dict) else {}
    if not prefix and state and all(
            str(k).startswith('backbone.') for k in state):
        prefix = 'backbone.'
    if prefix:
        prefix = prefix if prefix.endswith('.') else prefix + '.'
        state = {
            k[len(prefix):]: v
            for k, v in state.items() if k.startswith(prefix)
        }
    return state


def compare_backbone(
    backbone: torch.nn.Module,
    state: Dict[str, torch.Tensor],
    new_keys: Sequence[str] = ()
) -> Dict[str, list]:
    """Which backbone tensors the checkpoint lacks, mis-shapes, or did not set.

    Args:
        backbone (nn.Module): the initialised downstream backbone.
        state (dict): the checkpoint's backbone tensors.
        new_keys (Sequence[str]): prefixes of backbone keys that the
            downstream architecture adds (``norm0.`` of a Swin's FPN
            outputs): reported as ``new``, not required in ``state``.

    Returns:
        dict: ``missing``, ``wrong_shape``, ``not_loaded`` and ``new`` key
        lists.
    """
    report = {'missing': [], 'wrong_shape': [], 'not_loaded': [], 'new': []}
    for key, value in backbone.state_dict().items():
        if key.startswith(tuple(new_keys)) and key not in state:
            report['new'].append(key)
        elif key not in state:
            report['missing'].append(key)
        elif tuple(state[key].shape) != tuple(value.shape):
            report['wrong_shape'].append(key)
        elif not torch.equal(state[key].to(value.device, value.dtype), value):
            report['not_loaded'].append(key)
    return report


@HOOKS.register_module()
class PretrainedBackboneCheckHook(Hook):
    """Stop a downstream run whose backbone did not load its checkpoint
    completely.

    mmengine's ``PretrainedInit`` loads with ``strict=False`` and only warns,
    so a checkpoint with other key names trains from scratch and gives
    plausible but wrong numbers. This hook

    - before the run: requires ``model.backbone.init_cfg`` to name an
      existing checkpoint file;
    - before the first iteration (after weight init): requires every
      parameter and buffer of the backbone to be in the file, with its shape
      and its value.

    Runs that resume (``resume=True``) or ``load_from`` a whole-model
    checkpoint take their weights from there and are not checked.

    Args:
        new_keys (Sequence[str]): prefixes of backbone keys the downstream
            architecture adds and no pretrained checkpoint has, e.g. the
            output norms ``norm0.``-``norm2.`` that mmdet's and mmseg's Swin
            put on the first three stages for FPN / UperNet (a pretrained Swin
            has the last stage's only). Every other key is checked.
    """

    priority = 'VERY_HIGH'

    def __init__(self, new_keys: Sequence[str] = ()) -> None:
        self.new_keys = tuple(new_keys)

    def before_run(self, runner) -> None:
        if self._weights_from_elsewhere(runner):
            return
        _, checkpoint, _ = _backbone_and_checkpoint(runner)
        if not checkpoint:
            raise RuntimeError(
                f'model.backbone.init_cfg.checkpoint is not set: '
                f'{SET_CHECKPOINT_HINT}')
        if not is_remote(checkpoint) and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'model.backbone.init_cfg.checkpoint={checkpoint} does '
                'not exist')

    def before_train(self, runner) -> None:
        if self._weights_from_elsewhere(runner):
            runner.logger.info(
                'PretrainedBackboneCheckHook: weights come from '
                'resume/load_from; '
                'backbone not checked against init_cfg')
            return
        backbone, checkpoint, prefix = _backbone_and_checkpoint(runner)
        report = compare_backbone(backbone, _file_state(checkpoint, prefix),
                                  self.new_keys)
        new = report.pop('new')
        problems = {k: v for k, v in report.items() if v}
        if problems:
            details = '; '.join(
                f'{len(v)} {k.replace("_", " ")}: {", ".join(v[:20])}'
                f'{" ..." if len(v) > 20 else ""}'
                for k, v in problems.items())
            raise RuntimeError(
                f'backbone not fully loaded from {checkpoint} ({details}); '
                'convert it with tools/model_converters/convert_checkpoint.py')
        loaded = len(backbone.state_dict()) - len(new)
        runner.logger.info(
            f'PretrainedBackboneCheckHook: all {loaded} pretrained backbone '
            f'tensors loaded from {checkpoint}' +
            (f'; {len(new)} new ({", ".join(new)})' if new else ''))

    @staticmethod
    def _weights_from_elsewhere(runner) -> bool:
        return bool(runner.cfg.get('resume')) or bool(
            runner.cfg.get('load_from'))
