"""Every benchmark config loads, inherits the installed mmdet/mmseg config,
builds."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# the downstream (mmdet / mmseg / mmpose) benchmarks;
# configs/benchmarks/correspondence
# holds mmpretrain test loops, checked in tests/test_evaluation
DOWNSTREAM_FOLDERS = ('mmdetection', 'mmsegmentation', 'mmpose', 'toy')
CONFIGS = sorted(
    p for folder in DOWNSTREAM_FOLDERS for p in glob.glob(
        osp.join(REPO, 'configs', 'benchmarks', folder, '*.py')))
# the Swin-T benchmarks of the paper's App. B; every other one is a ResNet's
SWIN_CONFIGS = [p for p in CONFIGS if '_swin-t-' in osp.basename(p)]
RESNET_CONFIGS = [p for p in CONFIGS if p not in SWIN_CONFIGS]
# App. B's optimisers: detection AdamW 1e-4 / 0.05, segmentation 6e-5 / 0.01
SWIN_BENCHMARKS = {
    'mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py': (1e-4, 0.05, 'epochs', 12),
    'faster-rcnn_swin-t-p4-w7_fpn_1x_voc0712.py': (1e-4, 0.05, 'epochs', 4),
    'upernet_swin-t-p4-w7_4xb4-20k_voc12aug-512x512.py':
    (6e-5, 0.01, 'iters', 20000),
    'upernet_swin-t-p4-w7_4xb2-40k_cityscapes-512x1024.py':
    (6e-5, 0.01, 'iters', 40000),
}


def test_the_toy_benchmarks_fit_the_toy_recipe_and_the_cpu():
    toy = {
        osp.basename(p): Config.fromfile(p)
        for p in CONFIGS if '/toy/' in p
    }
    assert set(toy) == {
        'faster-rcnn_r18_fpn_toy-voc.py', 'faster-rcnn_r18-d16_fpn_toy-voc.py',
        'fcn_r18-d16-frozen_toy-voc.py', 'td-hm_r18_toy-coco-keypoints.py'
    }
    for cfg in toy.values():
        backbone = cfg.model.backbone
        assert backbone.depth == 18 and backbone.get('base_channels', 64) == 64
        assert cfg.train_cfg.max_iters <= 1000 and cfg.val_cfg is None
    frozen = toy['fcn_r18-d16-frozen_toy-voc.py'].model.backbone
    # the frozen segmentor reads the backbone exactly as the toy recipe
    # pretrained it
    assert (frozen.strides, frozen.dilations) == ((1, 2, 2, 1), (1, 1, 1, 2))
    assert frozen.contract_dilation is False and frozen.frozen_stages == 4


def test_the_paper_benchmarks_are_all_there():
    names = {osp.basename(p) for p in CONFIGS}
    for expected in ('retinanet_r50-syncbn_fpn_1x_coco.py',
                     'mask-rcnn_r50-syncbn_fpn_1x_coco.py',
                     'mask-rcnn_r50-syncbn_fpn_2x_coco.py',
                     'mask-rcnn_r50-syncbn_fpn_1x_coco-5pct.py',
                     'mask-rcnn_r50-syncbn_fpn_1x_coco-10pct.py',
                     'faster-rcnn_r50-syncbn_fpn_1x_voc0712.py',
                     'fcn_r50-d8_4xb4-20k_voc12aug-512x512.py',
                     'fcn_r50-d8_4xb2-40k_cityscapes-512x1024.py',
                     'retinanet_r50-frozen_fpn_1x_coco.py',
                     'mask-rcnn_r50-frozen_fpn_1x_coco.py',
                     'faster-rcnn_r50-frozen_fpn_1x_voc0712.py',
                     'fcn_r50-d8-frozen_4xb4-20k_voc12aug-512x512.py',
                     'fcn_r50-d8-frozen_4xb2-40k_cityscapes-512x1024.py'):
        assert expected in names


@pytest.mark.parametrize('path', RESNET_CONFIGS, ids=osp.basename)
def test_config_builds_with_plain_resnet_and_guard(path):
    cfg = Config.fromfile(path)
    backbone = cfg.model.backbone
    toy = '/toy/' in path
    assert backbone.type == 'ResNet' and backbone.depth == (18 if toy else 50)
    assert backbone.init_cfg == dict(type='Pretrained', checkpoint=None)
    assert cfg.model.get('pretrained') is None
    assert dict(type='PretrainedBackboneCheckHook') in cfg.custom_hooks
    if cfg.default_scope == 'mmpose':
        # mmpose's runtime hook is kept next to the guard
        assert dict(type='SyncBuffersHook') in cfg.custom_hooks
    assert cfg.default_scope in ('mmdet', 'mmseg', 'mmpose')
    if 'frozen' in osp.basename(path):
        assert backbone.frozen_stages == 4 and backbone.norm_eval is True
        assert backbone.norm_cfg == dict(type='BN', requires_grad=False)
    elif cfg.default_scope == 'mmpose':
        # mmpose's own fine-tuning (its ResNet's BN defaults), our weights
        assert set(backbone) == {'type', 'depth', 'init_cfg'}
    else:
        assert backbone.frozen_stages == -1 and backbone.norm_eval is False
        assert backbone.norm_cfg.type == 'SyncBN'
    init_default_scope(cfg.default_scope)
    from mmengine.registry import MODELS
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = MODELS.build(cfg.model)
    assert type(model.backbone).__name__ == 'ResNet'
    # the plain stem a converted ResNet-50 has
    assert model.backbone.deep_stem is False
    if 'frozen' in osp.basename(path):
        model.train()
        assert all(not p.requires_grad for p in model.backbone.parameters())


def test_mini_coco_configs_point_at_seeded_subsets():
    for pct in (5, 10):
        cfg = Config.fromfile(
            osp.join(REPO, 'configs', 'benchmarks', 'mmdetection',
                     f'mask-rcnn_r50-syncbn_fpn_1x_coco-{pct}pct.py'))
        assert cfg.train_dataloader.dataset.ann_file == \
            f'annotations/instances_train2017_{pct}pct_seed0.json'


def _build_model(cfg):
    init_default_scope(cfg.default_scope)
    from mmengine.registry import MODELS
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        return MODELS.build(cfg.model)


@pytest.mark.parametrize('path', SWIN_CONFIGS, ids=osp.basename)
def test_swin_benchmarks_follow_appendix_b(path):
    assert {osp.basename(p) for p in SWIN_CONFIGS} == set(SWIN_BENCHMARKS)
    lr, weight_decay, unit, length = SWIN_BENCHMARKS[osp.basename(path)]
    cfg = Config.fromfile(path)
    backbone = cfg.model.backbone
    assert backbone.type == 'SwinTransformer'
    assert (backbone.embed_dims, tuple(backbone.depths),
            tuple(backbone.num_heads)) == (96, (2, 2, 6, 2), (3, 6, 12, 24))
    assert backbone.init_cfg == dict(type='Pretrained', checkpoint=None)
    # the converter writes mmdet's names already
    assert not backbone.get('convert_weights', False)
    assert cfg.model.get('pretrained') is None
    assert dict(
        type='PretrainedBackboneCheckHook',
        new_keys=['norm0.', 'norm1.', 'norm2.']) in cfg.custom_hooks
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.type, optimizer.lr,
            optimizer.weight_decay) == ('AdamW', lr, weight_decay)
    assert cfg.optim_wrapper.paramwise_cfg.custom_keys[
        'relative_position_bias_table'] == dict(decay_mult=0.)
    if unit == 'epochs':
        assert cfg.train_cfg.max_epochs == length
    else:
        assert cfg.train_cfg.max_iters == length
        # the poly decay ends where the train loop does
        assert 'end' not in cfg.param_scheduler[-1]
    model = _build_model(cfg)
    assert type(model.backbone).__name__ == 'SwinTransformer'
    # no ResNet argument survived the replacement of the base's backbone
    assert 'depth' not in backbone and 'norm_eval' not in backbone


def _toy_detector(name, backbone_state):
    """The toy benchmark ``name`` with ``backbone_state`` loaded (strictly)
    into its backbone, SyncBN as BN (one CPU process), in eval mode."""
    from mmengine.model import revert_sync_batchnorm
    model = _build_model(
        Config.fromfile(osp.join(REPO, 'configs', 'benchmarks', 'toy', name)))
    model = revert_sync_batchnorm(model)
    model.backbone.load_state_dict(backbone_state)
    return model.eval()


def test_the_stride_16_toy_detector_computes_the_pretrained_network():
    """Loaded with a network of the toy recipe, the d16 detector's backbone
    computes what the network computed in pretraining, at every stage; the
    benchmark's stride-32 detector agrees up to layer3 and runs layer4 at
    another geometry. The d16 pyramid tiles the image at its own strides with
    the stride-32 detector's anchor sizes, and a training step runs."""
    from mmdet.structures import DetDataSample
    from mmengine.structures import InstanceData
    from mmpretrain.registry import MODELS as PRETRAIN_MODELS
    recipe = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'models', 'resnet18-d16_toy.py'))
    torch.manual_seed(0)
    pretrained = PRETRAIN_MODELS.build(
        dict(recipe.model.backbone, out_indices=(0, 1, 2, 3)))
    pretrained.init_weights()
    for module in pretrained.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
    pretrained.eval()
    state = pretrained.state_dict()
    d16 = _toy_detector('faster-rcnn_r18-d16_fpn_toy-voc.py', state)
    d32 = _toy_detector('faster-rcnn_r18_fpn_toy-voc.py', state)
    image = torch.randn(1, 3, 128, 128)
    with torch.no_grad():
        expected = pretrained(image)
        stages_d16, stages_d32 = d16.backbone(image), d32.backbone(image)
        pyramid = d16.neck(stages_d16)
    for got, want in zip(stages_d16, expected):
        torch.testing.assert_close(got, want)
    torch.testing.assert_close(stages_d32[2], expected[2])
    assert expected[3].shape[-2:] == (8, 8)
    assert stages_d32[3].shape[-2:] == (4, 4)
    # P2-P6 at strides 4, 8, 16, 16, 32 of a 128 px image
    sizes = [level.shape[-1] for level in pyramid]
    assert sizes == [32, 16, 8, 8, 4]
    # the RoI extractor reads P2-P5 at their own strides
    assert d16.roi_head.bbox_roi_extractor.featmap_strides == [
        128 // size for size in sizes[:4]
    ]
    anchors = d16.rpn_head.prior_generator.grid_priors(
        [level.shape[-2:] for level in pyramid], device='cpu')
    for size, level_anchors in zip(sizes, anchors):
        centres = ((level_anchors[:, 0] + level_anchors[:, 2]) /
                   2).round(decimals=2).unique()
        assert centres.numel() == size
        torch.testing.assert_close(centres.diff(),
                                   torch.full((size - 1, ), 128 / size))
    for base_d16, base_d32 in zip(d16.rpn_head.prior_generator.base_anchors,
                                  d32.rpn_head.prior_generator.base_anchors):
        torch.testing.assert_close(base_d16[:, 2:] - base_d16[:, :2],
                                   base_d32[:, 2:] - base_d32[:, :2])
    sample = DetDataSample(
        metainfo=dict(
            img_shape=(128, 128),
            pad_shape=(128, 128),
            batch_input_shape=(128, 128),
            ori_shape=(128, 128),
            scale_factor=(1.0, 1.0)))
    sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[20.0, 30.0, 80.0, 90.0]]),
        labels=torch.tensor([2]))
    d16.train()
    losses = d16.loss(image, [sample])
    total = sum(
        sum(value) if isinstance(value, list) else value
        for key, value in losses.items() if key.startswith('loss'))
    assert torch.isfinite(total)
    total.backward()
    assert d16.backbone.layer4[0].conv1.weight.grad.abs().sum() > 0


VOC_DETECTION = [
    p for p in CONFIGS
    if '/mmdetection/' in p and osp.basename(p).endswith('_voc0712.py')
]


@pytest.mark.parametrize('path', VOC_DETECTION, ids=osp.basename)
def test_voc_detection_reports_the_papers_ap_ap50_and_ap75(path):
    """AP over IoU 0.50, 0.55, ..., 0.95 (Tables 2, 4, 12, 14)."""
    cfg = Config.fromfile(path)
    for evaluator in (cfg.val_evaluator, cfg.test_evaluator):
        assert evaluator.type == 'VOCMetric' and evaluator.metric == 'mAP'
        assert evaluator.iou_thrs == pytest.approx(
            [0.5 + 0.05 * i for i in range(10)])
        assert evaluator.eval_mode == '11points'  # VOC07's AP, on test07


def test_the_toy_detection_benchmark_keeps_ap50():
    """It inherits the VOC benchmark, whose thresholds it must not take."""
    toy = Config.fromfile(
        osp.join(REPO, 'configs', 'benchmarks', 'toy',
                 'faster-rcnn_r18_fpn_toy-voc.py'))
    assert toy.test_evaluator.iou_thrs == 0.5


def test_voc_detection_configs_are_all_found():
    assert sorted(osp.basename(p) for p in VOC_DETECTION) == [
        'faster-rcnn_r50-frozen_fpn_1x_voc0712.py',
        'faster-rcnn_r50-syncbn_fpn_1x_voc0712.py',
        'faster-rcnn_swin-t-p4-w7_fpn_1x_voc0712.py'
    ]


@pytest.mark.parametrize('fraction', ['5pct', '10pct'])
def test_mini_coco_trains_detectron2s_1x_on_its_subset(fraction):
    """Table 9's "1x schedule" in detectron2: 90k iterations at batch 16,
    the learning rate / 10 at 60k and 80k, whatever the subset's size."""
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'benchmarks', 'mmdetection',
                 f'mask-rcnn_r50-syncbn_fpn_1x_coco-{fraction}.py'))
    assert cfg.train_dataloader.dataset.ann_file == (
        f'annotations/instances_train2017_{fraction}_seed0.json')
    assert cfg.train_dataloader.sampler.type == 'InfiniteSampler'
    assert cfg.train_dataloader.batch_size * 8 == 16  # 8 GPUs x 2
    assert cfg.train_cfg == dict(
        type='IterBasedTrainLoop', max_iters=90000, val_interval=10000)
    warmup, steps = cfg.param_scheduler
    assert (warmup.type, warmup.by_epoch, warmup.end) == ('LinearLR', False,
                                                          1000)
    assert (steps.type, steps.by_epoch) == ('MultiStepLR', False)
    assert (steps.milestones, steps.gamma) == ([60000, 80000], 0.1)
    assert cfg.default_hooks.checkpoint.by_epoch is False
    assert cfg.log_processor.by_epoch is False
    # evaluated on the full val2017
    assert cfg.val_dataloader.dataset.ann_file == (
        'annotations/instances_val2017.json')


def test_detectron2_keypoint_override_reads_a_converted_backbone():
    """The paper's keypoint protocol cannot run here (no detectron2): the
    shipped override is checked for what a torchvision-style backbone written
    ``--to detectron2`` needs."""
    import yaml

    from mmlc.evaluation.backbone import IMAGENET_MEAN, IMAGENET_STD
    with open(
            osp.join(REPO, 'configs', 'benchmarks', 'detectron2',
                     'keypoint_rcnn_R_50_FPN_1x_syncbn.yaml')) as f:
        cfg = yaml.safe_load(f)
    # detectron2's Keypoint R-CNN R50-FPN 1x: the paper's 90k iterations
    assert cfg['_BASE_'] == '../COCO-Keypoints/keypoint_rcnn_R_50_FPN_1x.yaml'
    assert cfg['INPUT']['FORMAT'] == 'RGB'
    assert cfg['MODEL']['RESNETS']['STRIDE_IN_1X1'] is False
    # full fine-tuning: nothing frozen, SyncBN in the backbone and the FPN
    assert cfg['MODEL']['BACKBONE']['FREEZE_AT'] == 0
    assert cfg['MODEL']['RESNETS']['NORM'] == cfg['MODEL']['FPN'][
        'NORM'] == 'SyncBN'
    assert cfg['MODEL']['PIXEL_MEAN'] == pytest.approx(list(IMAGENET_MEAN))
    assert cfg['MODEL']['PIXEL_STD'] == pytest.approx(list(IMAGENET_STD))
    assert 'WEIGHTS' not in cfg['MODEL']  # given on the command line
