"""The toy pipeline behind ``make demo`` and the toy study, as functions
(tools/benchmarks/toy_demo.py and toy_study.py import it).

toy data (version 2) -> pretraining of one method with the toy recipe ->
converted backbone -> correspondence accuracy, a dense linear probe, a
frozen-backbone segmentor and a fine-tuned detector -> one small result file
per evaluation. A randomly initialised network goes through the same
evaluations. Every step whose result file exists is skipped, and a killed
pretraining resumes from its newest complete checkpoint, so a run can be
stopped at any moment and started again. Toy scale on the CPU: nothing here
is one of the paper's numbers.
"""
import json
import os
import os.path as osp
import re
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.config import Config

from mmlc.apis import build_runner, merge_train_args
from mmlc.apis.benchmark import run_benchmark
from mmlc.converters import backbone_cfg_from_config, convert_checkpoint
from mmlc.engine import cpu_has_native_bfloat16
from mmlc.utils import write_json

TOY_SEED = 0
TOY_IMAGES = 2000
TOY_SIZE = 128
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PRETRAIN_CONFIGS = {
    'lc-byol':
    'configs/lc_byol/lc-byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py',
    'byol': 'configs/byol/byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py',
}
# the local branch on other hosts (toy study stage ``hosts``)
for _host in ('mocov2', 'simsiam', 'densecl'):
    PRETRAIN_CONFIGS[_host] = (
        f'configs/{_host}/{_host}_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py')
    PRETRAIN_CONFIGS[f'lc-{_host}'] = (
        f'configs/lc_{_host}/lc-{_host}_resnet18-d16_1xb32-sgd-coslr-'
        '600iter_toy.py')
# App. B: DINO and LC-DINO on a small Swin (toy study stage ``transformers``)
PRETRAIN_CONFIGS['dino'] = (
    'configs/dino/dino_swin-w48_1xb32-adamw-coslr-600iter_toy.py')
PRETRAIN_CONFIGS['lc-dino'] = (
    'configs/lc_dino/lc-dino_swin-w48_1xb32-adamw-coslr-600iter_toy.py')
# methods whose backbone is not the toy ResNet-18: evaluated with their
# config's model.backbone
OTHER_BACKBONES = ('dino', 'lc-dino')
DETECTION_D16 = 'detection-d16'
# evaluation name -> (config, dataset root below the toy data root)
DOWNSTREAM_CONFIGS = {
    'frozen-seg': ('configs/benchmarks/toy/fcn_r18-d16-frozen_toy-voc.py',
                   'VOCdevkit/VOC2007'),
    'detection':
    ('configs/benchmarks/toy/faster-rcnn_r18_fpn_toy-voc.py', 'VOCdevkit'),
    # the same detector on the backbone's pretrained stride-16 layer4
    DETECTION_D16:
    ('configs/benchmarks/toy/faster-rcnn_r18-d16_fpn_toy-voc.py', 'VOCdevkit'),
    'keypoints':
    ('configs/benchmarks/toy/td-hm_r18_toy-coco-keypoints.py', 'coco'),
}
# a downstream evaluation trained for another number of iterations than its
# config's, the config's schedule stretched to match: ``frozen-seg_iters-4000``
ITERS_TAG = '_iters-'
# a downstream evaluation fine-tuned under another seed than its run's, the
# network and everything else the same: ``detection_finetune-seed-0``
FINETUNE_SEED_TAG = '_finetune-seed-'
# evaluations whose evaluator reads the annotations too (below the data root)
EVALUATOR_ANN_FILES = {'keypoints': 'coco/annotations/instances_val.json'}
EVALUATIONS = ('correspondence', 'linear-probe', 'frozen-seg', 'detection')
# the study's main runs add the training-free retrieval and mmpose's keypoints
# (the demo keeps EVALUATIONS, to stay within its 15 minutes)
STUDY_EVALUATIONS = EVALUATIONS + ('dense-retrieval', 'keypoints')
# a diagnostic, not one of the study's headline evaluations: linear probes of
# each object's shape, texture and colour from its pooled frozen features
CUES = 'cues'
# a diagnostic too: how far pretraining moved each backbone stage's kernels
# from the weights the run started from
WEIGHT_MOVEMENT = 'weight-movement'
TOY_BACKBONE = dict(depth=18, base_channels=64, last_stride=1, last_dilation=2)
RANDOM_INIT = 'random-init'
# the random network is built as every toy pretraining run builds its
# backbone: this file's model.backbone (zero_init_residual=False, as
# mmpretrain's BYOL configs), initialised by its init_weights; the same
# distribution, not the same draw (a pretraining run's runner uses its seed
# first; mmlc.apis.initial_weights rebuilds that run's own start)
RANDOM_INIT_CONFIG = 'configs/_base_/models/resnet18-d16_toy.py'


@dataclass
class ToyRun:
    """One pretraining run of the toy study (or the random network) and what to
    measure.

    Args:
        name (str): folder name of its results (``byol_seed-0``, ...).
        method (str): a key of :data:`PRETRAIN_CONFIGS` or :data:`RANDOM_INIT`.
        seed (int): seeds pretraining, the random network and every evaluation.
        cfg_options (dict): overrides of the pretraining config
            (``model.local_branch.alpha``, ``optim_wrapper.optimizer.lr``),
            or of :data:`RANDOM_INIT_CONFIG` for the random network
            (``model.backbone.zero_init_residual``).
        evaluations (Sequence[str]): a subset of :data:`STUDY_EVALUATIONS`,
            or :data:`CUES` or :data:`WEIGHT_MOVEMENT`.
        pretrain_root (str, optional): the toy dataset whose ``imagenet/``
            folder pretraining reads, when it is not the evaluated one (as
            the paper pretrains on ImageNet and evaluates on COCO and VOC).
    """
    name: str
    method: str
    seed: int = 0
    cfg_options: Dict = field(default_factory=dict)
    evaluations: Sequence[str] = EVALUATIONS
    pretrain_root: Optional[str] = None


@dataclass
class ToyBudget:
    """Iteration budgets; ``None`` keeps the config's value.

    Args:
        pretrain_iters (int, optional): pretraining iterations (the LR schedule
            is stretched to match).
        downstream_iters (int, optional): iterations of each mmdet/mmseg run.
        probe_epochs (int): epochs of the dense linear probe.
        max_eval_images (int, optional): at most this many correspondence
            images.
    """
    pretrain_iters: Optional[int] = None
    downstream_iters: Optional[int] = None
    probe_epochs: int = 30
    max_eval_images: Optional[int] = None


class Progress:
    """Numbered step banners with elapsed time."""

    def __init__(self, total: int, name: str = 'demo') -> None:
        self.total, self.step, self.name = total, 0, name
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        self.step += 1
        elapsed = time.perf_counter() - self.start
        print(
            f'\n[{self.name} {self.step}/{self.total} | {elapsed:5.0f} s] '
            f'{message}',
            flush=True)


# iteration counts of mmengine's parameter schedulers that scale_schedule
# does not rescale (CosineRestartLR's periods, OneCycleLR's total_steps)
UNSTRETCHABLE_KEYS = ('periods', 'total_steps')


def scale_schedule(schedulers: List[dict], factor: float) -> List[dict]:
    """Stretch iteration-based parameter schedulers by ``factor``.

    ``begin``, ``end``, ``T_max``, ``step_size`` and each of ``milestones``
    are rescaled and rounded; every phase keeps at least one iteration, so a
    shortened run still warms up and decays. A scheduler with another
    iteration count (:data:`UNSTRETCHABLE_KEYS`) is refused.
    """
    scaled = []
    for scheduler in schedulers:
        scheduler = dict(scheduler)
        if scheduler.get('by_epoch', True):
            raise ValueError(
                f'param_scheduler {scheduler["type"]}: only by_epoch=False '
                'schedules can be rescaled to a new max_iters')
        unstretchable = sorted(set(UNSTRETCHABLE_KEYS) & set(scheduler))
        if unstretchable:
            raise ValueError(
                f'param_scheduler {scheduler["type"]}: {unstretchable} '
                'cannot be rescaled to a new max_iters')
        begin = round(scheduler.get('begin', 0) * factor)
        scheduler['begin'] = begin
        if 'end' in scheduler:
            scheduler['end'] = max(begin + 1, round(scheduler['end'] * factor))
        for key in ('T_max', 'step_size'):
            if key in scheduler:
                scheduler[key] = max(1, round(scheduler[key] * factor))
        if 'milestones' in scheduler:
            scheduler['milestones'] = [
                max(1, round(milestone * factor))
                for milestone in scheduler['milestones']
            ]
        scaled.append(scheduler)
    return scaled


# what a network trained in (``pretrain.json``'s ``precision``)
BFLOAT16 = 'bfloat16 autocast'
FLOAT32 = 'float32'
MIXED = 'mixed'
NOT_RECORDED = 'not recorded'
SITTINGS_FILE = 'sittings.jsonl'


def pretrain_config(config: str,
                    work_dir: str,
                    data_root: str,
                    max_iters: Optional[int] = None,
                    seed: int = 0,
                    cfg_options: Optional[dict] = None) -> Config:
    """The config :func:`pretrain` trains (the arguments are its)."""
    cfg = merge_train_args(
        Config.fromfile(config),
        config,
        work_dir=work_dir,
        resume='auto',
        cfg_options=cfg_options)
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.train_dataloader.dataset.data_root = osp.join(data_root, 'imagenet')
    if max_iters is not None:
        cfg.param_scheduler = scale_schedule(
            cfg.param_scheduler, max_iters / cfg.train_cfg.max_iters)
        cfg.train_cfg.max_iters = max_iters
        cfg.default_hooks.checkpoint.interval = min(
            cfg.default_hooks.checkpoint.interval, max_iters)
    return cfg


def pretrain(config: str,
             work_dir: str,
             data_root: str,
             max_iters: Optional[int] = None,
             seed: int = 0,
             cfg_options: Optional[dict] = None) -> str:
    """Pretrain a toy config; returns the last checkpoint.

    A work dir that already holds a complete checkpoint is resumed from it
    (``--resume auto``), so a killed run continues where it was. Each sitting
    that trains is logged in the work dir (:func:`record_sitting`); the toy
    configs are iteration-based, so their checkpoints are ``iter_<N>.pth``.
    """
    cfg = pretrain_config(config, work_dir, data_root, max_iters, seed,
                          cfg_options)
    final = osp.join(work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    if not osp.isfile(final):
        record_sitting(work_dir, pretraining_precision(config, cfg_options),
                       cfg.load_from if cfg.resume else None)
        build_runner(cfg).train()
    return final


def pretraining_precision(config: str,
                          cfg_options: Optional[dict] = None) -> str:
    """What a pretraining config trains in on this machine: ``'bfloat16
    autocast'`` for ``CPUAutocastOptimWrapper`` on a CPU with native
    bfloat16 kernels, otherwise ``'float32'``."""
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(cfg_options or {})
    autocast = cfg.optim_wrapper.get('type') == 'CPUAutocastOptimWrapper'
    if autocast and cpu_has_native_bfloat16():
        return BFLOAT16
    return FLOAT32


def checkpoint_iter(checkpoint: Optional[str]) -> int:
    """The iteration an ``iter_<N>.pth`` checkpoint of an iteration-based
    run was saved at; 0 for no checkpoint."""
    if checkpoint is None:
        return 0
    match = re.fullmatch(r'iter_(\d+)\.pth', osp.basename(checkpoint))
    if match is None:
        raise ValueError(f'{checkpoint}: not an iter_<N>.pth checkpoint of an '
                         'iteration-based run')
    return int(match.group(1))


def cpu_model(cpuinfo: str = '/proc/cpuinfo') -> str:
    """The CPU's model name, from the first ``model name`` line of
    ``cpuinfo``, with its ``cpu family`` and ``model`` numbers where
    ``cpuinfo`` gives them, or :data:`NOT_RECORDED` where it names no model.

    ``torch.backends.cpu.get_cpu_capability()`` names only the instruction
    set (``'AVX512'`` for an Intel Xeon and an AMD EPYC alike), and only one
    kind of CPU repeats a run bit for bit, so each record and sitting also
    names the model. Virtual machines often report a generic name (``Intel(R)
    Xeon(R) Processor``) for several generations; the family and model
    numbers tell those apart.
    """
    fields: Dict[str, str] = {}
    try:
        with open(cpuinfo, encoding='utf-8') as f:
            for line in f:
                key, _, value = line.partition(':')
                if value.strip():
                    fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    if 'model name' not in fields:
        return NOT_RECORDED
    numbers = [(label, fields[key])
               for label, key in (('family', 'cpu family'), ('model', 'model'))
               if key in fields]
    if not numbers:
        return fields['model name']
    return '{} ({})'.format(
        fields['model name'],
        ', '.join(f'{label} {value}' for label, value in numbers))


def read_sittings(work_dir: str) -> List[Dict]:
    """The sittings logged in ``<work_dir>/sittings.jsonl``, oldest first."""
    path = osp.join(work_dir, SITTINGS_FILE)
    if not osp.isfile(path):
        return []
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def record_sitting(work_dir: str, precision: str,
                   resumed_from: Optional[str]) -> List[Dict]:
    """Log one sitting of a pretraining run in ``<work_dir>/sittings.jsonl``.

    A sitting is a process that trains the run from the checkpoint
    ``resumed_from`` (None: from the start) in ``precision`` on this CPU. A
    run can be resumed on another machine, so each sitting is kept, except
    those whose training this one discards: the sittings that started at or
    after its starting iteration (killed before they saved a checkpoint it
    resumes from). A run resumed from a checkpoint older than the log gets a
    first sitting whose precision is ``'not recorded'``.

    Args:
        work_dir (str): the run's work dir.
        precision (str): what this sitting trains in
            (:func:`pretraining_precision`).
        resumed_from (str, optional): the ``iter_<N>.pth`` checkpoint it
            resumes from.

    Returns:
        list[dict]: every sitting so far (``from_iter``, ``precision``,
        ``cpu_capability``, ``cpu_model``), oldest first.
    """
    from_iter = checkpoint_iter(resumed_from)
    sittings = [
        sitting for sitting in read_sittings(work_dir)
        if sitting['from_iter'] < from_iter
    ]
    if not sittings and from_iter > 0:
        sittings.append(
            dict(
                from_iter=0,
                precision=NOT_RECORDED,
                cpu_capability=None,
                cpu_model=None))
    sittings.append(
        dict(
            from_iter=from_iter,
            precision=precision,
            cpu_capability=torch.backends.cpu.get_cpu_capability(),
            cpu_model=cpu_model()))
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, SITTINGS_FILE)
    with open(path + '.tmp', 'w', encoding='utf-8') as f:
        f.writelines(json.dumps(sitting) + '\n' for sitting in sittings)
    os.replace(path + '.tmp', path)
    return sittings


def run_precision(sittings: List[Dict]) -> str:
    """The precision a run trained in: its sittings' one precision;
    ``'not recorded'`` without sittings or when one is not recorded;
    ``'mixed'`` when they recorded different ones."""
    precisions = {sitting['precision'] for sitting in sittings}
    if not precisions or NOT_RECORDED in precisions:
        return NOT_RECORDED
    if len(precisions) > 1:
        return MIXED
    return precisions.pop()


def loss_curves(work_dir: str) -> Dict[str, List[float]]:
    """The logged training losses of an mmengine run: ``iter`` plus one list
    per loss key (``loss``, ``l_g``, ``l_lc``, ...), read from its
    ``scalars.json``."""
    curves: Dict[str, List[float]] = {}
    logs = sorted(
        osp.join(folder, name) for folder, _, files in os.walk(work_dir)
        for name in files if name == 'scalars.json')
    for path in logs:
        with open(path, encoding='utf-8') as f:
            for line in f:
                entry = json.loads(line)
                if 'loss' not in entry or entry['iter'] in curves.get(
                        'iter', []):
                    continue
                for key, value in entry.items():
                    if key == 'iter' or key.startswith(('loss', 'l_')):
                        curves.setdefault(key, []).append(value)
    return curves


def method_backbone_cfg(method: str) -> Optional[dict]:
    """``model.backbone`` of the method's pretraining config, or None for the
    toy ResNet-18 (:data:`TOY_BACKBONE`)."""
    if method not in OTHER_BACKBONES:
        return None
    return backbone_cfg_from_config(
        osp.join(REPO_ROOT, PRETRAIN_CONFIGS[method]))


def load_toy_backbone(method: str, checkpoint: str) -> torch.nn.Module:
    """The converted backbone of ``method`` in eval mode."""
    from mmlc.evaluation import load_backbone, load_resnet
    backbone_cfg = method_backbone_cfg(method)
    if backbone_cfg is None:
        return load_resnet(checkpoint, **TOY_BACKBONE)
    return load_backbone(checkpoint, backbone_cfg)


def random_backbone_cfg(cfg_options: Optional[Dict] = None) -> dict:
    """``model.backbone`` of :data:`RANDOM_INIT_CONFIG` with ``cfg_options``
    merged in."""
    cfg = Config.fromfile(osp.join(REPO_ROOT, RANDOM_INIT_CONFIG))
    cfg.merge_from_dict(cfg_options or {})
    return cfg.model.backbone.to_dict()


def save_random_backbone(path: str,
                         seed: int = 0,
                         cfg_options: Optional[Dict] = None) -> str:
    """The randomly initialised toy backbone (:func:`random_backbone_cfg`),
    saved in the openmmlab layout."""
    from mmlc.evaluation import load_backbone
    model = load_backbone(None, random_backbone_cfg(cfg_options), seed=seed)
    os.makedirs(osp.dirname(path), exist_ok=True)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def _record(run: ToyRun, task: str, checkpoint: str, metrics: Dict,
            **details) -> Dict:
    return dict(
        task=task,
        method=run.name,
        seed=run.seed,
        checkpoint=checkpoint,
        metrics=metrics,
        date=time.strftime('%Y-%m-%d'),
        cpu_capability=torch.backends.cpu.get_cpu_capability(),
        cpu_model=cpu_model(),
        **details)


def measure_correspondence(run: ToyRun, checkpoint: str, data_root: str,
                           budget: ToyBudget) -> Dict:
    from mmlc.evaluation import evaluate_correspondence
    from mmlc.evaluation.images import list_images
    backbone = load_toy_backbone(run.method, checkpoint)
    paths = list_images(osp.join(data_root, 'imagenet',
                                 'val'))[:budget.max_eval_images]
    result = evaluate_correspondence(
        backbone, paths, img_size=TOY_SIZE, seed=run.seed, progress=False)
    return _record(
        run,
        'correspondence',
        checkpoint,
        dict(accuracy=result['accuracy']),
        grid=result['grid'],
        num_images=result['num_images'],
        chance=1 / (result['grid'][0] * result['grid'][1]))


def measure_linear_probe(run: ToyRun, checkpoint: str, data_root: str,
                         budget: ToyBudget) -> Dict:
    from mmlc.datasets import TOY_CLASSES
    from mmlc.evaluation.linear_probe import linear_probe_on_voc
    backbone = load_toy_backbone(run.method, checkpoint)
    result = linear_probe_on_voc(
        backbone,
        osp.join(data_root, 'VOCdevkit', 'VOC2007'),
        num_classes=len(TOY_CLASSES) + 1,
        img_size=TOY_SIZE,
        epochs=budget.probe_epochs,
        seed=run.seed)
    metrics = {key: result.pop(key) for key in ('mIoU', 'aAcc')}
    result.pop('seed')
    return _record(run, 'linear-probe', checkpoint, metrics, **result)


def measure_dense_retrieval(run: ToyRun, checkpoint: str,
                            data_root: str) -> Dict:
    from mmlc.datasets import TOY_CLASSES
    from mmlc.evaluation.dense_retrieval import dense_retrieval_on_voc
    result = dense_retrieval_on_voc(
        load_toy_backbone(run.method, checkpoint),
        osp.join(data_root, 'VOCdevkit', 'VOC2007'),
        num_classes=len(TOY_CLASSES) + 1,
        img_size=TOY_SIZE)
    metrics = {key: result.pop(key) for key in ('mIoU', 'aAcc')}
    return _record(run, 'dense-retrieval', checkpoint, metrics, **result)


def measure_cues(run: ToyRun, checkpoint: str, data_root: str) -> Dict:
    """The cue probes of :mod:`mmlc.evaluation.cue_probe` and how alike the
    validation objects of one scene are (:func:`scene_similarity`)."""
    from mmlc.datasets import toy_scenes
    from mmlc.evaluation.cue_probe import (fit_cue_probes, object_features,
                                           scene_similarity)
    backbone = load_toy_backbone(run.method, checkpoint)
    train_x, train_labels = object_features(backbone,
                                            toy_scenes(data_root, 'train'))
    val_scenes = toy_scenes(data_root, 'val')
    val_x, val_labels = object_features(backbone, val_scenes)
    result = fit_cue_probes(train_x, train_labels, val_x, val_labels)
    scene_index = np.repeat(
        np.arange(len(val_scenes)), [len(s.instances) for s in val_scenes])
    metrics = {cue: values['accuracy'] for cue, values in result.items()}
    metrics.update(scene_similarity(val_x, scene_index))
    return _record(
        run,
        CUES,
        checkpoint,
        metrics,
        chance={
            cue: values['chance']
            for cue, values in result.items()
        },
        majority={
            cue: values['majority']
            for cue, values in result.items()
        })


def start_backbone(run: ToyRun, data_root: str,
                   work_dir: str) -> Dict[str, torch.Tensor]:
    """The backbone weights ``run``'s pretraining started from, rebuilt by
    :func:`mmlc.apis.initial_weights` from its config, overrides and seed,
    with the converted checkpoint's keys (``conv1.weight``, ...)."""
    from mmlc.apis import initial_weights
    if run.method not in PRETRAIN_CONFIGS:
        raise ValueError(
            f'{run.name}: {run.method!r} is not pretrained, so it has no '
            'start to rebuild')
    cfg = pretrain_config(
        osp.join(REPO_ROOT, PRETRAIN_CONFIGS[run.method]),
        osp.join(work_dir, 'pretrain', run.name),
        run.pretrain_root or data_root,
        seed=run.seed,
        cfg_options=run.cfg_options)
    return {
        name[len('backbone.'):]: tensor
        for name, tensor in initial_weights(cfg).items()
        if name.startswith('backbone.')
    }


# the stem's filters and its update are compared with this many principal
# directions of the pretraining images' patches (``stem_input_subspace``)
STEM_INPUT_DIRECTIONS = 3
# every how many-th pretraining image the patch directions are measured on
PATCH_IMAGE_STEP = 4


def pretraining_patch_directions(
        run: ToyRun, data_root: str,
        kernel_size: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """:func:`mmlc.evaluation.patch_principal_directions` of ``run``'s
    pretraining images (every :data:`PATCH_IMAGE_STEP`-th of
    ``imagenet/train``, as files, not as augmented views), normalised by its
    config's data preprocessor, in non-overlapping ``kernel_size`` patches."""
    from PIL import Image

    from mmlc.evaluation import patch_principal_directions
    from mmlc.evaluation.images import list_images
    cfg = Config.fromfile(osp.join(REPO_ROOT, PRETRAIN_CONFIGS[run.method]))
    preprocessor = cfg.model.data_preprocessor
    mean = torch.tensor(preprocessor.mean).view(3, 1, 1)
    std = torch.tensor(preprocessor.std).view(3, 1, 1)
    files = list_images(
        osp.join(run.pretrain_root or data_root, 'imagenet',
                 'train'))[::PATCH_IMAGE_STEP]

    def as_tensor(file: str) -> torch.Tensor:
        with Image.open(file) as image:
            return torch.from_numpy(np.asarray(image.convert('RGB'))).permute(
                2, 0, 1).float()

    images = torch.stack([as_tensor(file) for file in files])
    return patch_principal_directions(
        (images - mean) / std, kernel_size, stride=kernel_size)


def stem_input_subspace(run: ToyRun, data_root: str, start: Dict[str,
                                                                 torch.Tensor],
                        trained: Dict[str, torch.Tensor]) -> Dict[str, float]:
    """How much of the stem lies along the :data:`STEM_INPUT_DIRECTIONS`
    main directions of its pretraining images' patches
    (:func:`pretraining_patch_directions`): ``patch_share``, the patches'
    energy along them; ``start``, ``trained`` and ``update`` (trained - start,
    over the filters that moved; None where none did),
    :func:`mmlc.evaluation.subspace_share` of each filter bank
    (``directions`` / (C_in * k * k) for random filters)."""
    from mmlc.evaluation import subspace_share
    stem = 'conv1.weight'
    shares, directions = pretraining_patch_directions(run, data_root,
                                                      start[stem].shape[-1])
    top = directions[:, :STEM_INPUT_DIRECTIONS]
    update = trained[stem] - start[stem]
    moved = update.flatten(1).norm(dim=1) > 0
    return dict(
        directions=STEM_INPUT_DIRECTIONS,
        patch_share=float(shares[:STEM_INPUT_DIRECTIONS].sum()),
        start=subspace_share(start[stem], top),
        trained=subspace_share(trained[stem], top),
        update=subspace_share(update[moved], top) if moved.any() else None)


def measure_weight_movement(run: ToyRun, checkpoint: str, data_root: str,
                            work_dir: str) -> Dict:
    """How far pretraining moved each stage of ``run``'s backbone from the
    weights it started from, which :func:`mmlc.apis.initial_weights` rebuilds
    from the run's pretraining config, overrides and seed.

    The record's metrics are each stage's mean kernel cosine
    (``layer1_cosine``, ...; :func:`mmlc.evaluation.stage_movement`); its
    ``stages`` hold the relative changes and norm ratios too, its
    ``norm_stages`` how far each stage's BN weights and biases moved
    (:func:`mmlc.evaluation.norm_movement`), its ``stem_filters`` the stem's
    filter bank before and after, and its ``stem_input_subspace`` how much of
    the stem lies along the main directions of the pretraining images
    (:func:`stem_input_subspace`).
    """
    from mmlc.evaluation import backbone_movement
    start = start_backbone(run, data_root, work_dir)
    trained = torch.load(checkpoint, map_location='cpu')['state_dict']
    movement = backbone_movement(start, trained)
    movement['stem_input_subspace'] = stem_input_subspace(
        run, data_root, start, trained)
    metrics = {
        f'{stage}_cosine': values['cosine']
        for stage, values in movement['stages'].items()
    }
    return _record(run, WEIGHT_MOVEMENT, checkpoint, metrics, **movement)


def scheduled_evaluation(evaluation: str, iters: int) -> str:
    """The name of ``evaluation`` (a key of :data:`DOWNSTREAM_CONFIGS`)
    trained for ``iters`` iterations, its config's schedule stretched to
    match: ``frozen-seg_iters-4000``."""
    if evaluation not in DOWNSTREAM_CONFIGS:
        raise ValueError(f'{evaluation!r} is not one of the downstream '
                         f'evaluations {sorted(DOWNSTREAM_CONFIGS)}')
    return f'{evaluation}{ITERS_TAG}{iters}'


def parse_evaluation(name: str) -> Tuple[str, Optional[int]]:
    """``(evaluation, iterations)`` of an evaluation name; the iterations are
    None where the name keeps its config's (see
    :func:`scheduled_evaluation`)."""
    evaluation, tag, iters = name.partition(ITERS_TAG)
    return evaluation, int(iters) if tag else None


def seeded_evaluation(evaluation: str, finetune_seed: int) -> str:
    """The name of ``evaluation`` (a downstream one, see
    :func:`measure_downstream`) fine-tuned under ``finetune_seed`` instead
    of its run's seed: ``detection_finetune-seed-0``."""
    if parse_finetune_seed(evaluation)[1] is not None:
        raise ValueError(f'{evaluation!r} already names its fine-tuning seed')
    if parse_evaluation(evaluation)[0] not in DOWNSTREAM_CONFIGS:
        raise ValueError(f'{evaluation!r} is not one of the downstream '
                         f'evaluations {sorted(DOWNSTREAM_CONFIGS)}')
    return f'{evaluation}{FINETUNE_SEED_TAG}{finetune_seed}'


def parse_finetune_seed(name: str) -> Tuple[str, Optional[int]]:
    """``(evaluation, fine-tuning seed)`` of an evaluation name; the seed
    is None where the name keeps its run's (see
    :func:`seeded_evaluation`)."""
    evaluation, tag, seed = name.rpartition(FINETUNE_SEED_TAG)
    return (evaluation, int(seed)) if tag else (name, None)


def stretched_schedule(config: str, max_iters: int) -> Dict:
    """Overrides that train the iteration-based ``config`` for ``max_iters``
    iterations with its parameter schedulers stretched to match."""
    cfg = Config.fromfile(config)
    return {
        'train_cfg.max_iters':
        max_iters,
        'param_scheduler':
        scale_schedule(cfg.param_scheduler,
                       max_iters / cfg.train_cfg.max_iters),
        'default_hooks.checkpoint.interval':
        max_iters
    }


def measure_downstream(run: ToyRun, evaluation: str, checkpoint: str,
                       data_root: str, work_dir: str,
                       budget: ToyBudget) -> Dict:
    """Train + test a toy mmdet/mmseg benchmark from a converted checkpoint.

    ``evaluation`` is a key of :data:`DOWNSTREAM_CONFIGS`, or one made by
    :func:`scheduled_evaluation` (then trained for its own iterations, which
    the record holds as ``max_iters``), either of them possibly made by
    :func:`seeded_evaluation` (then fine-tuned under that seed instead of
    the run's). The record holds the seed it was fine-tuned under as
    ``finetune_seed``.
    """
    scheduled, finetune_seed = parse_finetune_seed(evaluation)
    if finetune_seed is None:
        finetune_seed = run.seed
    base_evaluation, max_iters = parse_evaluation(scheduled)
    config, dataset_root = DOWNSTREAM_CONFIGS[base_evaluation]
    options = {
        f'{loader}.dataset.data_root': osp.join(data_root, dataset_root)
        for loader in ('train_dataloader', 'test_dataloader')
    }
    if base_evaluation in EVALUATOR_ANN_FILES:
        options['test_evaluator.ann_file'] = osp.join(
            data_root, EVALUATOR_ANN_FILES[base_evaluation])
    options['randomness'] = dict(seed=finetune_seed, deterministic=False)
    if budget.downstream_iters is not None:
        options.update({
            'train_cfg.max_iters':
            budget.downstream_iters,
            'param_scheduler':
            None,
            'default_hooks.checkpoint.interval':
            budget.downstream_iters
        })
    details = dict(finetune_seed=finetune_seed)
    if max_iters is not None:
        options.update(
            stretched_schedule(osp.join(REPO_ROOT, config), max_iters))
        details['max_iters'] = max_iters
    start = time.perf_counter()
    metrics = run_benchmark(
        osp.join(REPO_ROOT, config),
        checkpoint,
        work_dir=work_dir,
        cfg_options=options)
    return _record(
        run,
        evaluation,
        checkpoint,
        metrics,
        config=config,
        wall_time_s=round(time.perf_counter() - start, 1),
        **details)


def result_file(results_dir: str, run: ToyRun, evaluation: str) -> str:
    return osp.join(results_dir, run.name, f'{evaluation}.json')


def checkpoint_file(work_dir: str, run: ToyRun) -> str:
    """Where ``run``'s backbone checkpoint is kept (openmmlab layout)."""
    return osp.join(work_dir, 'checkpoints', f'{run.name}.pth')


def pretrained_backbone(run: ToyRun,
                        data_root: str,
                        work_dir: str,
                        results_dir: str,
                        budget: ToyBudget,
                        record_run: Optional[ToyRun] = None) -> str:
    """Pretrain (or resume) ``run`` and convert it; returns the backbone
    checkpoint.

    Also writes ``<results_dir>/<record_run>/pretrain.json`` (``record_run``
    defaults to ``run``): the config, the overrides, the precision the run
    trained in and each sitting's (where it started, its precision and the
    CPU's capability), the wall time of the last sitting and the logged loss
    curves. Nothing is written when the checkpoint is already in
    ``work_dir``.
    """
    checkpoint = checkpoint_file(work_dir, run)
    if run.method == RANDOM_INIT:
        return save_random_backbone(checkpoint, run.seed, run.cfg_options)
    if osp.isfile(checkpoint):
        return checkpoint
    config = PRETRAIN_CONFIGS[run.method]
    run_dir = osp.join(work_dir, 'pretrain', run.name)
    start = time.perf_counter()
    pretrain_root = run.pretrain_root or data_root
    raw = pretrain(
        osp.join(REPO_ROOT, config), run_dir, pretrain_root,
        budget.pretrain_iters, run.seed, run.cfg_options)
    sittings = read_sittings(run_dir)
    convert_checkpoint(
        raw,
        checkpoint,
        depth=TOY_BACKBONE['depth'],
        base_channels=TOY_BACKBONE['base_channels'],
        backbone_cfg=method_backbone_cfg(run.method))
    record_run = record_run or run
    write_json(
        result_file(results_dir, record_run, 'pretrain'),
        _record(
            record_run,
            'pretrain',
            checkpoint, {},
            config=config,
            cfg_options=run.cfg_options,
            pretrain_data=osp.basename(pretrain_root.rstrip('/')),
            max_iters=budget.pretrain_iters,
            precision=run_precision(sittings),
            sittings=sittings,
            wall_time_s=round(time.perf_counter() - start, 1),
            curves=loss_curves(run_dir)))
    return checkpoint


def run_toy(
    run: ToyRun,
    data_root: str,
    work_dir: str,
    results_dir: str,
    budget: ToyBudget = ToyBudget()) -> Dict[str, Dict]:
    """Every evaluation of ``run`` whose result file is missing; returns all
    its records.

    Args:
        run (ToyRun): what to pretrain and measure.
        data_root (str): the toy dataset (see :func:`ensure_toy_dataset`).
        work_dir (str): checkpoints and mmengine work dirs (large, not kept).
        results_dir (str): one small JSON per evaluation (worth keeping).
        budget (ToyBudget): iteration budgets.
    """
    missing = [
        e for e in run.evaluations
        if not osp.isfile(result_file(results_dir, run, e))
    ]
    if missing:
        checkpoint = pretrained_backbone(run, data_root, work_dir, results_dir,
                                         budget)
    for evaluation in missing:
        print(f'  {run.name}: {evaluation}', flush=True)
        if evaluation == 'correspondence':
            record = measure_correspondence(run, checkpoint, data_root, budget)
        elif evaluation == 'linear-probe':
            record = measure_linear_probe(run, checkpoint, data_root, budget)
        elif evaluation == CUES:
            record = measure_cues(run, checkpoint, data_root)
        elif evaluation == 'dense-retrieval':
            record = measure_dense_retrieval(run, checkpoint, data_root)
        elif evaluation == WEIGHT_MOVEMENT:
            record = measure_weight_movement(run, checkpoint, data_root,
                                             work_dir)
        else:
            record = measure_downstream(
                run, evaluation, checkpoint, data_root,
                osp.join(work_dir, 'downstream', run.name, evaluation), budget)
        write_json(result_file(results_dir, run, evaluation), record)
    records = {}
    for evaluation in run.evaluations:
        with open(
                result_file(results_dir, run, evaluation),
                encoding='utf-8') as f:
            records[evaluation] = json.load(f)
    return records


METHOD_LABELS = {
    'byol': 'BYOL',
    'lc-byol': 'LC-BYOL',
    RANDOM_INIT: 'random init'
}
