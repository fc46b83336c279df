"""The toy study: BYOL, LC-BYOL and a random network on the toy data, over
seeds.

    python tools/benchmarks/toy_study.py          # every stage, in order
    python tools/benchmarks/toy_study.py --stages lr-sweep
    python tools/benchmarks/toy_study.py --stages report  # tables, pictures

Stages (each run writes one small JSON per evaluation under --results, and a
run whose result files all exist is skipped, so the study resumes from them,
on another machine too; checkpoints stay under --work-dir):

- ``lr-sweep``: BYOL, seed 0, at each of LR_SWEEP; the learning rate of the
  rest of the study is the one with BYOL's best frozen-segmentation mIoU, so
  the baseline is not handicapped;
- ``lr-extension``: BYOL, seed 0, at each of LR_EXTENSION, the rates above
  the sweep's (its best rate was its largest), with the LARS sweep's
  evaluations and the movement measurement; the report says by
  ``extended_lr`` whether one of them replaces the sweep's choice;
- ``optimizer``: BYOL, seed 0, with AdamW (OPTIMIZER_SWEEP) instead of SGD:
  the lr sweep's three SGD runs gave the same numbers, so the optimiser
  itself is the next suspect of the recipe;
- ``lars``: BYOL, seed 0, with the paper's optimiser, LARS, at each
  learning rate of LARS_SWEEP instead of SGD (the recipe's SGD barely moves
  the deeper layers from their initialisation in 600 steps), the sweep's
  evaluations and detection;
- ``movement``: for every pretrained network of the main, lars and long
  stages (of every --seeds) whose checkpoint is in --work-dir, how far
  pretraining moved each backbone stage's kernels from the weights the run
  started from (rebuilt from its config and seed, ``mmlc.apis.
  initial_weights``): does the optimiser train the deeper stages at all?
- ``stem-swap``: for the BYOL, then the LC-BYOL network of ``main`` of every
  --seeds (pretrained again where its checkpoint is not in --work-dir),
  fine-tuned detection from the network itself, from it with every BN layer
  or with its stem (STEM) put back to the weights pretraining started from,
  from that start, from the start with the pretrained stem, and from the
  network with its stem's kernels scaled back to their start's norms (the
  same function, only the speed at which SGD turns them changed): is the
  trained stem, or are the trained BN layers, what puts fine-tuning from the
  pretrained networks below the random one, and is it the stem's direction
  or its norm?
- ``ceiling``: the toy backbone trained with labels (the train split's label
  maps, per-pixel cross-entropy on a 1 x 1 classifier, as many iterations as
  a pretraining run), then evaluated frozen like the others: the ceiling row
  that shows whether the frozen evaluations can read shape at all;
- ``longer``: LC-BYOL, then BYOL, seed 0, pretrained LONGER_ITERS iterations
  (twice the recipe's; the schedule is stretched to match): does more
  pretraining move the frozen evaluations towards the ceiling?
- ``data``: random init, BYOL, LC-BYOL and the supervised ceiling, seed 0,
  on easier toy data (DATA_VARIANTS: fewer objects, no clutter, larger
  objects; each variant is its own dataset next to --data-root): does the
  data's difficulty keep pretraining at the random network's level?
- ``pretrain-data``: BYOL, then LC-BYOL, seed 0, pretrained on other toy
  data (PRETRAIN_DATA: object-centric images, one larger object each, and
  more of them, a dataset of its own next to --data-root) and evaluated on
  the study's scenes, as the paper pretrains on ImageNet and evaluates on
  COCO and VOC; every sweep evaluation and the cues;
- ``momentum``: BYOL, seed 0, at each target momentum of MOMENTUM_SWEEP
  (the recipe keeps the paper's 0.996 -> 1, which the paper ablates in Table
  15b; over the toy recipe's 600 steps that target keeps about 30 % of its
  random initial weights to the end), every sweep evaluation and the cues;
- ``views``: BYOL of every --seeds pretrained with the recipe's views and
  with views that lack one of its augmentations (VIEW_ABLATIONS: no Gaussian
  blur, no colour jitter and greying), all on the kind of CPU the stage runs
  on and named after it, the stem's filter bank (the ``movement``
  measurement) and fine-tuned detection under every --finetune-seeds: which
  invariance the views teach puts fine-tuned detection below the random
  network, and does it make the recipe's flat, low-rank stem?
- ``colour-strength``: BYOL of every --seeds pretrained with its colour
  jitter at SimCLR's strength in both views (``strong-colour`` of
  VIEW_VARIANTS), on the kind of CPU the stage runs on and named after it,
  the sweep's evaluations, detection under its own seed and every
  --finetune-seeds, the cues and the movement measurement: is the colour the
  recipe's views leave shared what BYOL matches them by? Its networks of
  VIEW_CONFIRM_SEEDS are set against the ``view-confirm`` stage's recipe
  networks by the report (COLOUR_CONFIRM, as ``view-confirm`` decides);
- ``long-colour``: the ``colour-strength`` stage's BYOL of every --seeds
  at the ``long`` stage's budget, LONG_ITERS iterations (resumable), the
  ``long`` stage's evaluations, the movement measurement and detection under
  every --finetune-seeds: at 600 iterations layers 1-4 stay at their start,
  so does BYOL trained longer with views that share less colour still read
  an object's colour better than its shape and fine-tune below random? The
  report sets each network beside the ``long`` stage's BYOL of its seed
  (``long_colour_markdown``), described, not decided on;
- ``view-sweep``: the protocol's choice of the toy views, as the
  ``lr-sweep`` chooses the learning rate, on BYOL's own results: BYOL of
  every --seeds pretrained with each view set of VIEW_SWEEP (the recipe's,
  and without Gaussian blur) on the kind of CPU the stage runs on, the
  sweep's evaluations, detection and the movement measurement; the report
  names the views ``chosen_views`` picks once every set has the seeds;
- ``view-confirm``: the view sweep's choice tested on fresh pretraining
  seeds, VIEW_CONFIRM_SEEDS whatever --seeds says: the sweep's networks of
  those seeds with its evaluations, but detection fine-tuned under every
  VIEW_CONFIRM_FINETUNE_SEEDS; the report decides by ``chosen_views`` on
  each network's mean AP50 over them, on VIEW_CONFIRM_SEEDS only;
- ``hosts``: the local branch on MoCo v2, SimSiam and DenseCL: each host and
  its LC variant, seed 0, HOSTS_ITERS iterations (a third of the recipe's,
  to fit the machine; the same for both), correspondence accuracy;
- ``transformers``: DINO and LC-DINO (App. B) on a small Swin, seed 0,
  TRANSFORMER_ITERS iterations each (their configs' budget, the same for
  both), correspondence accuracy;
- ``cues``: for every seed-0 network above whose checkpoint is in --work-dir
  (and the random one), linear probes of each object's shape, texture and
  colour from its pooled frozen features (``mmlc.evaluation.cue_probe``):
  which cues the pretraining kept, dropped or learned;
- ``long``: for every --seeds, LC-BYOL, then BYOL, LONG_ITERS iterations
  (8 times the recipe's, about 100 passes over the training scenes;
  resumable, so it can be spread over several sittings), LONG_EVALUATIONS:
  the sweep's, frozen segmentation at 4,000 iterations, detection and the
  cues; the report compares them with the random networks of the same
  seeds;
- ``frozen-schedule``: frozen segmentation of the random networks and the
  networks of ``main`` and ``long`` of every --seeds, and the seed-0
  ``ceiling`` (those whose checkpoint is in --work-dir), trained for each of
  --frozen-iters (default FROZEN_SCHEDULE) iterations, its poly schedule
  stretched: is the benchmark's 1,000 iterations converged?
- ``detection-schedule``: for every --seeds and each --schedule-methods
  (default BYOL alone), the method's start (as ``starts``) and its network
  pretrained with the recipe on this kind of CPU (BYOL's: the view
  sweep's; LC-BYOL's: ``main``'s, named after the CPU; with
  --schedule-long the ``long`` stage's network instead), fine-tuned for
  detection for each of --detection-iters
  (default DETECTION_SCHEDULE) iterations under the network's seed, the
  config's schedule stretched: does the network's deficit against its start
  outlast the benchmark's 400 iterations? A pair whose network has no
  400-iteration detection in --results is measured at 400 first, its
  network pretrained (a fresh --results folder repeats a pair on another
  machine); a pair whose network has one but no checkpoint in --work-dir is
  left out, as its longer fine-tunings would not be of the network measured.
- ``schedule-finetune-seeds``: the starts of ``detection-schedule`` for
  every --seeds and --schedule-methods (rebuilt, nothing pretrained)
  fine-tuned for detection at each --detection-iters under every
  --finetune-seeds but their own: the spread of one fine-tuning of fixed
  weights at those lengths;
- ``detector-stride``: fine-tuned detection of the random network and the
  ``main`` networks of every --seeds (those whose checkpoint is in
  --work-dir) with layer4 at the stride-16 geometry it was pretrained at
  (``detection-d16``), beside the benchmark's stride-32 detector, which runs
  the pretrained layer4 at stride 2 without its dilation: is that mismatch
  what puts the pretrained networks below the random one?
- ``random``: the random network pretraining starts from, every --seeds,
  every evaluation of ``main`` and ``long``, and the :data:`ZERO_RESIDUAL`
  one, the sweep's evaluations (nothing to pretrain: minutes a seed);
- ``random-draws``: the random network of every --seeds fine-tuned for
  detection only, named after the kind of CPU it runs on: how far fine-tuned
  detection spreads over random draws on one kind of CPU (8-11 min a seed on
  an AVX2 CPU);
- ``random-finetune-seeds``: each network of ``random-draws`` for --seeds
  fine-tuned for detection again under every --finetune-seeds other than its
  own seed, named after the kind of CPU it runs on: the random row beside
  networks fine-tuned under several seeds (about 6 min a fine-tuning on an
  AVX512-BF16 CPU);
- ``starts``: the weights each pretrained network of ``main`` for --seeds
  started from (rebuilt, nothing is pretrained) fine-tuned for detection
  only, named after the kind of CPU it runs on: each network against its own
  start on one kind of CPU, where fine-tuning repeats bit for bit (about 9
  min a network on an AVX2 CPU);
- ``finetune-seeds``: each start of ``starts`` for --seeds, each of their
  pretrained networks whose checkpoint is in --work-dir and each of those
  networks' ``stem-swap`` networks of SEEDED_SWAPS whose checkpoint is there,
  fine-tuned for detection again under every --finetune-seeds other than its
  own seed (the noise of one fine-tuning is as large as a pair's gap; about 9
  min a fine-tuning on an AVX2 CPU);
- ``long-finetune-seeds``: each network of ``long`` for --seeds whose
  checkpoint is in --work-dir (nothing is pretrained) fine-tuned for
  detection again under every --finetune-seeds other than its own seed
  (about 7 min a fine-tuning on an AVX512-BF16 CPU);
- ``main``: BYOL, LC-BYOL and a random network for every --seeds, every
  evaluation (STUDY_EVALUATIONS: the demo's four, dense retrieval and toy
  keypoints);
- ``alpha``: LC-BYOL, seed 0, at ALPHA_SWEEP (alpha = 0 is BYOL: the same loss
  and gradients; alpha = 0.1 is the main LC-BYOL run);
- ``report``: study.md and the pictures in --results.

Toy scale on the CPU: nothing here is one of the paper's numbers.
"""
import argparse
import json
import os
import os.path as osp
import platform
import re
import time
from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

import torch
from mmengine.config import Config
from toy_harness import (BFLOAT16, CUES, DETECTION_D16, DOWNSTREAM_CONFIGS,
                         FLOAT32, METHOD_LABELS, MIXED, NOT_RECORDED,
                         RANDOM_INIT, REPO_ROOT, STUDY_EVALUATIONS,
                         TOY_BACKBONE, TOY_SIZE, WEIGHT_MOVEMENT, ToyBudget,
                         ToyRun, checkpoint_file, parse_evaluation,
                         parse_finetune_seed, pretrained_backbone, result_file,
                         run_toy, scheduled_evaluation, seeded_evaluation,
                         start_backbone)
from toy_report import (FROZEN_SEG_LONG, HEADLINE, alpha_curve, bar_chart,
                        format_cell, group_values, headline, load_toy_records,
                        loss_curve_chart, mean_sd, paper_ordering,
                        summary_markdown)

from mmlc.converters import (backbone_to_target, graft_modules,
                             match_kernel_norms, norm_modules)
from mmlc.converters.io import save_torch
from mmlc.datasets import ToySceneOptions, ensure_toy_dataset
from mmlc.evaluation.collect import load_results
from mmlc.evaluation.cue_probe import OBJECT_CUES
from mmlc.utils import write_json, write_text

LR_SWEEP = (0.01, 0.03, 0.1)
ALPHA_SWEEP = (0.3, 0.5, 0.7, 1.0)
PAPER_ALPHA = 0.1
SWEEP_EVALUATIONS = ('correspondence', 'linear-probe', 'frozen-seg')
# AdamW at batch 32; the supervised ceiling (stage ``ceiling``) trains with
# the same optimiser
OPTIMIZER_SWEEP = {
    'adamw-lr-0.001': dict(type='AdamW', lr=1e-3, weight_decay=1e-4)
}
# BYOL's optimiser, as the paper pretrains (LARS, momentum 0.9, weight decay
# 1e-6; BN, biases and shortcut BNs without weight decay or adaptation, as in
# mmpretrain's BYOL configs), in place of the recipe's SGD. A LARS step moves
# each layer by lr x eta (1e-3) of its weights' norm, whatever that norm; the
# recipe's SGD at lr 0.1 left layers 1-4 of the seed-2 networks at mean
# kernel cosines of 0.990-0.999 to their initialisation (stage movement).
# 4.8 is the paper's step at its batch of 4,096 (0.3 x 4096 / 256), 1.0
# about a fifth of it and 2.4 half of it, in the order they ran.
LARS_SWEEP = (4.8, 1.0, 2.4)
LARS_PARAMWISE = dict(
    custom_keys={
        key: dict(decay_mult=0, lars_exclude=True)
        for key in ('bn', 'bias', 'downsample.1')
    })
LARS_EVALUATIONS = SWEEP_EVALUATIONS + ('detection', )
# SGD rates above the sweep's, whose best rate, 0.1, was its largest (stage
# ``lr-extension``): the sweep's three evaluations for the choice, detection
# and the movement measurement (does a larger SGD step train layers 1-4,
# which the recipe's leaves near their start?); see extended_lr for the rule
LR_EXTENSION = (0.3, 1.0)
LR_EXTENSION_EVALUATIONS = LARS_EVALUATIONS + (WEIGHT_MOVEMENT, )
CEILING_ITERS = 600
SUPERVISED = 'supervised'
LONGER_ITERS = 1200
LONG_ITERS = 4800
LONG_EVALUATIONS = SWEEP_EVALUATIONS + (FROZEN_SEG_LONG, 'detection', CUES)
# the random network is the baseline of both the main and the long stage:
# every evaluation of both but the cues (stage ``cues``), the ones the
# study's targets are about first
RANDOM_EVALUATIONS = SWEEP_EVALUATIONS + (FROZEN_SEG_LONG, 'detection',
                                          'dense-retrieval', 'keypoints')
# the study's data is ToySceneOptions(); each variant makes one thing easier
DATA_VARIANTS = {
    'sparse':
    ToySceneOptions(max_objects=2, max_clutter=0, object_scale=(0.2, 0.35))
}
# pretraining data apart from the evaluated scenes, as ImageNet is apart from
# COCO and VOC: (scene options, number of images); the same paint pools and
# background clutter as the study's scenes, one object per image
PRETRAIN_DATA = {
    'objects': (ToySceneOptions(max_objects=1,
                                object_scale=(0.25, 0.45)), 10000)
}
# base target momentum tau (the target keeps tau of itself per step at the
# start, cosine to 1): with 0.996 the target's weights are
# exp(-(1 - tau) * iters / 2) random initialisation at the end, 30 % at 600
# iterations; the paper ablates 0.99, 0.996 and 0.999 (Table 15b)
MOMENTUM_SWEEP = (0.99, 0.97)
# pretraining views without one of BYOL's augmentations (stage ``views``),
# each beside the recipe's views pretrained on the same kind of CPU: the
# name and the pretraining config's keys it overrides. The two views are the
# ``transforms`` of MultiViewWithGeometry, the second item of the toy
# pipeline (configs/_base_/datasets/toy_lc-byol_views.py): view 0 resizes,
# jitters colour, greys and blurs; view 1 crops, flips, jitters colour,
# greys, blurs and solarizes. A transform with prob 0 never acts.
VIEW_PIPELINES = 'train_dataloader.dataset.pipeline.1.transforms'
VIEW_ABLATIONS = {
    'recipe-views': {},
    'no-blur': {
        f'{VIEW_PIPELINES}.0.3.prob': 0.0,
        f'{VIEW_PIPELINES}.1.4.prob': 0.0
    },
    'no-colour': {
        f'{VIEW_PIPELINES}.0.1.prob': 0.0,
        f'{VIEW_PIPELINES}.0.2.prob': 0.0,
        f'{VIEW_PIPELINES}.1.2.prob': 0.0,
        f'{VIEW_PIPELINES}.1.3.prob': 0.0
    }
}
# BYOL's colour augmentation at SimCLR's strength s = 1 (Chen et al., 2020:
# brightness, contrast and saturation 0.8, hue 0.2; the recipe's, BYOL's, is
# 0.4, 0.4, 0.2, 0.1) in both views, its probability (0.8) and the greying
# unchanged (stage ``colour-strength``): does a colour the two views share
# less of keep BYOL from matching them by colour? Index 1 of view 0 and index
# 2 of view 1 are the RandomApply around ColorJitter.
STRONG_COLOUR_JITTER = dict(
    brightness=0.8, contrast=0.8, saturation=0.8, hue=0.2)
VIEW_VARIANTS = {
    **VIEW_ABLATIONS, 'strong-colour': {
        f'{VIEW_PIPELINES}.{view}.{index}.transforms.0.{key}': value
        for view, index in ((0, 1), (1, 2))
        for key, value in STRONG_COLOUR_JITTER.items()
    }
}
# what the ``views`` stage measures of each network: the stem's filter bank
# (and every stage's movement), then fine-tuned detection
VIEW_EVALUATIONS = (WEIGHT_MOVEMENT, 'detection')
# the views the ``view-sweep`` stage chooses the recipe's from (names of
# VIEW_ABLATIONS, the recipe's first) and what it measures of each network:
# the learning-rate sweep's evaluations and fine-tuned detection under the
# run's own seed (and the movement measurement)
VIEW_SWEEP = ('recipe-views', 'no-blur')
VIEW_SWEEP_EVALUATIONS = SWEEP_EVALUATIONS + ('detection', )
# what the ``colour-strength`` stage measures of each network
COLOUR_STRENGTH_EVALUATIONS = VIEW_SWEEP_EVALUATIONS + (CUES, WEIGHT_MOVEMENT)
# what the ``long-colour`` stage measures of each network: the ``long``
# stage's evaluations and the movement measurement
LONG_COLOUR_EVALUATIONS = LONG_EVALUATIONS + (WEIGHT_MOVEMENT, )
# the pretraining loss the ``long-colour`` section reads: the mean logged
# over the iterations after this one (the last 1,800 of LONG_ITERS)
LATE_LOSS_AFTER = 3000
# the result the view sweep chooses on, and the one a choice may not lower
# beyond the noise (see chosen_views)
VIEW_CRITERION = 'detection'
VIEW_GUARD = 'frozen-seg'
# the ``view-confirm`` stage's test of the view sweep's choice on fresh
# pretraining seeds (the sweep's seeds 0-2, averaged over fine-tunings,
# suggested it): each network's detection is its mean AP50 over these
# fine-tuning seeds, and chosen_views decides on these pretraining seeds only
VIEW_CONFIRM_FINETUNE_SEEDS = (0, 1, 2)
VIEW_CONFIRM_SEEDS = (3, 4)
# the same test of SimCLR's colour strength, whose ``colour-strength``
# networks of seeds 0-2 gained on that averaged detection: its networks of
# VIEW_CONFIRM_SEEDS against the ``view-confirm`` stage's recipe networks
COLOUR_CONFIRM = ('recipe-views', 'strong-colour')
# frozen segmentation for longer than its config's 1,000 iterations at batch
# 8 (5 passes over the 1,600 training scenes; mmseg's VOC protocol, 20k
# iterations at batch 16 over 10,582 images, makes 30)
FROZEN_SCHEDULE = (2000, 4000, 8000)
# the lengths the ``detection-schedule`` stage fine-tunes the toy Faster R-CNN
# for: its config's 400 iterations at batch 8 are 2 passes over the 1,600
# training scenes, the paper's COCO 1x (90k iterations at batch 16 over 118k
# images) about 12, as 2,400 iterations are
DETECTION_SCHEDULE = (2400, )
# the methods whose pairs the ``detection-schedule`` stage can measure
SCHEDULE_METHODS = ('byol', 'lc-byol')
# fine-tuned detection with layer4 at stride 32 (the benchmark) and at the
# stride 16 it was pretrained at (stage ``detector-stride``)
DETECTOR_STRIDES = ('detection', DETECTION_D16)
# the random network as the study measured it until 2026-11-30, a diagnostic
# row beside the one pretraining starts from: mmpretrain's ResNet default
# (zero_init_residual=True) zeroes the last BN of every residual branch, so
# the frozen network is its stem and the strided 1 x 1 shortcut convolutions
ZERO_RESIDUAL = {'model.backbone.zero_init_residual': True}
HOSTS = ('mocov2', 'simsiam', 'densecl')
HOSTS_ITERS = 200
TRANSFORMER_ITERS = 600
# the ResNet stem: the 7 x 7 convolution and its BN
STEM = ('conv1', 'bn1')
# what the ``stem-swap`` stage makes of each pretrained network (see
# stem_swap_runs)
STEM_SWAPS = ('as-pretrained', 'norm-reset', 'stem-reset', 'start',
              'start-trained-stem', 'stem-rescaled')
# the swaps of STEM_SWAPS the finetune-seeds stage fine-tunes again, in this
# order ('as-pretrained' is the pretrained network itself and 'start' the
# starts stage's network, both covered by the stage already)
SEEDED_SWAPS = ('stem-reset', 'norm-reset', 'start-trained-stem',
                'stem-rescaled')
# the name of a ``random-draws`` run (see random_draw_runs)
RANDOM_DRAW = re.compile(r'random-init_seed-(?P<seed>\d+)_cpu-(?P<cpu>\w+)')
# the name of a ``starts`` run (see start_runs)
START_DRAW = re.compile(r'(?P<network>.+)_start_cpu-(?P<cpu>\w+)')
STAGES = ('lr-sweep', 'lr-extension', 'optimizer', 'lars', 'movement',
          'stem-swap', 'ceiling', 'longer', 'data', 'pretrain-data',
          'momentum', 'views', 'colour-strength', 'long-colour', 'view-sweep',
          'view-confirm', 'hosts', 'transformers', 'cues', 'long',
          'frozen-schedule', 'detection-schedule', 'schedule-finetune-seeds',
          'detector-stride', 'random', 'random-draws', 'random-finetune-seeds',
          'starts', 'finetune-seeds', 'long-finetune-seeds', 'main', 'alpha',
          'report')
GROUPS = METHOD_LABELS


def lr_run(lr: float, seed: int = 0, evaluations=SWEEP_EVALUATIONS) -> ToyRun:
    return ToyRun(f'byol_lr-{lr:g}_seed-{seed}', 'byol', seed,
                  {'optim_wrapper.optimizer.lr': lr}, evaluations)


def lr_extension_runs() -> List[ToyRun]:
    """BYOL, seed 0, at each rate of :data:`LR_EXTENSION`."""
    return [
        lr_run(lr, evaluations=LR_EXTENSION_EVALUATIONS) for lr in LR_EXTENSION
    ]


def optimizer_runs(seed: int = 0) -> List[ToyRun]:
    return [
        ToyRun(f'byol_{name}_seed-{seed}', 'byol', seed,
               {'optim_wrapper.optimizer': dict(optimizer, _delete_=True)},
               SWEEP_EVALUATIONS)
        for name, optimizer in OPTIMIZER_SWEEP.items()
    ]


def lars_runs(seed: int = 0) -> List[ToyRun]:
    """BYOL with LARS at each learning rate of :data:`LARS_SWEEP`."""
    return [
        ToyRun(
            f'byol_lars-lr-{lr:g}_seed-{seed}', 'byol', seed, {
                'optim_wrapper.optimizer':
                dict(
                    type='LARS',
                    lr=lr,
                    momentum=0.9,
                    weight_decay=1e-6,
                    _delete_=True),
                'optim_wrapper.paramwise_cfg':
                dict(LARS_PARAMWISE, _delete_=True)
            }, LARS_EVALUATIONS) for lr in LARS_SWEEP
    ]


def momentum_runs(lr: float, seed: int = 0) -> List[ToyRun]:
    """BYOL at each base target momentum of :data:`MOMENTUM_SWEEP`."""
    return [
        ToyRun(
            f'byol_lr-{lr:g}_momentum-{tau:g}_seed-{seed}', 'byol', seed, {
                'optim_wrapper.optimizer.lr': lr,
                'model.base_momentum': round(1 - tau, 6)
            }, SWEEP_EVALUATIONS + (CUES, )) for tau in MOMENTUM_SWEEP
    ]


def cpu_tag(cpu_capability: str) -> str:
    """The suffix that names a run after the kind of CPU it is pretrained or
    fine-tuned on (``'_cpu-avx512'`` for
    ``torch.backends.cpu.get_cpu_capability()`` ``'AVX512'``): pretraining
    and fine-tuning repeat bit for bit only on one kind."""
    return f'_cpu-{cpu_capability.lower()}'


def view_runs(lr: float,
              seeds: List[int],
              finetune_seeds: Sequence[int],
              cpu_capability: str,
              views: Tuple[str, ...] = tuple(VIEW_ABLATIONS),
              evaluations: Tuple[str, ...] = VIEW_EVALUATIONS,
              iters: Optional[int] = None) -> List[ToyRun]:
    """BYOL of every ``seeds`` pretrained with each of ``views`` (names of
    :data:`VIEW_VARIANTS`), named after the kind of CPU it is pretrained on
    (``byol_lr-0.1_no-blur_seed-1_cpu-avx2``: pretraining and fine-tuning
    repeat bit for bit only on one kind), measuring ``evaluations`` and
    detection again under every ``finetune_seeds`` but the run's own seed.
    ``iters`` names a budget other than the recipe's
    (``byol_lr-0.1_iters-4800_strong-colour_seed-2_cpu-avx512``); the caller
    runs them with that :class:`ToyBudget`."""
    budget_tag = '' if iters is None else f'_iters-{iters}'
    return [
        ToyRun(
            f'byol_lr-{lr:g}{budget_tag}_{name}_seed-{seed}'
            f'{cpu_tag(cpu_capability)}', 'byol', seed, {
                'optim_wrapper.optimizer.lr': lr,
                **VIEW_VARIANTS[name]
            }, evaluations + reseeded_detections(seed, finetune_seeds))
        for seed in seeds for name in views
    ]


def colour_strength_runs(lr: float, seeds: List[int],
                         finetune_seeds: Sequence[int],
                         cpu_capability: str) -> List[ToyRun]:
    """The ``colour-strength`` stage: BYOL of every ``seeds`` pretrained
    with the ``strong-colour`` views of :data:`VIEW_VARIANTS` on this kind of
    CPU, :data:`COLOUR_STRENGTH_EVALUATIONS` and detection again under every
    ``finetune_seeds`` but the run's own seed; the recipe's views of the same
    seeds and CPU are the ``views`` and ``view-sweep`` stages' networks."""
    return view_runs(lr, seeds, finetune_seeds, cpu_capability,
                     ('strong-colour', ), COLOUR_STRENGTH_EVALUATIONS)


def long_colour_runs(lr: float, seeds: List[int],
                     finetune_seeds: Sequence[int],
                     cpu_capability: str) -> List[ToyRun]:
    """The ``long-colour`` stage: the ``colour-strength`` stage's BYOL at the
    ``long`` stage's budget, :data:`LONG_ITERS` iterations (the caller's
    :class:`ToyBudget`), measuring :data:`LONG_COLOUR_EVALUATIONS` and
    detection again under every ``finetune_seeds`` but the run's own seed;
    the ``long`` stage's BYOL of the same seeds has the recipe's views."""
    return view_runs(lr, seeds, finetune_seeds, cpu_capability,
                     ('strong-colour', ), LONG_COLOUR_EVALUATIONS, LONG_ITERS)


def view_sweep_runs(lr: float, seeds: List[int],
                    cpu_capability: str) -> List[ToyRun]:
    """The ``view-sweep`` stage: BYOL of every ``seeds`` with each of
    :data:`VIEW_SWEEP`, :data:`VIEW_SWEEP_EVALUATIONS` and the movement
    measurement; the same networks as the ``views`` stage's of those views,
    seeds and CPU."""
    return view_runs(lr, seeds, [], cpu_capability, VIEW_SWEEP,
                     VIEW_SWEEP_EVALUATIONS + (WEIGHT_MOVEMENT, ))


def view_confirm_runs(lr: float, cpu_capability: str) -> List[ToyRun]:
    """The ``view-confirm`` stage: the view sweep's networks of
    :data:`VIEW_CONFIRM_SEEDS` (:func:`view_sweep_runs`' names and
    pretraining) with the sweep's other evaluations and detection
    fine-tuned under every :data:`VIEW_CONFIRM_FINETUNE_SEEDS` (none of
    them a pretraining seed of the stage's)."""
    return view_runs(lr, list(VIEW_CONFIRM_SEEDS), VIEW_CONFIRM_FINETUNE_SEEDS,
                     cpu_capability, VIEW_SWEEP,
                     SWEEP_EVALUATIONS + (WEIGHT_MOVEMENT, ))


def view_sweep_networks(
    records,
    lr: float,
    seeds: Optional[List[int]] = None,
    views: Tuple[str,
                 ...] = VIEW_SWEEP) -> Dict[str, Dict[str, Tuple[str, int]]]:
    """``{cpu: {run name: (views, seed)}}`` of the 600-iteration networks of
    ``views`` in ``records`` (by default the ``view-sweep`` and
    ``view-confirm`` networks; of ``seeds`` only where given), per kind of
    CPU they ran on (only networks of one kind compare)."""
    pattern = re.compile(
        rf'byol_lr-{re.escape(f"{lr:g}")}_(?P<views>{"|".join(views)})'
        r'_seed-(?P<seed>\d+)_cpu-(?P<cpu>\w+)')
    networks: Dict[str, Dict[str, Tuple[str, int]]] = {}
    for record in records:
        match = pattern.fullmatch(record['method'])
        if match and (seeds is None or int(match['seed']) in seeds):
            networks.setdefault(match['cpu'],
                                {})[record['method']] = (match['views'],
                                                         int(match['seed']))
    return dict(sorted(networks.items()))


def view_sweep_values(
    records,
    lr: float,
    seeds: Optional[List[int]] = None
) -> Dict[str, Dict[str, Dict[str, List[float]]]]:
    """``{cpu: {views: {evaluation: [value per seed]}}}`` of the
    :func:`view_sweep_networks` in ``records``."""
    return {
        cpu:
        group_values(records, {
            name: views
            for name, (views, _) in names.items()
        })
        for cpu, names in view_sweep_networks(records, lr, seeds).items()
    }


def detection_by_finetune_seed(results,
                               evaluation: str = 'detection'
                               ) -> Dict[str, Dict[int, float]]:
    """``{run: {fine-tuning seed: detection AP50}}`` of every record of
    ``evaluation`` (``detection`` or a :func:`scheduled_evaluation` of it) in
    ``results``, under the seed its task names
    (:func:`toy_harness.seeded_evaluation`) or, where it names none, its
    run's seed."""
    ap50: Dict[str, Dict[int, float]] = {}
    for record in results:
        task, finetune_seed = parse_finetune_seed(record['task'])
        if task == evaluation:
            seed = record['seed'] if finetune_seed is None else finetune_seed
            ap50.setdefault(record['method'], {})[seed] = headline(
                dict(record, task='detection'))
    return ap50


def view_confirm_values(
    results,
    lr: float,
    seeds: Optional[List[int]] = None,
    views: Tuple[str, ...] = VIEW_SWEEP
) -> Dict[str, Dict[str, Dict[str, List[float]]]]:
    """``{cpu: {views: {evaluation: [value per seed]}}}`` of the networks of
    ``views`` (:func:`view_sweep_networks`) in ``results`` (every result
    record, fine-tunings under other seeds included; of ``seeds`` only where
    given) that have detection under
    every :data:`VIEW_CONFIRM_FINETUNE_SEEDS` and a :data:`VIEW_GUARD`
    result (the others are left out): :data:`VIEW_CRITERION` is a
    network's mean AP50 over those fine-tunings."""
    guard = {
        record['method']: headline(record)
        for record in results if record['task'] == VIEW_GUARD
    }
    detection = detection_by_finetune_seed(results)
    values: Dict[str, Dict[str, Dict[str, List[float]]]] = {}
    for cpu, names in view_sweep_networks(results, lr, seeds, views).items():
        for name, (view_set, _) in sorted(
                names.items(), key=lambda item: item[1][1]):
            ap50 = detection.get(name, {})
            if name not in guard or any(
                    seed not in ap50 for seed in VIEW_CONFIRM_FINETUNE_SEEDS):
                continue
            network = values.setdefault(cpu, {}).setdefault(view_set, {})
            network.setdefault(VIEW_CRITERION, []).append(
                mean_sd([ap50[seed]
                         for seed in VIEW_CONFIRM_FINETUNE_SEEDS])[0])
            network.setdefault(VIEW_GUARD, []).append(guard[name])
    return values


def chosen_views(values: Dict[str, Dict[str, List[float]]],
                 num_seeds: int,
                 candidates: Tuple[str, ...] = VIEW_SWEEP) -> Optional[str]:
    """The views the toy recipe pretrains with, by BYOL's own results on one
    kind of CPU (``values``: one CPU's :func:`view_sweep_values`), once every
    view of ``candidates`` (the recipe's first) has :data:`VIEW_CRITERION`
    and :data:`VIEW_GUARD` for ``num_seeds`` seeds (None before, and for
    fewer than two seeds, which give no sd).

    The recipe's views stay unless others beat their mean criterion by more
    than the larger sd of the two without lowering the guard's mean by more
    than the larger sd; of several such, the best criterion."""
    if num_seeds < 2 or any(
            len(values.get(views, {}).get(evaluation, [])) < num_seeds
            for views in candidates
            for evaluation in (VIEW_CRITERION, VIEW_GUARD)):
        return None

    def gap(views: str, evaluation: str) -> Tuple[float, float]:
        mean, sd = mean_sd(values[views][evaluation])
        recipe_mean, recipe_sd = mean_sd(values[candidates[0]][evaluation])
        return mean - recipe_mean, max(sd, recipe_sd)

    criterion = {views: gap(views, VIEW_CRITERION) for views in candidates}
    guard = {views: gap(views, VIEW_GUARD) for views in candidates}
    better = [
        views for views in candidates[1:]
        if criterion[views][0] > criterion[views][1]
        and guard[views][0] >= -guard[views][1]
    ]
    if not better:
        return candidates[0]
    return max(better, key=lambda views: criterion[views][0])


def view_confirm_markdown(results, lr: float) -> List[str]:
    """The report's sections on the ``view-confirm`` stage, one per kind of
    CPU once a network of :data:`VIEW_CONFIRM_SEEDS` has every evaluation:
    the decision on those seeds, then every view-sweep network with the
    averaged detection and frozen segmentation (:func:`view_confirm_values`),
    described, not decided on."""
    confirm = view_confirm_values(results, lr, list(VIEW_CONFIRM_SEEDS))
    every_seed = view_confirm_values(results, lr)
    sections = []
    for cpu, view_values in confirm.items():
        sections += confirmation(
            f'Confirming the toy views on fresh seeds (BYOL, {cpu} CPU)',
            'BYOL pretrained with each view set on pretraining seeds '
            f'{", ".join(map(str, VIEW_CONFIRM_SEEDS))} (the `view-confirm` '
            'stage)', view_values, VIEW_SWEEP) + [
                'Every view-sweep network with detection under those '
                'fine-tuning seeds (described, not decided on):\n',
                summary_markdown(every_seed[cpu], VIEW_SWEEP,
                                 (VIEW_CRITERION, VIEW_GUARD))
            ]
    return sections


def colour_confirm_markdown(results, lr: float) -> List[str]:
    """The report's sections on the ``colour-strength`` stage's networks of
    :data:`VIEW_CONFIRM_SEEDS`, one per kind of CPU once one of them has
    every evaluation: :func:`chosen_views` between the ``view-confirm``
    stage's recipe networks and them (:data:`COLOUR_CONFIRM`), on the
    ``view-confirm`` criterion."""
    confirm = view_confirm_values(results, lr, list(VIEW_CONFIRM_SEEDS),
                                  COLOUR_CONFIRM)
    sections = []
    for cpu, view_values in confirm.items():
        if COLOUR_CONFIRM[1] in view_values:
            sections += confirmation(
                'SimCLR\'s colour strength on fresh seeds '
                f'(BYOL, {cpu} CPU)', 'BYOL pretrained with the recipe\'s '
                'views (the `view-confirm` stage) and with SimCLR\'s colour '
                'strength (the `colour-strength` stage) on pretraining seeds '
                f'{", ".join(map(str, VIEW_CONFIRM_SEEDS))}', view_values,
                COLOUR_CONFIRM)
    return sections


def late_loss(record: Dict, after: int = LATE_LOSS_AFTER) -> Optional[float]:
    """The mean logged pretraining loss of a ``pretrain`` record's curves
    over the iterations after ``after``; None where none was logged."""
    curves = record.get('curves', {})
    losses = [
        loss
        for step, loss in zip(curves.get('iter', []), curves.get('loss', []))
        if step > after
    ]
    return sum(losses) / len(losses) if losses else None


def long_colour_values(results, lr: float) -> Dict[str, Dict[str, float]]:
    """``{run name: {column: value}}`` of every ``long-colour`` network in
    ``results`` (every result record), each after the ``long`` stage's BYOL
    of its seed (the recipe's views): :data:`LONG_COLOUR_COLUMNS`, detection
    as the network's mean AP50 over the fine-tuning seeds it has."""
    pattern = re.compile(
        rf'byol_lr-{re.escape(f"{lr:g}")}_iters-{LONG_ITERS}_strong-colour'
        r'_seed-(?P<seed>\d+)_cpu-\w+')
    strong = sorted(
        ((int(match['seed']), match.string)
         for match in map(pattern.fullmatch, {r['method']
                                              for r in results}) if match))
    names = [
        name for seed, colour_name in strong
        for name in (f'byol_lr-{lr:g}_iters-{LONG_ITERS}_seed-{seed}',
                     colour_name)
    ]
    values: Dict[str, Dict[str, float]] = {name: {} for name in names}
    for record in results:
        row = values.get(record['method'])
        if row is None:
            continue
        if record['task'] in HEADLINE:
            row[record['task']] = headline(record)
        elif record['task'] == CUES:
            row.update(record['metrics'])
        elif record['task'] == 'pretrain':
            loss = late_loss(record)
            if loss is not None:
                row['late_loss'] = loss
    for name, ap50 in detection_by_finetune_seed(results).items():
        if name in values:
            values[name]['detection'] = mean_sd(list(ap50.values()))[0]
            values[name]['fine-tunings'] = len(ap50)
    return {name: row for name, row in values.items() if row}


def long_colour_markdown(results, lr: float) -> List[str]:
    """The report's section on the ``long-colour`` stage once one of its
    networks has a result: each beside the ``long`` stage's BYOL of its
    seed (:func:`long_colour_values`)."""
    values = long_colour_values(results, lr)
    if not any('strong-colour' in name for name in values):
        return []
    return [
        f'## BYOL at {LONG_ITERS} pretraining iterations with SimCLR\'s '
        'colour strength\n', 'Each `long-colour` network after the `long` '
        'stage\'s BYOL of its seed (the recipe\'s views): detection is the '
        'mean AP50 over the fine-tuning seeds it has, the cues are the '
        '`cues` probe\'s, the loss is the mean logged pretraining loss after '
        f'iteration {LATE_LOSS_AFTER}. The `long` networks may have been '
        'pretrained on another CPU model (their `pretrain.json`).\n',
        column_table(values, LONG_COLOUR_COLUMNS)
    ]


def confirmation(title: str, networks: str,
                 view_values: Dict[str, Dict[str, List[float]]],
                 candidates: Tuple[str, ...]) -> List[str]:
    """A section deciding between ``candidates`` on fresh seeds:
    ``title``, what ``networks`` were compared, the table of
    ``view_values`` (:func:`view_confirm_values` of one CPU) and the choice
    of :func:`chosen_views` over :data:`VIEW_CONFIRM_SEEDS`."""
    finetune_seeds = ', '.join(map(str, VIEW_CONFIRM_FINETUNE_SEEDS))
    choice = chosen_views(view_values, len(VIEW_CONFIRM_SEEDS), candidates)
    return [
        f'## {title}\n', f'{networks}, mean ± sd over them; detection is '
        'each network\'s mean AP50 over fine-tuning seeds '
        f'{finetune_seeds}. The rule of `chosen_views`, decided on these '
        'seeds only.\n',
        summary_markdown(view_values, candidates,
                         (VIEW_CRITERION, VIEW_GUARD)),
        f'Chosen: {choice or "(not every view set has every seed)"}\n'
    ]


def longer_runs(lr: float, seed: int = 0) -> List[ToyRun]:
    return [
        ToyRun(f'{method}_lr-{lr:g}_iters-{LONGER_ITERS}_seed-{seed}', method,
               seed, {'optim_wrapper.optimizer.lr': lr}, SWEEP_EVALUATIONS)
        for method in ('lc-byol', 'byol')
    ]


def long_runs(lr: float, seed: int = 0) -> List[ToyRun]:
    return [
        ToyRun(f'{method}_lr-{lr:g}_iters-{LONG_ITERS}_seed-{seed}', method,
               seed, {'optim_wrapper.optimizer.lr': lr}, LONG_EVALUATIONS)
        for method in ('lc-byol', 'byol')
    ]


def ceiling_run(seed: int = 0, data_tag: str = '') -> ToyRun:
    return ToyRun(f'{SUPERVISED}-ceiling{data_tag}_seed-{seed}', SUPERVISED,
                  seed, {}, SWEEP_EVALUATIONS)


def host_runs(lr: float, seed: int = 0) -> List[ToyRun]:
    """Each host of :data:`HOSTS`, then its LC variant."""
    return [
        ToyRun(f'{method}_lr-{lr:g}_iters-{HOSTS_ITERS}_seed-{seed}', method,
               seed, {'optim_wrapper.optimizer.lr': lr}, ('correspondence', ))
        for host in HOSTS for method in (host, f'lc-{host}')
    ]


def transformer_runs(seed: int = 0) -> List[ToyRun]:
    """DINO, then LC-DINO, with their toy configs' own optimiser."""
    return [
        ToyRun(f'{method}_iters-{TRANSFORMER_ITERS}_seed-{seed}', method, seed,
               {}, ('correspondence', )) for method in ('dino', 'lc-dino')
    ]


def random_run(seed: int = 0,
               tag: str = '',
               evaluations=SWEEP_EVALUATIONS) -> ToyRun:
    """The random network every pretraining run starts from."""
    return ToyRun(f'{RANDOM_INIT}{tag}_seed-{seed}', RANDOM_INIT, seed, {},
                  evaluations)


def zero_residual_run(seed: int = 0, tag: str = '') -> ToyRun:
    """The :data:`ZERO_RESIDUAL` random network, the sweep's evaluations."""
    return ToyRun(f'{RANDOM_INIT}-zero-residual{tag}_seed-{seed}', RANDOM_INIT,
                  seed, ZERO_RESIDUAL, SWEEP_EVALUATIONS)


def random_runs(seed: int = 0, tag: str = '') -> List[ToyRun]:
    """:func:`random_run`, then :func:`zero_residual_run`."""
    return [random_run(seed, tag), zero_residual_run(seed, tag)]


def random_draw_runs(seeds: List[int], cpu_capability: str) -> List[ToyRun]:
    """The ``random-draws`` stage's runs: the random network of each of
    ``seeds`` fine-tuned for detection only, named after the kind of CPU it
    is measured on (``random-init_seed-4_cpu-avx2`` for
    ``torch.backends.cpu.get_cpu_capability()`` ``'AVX2'``).

    The same network fine-tuned on another kind of CPU has moved by 0.9-3.0
    AP50 (docs/toy_study.md), so draws are only compared with those of
    their own CPU (:func:`random_draw_values`)."""
    return [
        replace(
            random_run(seed, evaluations=('detection', )),
            name=random_run(seed).name + cpu_tag(cpu_capability))
        for seed in seeds
    ]


def random_finetune_seed_runs(seeds: List[int], finetune_seeds: List[int],
                              cpu_capability: str) -> List[ToyRun]:
    """The ``random-finetune-seeds`` stage's runs: each draw of
    :func:`random_draw_runs` fine-tuned for detection under every seed of
    ``finetune_seeds`` but its own, under the draw's name: the random row
    beside pretrained networks fine-tuned under several seeds on that kind
    of CPU (:func:`finetune_seed_values`)."""
    return seeded_detection_runs(
        random_draw_runs(seeds, cpu_capability), finetune_seeds)


def random_draw_values(records) -> Dict[str, Dict[int, float]]:
    """``{cpu: {seed: AP50}}`` of every result of the ``random-draws``
    stage, the CPUs and seeds in ascending order."""
    draws: Dict[str, Dict[int, float]] = {}
    for record in records:
        match = RANDOM_DRAW.fullmatch(record['method'])
        if match and record['task'] == 'detection':
            draws.setdefault(match['cpu'],
                             {})[int(match['seed'])] = headline(record)
    return {cpu: dict(sorted(draws[cpu].items())) for cpu in sorted(draws)}


def random_draw_table(draws: Dict[str, Dict[int, float]]) -> str:
    """The markdown table of :func:`random_draw_values`: one row a CPU."""
    lines = [
        '| CPU | seeds | det AP50 per seed | mean ± sd |', '|---|---|---|---|'
    ]
    for cpu, values in draws.items():
        mean, sd = mean_sd(list(values.values()))
        lines.append(f'| {cpu} | {", ".join(map(str, values))} | ' +
                     ', '.join(f'{value:.1f}' for value in values.values()) +
                     f' | {mean:.1f} ± {sd:.1f} (n={len(values)}) |')
    return '\n'.join(lines) + '\n'


def start_runs(lr: float, seeds: List[int],
               cpu_capability: str) -> List[ToyRun]:
    """The ``starts`` stage's runs: the start of each pretrained network of
    ``main`` for ``seeds`` (:func:`stem_swap_bases`), fine-tuned for
    detection only with the network's own seed, named after the kind of CPU
    it is measured on (``byol_lr-0.1_seed-1_start_cpu-avx2``)."""
    return [
        replace(
            run,
            name=f'{run.name}_start{cpu_tag(cpu_capability)}',
            evaluations=('detection', )) for run in stem_swap_bases(lr, seeds)
    ]


def run_start(run: ToyRun, data_root: str, work_dir: str, results_dir: str,
              budget: ToyBudget) -> None:
    """Fine-tune the start of a :func:`start_runs` run for each of its
    evaluations whose result is missing: the weights rebuilt by
    :func:`toy_harness.start_backbone` are its checkpoint, so nothing is
    pretrained."""
    if all(
            osp.isfile(result_file(results_dir, run, evaluation))
            for evaluation in run.evaluations):
        return
    save_torch(
        backbone_to_target(
            start_backbone(run, data_root, work_dir), 'openmmlab'),
        checkpoint_file(work_dir, run))
    run_toy(run, data_root, work_dir, results_dir, budget)


def detection_schedule_pairs(
        lr: float,
        seeds: List[int],
        cpu_capability: str,
        methods: Sequence[str] = ('byol', ),
        long: bool = False) -> List[Tuple[ToyRun, ToyRun]]:
    """``(start, network)`` of the ``detection-schedule`` stage for each of
    ``methods`` (of :data:`SCHEDULE_METHODS`), seed by seed of ``seeds``:
    the method's run of :func:`start_runs` and the network pretrained from
    it (:func:`schedule_networks`), both with detection as their
    evaluation."""
    starts = start_runs(lr, seeds, cpu_capability)
    return [
        pair for method in methods for pair in zip(
            [run for run in starts if run.method == method],
            schedule_networks(lr, seeds, cpu_capability, method, long))
    ]


def schedule_networks(lr: float, seeds: List[int], cpu_capability: str,
                      method: str, long: bool) -> List[ToyRun]:
    """The networks ``method`` pretrained with the recipe from its starts of
    ``seeds``, measuring detection only: with ``long``, the ``long``
    stage's (:data:`LONG_ITERS` iterations, :func:`long_runs`); otherwise
    BYOL's is the view sweep's on ``cpu_capability`` (:func:`view_runs`) and
    LC-BYOL's the ``main`` stage's named after the kind of CPU
    (``lc-byol_lr-0.1_seed-2_cpu-avx512``)."""
    if long:
        runs = [run for seed in seeds for run in long_runs(lr, seed)]
    elif method == 'byol':
        runs = view_runs(lr, seeds, [], cpu_capability, ('recipe-views', ))
    else:
        runs = [
            replace(run, name=run.name + cpu_tag(cpu_capability))
            for run in stem_swap_bases(lr, seeds)
        ]
    return [
        replace(run, evaluations=('detection', )) for run in runs
        if run.method == method
    ]


def schedule_finetune_seed_runs(
    lr: float,
    seeds: List[int],
    finetune_seeds: List[int],
    detection_iters: List[int],
    cpu_capability: str,
    methods: Sequence[str] = ('byol', )) -> List[ToyRun]:
    """The ``schedule-finetune-seeds`` stage's runs: the start of each pair
    of :func:`detection_schedule_pairs` of ``methods``, fine-tuned for
    detection at each of ``detection_iters`` (length by length) under every
    seed of ``finetune_seeds`` but its own (none where that is the only
    one)."""
    return [
        replace(
            start,
            evaluations=sum(
                (reseeded_detections(start.seed, finetune_seeds,
                                     scheduled_evaluation('detection', iters))
                 for iters in detection_iters), ())) for start, _ in
        detection_schedule_pairs(lr, seeds, cpu_capability, methods)
    ]


def finetune_seed_runs(lr: float, seeds: List[int], finetune_seeds: List[int],
                       cpu_capability: str,
                       work_dir: str) -> Tuple[List[ToyRun], List[ToyRun]]:
    """The ``finetune-seeds`` stage's runs, ``(starts, networks)``: the
    runs of :func:`start_runs`, and those of their pretrained networks whose
    checkpoint is in ``work_dir`` followed by the networks' swaps of
    :data:`SEEDED_SWAPS` whose checkpoint is in ``work_dir`` (swap by swap),
    each to be fine-tuned for detection under every seed of
    ``finetune_seeds`` but its own (its plain ``detection`` is fine-tuned
    under that one)."""

    bases = stem_swap_bases(lr, seeds)
    swaps = [
        stem_swap_runs(run)[swap] for swap in SEEDED_SWAPS for run in bases
    ]
    networks = [run for run in bases + swaps if has_network(run, work_dir)]
    starts = start_runs(lr, seeds, cpu_capability)
    return (seeded_detection_runs(starts, finetune_seeds),
            seeded_detection_runs(networks, finetune_seeds))


def long_finetune_seed_runs(lr: float, seeds: List[int],
                            finetune_seeds: List[int],
                            work_dir: str) -> List[ToyRun]:
    """The ``long-finetune-seeds`` stage's runs: each network of
    :func:`long_runs` for ``seeds`` whose checkpoint is in ``work_dir``, seed
    by seed, fine-tuned for detection under every seed of ``finetune_seeds``
    but its own."""
    networks = [
        run for seed in seeds for run in long_runs(lr, seed)
        if has_network(run, work_dir)
    ]
    return seeded_detection_runs(networks, finetune_seeds)


def seeded_detection_runs(runs: List[ToyRun],
                          finetune_seeds: List[int]) -> List[ToyRun]:
    """Each of ``runs`` measuring fine-tuned detection only, under every
    seed of ``finetune_seeds`` but the run's own (its plain ``detection`` is
    fine-tuned under that one), in order; a run left with no seed is
    dropped."""
    seeded = [
        replace(
            run, evaluations=reseeded_detections(run.seed, finetune_seeds))
        for run in runs
    ]
    return [run for run in seeded if run.evaluations]


def reseeded_detections(seed: int,
                        finetune_seeds: Sequence[int],
                        evaluation: str = 'detection') -> Tuple[str, ...]:
    """Fine-tuned ``evaluation`` (``detection`` or a
    :func:`scheduled_evaluation` of it) under every seed of
    ``finetune_seeds`` but ``seed``, the run's own (the unseeded
    ``evaluation`` is fine-tuned under that one):
    ``('detection_finetune-seed-1', ...)``."""
    return tuple(
        seeded_evaluation(evaluation, finetune_seed)
        for finetune_seed in finetune_seeds if finetune_seed != seed)


def finetune_seed_values(
        records,
        evaluation: str = 'detection') -> Dict[str, Dict[str, object]]:
    """``{run: {'ap50': {fine-tuning seed: AP50}, 'cpu': ...}}`` of every
    run with a result of ``evaluation`` (``detection`` or a
    :func:`scheduled_evaluation` of it) under another fine-tuning seed than
    its own (:func:`toy_harness.seeded_evaluation`), with the one under its
    own seed (:func:`detection_by_finetune_seed`), in name order; ``cpu``
    names every kind of CPU the run's fine-tunings ran on; ``records`` are
    the study's result records (:func:`load_results`)."""
    cpus: Dict[str, Set[str]] = {}
    reseeded = set()
    for record in records:
        task, finetune_seed = parse_finetune_seed(record['task'])
        if task == evaluation:
            cpus.setdefault(record['method'], set()).add(
                record.get('cpu_capability', NOT_RECORDED).lower())
            if finetune_seed is not None:
                reseeded.add(record['method'])
    ap50 = detection_by_finetune_seed(records, evaluation)
    return {
        name:
        dict(
            ap50=dict(sorted(ap50[name].items())),
            cpu=', '.join(sorted(cpus[name])))
        for name in sorted(reseeded)
    }


def finetune_seed_table(values: Dict[str, Dict[str, object]]) -> str:
    """The markdown table of :func:`finetune_seed_values`: a row a run, its
    AP50 per fine-tuning seed and their mean ± sd."""
    lines = [
        '| run | CPU | fine-tuning seeds | det AP50 per fine-tuning seed | '
        'mean ± sd |', '|---|---|---|---|---|'
    ]
    for name, row in values.items():
        ap50 = row['ap50']
        lines.append(f'| {name} | {row["cpu"]} | ' +
                     ', '.join(str(seed) for seed in ap50) + ' | ' +
                     ', '.join(f'{value:.1f}' for value in ap50.values()) +
                     f' | {format_cell(list(ap50.values()))} |')
    return '\n'.join(lines) + '\n'


def start_pair_values(records) -> Dict[str, Dict[str, object]]:
    """``{start run: row}`` for every result of the ``starts`` stage (a
    network's start fine-tuned on each kind of CPU is a row of its own), in
    name order: the network's name, the start's AP50 and CPU, and the
    network's own AP50 and CPU where it has a detection result (``None``
    where not, and a CPU ``'not recorded'`` for records older than the
    field)."""
    detection = {
        record['method']: record
        for record in records if record['task'] == 'detection'
    }
    rows: Dict[str, Dict[str, object]] = {}
    for name in sorted(detection):
        match = START_DRAW.fullmatch(name)
        if not match:
            continue
        network = detection.get(match['network'])
        rows[name] = dict(
            network_name=match['network'],
            start=headline(detection[name]),
            start_cpu=match['cpu'],
            network=headline(network) if network else None,
            network_cpu=network.get('cpu_capability', 'not recorded').lower()
            if network else None)
    return rows


def start_pair_table(rows: Dict[str, Dict[str, object]]) -> str:
    """The markdown table of :func:`start_pair_values`: one row a start,
    with the difference network - start where both are measured."""
    lines = [
        '| network | its start: det AP50 | CPU | the network: det AP50 | '
        'CPU | network - start |', '|---|---|---|---|---|---|'
    ]
    for row in rows.values():
        measured = row['network'] is not None
        lines.append(f'| {row["network_name"]} | {row["start"]:.1f} | '
                     f'{row["start_cpu"]} | ' +
                     (f'{row["network"]:.1f} | {row["network_cpu"]} | '
                      f'{row["network"] - row["start"]:+.1f} |'
                      if measured else '- | - | - |'))
    return '\n'.join(lines) + '\n'


def data_tag(variant: str) -> str:
    return f'_data-{variant}'


def variant_root(data_root: str, variant: str) -> str:
    return f'{data_root.rstrip("/")}-{variant}'


def variant_data(data_root: str) -> Dict[str, str]:
    """``{variant: its data root}`` of :data:`DATA_VARIANTS`, each generated
    where it is missing."""
    return {
        variant:
        ensure_toy_dataset(variant_root(data_root, variant), options=options)
        for variant, options in DATA_VARIANTS.items()
    }


def data_runs(lr: float, variant: str, seed: int = 0) -> List[ToyRun]:
    """The random networks, BYOL and LC-BYOL on the ``variant`` data (the
    ceiling is :func:`ceiling_run` with the same tag)."""
    tag = data_tag(variant)
    runs = random_runs(seed, tag)
    for method in ('byol', 'lc-byol'):
        runs.append(
            ToyRun(f'{method}_lr-{lr:g}{tag}_seed-{seed}', method, seed,
                   {'optim_wrapper.optimizer.lr': lr}, SWEEP_EVALUATIONS))
    return runs


def pretrain_data_runs(lr: float,
                       variant: str,
                       pretrain_root: Optional[str] = None,
                       seed: int = 0) -> List[ToyRun]:
    """BYOL, then LC-BYOL, pretrained on the ``variant`` of
    :data:`PRETRAIN_DATA` (under ``pretrain_root``) and evaluated on the
    study's scenes."""
    return [
        ToyRun(f'{method}_lr-{lr:g}_pretrain-{variant}_seed-{seed}', method,
               seed, {'optim_wrapper.optimizer.lr': lr},
               SWEEP_EVALUATIONS + (CUES, ), pretrain_root)
        for method in ('byol', 'lc-byol')
    ]


def train_supervised_backbone(voc_root: str,
                              out_file: str,
                              iters: int = CEILING_ITERS,
                              batch_size: int = 32,
                              seed: int = 0) -> Dict:
    """Train the toy backbone end to end on the ``train`` split's label maps.

    A 1 x 1 classifier on the final stage [B, 512, 8, 8] gives per-cell logits,
    upsampled bilinearly to the 128 x 128 label map; per-pixel cross-entropy,
    AdamW (OPTIMIZER_SWEEP's), bfloat16 autocast where the CPU has native
    bfloat16 kernels (float32 elsewhere), random horizontal flips.
    The backbone is saved in the openmmlab layout (``state_dict`` of the
    ``ResNet``) and the classifier is dropped. The ``val`` split is never seen.

    Returns:
        dict: ``iters``, ``precision``, ``wall_time_s`` and the loss every 10
        iterations.
    """
    import numpy as np
    import torch
    import torch.nn.functional as F

    from mmlc.datasets import TOY_CLASSES
    from mmlc.engine import cpu_has_native_bfloat16
    from mmlc.evaluation import load_resnet
    from mmlc.evaluation.backbone import normalise
    from mmlc.evaluation.images import load_rgb
    from mmlc.evaluation.linear_probe import (load_label_maps,
                                              voc_segmentation_split)
    image_paths, label_paths = voc_segmentation_split(voc_root, 'train')
    images = torch.from_numpy(
        np.stack([load_rgb(p, TOY_SIZE) for p in image_paths]))
    images = images.permute(0, 3, 1, 2).contiguous()
    labels = load_label_maps(label_paths, TOY_SIZE)
    backbone = load_resnet(None, seed=seed, **TOY_BACKBONE)
    backbone.train()
    classifier = torch.nn.Conv2d(
        backbone.feat_dim, len(TOY_CLASSES) + 1, kernel_size=1)
    params = dict(OPTIMIZER_SWEEP['adamw-lr-0.001'])
    optimiser = getattr(torch.optim, params.pop('type'))(
        list(backbone.parameters()) + list(classifier.parameters()), **params)
    autocast = cpu_has_native_bfloat16()
    generator = torch.Generator().manual_seed(seed)
    curve, start = {'iter': [], 'loss': []}, time.perf_counter()
    for step in range(1, iters + 1):
        batch = torch.randint(len(images), (batch_size, ), generator=generator)
        flip = torch.rand(batch_size, generator=generator) < 0.5
        batch_images = torch.where(
            flip.view(-1, 1, 1, 1), images[batch].flip(-1), images[batch])
        batch_labels = torch.where(
            flip.view(-1, 1, 1), labels[batch].flip(-1), labels[batch])
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=autocast):
            logits = classifier(backbone(normalise(batch_images))[-1])
        loss = F.cross_entropy(
            F.interpolate(
                logits.float(),
                size=batch_labels.shape[-2:],
                mode='bilinear',
                align_corners=False),
            batch_labels,
            ignore_index=255)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if step % 10 == 0:
            curve['iter'].append(step)
            curve['loss'].append(round(loss.item(), 4))
    os.makedirs(osp.dirname(out_file), exist_ok=True)
    torch.save({'state_dict': backbone.state_dict()}, out_file)
    return dict(
        iters=iters,
        batch_size=batch_size,
        optimizer=OPTIMIZER_SWEEP['adamw-lr-0.001'],
        precision=BFLOAT16 if autocast else FLOAT32,
        wall_time_s=round(time.perf_counter() - start, 1),
        curves=curve)


def run_ceiling(data_root: str,
                work_dir: str,
                results_dir: str,
                run: ToyRun = ceiling_run()) -> None:
    """Train the supervised backbone of ``run`` (once) on ``data_root`` and
    run the sweep's evaluations on it."""
    seed = run.seed
    checkpoint = checkpoint_file(work_dir, run)
    if not osp.isfile(checkpoint):
        details = train_supervised_backbone(
            osp.join(data_root, 'VOCdevkit', 'VOC2007'), checkpoint, seed=seed)
        write_json(
            osp.join(results_dir, run.name, 'pretrain.json'),
            dict(
                task='pretrain',
                method=run.name,
                seed=seed,
                checkpoint=checkpoint,
                metrics={},
                date=time.strftime('%Y-%m-%d'),
                **details))
    run_toy(run, data_root, work_dir, results_dir)


def main_runs(lr: float, seeds: List[int]) -> List[ToyRun]:
    runs = []
    for seed in seeds:
        runs.append(random_run(seed, evaluations=RANDOM_EVALUATIONS))
        for method in ('byol', 'lc-byol'):
            runs.append(
                ToyRun(f'{method}_lr-{lr:g}_seed-{seed}', method, seed,
                       {'optim_wrapper.optimizer.lr': lr}, STUDY_EVALUATIONS))
    return runs


def alpha_runs(lr: float) -> List[ToyRun]:
    return [
        ToyRun(f'lc-byol_alpha-{alpha:g}_lr-{lr:g}_seed-0', 'lc-byol', 0, {
            'optim_wrapper.optimizer.lr': lr,
            'model.local_branch.alpha': alpha
        }, SWEEP_EVALUATIONS) for alpha in ALPHA_SWEEP
    ]


def has_network(run: ToyRun, work_dir: str) -> bool:
    """Whether ``run``'s network exists without training: a random one, or
    its checkpoint in ``work_dir``."""
    return run.method == RANDOM_INIT or osp.isfile(
        checkpoint_file(work_dir, run))


def movement_runs(lr: float, seeds: List[int], work_dir: str) -> List[ToyRun]:
    """The ``movement`` stage's runs: every pretrained network of the main,
    lars and long stages of ``seeds`` whose checkpoint is in ``work_dir``,
    measuring :data:`WEIGHT_MOVEMENT` only."""
    runs = main_runs(lr, seeds) + lars_runs() + [
        run for seed in seeds for run in long_runs(lr, seed)
    ]
    return [
        replace(run, evaluations=(WEIGHT_MOVEMENT, )) for run in runs
        if run.method != RANDOM_INIT and has_network(run, work_dir)
    ]


def stem_swap_bases(lr: float, seeds: List[int]) -> List[ToyRun]:
    """The pretrained networks of ``main`` for ``seeds`` that the
    ``stem-swap`` stage takes apart, seed by seed, BYOL first."""
    return [run for run in main_runs(lr, seeds) if run.method != RANDOM_INIT]


def stem_swap_runs(run: ToyRun) -> Dict[str, ToyRun]:
    """``{swap: run}`` of the networks made of the pretrained ``run``,
    fine-tuned for detection only: ``as-pretrained`` is ``run`` itself (so
    every swap comes from the same pretraining, even where the stage had to
    pretrain ``run`` again), ``norm-reset`` is ``run`` with every BN layer
    (weight, bias and running statistics) put back to the weights its
    pretraining started from, ``stem-reset`` is ``run`` with its stem
    (:data:`STEM`) put back to the weights its pretraining started from,
    ``start`` is those weights, ``start-trained-stem`` is those weights with
    ``run``'s pretrained stem, ``stem-rescaled`` is ``run`` with each of its
    stem's kernels scaled to that kernel's norm in the start (and bn1's
    running statistics to match: the same function,
    :func:`mmlc.converters.match_kernel_norms`)."""
    return {
        swap:
        replace(run, name=f'{run.name}_{swap}', evaluations=('detection', ))
        for swap in STEM_SWAPS
    }


def stem_swap_backbones(
        pretrained: Dict[str, torch.Tensor],
        start: Dict[str, torch.Tensor]) -> Dict[str, Dict[str, torch.Tensor]]:
    """The backbones of :func:`stem_swap_runs` from the ``pretrained`` one
    and the ``start`` it was pretrained from, each with ``pretrained``'s keys
    (BN running statistics travel with their module)."""
    modules = sorted({name.split('.')[0] for name in pretrained})
    start = graft_modules(pretrained, start, modules)
    return {
        'as-pretrained': dict(pretrained),
        'norm-reset': graft_modules(pretrained, start,
                                    norm_modules(pretrained)),
        'stem-reset': graft_modules(pretrained, start, STEM),
        'start': start,
        'start-trained-stem': graft_modules(start, pretrained, STEM),
        'stem-rescaled': match_kernel_norms(pretrained, start, *STEM)
    }


def run_stem_swap(run: ToyRun, data_root: str, work_dir: str, results_dir: str,
                  budget: ToyBudget) -> None:
    """Fine-tune each network of :func:`stem_swap_runs` without a result for
    detection, pretraining ``run`` first where its checkpoint is not in
    ``work_dir``.

    A pretraining again of a network that already has a ``pretrain.json``
    (the one its evaluations were measured on) records itself in the
    ``as-pretrained`` run's folder and leaves that record as it is. Where the
    ``as-pretrained`` run already records a pretraining and the checkpoint is
    not in ``work_dir``, the missing swaps would come from a third
    pretraining, not from the one the others were made of: ``run`` is left
    out with a message that names the record."""
    swap_runs = stem_swap_runs(run)
    swaps = {
        swap: swap_run
        for swap, swap_run in swap_runs.items()
        if not osp.isfile(result_file(results_dir, swap_run, 'detection'))
    }
    if not swaps:
        return
    again_record = result_file(results_dir, swap_runs['as-pretrained'],
                               'pretrain')
    if (osp.isfile(again_record)
            and not osp.isfile(checkpoint_file(work_dir, run))):
        print(
            f'stem-swap: {run.name} left out: {", ".join(swaps)} would '
            f'come from another pretraining than the one {again_record} '
            f'records, whose checkpoint is not in {work_dir}',
            flush=True)
        return
    measured = osp.isfile(result_file(results_dir, run, 'pretrain'))
    checkpoint = pretrained_backbone(
        run,
        data_root,
        work_dir,
        results_dir,
        budget,
        record_run=swap_runs['as-pretrained'] if measured else run)
    backbones = stem_swap_backbones(
        torch.load(checkpoint, map_location='cpu')['state_dict'],
        start_backbone(run, data_root, work_dir))
    for swap, swap_run in swaps.items():
        save_torch(
            backbone_to_target(backbones[swap], 'openmmlab'),
            checkpoint_file(work_dir, swap_run))
        run_toy(swap_run, data_root, work_dir, results_dir, budget)


def cue_runs(lr: Optional[float], data_root: str,
             work_dir: str) -> List[Tuple[ToyRun, str]]:
    """``(run, its data root)`` for the ``cues`` stage: the random networks
    and every seed-0 network of the diagnostic, data, pretrain-data, momentum
    and long stages whose checkpoint is in ``work_dir`` (the stage trains
    nothing; every network is probed on the data it is evaluated on)."""
    runs = [(run, data_root) for run in random_runs()]
    runs += [
        (run, data_root)
        for run in optimizer_runs() + [ceiling_run()] + transformer_runs()
    ]
    if lr is not None:
        runs += [(run, data_root) for run in main_runs(lr, [0])[1:] +
                 longer_runs(lr) + long_runs(lr) + momentum_runs(lr) + [
                     run for variant in PRETRAIN_DATA
                     for run in pretrain_data_runs(lr, variant)
                 ]]
        for variant in DATA_VARIANTS:
            root = variant_root(data_root, variant)
            runs += [(run, root) for run in data_runs(lr, variant) +
                     [ceiling_run(data_tag=data_tag(variant))]]
    return [(replace(run, evaluations=(CUES, )), root) for run, root in runs
            if has_network(run, work_dir)]


def frozen_schedule_runs(lr: float, seeds: List[int]) -> List[ToyRun]:
    """The ``frozen-schedule`` stage's networks, seed by seed, the most
    telling first: the random ones, then the long and main runs of the seed,
    and the seed-0 ceiling last (the stage measures those whose checkpoint is
    in --work-dir)."""
    runs = []
    for seed in seeds:
        runs += random_runs(seed) + long_runs(lr, seed) + main_runs(
            lr, [seed])[1:]
    return runs + [ceiling_run()]


def detector_stride_runs(lr: float, seeds: List[int]) -> List[ToyRun]:
    """The ``detector-stride`` stage's runs: every network of ``main`` for
    ``seeds``, seed by seed, with the stride-16 detection only."""
    return [
        replace(run, evaluations=(DETECTION_D16, ))
        for run in main_runs(lr, seeds)
    ]


def detector_stride_values(records, lr: float,
                           seeds: List[int]) -> Dict[str, Dict[str, float]]:
    """``{run name: {evaluation: AP50}}`` at both layer4 strides of the
    networks of :func:`detector_stride_runs` that have a stride-16 result."""
    names = [run.name for run in detector_stride_runs(lr, seeds)]
    return {
        name: row
        for name, row in named_values(
            records, names, DETECTOR_STRIDES).items() if DETECTION_D16 in row
    }


def stem_swap_values(records, lr: float,
                     seeds: List[int]) -> Dict[str, Dict[str, float]]:
    """``{run name: {'detection': AP50}}`` for every network of
    :func:`stem_swap_bases` with a ``stem-swap`` result: its seed's random
    network, the network, then what the stage made of it."""
    names: List[str] = []
    for base in stem_swap_bases(lr, seeds):
        swaps = [run.name for run in stem_swap_runs(base).values()]
        if not named_values(records, swaps, ('detection', )):
            continue
        random_name = random_run(base.seed).name
        names += [random_name] if random_name not in names else []
        names += [base.name] + swaps
    return named_values(records, names, ('detection', ))


def own_seed_records(records) -> List[Dict]:
    """The records of ``records`` trained under their run's own seed (whose
    task names no fine-tuning seed, :func:`toy_harness.seeded_evaluation`).
    """
    return [
        record for record in records
        if parse_finetune_seed(record['task'])[1] is None
    ]


def reseeded_detection_lengths(records) -> List[int]:
    """The lengths (:func:`scheduled_evaluation`) at which some run of
    ``records`` was fine-tuned for detection under another seed than its
    own, in order."""
    lengths = set()
    for record in records:
        task, finetune_seed = parse_finetune_seed(record['task'])
        evaluation, iters = parse_evaluation(task)
        if finetune_seed is not None and evaluation == 'detection' and iters:
            lengths.add(iters)
    return sorted(lengths)


def schedule_values(records, names: List[str],
                    evaluation: str) -> Dict[str, Dict[int, float]]:
    """``{run name: {iterations: headline}}`` of ``evaluation`` (a key of
    :data:`DOWNSTREAM_CONFIGS`) for the runs of ``names`` that were trained
    for another length than its config's (:func:`scheduled_evaluation`), in
    the order of ``names``; their result of the config's own length is
    listed at its iterations."""
    values: Dict[str, Dict[Optional[int], float]] = {}
    for record in own_seed_records(records):
        base_evaluation, iters = parse_evaluation(record['task'])
        if base_evaluation == evaluation and record['method'] in names:
            values.setdefault(record['method'], {})[iters] = headline(
                dict(record, task=evaluation))
    config = osp.join(REPO_ROOT, DOWNSTREAM_CONFIGS[evaluation][0])
    config_iters = Config.fromfile(config).train_cfg.max_iters
    return {
        name: {
            config_iters if iters is None else iters: value
            for iters, value in values[name].items()
        }
        for name in names if any(
            iters is not None for iters in values.get(name, {}))
    }


def frozen_schedule_values(records, lr: float,
                           seeds: List[int]) -> Dict[str, Dict[int, float]]:
    """:func:`schedule_values` of frozen segmentation (mIoU) for the
    networks of :func:`frozen_schedule_runs` of ``seeds``."""
    return schedule_values(
        records, [run.name for run in frozen_schedule_runs(lr, seeds)],
        'frozen-seg')


def detection_schedule_values(
        records, lr: float,
        seeds: List[int]) -> Dict[str, List[Dict[str, object]]]:
    """``{cpu: [row per pair]}`` of the ``detection-schedule`` stage: each
    pair of :func:`detection_schedule_pairs` of every
    :data:`SCHEDULE_METHODS`, the recipe's networks, then the long ones, on
    a kind of CPU a scheduled detection ran on, with ``method``,
    ``pretraining`` (``recipe`` or its iterations), ``seed``, ``start`` and
    ``network`` (``{iterations: AP50}``, :func:`schedule_values`), where both
    have a longer result."""
    cpus = sorted({
        record.get('cpu_capability', NOT_RECORDED)
        for record in own_seed_records(records)
        if (task := parse_evaluation(record['task']))[0] == 'detection'
        and task[1] is not None
    })
    values: Dict[str, List[Dict[str, object]]] = {}
    for cpu in cpus:
        pairs = [(long, pair) for long in (False, True)
                 for pair in detection_schedule_pairs(lr, seeds, cpu,
                                                      SCHEDULE_METHODS, long)]
        ap50 = schedule_values(records,
                               [run.name for _, pair in pairs for run in pair],
                               'detection')
        for long, (start, network) in pairs:
            if start.name in ap50 and network.name in ap50:
                values.setdefault(cpu.lower(), []).append(
                    dict(
                        method=start.method,
                        pretraining=f'{LONG_ITERS} it.' if long else 'recipe',
                        seed=start.seed,
                        start=ap50[start.name],
                        network=ap50[network.name]))
    return values


def detection_schedule_table(rows: List[Dict[str, object]]) -> str:
    """A row per pair (method, pretraining and seed): the start's AP50, the
    network's and the difference at every length either was fine-tuned
    for."""
    lengths = sorted({
        iters
        for row in rows
        for side in ('start', 'network')
        for iters in row[side]
    })
    lines = [
        '| method | pretraining | seed | ' +
        ' | '.join(f'start, network, difference at {iters} it.'
                   for iters in lengths) + ' |',
        '|' + '---|' * (len(lengths) + 3)
    ]
    for row in rows:
        cells = []
        for iters in lengths:
            start, network = row['start'].get(iters), row['network'].get(iters)
            cells.append('-' if start is None or network is None else
                         f'{start:.1f}, {network:.1f}, {network - start:+.1f}')
        lines.append(f'| {row["method"]} | {row["pretraining"]} | '
                     f'{row["seed"]} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def frozen_schedule_table(values: Dict[str, Dict[int, float]]) -> str:
    """A row per network, a column per number of iterations."""
    lengths = sorted({iters for row in values.values() for iters in row})
    lines = [
        '| run | ' + ' | '.join(f'{iters} it.' for iters in lengths) + ' |',
        '|' + '---|' * (len(lengths) + 1)
    ]
    for name, row in values.items():
        cells = [f'{row[i]:.1f}' if i in row else '-' for i in lengths]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def cue_values(results_dir: str) -> Dict[str, Dict[str, float]]:
    """``{run name: {cue: accuracy}}`` of every ``cues`` result, in the order
    of the result files."""
    return {
        record['method']: record['metrics']
        for record in load_results([results_dir]) if record['task'] == CUES
    }


def movement_values(results_dir: str,
                    key: str = 'stages') -> Dict[str, Dict[str, Dict]]:
    """``{run name: {stage: {'cosine', 'change', ...}}}`` of every
    :data:`WEIGHT_MOVEMENT` result, in the order of the result files; with
    ``key='norm_stages'``, ``{run name: {stage: {'weight_mean', ...}}}`` of
    those that measured their BN layers."""
    return {
        record['method']: record[key]
        for record in load_results([results_dir])
        if record['task'] == WEIGHT_MOVEMENT and key in record
    }


def stage_table(values: Dict[str, Dict[str, Dict]], cell) -> str:
    """One row per network, one column per stage: ``cell(values of the
    stage)``, or ``-`` where the network lacks the stage."""
    stages = list(
        dict.fromkeys(s for stages in values.values() for s in stages))
    lines = [
        '| run | ' + ' | '.join(stages) + ' |',
        '|' + '---|' * (len(stages) + 1)
    ]
    for name, moved in values.items():
        cells = [
            cell(moved[stage]) if stage in moved else '-' for stage in stages
        ]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def movement_table(values: Dict[str, Dict[str, Dict]]) -> str:
    """One row per network: each stage's mean kernel cosine to the start
    and, in brackets, its mean relative change."""
    return stage_table(
        values, lambda moved: f'{moved["cosine"]:.3f} ({moved["change"]:.2f})')


def norm_movement_table(values: Dict[str, Dict[str, Dict]]) -> str:
    """One row per network: each stage's BN layers' mean weight, and the root
    mean square of how far their weights and biases moved."""
    return stage_table(
        values, lambda moved: ' / '.join(f'{moved[key]:.3f}' for key in (
            'weight_mean', 'weight_shift', 'bias_shift')))


# the columns of the stem filter table: filter_bank_summary's keys and labels
STEM_FILTER_COLUMNS = (('effective_rank', 'effective rank',
                        '{:.1f}'), ('top3_variance', 'top-3 share', '{:.2f}'),
                       ('flat_share', 'flat share', '{:.2f}'),
                       ('channel_mean_share', 'channel-mean share', '{:.2f}'))


def stem_filter_table(values: Dict[str, Dict[str, Dict]]) -> str:
    """One row per network: each value of its stem's filter bank
    (:func:`mmlc.evaluation.filter_bank_summary`) at the start and after
    pretraining, as ``start -> trained``."""
    lines = [
        '| run | ' + ' | '.join(label
                                for _, label, _ in STEM_FILTER_COLUMNS) + ' |',
        '|' + '---|' * (len(STEM_FILTER_COLUMNS) + 1)
    ]
    for name, filters in values.items():
        cells = [
            f'{form.format(filters["start"][key])} -> '
            f'{form.format(filters["trained"][key])}'
            for key, _, form in STEM_FILTER_COLUMNS
        ]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def stem_input_table(values: Dict[str, Dict[str, float]]) -> str:
    """One row per network: its ``stem_input_subspace`` (see
    :func:`toy_harness.stem_input_subspace`), ``-`` for an update that did
    not move."""
    lines = [
        '| run | patches\' energy in the top 3 | stem at the start | '
        'after pretraining | the update |', '|---|---|---|---|---|'
    ]
    for name, subspace in values.items():
        cells = [
            '-' if subspace[key] is None else f'{subspace[key]:.3f}'
            for key in ('patch_share', 'start', 'trained', 'update')
        ]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


# the cue table's columns: (key of a ``cues`` result's metrics, title, format)
CUE_COLUMNS = tuple(
    (cue, f'{cue} acc', '{:.1f}')
    for cue in OBJECT_CUES) + (('same_scene', 'same-scene cos', '{:.2f}'),
                               ('other_scenes', 'other-scene cos', '{:.2f}'))
# the ``long-colour`` section's columns: the long stage's evaluations,
# detection averaged over fine-tuning seeds and their number, the cues and
# the late pretraining loss (see long_colour_values)
LONG_COLOUR_COLUMNS = tuple(
    (evaluation, HEADLINE[evaluation][2], '{:.1f}')
    for evaluation in LONG_EVALUATIONS if evaluation in HEADLINE) + (
        ('fine-tunings', 'fine-tunings', '{:d}'), ) + CUE_COLUMNS[:-1] + (
            ('late_loss', 'late loss', '{:.2f}'), )


def column_table(values: Dict[str, Dict[str, float]],
                 columns: Sequence[Tuple[str, str, str]]) -> str:
    """One row per network of ``values``, one column per ``(key, title,
    format)`` of ``columns``: the network's value of ``key``, ``-`` where it
    has none."""
    lines = [
        '| run | ' + ' | '.join(title for _, title, _ in columns) + ' |',
        '|' + '---|' * (len(columns) + 1)
    ]
    for name, metrics in values.items():
        cells = [
            form.format(metrics[key]) if key in metrics else '-'
            for key, _, form in columns
        ]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def cue_table(values: Dict[str, Dict[str, float]]) -> str:
    """One row per network: each cue's probe accuracy and, where measured,
    the same-scene and other-scene cosine similarities of its objects."""
    return column_table(values, CUE_COLUMNS)


def sweep_values(records) -> Dict[float, Dict[str, float]]:
    """``{lr: {evaluation: value}}`` of the learning-rate sweep's runs and
    of its extension's."""
    names = {lr_run(lr).name: lr for lr in LR_SWEEP + LR_EXTENSION}
    values: Dict[float, Dict[str, float]] = {}
    for record in records:
        if record['method'] in names:
            values.setdefault(names[record['method']],
                              {})[record['task']] = headline(record)
    return values


def chosen_lr(records) -> Optional[float]:
    """The sweep's learning rate with BYOL's best frozen-segmentation mIoU,
    once every sweep run has that result (None before)."""
    values = sweep_values(records)
    if any('frozen-seg' not in values.get(lr, {}) for lr in LR_SWEEP):
        return None
    return max(LR_SWEEP, key=lambda lr: values[lr]['frozen-seg'])


def extended_lr(records) -> Optional[float]:
    """The learning rate the sweep and its extension (:data:`LR_EXTENSION`)
    choose together, once both have every frozen-segmentation result and the
    chosen rate has it for two seeds or more (None before).

    The sweep's choice stays unless a rate of the extension beats its seed-0
    frozen-segmentation mIoU by more than the sd of that mIoU over the seeds
    BYOL has at the chosen rate (the main comparison's); of several such, the
    best."""
    chosen = chosen_lr(records)
    values = sweep_values(records)
    if chosen is None or any('frozen-seg' not in values.get(lr, {})
                             for lr in LR_EXTENSION):
        return None
    over_seeds = [
        headline(record) for record in records
        if record['task'] == 'frozen-seg'
        and record['method'] == lr_run(chosen, record['seed']).name
    ]
    if len(over_seeds) < 2:
        return None
    noise = mean_sd(over_seeds)[1]
    reference = values[chosen]['frozen-seg']
    better = [
        lr for lr in LR_EXTENSION
        if values[lr]['frozen-seg'] - reference > noise
    ]
    return max(better, key=lambda lr: values[lr]['frozen-seg'], default=chosen)


def alpha_points(records, lr: float) -> Dict[float, Dict[str, float]]:
    """``{alpha: {evaluation: value}}`` on seed 0 (0: BYOL; 0.1: the main
    LC-BYOL run)."""
    names = {
        run.name: alpha
        for run, alpha in zip(alpha_runs(lr), ALPHA_SWEEP)
    }
    names[f'byol_lr-{lr:g}_seed-0'] = 0.0
    names[f'lc-byol_lr-{lr:g}_seed-0'] = PAPER_ALPHA
    points: Dict[float, Dict[str, float]] = {}
    for record in records:
        if record['method'] in names and record['task'] in SWEEP_EVALUATIONS:
            points.setdefault(names[record['method']],
                              {})[record['task']] = headline(record)
    return points


def named_values(records,
                 names: List[str],
                 evaluations=SWEEP_EVALUATIONS) -> Dict[str, Dict[str, float]]:
    """``{run name: {evaluation: value}}`` of the runs ``names``, in that
    order, for ``evaluations``."""
    values: Dict[str, Dict[str, float]] = {}
    for record in records:
        if record['method'] in names and record['task'] in evaluations:
            values.setdefault(record['method'],
                              {})[record['task']] = headline(record)
    return {name: values[name] for name in names if name in values}


def diagnostic_values(records,
                      lr: Optional[float]) -> Dict[str, Dict[str, float]]:
    """``{run name: {evaluation: value}}`` of seed 0's runs that bound the
    benchmark: the random networks, the SGD runs at ``lr``, the optimiser
    sweep and the supervised ceiling."""
    names = [run.name for run in random_runs()]
    if lr is not None:
        names += [
            f'{method}_lr-{lr:g}_seed-0' for method in ('byol', 'lc-byol')
        ] + [run.name for run in reversed(longer_runs(lr))
             ] + [run.name for run in reversed(long_runs(lr))]
    names += [run.name for run in optimizer_runs()] + [ceiling_run().name]
    return named_values(records, names)


def host_values(records, lr: Optional[float]) -> Dict[str, Dict[str, float]]:
    """``{run name: {evaluation: value}}`` of the ``hosts`` stage."""
    if lr is None:
        return {}
    names = [run.name for run in host_runs(lr)]
    return named_values(records, names)


def data_values(records, lr: Optional[float]) -> Dict[str, Dict[str, float]]:
    """``{run name: {evaluation: value}}`` of the ``data`` stage's runs,
    variant by variant."""
    if lr is None:
        return {}
    names = []
    for variant in DATA_VARIANTS:
        names += [run.name for run in data_runs(lr, variant)]
        names.append(ceiling_run(data_tag=data_tag(variant)).name)
    return named_values(records, names)


def stage_values(records,
                 stage_runs: List[ToyRun],
                 reference_runs: List[ToyRun],
                 evaluations=SWEEP_EVALUATIONS) -> Dict[str, Dict[str, float]]:
    """``{run name: {evaluation: value}}`` of ``reference_runs``, then
    ``stage_runs``; empty until one of ``stage_runs`` has a result."""
    names = [run.name for run in stage_runs]
    if not named_values(records, names, evaluations):
        return {}
    return named_values(records, [run.name for run in reference_runs] + names,
                        evaluations)


def pretrain_data_markdown() -> str:
    return '\n'.join(
        f'- `{name}`: {num_images} images, {options.to_dict()}'
        for name, (options, num_images) in PRETRAIN_DATA.items()) + '\n'


def data_variants_markdown() -> str:
    return '\n'.join(f'- `{name}`: {options.to_dict()}'
                     for name, options in DATA_VARIANTS.items()) + '\n'


def _table(rows: Dict, key_name: str, evaluations) -> str:
    lines = [
        f'| {key_name} | ' + ' | '.join(HEADLINE[e][2]
                                        for e in evaluations) + ' |',
        '|' + '---|' * (len(evaluations) + 1)
    ]
    numeric = all(not isinstance(key, str) for key in rows)
    for key in sorted(rows) if numeric else rows:
        cells = [
            f'{rows[key][e]:.1f}' if e in rows[key] else '-'
            for e in evaluations
        ]
        lines.append(f'| {key:g} | ' if numeric else f'| {key} | ')
        lines[-1] += ' | '.join(cells) + ' |'
    return '\n'.join(lines) + '\n'


def _loss_curves(results_dir: str,
                 lr: float) -> Dict[str, Dict[str, List[float]]]:
    curves = {}
    for method in ('byol', 'lc-byol'):
        path = osp.join(results_dir, f'{method}_lr-{lr:g}_seed-0',
                        'pretrain.json')
        if osp.isfile(path):
            with open(path, encoding='utf-8') as f:
                curves[GROUPS[method]] = json.load(f)['curves']
    return curves


def correspondence_figure(work_dir: str, data_root: str, lr: float,
                          out_file: str) -> bool:
    """The paper's Fig. 4 on the toy data: one validation image and its flipped
    copy, matched by the seed-0 BYOL and LC-BYOL backbones side by side. Needs
    their checkpoints under ``work_dir``; returns whether it drew the
    picture."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mmlc.evaluation import load_resnet
    from mmlc.evaluation.images import list_images
    from mmlc.evaluation.visualize import draw_correspondence, make_view_pair
    checkpoints = {
        method: osp.join(work_dir, 'checkpoints',
                         f'{method}_lr-{lr:g}_seed-0.pth')
        for method in ('byol', 'lc-byol')
    }
    if not all(osp.isfile(path) for path in checkpoints.values()):
        return False
    image = list_images(osp.join(data_root, 'imagenet', 'val'))[0]
    pair = make_view_pair(image, 'flip', TOY_SIZE, seed=0)
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.6), dpi=100)
    for ax, (method, checkpoint) in zip(axes, checkpoints.items()):
        single = osp.join(
            osp.dirname(out_file), f'correspondence_{method}.png')
        accuracy = draw_correspondence(
            load_resnet(checkpoint, **TOY_BACKBONE), pair, single)
        ax.imshow(plt.imread(single))
        ax.set_title(
            f'{GROUPS[method]}: {100 * accuracy:.0f}% of cells matched to the '
            'mirrored cell',
            fontsize=9)
        ax.axis('off')
        os.remove(single)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)
    return True


def long_comparison(records, lr: float, seeds: List[int],
                    results_dir: str) -> List[str]:
    """The report's section on the ``long`` stage: its networks and the
    random ones of ``seeds``, mean ± sd over the seeds measured, each claim
    of the paper checked, and the bar chart ``study-long.png``; nothing
    before the first long run has a result."""
    groups = {
        run.name: GROUPS[run.method]
        for seed in seeds
        for run in long_runs(lr, seed) + [random_run(seed)]
    }
    values = group_values(records, groups)
    pretrained = [GROUPS[method] for method in ('byol', 'lc-byol')]
    if not any(group in values for group in pretrained):
        return []
    order = list(GROUPS.values())
    evaluations = [e for e in LONG_EVALUATIONS if e in HEADLINE]
    bar_chart(
        values,
        order,
        osp.join(results_dir, 'study-long.png'),
        f'toy study, {LONG_ITERS} pretraining iterations, lr {lr:g}, '
        f'seeds {seeds} (toy scale, CPU)',
        evaluations=evaluations)
    return comparison_markdown(
        values, f'Main comparison at {LONG_ITERS} pretraining iterations '
        '(mean ± sd over seeds)', evaluations)


def comparison_markdown(values: Dict[str, Dict[str, List[float]]],
                        title: str,
                        evaluations: Optional[List[str]] = None) -> List[str]:
    """A comparison section: ``title``, the table of ``values`` (groups of
    :data:`GROUPS`, mean ± sd) and the paper-ordering verdict, a line per
    claim."""
    verdict = paper_ordering(
        values, lc='LC-BYOL', byol='BYOL', random='random init')
    return [
        f'## {title}\n',
        summary_markdown(values, list(GROUPS.values()), evaluations),
        '\n'.join(f'- {sentence}' for sentence in verdict) + '\n'
    ]


def runs_in_precision(results: List[Dict], precision: str) -> List[Dict]:
    """The records of ``results`` whose network trained in ``precision``,
    sorted by name. Records written before 2026-11-30 have no ``precision``;
    they were all bfloat16 autocast."""
    return sorted(
        (record for record in results if record.get('precision') == precision),
        key=lambda record: record['method'])


def sittings_text(sittings: List[Dict]) -> str:
    """``from iteration 0: float32 on AVX2, from iteration 250: ...``"""
    return ', '.join(
        f'from iteration {sitting["from_iter"]}: {sitting["precision"]}' +
        (f' on {sitting["cpu_capability"]}'
         if sitting['cpu_capability'] else '') for sitting in sittings)


def precision_markdown(results: List[Dict]) -> List[str]:
    """The report's section naming the networks that did not train in the
    toy recipe's bfloat16 autocast throughout: in float32 (on a CPU without
    native bfloat16 kernels ``CPUAutocastOptimWrapper`` falls back to it), in
    both (resumed on the other kind of CPU), or not recorded in whole or in
    part, each with its sittings where known; nothing while there are
    none."""
    lines = []
    float32 = runs_in_precision(results, FLOAT32)
    if float32:
        lines.append(
            'Trained in float32, on a CPU without native bfloat16 kernels: ' +
            ', '.join(f'`{record["method"]}`' for record in float32) + '.')
    mixed = runs_in_precision(results, MIXED)
    if mixed:
        lines.append(
            'Resumed on another kind of CPU, so trained partly in each '
            'precision: ' + '; '.join(
                f'`{record["method"]}` ({sittings_text(record["sittings"])})'
                for record in mixed) + '.')
    unknown = runs_in_precision(results, NOT_RECORDED)
    if unknown:
        lines.append('Precision not recorded, in whole or in part: ' +
                     ', '.join(f'`{record["method"]}`' +
                               (f' ({sittings_text(record["sittings"])})'
                                if record.get('sittings') else '')
                               for record in unknown) + '.')
    if not lines:
        return []
    return [
        '## Precision\n', ' '.join(lines) +
        ' Every other trained network ran its forward pass in bfloat16 '
        'autocast; set them side by side with that in mind.\n'
    ]


def byol_references(lr: float) -> List[ToyRun]:
    """The rows BYOL's seed-0 optimiser runs are set beside: the random
    network of seed 0 and the recipe's BYOL of seed 0 at ``lr``."""
    return [random_run(0)
            ] + [run for run in main_runs(lr, [0]) if run.method == 'byol']


def lr_extension_markdown(records, lr: Optional[float]) -> List[str]:
    """The report's section on the ``lr-extension`` stage once one of its
    runs has a result: its runs beside the random network and the recipe's
    BYOL of seed 0, and the rate :func:`extended_lr` chooses."""
    rows = stage_values(records, lr_extension_runs(), byol_references(lr),
                        LARS_EVALUATIONS) if lr else {}
    if not rows:
        return []
    choice = extended_lr(records)
    rates = ', '.join(f'{rate:g}' for rate in LR_EXTENSION)
    if choice is None:
        verdict = ('not decided yet: a rate of it, or a second seed of BYOL '
                   'at the chosen rate, has no frozen segmentation')
    elif choice == lr:
        verdict = f'the recipe\'s rate stays {lr:g}'
    else:
        verdict = f'the recipe\'s rate moves from {lr:g} to {choice:g}'
    return [
        f'## Above the sweep: SGD at {rates} (BYOL, seed 0)\n',
        _table(rows, 'run', LARS_EVALUATIONS),
        'A rate above the sweep replaces its choice only if its frozen '
        'segmentation beats the chosen rate\'s by more than that rate\'s sd '
        f'over BYOL\'s seeds: {verdict}.\n'
    ]


def report(results_dir: str,
           seeds: List[int],
           work_dir: Optional[str] = None,
           data_root: Optional[str] = None) -> str:
    """study.md plus study.png, alpha.png, losses.png (and, where the seed-0
    checkpoints are in ``work_dir``, correspondence.png) under
    ``results_dir``."""
    results = load_results([results_dir])
    records = load_toy_records(results_dir)
    lr = chosen_lr(records)
    sections = [
        '# Toy study results\n', *precision_markdown(results),
        '## Learning-rate sweep (BYOL, seed 0)\n',
        _table(sweep_values(records), 'lr', SWEEP_EVALUATIONS),
        f'Chosen: {lr if lr is not None else "(sweep not finished)"}\n',
        *lr_extension_markdown(records, lr),
        '## What bounds the benchmark (seed 0)\n',
        _table(diagnostic_values(records, lr), 'run', SWEEP_EVALUATIONS)
    ]
    host_rows = host_values(records, lr)
    if host_rows:
        sections += [
            f'## The local branch on other hosts (seed 0, {HOSTS_ITERS} '
            'iterations each)\n',
            _table(host_rows, 'run', ('correspondence', ))
        ]
    transformer_rows = named_values(records,
                                    [run.name for run in transformer_runs()])
    if transformer_rows:
        sections += [
            '## DINO and LC-DINO on a small Swin (seed 0, '
            f'{TRANSFORMER_ITERS} iterations each)\n',
            _table(transformer_rows, 'run', ('correspondence', ))
        ]
    variant_rows = data_values(records, lr)
    if variant_rows:
        sections += [
            '## Easier data (seed 0)\n',
            'The study\'s data is `ToySceneOptions()` '
            f'({ToySceneOptions().to_dict()}); the variants:\n',
            data_variants_markdown(),
            _table(variant_rows, 'run', SWEEP_EVALUATIONS)
        ]
    lars_rows = stage_values(records, lars_runs(), byol_references(lr),
                             LARS_EVALUATIONS) if lr else {}
    if lars_rows:
        sections += [
            '## BYOL with LARS, the paper\'s optimiser (seed 0)\n',
            f'`byol_lr-{lr:g}_seed-0` is the recipe (SGD); the others train '
            'with LARS (momentum 0.9, weight decay 1e-6, BN, biases and '
            'shortcut BNs excluded) at the learning rate in their name.\n',
            _table(lars_rows, 'run', LARS_EVALUATIONS)
        ]
    momentum_rows = stage_values(
        records, momentum_runs(lr),
        [run
         for run in main_runs(lr, [0]) if run.method == 'byol']) if lr else {}
    if momentum_rows:
        sections += [
            '## Target momentum (BYOL, seed 0)\n',
            'The recipe\'s base momentum is 0.996 '
            f'(`byol_lr-{lr:g}_seed-0`); the others override '
            '`model.base_momentum` (1 - tau).\n',
            _table(momentum_rows, 'run', SWEEP_EVALUATIONS)
        ]
    pretrain_rows = stage_values(records, [
        run for variant in PRETRAIN_DATA
        for run in pretrain_data_runs(lr, variant)
    ], main_runs(lr, [0])) if lr else {}
    if pretrain_rows:
        sections += [
            '## Pretrained on other data, evaluated on the study\'s scenes '
            '(seed 0)\n', 'The pretraining data:\n',
            pretrain_data_markdown(),
            _table(pretrain_rows, 'run', SWEEP_EVALUATIONS)
        ]
    sweep_seeds = [seed for seed in seeds if seed not in VIEW_CONFIRM_SEEDS]
    for cpu, view_values in (view_sweep_values(records, lr, sweep_seeds)
                             if lr else {}).items():
        num_seeds = min(
            len(values.get(VIEW_CRITERION, []))
            for values in view_values.values())
        choice = chosen_views(view_values, num_seeds)
        sections += [
            f'## Choosing the toy views (BYOL, {cpu} CPU)\n',
            'BYOL pretrained with each view set of the `view-sweep` stage '
            '(mean ± sd over pretraining seeds; detection fine-tuned under '
            'the run\'s own seed). The recipe\'s views stay unless others '
            f'beat their {HEADLINE[VIEW_CRITERION][2]} by more than the '
            f'larger sd without lowering {HEADLINE[VIEW_GUARD][2]} by more '
            'than it (`chosen_views`).\n',
            summary_markdown(view_values, VIEW_SWEEP, VIEW_SWEEP_EVALUATIONS),
            f'Chosen over {num_seeds} seeds: '
            f'{choice or "(not every view set has two seeds or more)"}\n'
        ]
    sections += view_confirm_markdown(results, lr) if lr else []
    sections += colour_confirm_markdown(results, lr) if lr else []
    sections += long_colour_markdown(results, lr) if lr else []
    if lr is not None:
        groups = {run.name: GROUPS[run.method] for run in main_runs(lr, seeds)}
        values = group_values(records, groups)
        order = list(GROUPS.values())
        sections += [
            *comparison_markdown(values,
                                 'Main comparison (mean ± sd over seeds)'),
            *long_comparison(records, lr, seeds, results_dir),
            '## Alpha sweep (seed 0)\n',
            _table(alpha_points(records, lr), 'alpha', SWEEP_EVALUATIONS)
        ]
        bar_chart(values, order, osp.join(results_dir, 'study.png'),
                  f'toy study, lr {lr:g}, seeds {seeds} (toy scale, CPU)')
        points = alpha_points(records, lr)
        if points:
            alpha_curve(points, osp.join(results_dir, 'alpha.png'),
                        'alpha sweep, seed 0 (toy scale, CPU)')
        curves = _loss_curves(results_dir, lr)
        if curves:
            loss_curve_chart(curves, osp.join(results_dir, 'losses.png'),
                             'pretraining losses, seed 0 (toy scale, CPU)')
        if work_dir and data_root:
            correspondence_figure(work_dir, data_root, lr,
                                  osp.join(results_dir, 'correspondence.png'))
    schedule_rows = frozen_schedule_values(results, lr, seeds) if lr else {}
    if schedule_rows:
        sections += [
            '## Frozen segmentation against its training length\n',
            'mIoU of `fcn_r18-d16-frozen_toy-voc.py` trained for each number '
            'of iterations (batch 8), its poly schedule stretched to match; '
            'the shortest is the benchmark\'s own.\n',
            frozen_schedule_table(schedule_rows)
        ]
    detection_rows = detection_schedule_values(results, lr,
                                               seeds) if lr else {}
    for cpu, rows in detection_rows.items():
        sections += [
            f'## Detection against its fine-tuning length ({cpu})\n',
            'AP50 of the toy Faster R-CNN fine-tuned from each method\'s '
            'start and from the network pretrained from it with the recipe '
            'on this kind of CPU (the `detection-schedule` stage), under the '
            'network\'s seed, for each number of iterations (batch 8), the '
            'config\'s schedule stretched to match; the shortest is the '
            'benchmark\'s own. A difference below zero: the pretrained '
            'network fine-tunes worse than the weights it started from.\n',
            detection_schedule_table(rows)
        ]
    stride_rows = detector_stride_values(records, lr, seeds) if lr else {}
    if stride_rows:
        sections += [
            '## Detection against the backbone\'s layer4 stride\n',
            'AP50 of the toy Faster R-CNN fine-tuned from each network with '
            'layer4 at stride 32 (the benchmark: mmdet\'s ResNet runs the '
            'pretrained layer4 at stride 2 without its dilation) and at '
            'stride 16, as pretrained (`faster-rcnn_r18-d16_fpn_toy-voc.py`).'
            '\n',
            _table(stride_rows, 'run', DETECTOR_STRIDES)
        ]
    swap_rows = stem_swap_values(records, lr, seeds) if lr else {}
    if swap_rows:
        sections += [
            '## Fine-tuned detection with the stem swapped\n',
            'AP50 of the toy Faster R-CNN (`faster-rcnn_r18_fpn_toy-voc.py`) '
            'fine-tuned from a pretrained network and from networks made of '
            'it and the weights its pretraining started from '
            '(`mmlc.converters.graft_modules`): `_as-pretrained` is the '
            'network itself, fine-tuned again by the stage from the '
            'pretraining the others are made of (where the stage had '
            'to pretrain it again, that pretraining is recorded in its '
            '`pretrain.json`, and the row without a suffix is from the '
            'earlier one), `_norm-reset` is the pretrained network with '
            'every BN layer (weight, bias and running statistics) put back '
            'to its start, `_stem-reset` is the '
            'pretrained network with its stem (conv1 and bn1) put back to '
            'its start, `_start` is that start (another draw than '
            '`random-init` of the seed, from the same distribution) and '
            '`_start-trained-stem` is the start with the pretrained stem and '
            '`_stem-rescaled` is the pretrained network with each stem kernel '
            'scaled to its norm in the start, bn1\'s running statistics '
            'scaled to match (`mmlc.converters.match_kernel_norms`: the same '
            'function; only how fast SGD turns the kernels changes). '
            'Each row is one fine-tuning, under the run\'s seed; the rows '
            'fine-tuned under more seeds are in "Fine-tuned detection of one '
            'network over fine-tuning seeds".\n',
            _table(swap_rows, 'run', ('detection', ))
        ]
    draws = random_draw_values(records)
    if draws:
        sections += [
            '## Fine-tuned detection of random networks, per kind of CPU\n',
            'AP50 of the toy Faster R-CNN (`faster-rcnn_r18_fpn_toy-voc.py`) '
            'fine-tuned from the random network of each seed by the '
            '`random-draws` stage, on the kind of CPU '
            '(`torch.backends.cpu.get_cpu_capability()`) in the run\'s name: '
            'the spread of the benchmark over random draws, on one kind of '
            'CPU.\n',
            random_draw_table(draws)
        ]
    pairs = start_pair_values(records)
    if pairs:
        sections += [
            '## Fine-tuned detection of each pretrained network against its '
            'start\n',
            'AP50 of the toy Faster R-CNN fine-tuned from the weights each '
            'pretrained network started from (rebuilt by '
            '`mmlc.apis.initial_weights`; the `starts` stage) and from the '
            'network itself, with the same fine-tuning seed, and the kind of '
            'CPU each ran on: fine-tuning repeats bit for bit on one kind of '
            'CPU and has moved by 0.9-3.0 AP50 across kinds, so only rows '
            'with one CPU on both sides compare what pretraining did.\n',
            start_pair_table(pairs)
        ]
    seeded = finetune_seed_values(results)
    if seeded:
        sections += [
            '## Fine-tuned detection of one network over fine-tuning seeds\n',
            'AP50 of the toy Faster R-CNN fine-tuned from the same weights '
            'under several fine-tuning seeds (the `finetune-seeds`, '
            '`long-finetune-seeds` and `random-finetune-seeds` stages, and '
            'the view stages; a run\'s plain detection is '
            'fine-tuned under its own seed): the '
            'noise of one fine-tuning, which a difference between two '
            'networks has to exceed.\n',
            finetune_seed_table(seeded)
        ]
    for iters in reseeded_detection_lengths(results):
        sections += [
            f'## Fine-tuned detection at {iters} iterations over fine-tuning '
            'seeds\n',
            f'As the table above, with the toy Faster R-CNN fine-tuned for '
            f'{iters} iterations, its schedule stretched (the '
            '`schedule-finetune-seeds` stage: the starts of '
            '`detection-schedule`): the noise of one fine-tuning at that '
            'length.\n',
            finetune_seed_table(
                finetune_seed_values(results,
                                     scheduled_evaluation('detection', iters)))
        ]
    moved = movement_values(results_dir)
    if moved:
        sections += [
            '## How far pretraining moved the backbone\n',
            'Per stage, the mean over its convolution kernels of the cosine '
            'between the kernel the run started from (rebuilt from its '
            'config and seed, `mmlc.apis.initial_weights`) and the '
            'pretrained one, and in brackets the relative change '
            '||w - w0|| / ||w0|| (`mmlc.evaluation.weight_movement`). 1.000 '
            '(0.00): the stage is where it started.\n',
            movement_table(moved)
        ]
    norm_moved = movement_values(results_dir, 'norm_stages')
    if norm_moved:
        sections += [
            'The BN layers of each stage (`bn1` is the stem\'s): their mean '
            'weight (the start\'s is 1, or 0 in a layer that ends a residual '
            'block with `zero_init_residual`), then the root mean square of '
            'how far their weights and their biases moved from the start '
            '(`mmlc.evaluation.norm_movement`), as weight mean / weight '
            'shift / bias shift.\n',
            norm_movement_table(norm_moved)
        ]
    stem_filters = movement_values(results_dir, 'stem_filters')
    if stem_filters:
        sections += [
            'The stem\'s 7 x 7 filters at the start and after pretraining '
            '(`mmlc.evaluation.filter_bank_summary`; each filter scaled to '
            'unit norm, as bn1 undoes its scale): the effective rank of the '
            'bank (64 for 64 orthogonal filters, 1 for filters on one line), '
            'the share of its squared singular values in the three largest, '
            'the share of a filter\'s energy in its kernels\' spatial means '
            '(1/49 for random filters, 1 for box filters that pass only local '
            'means) and in its mean over R, G and B (1/3 for random filters, '
            '1 for filters blind to colour).\n',
            stem_filter_table(stem_filters)
        ]
    stem_input = movement_values(results_dir, 'stem_input_subspace')
    if stem_input:
        sections += [
            'How much of the stem lies along the main directions of the '
            'pretraining images\' 7 x 7 patches (the eigenvectors of their '
            'second moment, `mmlc.evaluation.patch_principal_directions`; '
            'every fourth training image as stored, not as augmented '
            'views): the patches\' energy along the first three, then '
            '`mmlc.evaluation.subspace_share` of the stem at the start, '
            'after pretraining and of the update between them (3/147 for '
            'random filters).\n',
            stem_input_table(stem_input)
        ]
    cues = cue_values(results_dir)
    if cues:
        sections += [
            '## What the frozen features know about each object (seed 0)\n',
            'Linear-probe accuracy (%) of each validation object\'s ' +
            ', '.join(f'{cue} (chance {100 / size:.1f})'
                      for cue, (_, size) in OBJECT_CUES.items()) +
            ' from its mask-pooled final-stage features, and the mean '
            'cosine similarity of two objects of one validation scene and of '
            'two of different scenes (centred features; '
            '`mmlc.evaluation.cue_probe.scene_similarity`).\n',
            cue_table(cues)
        ]
    markdown = '\n'.join(sections)
    write_text(osp.join(results_dir, 'study.md'), markdown)
    return markdown


def positive_int(text: str) -> int:
    """An argparse type: an iteration count, at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(
            f'must be a positive number of iterations, got {value}')
    return value


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--work-dir',
        default='work_dirs/toy_study',
        help='checkpoints and mmengine work dirs (large, not kept)')
    parser.add_argument(
        '--results',
        default='docs/toy_study',
        help='result files, study.md and pictures (small, committed)')
    parser.add_argument('--data-root', default='data/toy')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--finetune-seeds',
        type=int,
        nargs='+',
        default=[0, 1, 2],
        help='the seeds the finetune-seeds, long-finetune-seeds, '
        'random-finetune-seeds, schedule-finetune-seeds, views, '
        'colour-strength and long-colour stages fine-tune each network under')
    parser.add_argument(
        '--stages', nargs='+', default=list(STAGES), choices=STAGES)
    parser.add_argument(
        '--lr',
        type=float,
        default=None,
        help='skip the sweep\'s choice and use this learning rate')
    parser.add_argument('--pretrain-iters', type=positive_int, default=None)
    parser.add_argument('--downstream-iters', type=positive_int, default=None)
    parser.add_argument(
        '--frozen-iters',
        type=positive_int,
        nargs='+',
        default=list(FROZEN_SCHEDULE),
        help='the lengths the frozen-schedule stage trains the frozen FCN '
        'for, in this order')
    parser.add_argument(
        '--detection-iters',
        type=positive_int,
        nargs='+',
        default=list(DETECTION_SCHEDULE),
        help='the lengths the detection-schedule and schedule-finetune-seeds '
        'stages fine-tune the toy Faster R-CNN for, in this order')
    parser.add_argument(
        '--schedule-methods',
        nargs='+',
        choices=SCHEDULE_METHODS,
        default=['byol'],
        help='the methods whose pairs (start, network) the detection-schedule '
        'and schedule-finetune-seeds stages measure, in this order')
    parser.add_argument(
        '--schedule-long',
        action='store_true',
        help='the detection-schedule stage pairs each start with the long '
        f'stage\'s network ({LONG_ITERS} pretraining iterations) instead of '
        'the recipe\'s')
    return parser.parse_args(argv)


def main(argv=None) -> str:
    args = parse_args(argv)
    start = time.perf_counter()
    ensure_toy_dataset(args.data_root)
    budget = ToyBudget(args.pretrain_iters, args.downstream_iters)

    def run_all(runs, run_budget=budget, data_root=args.data_root):
        for run in runs:
            print(
                f'\n[toy study | {time.perf_counter() - start:6.0f} s] '
                f'{run.name}',
                flush=True)
            run_toy(run, data_root, args.work_dir, args.results, run_budget)

    if 'lr-sweep' in args.stages and args.lr is None:
        run_all([lr_run(lr) for lr in LR_SWEEP])
    if 'lr-extension' in args.stages:
        run_all(lr_extension_runs())
    if 'optimizer' in args.stages:
        run_all(optimizer_runs())
    if 'lars' in args.stages:
        run_all(lars_runs())
    if 'ceiling' in args.stages:
        run_ceiling(args.data_root, args.work_dir, args.results)
    lr = args.lr or chosen_lr(load_toy_records(args.results))
    if lr is None and {
            'longer', 'data', 'pretrain-data', 'momentum', 'views',
            'colour-strength', 'long-colour', 'view-sweep', 'view-confirm',
            'hosts', 'long', 'movement', 'stem-swap', 'frozen-schedule',
            'detection-schedule', 'schedule-finetune-seeds', 'detector-stride',
            'starts', 'finetune-seeds', 'long-finetune-seeds', 'main', 'alpha'
    } & set(args.stages):
        raise SystemExit(
            'the learning-rate sweep has not finished: run --stages lr-sweep '
            'first, or pass --lr')
    if 'longer' in args.stages:
        run_all(
            longer_runs(lr), ToyBudget(LONGER_ITERS, args.downstream_iters))
    if 'data' in args.stages:
        for variant, root in variant_data(args.data_root).items():
            run_all(data_runs(lr, variant), data_root=root)
            run_ceiling(root, args.work_dir, args.results,
                        ceiling_run(data_tag=data_tag(variant)))
    if 'pretrain-data' in args.stages:
        for variant, (options, num_images) in PRETRAIN_DATA.items():
            root = ensure_toy_dataset(
                variant_root(args.data_root, f'pretrain-{variant}'),
                num_images=num_images,
                options=options)
            run_all(pretrain_data_runs(lr, variant, root))
    if 'momentum' in args.stages:
        run_all(momentum_runs(lr))
    if 'views' in args.stages:
        run_all(
            view_runs(lr, args.seeds, args.finetune_seeds,
                      torch.backends.cpu.get_cpu_capability()))
    if 'colour-strength' in args.stages:
        run_all(
            colour_strength_runs(lr, args.seeds, args.finetune_seeds,
                                 torch.backends.cpu.get_cpu_capability()))
    if 'long-colour' in args.stages:
        run_all(
            long_colour_runs(lr, args.seeds, args.finetune_seeds,
                             torch.backends.cpu.get_cpu_capability()),
            ToyBudget(LONG_ITERS, args.downstream_iters))
    if 'view-sweep' in args.stages:
        run_all(
            view_sweep_runs(lr, args.seeds,
                            torch.backends.cpu.get_cpu_capability()))
    if 'view-confirm' in args.stages:
        run_all(view_confirm_runs(lr, torch.backends.cpu.get_cpu_capability()))
    if 'hosts' in args.stages:
        run_all(host_runs(lr), ToyBudget(HOSTS_ITERS, args.downstream_iters))
    if 'transformers' in args.stages:
        run_all(transformer_runs(),
                ToyBudget(TRANSFORMER_ITERS, args.downstream_iters))
    if 'cues' in args.stages:
        if lr is not None:
            # the random networks are probed on every variant, trained or not
            variant_data(args.data_root)
        for run, root in cue_runs(lr, args.data_root, args.work_dir):
            run_all([run], data_root=root)
    if 'long' in args.stages:
        run_all([run for seed in args.seeds for run in long_runs(lr, seed)],
                ToyBudget(LONG_ITERS, args.downstream_iters))
    if 'movement' in args.stages:
        run_all(movement_runs(lr, args.seeds, args.work_dir))
    if 'stem-swap' in args.stages:
        for run in stem_swap_bases(lr, args.seeds):
            run_stem_swap(run, args.data_root, args.work_dir, args.results,
                          budget)
    if 'frozen-schedule' in args.stages:
        runs = [
            run for run in frozen_schedule_runs(lr, args.seeds)
            if has_network(run, args.work_dir)
        ]
        for iters in args.frozen_iters:
            evaluation = scheduled_evaluation('frozen-seg', iters)
            run_all([replace(run, evaluations=(evaluation, )) for run in runs])
    if 'detection-schedule' in args.stages:
        pairs = detection_schedule_pairs(
            lr, args.seeds, torch.backends.cpu.get_cpu_capability(),
            args.schedule_methods, args.schedule_long)
        network_budget = ToyBudget(
            LONG_ITERS,
            args.downstream_iters) if args.schedule_long else budget
        for start_run, network in pairs:
            if not osp.isfile(result_file(args.results, network, 'detection')):
                run_start(start_run, args.data_root, args.work_dir,
                          args.results, budget)
                run_all([network], network_budget)
        for iters in args.detection_iters:
            evaluation = scheduled_evaluation('detection', iters)
            for start_run, network in pairs:
                if has_network(network, args.work_dir):
                    run_start(
                        replace(start_run, evaluations=(evaluation, )),
                        args.data_root, args.work_dir, args.results, budget)
                    run_all([replace(network, evaluations=(evaluation, ))],
                            network_budget)
    if 'schedule-finetune-seeds' in args.stages:
        for run in schedule_finetune_seed_runs(
                lr, args.seeds, args.finetune_seeds, args.detection_iters,
                torch.backends.cpu.get_cpu_capability(),
                args.schedule_methods):
            run_start(run, args.data_root, args.work_dir, args.results, budget)
    if 'detector-stride' in args.stages:
        run_all([
            run for run in detector_stride_runs(lr, args.seeds)
            if has_network(run, args.work_dir)
        ])
    if 'random' in args.stages:
        run_all([
            run for seed in args.seeds
            for run in (random_run(seed, evaluations=RANDOM_EVALUATIONS),
                        zero_residual_run(seed))
        ])
    if 'random-draws' in args.stages:
        run_all(
            random_draw_runs(args.seeds,
                             torch.backends.cpu.get_cpu_capability()))
    if 'random-finetune-seeds' in args.stages:
        run_all(
            random_finetune_seed_runs(args.seeds, args.finetune_seeds,
                                      torch.backends.cpu.get_cpu_capability()))
    if 'starts' in args.stages:
        for run in start_runs(lr, args.seeds,
                              torch.backends.cpu.get_cpu_capability()):
            run_start(run, args.data_root, args.work_dir, args.results, budget)
    if 'finetune-seeds' in args.stages:
        starts, networks = finetune_seed_runs(
            lr, args.seeds, args.finetune_seeds,
            torch.backends.cpu.get_cpu_capability(), args.work_dir)
        for run in starts:
            run_start(run, args.data_root, args.work_dir, args.results, budget)
        run_all(networks)
    if 'long-finetune-seeds' in args.stages:
        run_all(
            long_finetune_seed_runs(lr, args.seeds, args.finetune_seeds,
                                    args.work_dir),
            ToyBudget(LONG_ITERS, args.downstream_iters))
    if 'main' in args.stages:
        run_all(main_runs(lr, args.seeds))
    if 'alpha' in args.stages:
        run_all(alpha_runs(lr))
    markdown = report(args.results, args.seeds, args.work_dir, args.data_root)
    print(markdown)
    print(f'{(time.perf_counter() - start) / 60:.0f} min on '
          f'{platform.machine()}; '
          f'{time.strftime("%Y-%m-%d")}; toy scale, CPU: not the paper\'s '
          f'numbers')
    return markdown


if __name__ == '__main__':
    main()
