"""Benchmarks on the embedded toy dataset: a few iterations, a real evaluation
through mmdet's / mmseg's evaluators, the converted checkpoint loaded and
verified. The ResNet-50 benchmarks of the main paper, then the Swin-T ones of
its App. B: a Swin-T converted from an LC-DINO checkpoint loads into mmdet's
Mask R-CNN Swin-T and mmseg's UperNet Swin-T with every pretrained backbone
tensor (the guard checks it; only the FPN output norms norm0-norm2 are new),
and each path trains and evaluates."""
import json
import os.path as osp

import pytest
import torch
import torchvision
from mmengine.config import ConfigDict

from mmlc.apis.benchmark import (load_benchmark_config, train_and_test,
                                 write_results)
from mmlc.converters import backbone_cfg_from_config, convert_checkpoint
from mmlc.datasets import TOY_CLASSES
from mmlc.registry import MODELS

SIZE = (96, 96)


def _small_schedule(cfg, iters=2):
    cfg.train_cfg = ConfigDict(
        type='IterBasedTrainLoop', max_iters=iters, val_interval=1000)
    cfg.param_scheduler = None
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=1000, by_epoch=False)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.log_processor = dict(by_epoch=False)
    cfg.log_level = 'WARNING'
    cfg.pop('visualizer', None)
    cfg.default_hooks.pop('visualization', None)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(
            num_workers=0, persistent_workers=False, batch_size=2)
        cfg[loader].sampler = dict(type='DefaultSampler', shuffle=False)
    cfg.train_dataloader.pop('batch_sampler', None)
    cfg.test_dataloader = cfg.val_dataloader
    cfg.test_evaluator = cfg.val_evaluator
    # test once, after training
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None


def voc_detection_cfg(config, toy_root, checkpoint, work_dir):
    cfg = load_benchmark_config(config, checkpoint, work_dir=str(work_dir))
    voc = dict(
        type='VOCDataset',
        data_root=osp.join(toy_root, 'VOCdevkit'),
        data_prefix=dict(sub_data_root='VOC2007/'),
        metainfo=dict(classes=TOY_CLASSES))
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations', with_bbox=True),
        dict(type='Resize', scale=SIZE, keep_ratio=True),
        dict(type='PackDetInputs')
    ]
    test_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=SIZE, keep_ratio=True),
        dict(type='LoadAnnotations', with_bbox=True),
        dict(
            type='PackDetInputs',
            meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                       'scale_factor'))
    ]
    cfg.train_dataloader.dataset = dict(
        voc,
        ann_file='VOC2007/ImageSets/Main/train.txt',
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline)
    cfg.val_dataloader.dataset = dict(
        voc,
        ann_file='VOC2007/ImageSets/Main/test.txt',
        test_mode=True,
        pipeline=test_pipeline)
    cfg.model.roi_head.bbox_head.num_classes = len(TOY_CLASSES)
    _small_schedule(cfg)
    return cfg


def coco_instance_cfg(config, toy_root, checkpoint, work_dir):
    cfg = load_benchmark_config(config, checkpoint, work_dir=str(work_dir))
    coco = dict(
        type='CocoDataset',
        data_root=osp.join(toy_root, 'coco'),
        metainfo=dict(classes=TOY_CLASSES))
    load = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
        dict(type='Resize', scale=SIZE, keep_ratio=True)
    ]
    cfg.train_dataloader.dataset = dict(
        coco,
        ann_file='annotations/instances_train.json',
        data_prefix=dict(img='train/'),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=load + [dict(type='PackDetInputs')])
    cfg.val_dataloader.dataset = dict(
        coco,
        ann_file='annotations/instances_val.json',
        data_prefix=dict(img='val/'),
        test_mode=True,
        pipeline=load + [
            dict(
                type='PackDetInputs',
                meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                           'scale_factor'))
        ])
    cfg.val_evaluator = dict(
        type='CocoMetric',
        metric=['bbox', 'segm'],
        ann_file=osp.join(toy_root, 'coco', 'annotations',
                          'instances_val.json'))
    cfg.model.roi_head.bbox_head.num_classes = len(TOY_CLASSES)
    cfg.model.roi_head.mask_head.num_classes = len(TOY_CLASSES)
    # after two iterations the classifier saturates on background (foreground
    # softmax scores of exactly 0); keep every box so the COCO evaluation has
    # input
    cfg.model.test_cfg.rcnn.score_thr = -1.0
    _small_schedule(cfg)
    return cfg


def voc_segmentation_cfg(config, toy_root, checkpoint, work_dir):
    cfg = load_benchmark_config(config, checkpoint, work_dir=str(work_dir))
    classes = ('background', ) + TOY_CLASSES
    seg = dict(
        type='BaseSegDataset',
        data_root=osp.join(toy_root, 'VOCdevkit', 'VOC2007'),
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClass'),
        img_suffix='.jpg',
        seg_map_suffix='.png',
        metainfo=dict(
            classes=classes,
            palette=[[i * 30] * 3 for i in range(len(classes))]))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=SIZE, keep_ratio=False),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs')
    ]
    cfg.train_dataloader.dataset = dict(
        seg, ann_file='ImageSets/Segmentation/train.txt', pipeline=pipeline)
    cfg.val_dataloader.dataset = dict(
        seg, ann_file='ImageSets/Segmentation/val.txt', pipeline=pipeline)
    cfg.model.data_preprocessor.size = SIZE
    cfg.model.decode_head.num_classes = len(classes)
    if cfg.model.get('auxiliary_head'):
        cfg.model.auxiliary_head.num_classes = len(classes)
    _small_schedule(cfg)
    return cfg


def _states(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _file_backbone(path):
    return torch.load(path, weights_only=True)['state_dict']


def _assert_loaded_and_frozen(runner, checkpoint, before_neck):
    model = runner.model
    assert all(not p.requires_grad for p in model.backbone.parameters())
    expected = _file_backbone(checkpoint)
    for key, value in model.backbone.state_dict().items():
        # bit-identical after training
        assert torch.equal(value, expected[key]), key
    after_neck = _states(
        model.neck if hasattr(model, 'neck') else model.decode_head)
    assert any(not torch.equal(after_neck[k], before_neck[k])
               for k in before_neck if before_neck[k].is_floating_point())


def test_frozen_faster_rcnn_on_toy_voc(benchmark_dir, toy_root, converted_r50,
                                       tmp_path):
    config = osp.join(benchmark_dir, 'mmdetection',
                      'faster-rcnn_r50-frozen_fpn_1x_voc0712.py')
    cfg = voc_detection_cfg(config, toy_root, converted_r50, tmp_path)
    from mmengine.runner import Runner
    probe = Runner.from_cfg(cfg.copy())
    probe.model.init_weights()
    before_neck = _states(probe.model.neck)
    del probe
    runner, metrics = train_and_test(cfg)
    assert runner.iter == 2
    assert 'pascal_voc/mAP' in metrics and 0.0 <= metrics[
        'pascal_voc/mAP'] <= 1.0
    _assert_loaded_and_frozen(runner, converted_r50, before_neck)
    path = write_results(cfg, metrics, 1.0)
    record = json.load(open(path))
    assert record['checkpoint'] == converted_r50
    assert 'pascal_voc/mAP' in record['metrics']


def test_mask_rcnn_full_finetune_on_toy_coco(benchmark_dir, toy_root,
                                             converted_r50, tmp_path):
    config = osp.join(benchmark_dir, 'mmdetection',
                      'mask-rcnn_r50-syncbn_fpn_1x_coco.py')
    cfg = coco_instance_cfg(config, toy_root, converted_r50, tmp_path)
    runner, metrics = train_and_test(cfg)
    assert {'coco/bbox_mAP', 'coco/segm_mAP'} <= set(metrics)
    # fine-tuned: the backbone started from the file and moved
    expected = _file_backbone(converted_r50)
    assert not torch.equal(runner.model.backbone.conv1.weight,
                           expected['conv1.weight'])


def test_frozen_fcn_on_toy_voc_segmentation(benchmark_dir, toy_root,
                                            converted_r50, tmp_path):
    config = osp.join(benchmark_dir, 'mmsegmentation',
                      'fcn_r50-d8-frozen_4xb4-20k_voc12aug-512x512.py')
    cfg = voc_segmentation_cfg(config, toy_root, converted_r50, tmp_path)
    from mmengine.runner import Runner
    probe = Runner.from_cfg(cfg.copy())
    before_head = _states(probe.model.decode_head)
    del probe
    runner, metrics = train_and_test(cfg)
    assert 'mIoU' in metrics and 0.0 <= metrics['mIoU'] <= 100.0
    _assert_loaded_and_frozen(runner, converted_r50, before_head)


def test_frozen_linear_segmentation_trains_the_1x1_head_only(
        benchmark_dir, toy_root, converted_r50, tmp_path):
    config = osp.join(benchmark_dir, 'mmsegmentation',
                      'fcn-linear_r50-frozen_4xb4-40k_voc12aug-512x512.py')
    cfg = voc_segmentation_cfg(config, toy_root, converted_r50, tmp_path)
    from mmengine.runner import Runner
    probe = Runner.from_cfg(cfg.copy())
    before_head = _states(probe.model.decode_head)
    trainable = [
        name for name, p in probe.model.named_parameters() if p.requires_grad
    ]
    del probe
    # a linear map: one 1 x 1 convolution from 2,048 channels
    assert trainable == [
        'decode_head.conv_seg.weight', 'decode_head.conv_seg.bias'
    ]
    assert before_head['conv_seg.weight'].shape[1:] == (2048, 1, 1)
    runner, metrics = train_and_test(cfg)
    assert 0.0 <= metrics['mIoU'] <= 100.0
    _assert_loaded_and_frozen(runner, converted_r50, before_head)


@pytest.fixture(scope='module')
def converted_r18(tmp_path_factory):
    """A converted (openmmlab) ResNet-18 with distinctive weights."""
    torch.manual_seed(1)
    state = {
        k: v + 0.01 * torch.randn_like(v) if v.is_floating_point() else v
        for k, v in torchvision.models.resnet18(
            weights=None).state_dict().items()
    }
    root = tmp_path_factory.mktemp('r18')
    src, dst = str(root / 'src.pth'), str(root / 'r18.pth')
    torch.save({'state_dict': {
        f'backbone.{k}': v
        for k, v in state.items()
    }}, src)
    convert_checkpoint(src, dst, to='openmmlab', depth=18)
    return dst


def test_toy_keypoint_benchmark_trains_and_evaluates_coco_keypoint_ap(
        benchmark_dir, toy_root, converted_r18, tmp_path):
    """mmpose's top-down heatmap path on the toy data's own keypoints, from a
    converted ResNet-18 (the guard checks every backbone tensor), scored by
    mmpose's COCO keypoint evaluator."""
    config = osp.join(benchmark_dir, 'toy', 'td-hm_r18_toy-coco-keypoints.py')
    cfg = load_benchmark_config(
        config, converted_r18, work_dir=str(tmp_path / 'work'))
    coco = osp.join(toy_root, 'coco')
    for loader in ('train_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = coco
    cfg.test_evaluator.ann_file = osp.join(coco, 'annotations',
                                           'instances_val.json')
    cfg.val_dataloader, cfg.val_evaluator = (cfg.test_dataloader,
                                             cfg.test_evaluator)
    _small_schedule(cfg)
    runner, metrics = train_and_test(cfg)
    assert 0.0 <= metrics['coco/AP'] <= 1.0
    expected = _file_backbone(converted_r18)
    for key, value in runner.model.backbone.named_parameters():
        # two Adam steps at lr 5e-4 from the file
        torch.testing.assert_close(
            value.detach(), expected[key], atol=2e-3, rtol=0, msg=key)


def test_guard_names_the_missing_backbone_key(benchmark_dir, toy_root,
                                              converted_r50, tmp_path):
    state = _file_backbone(converted_r50)
    del state['layer3.2.bn2.running_mean']
    broken = str(tmp_path / 'broken.pth')
    torch.save({'state_dict': state}, broken)
    config = osp.join(benchmark_dir, 'mmdetection',
                      'faster-rcnn_r50-frozen_fpn_1x_voc0712.py')
    cfg = voc_detection_cfg(config, toy_root, broken, tmp_path / 'work')
    with pytest.raises(
            RuntimeError, match=r'1 missing: layer3\.2\.bn2\.running_mean'):
        train_and_test(cfg)


def test_guard_requires_a_checkpoint(benchmark_dir, toy_root, converted_r50,
                                     tmp_path):
    config = osp.join(benchmark_dir, 'mmdetection',
                      'faster-rcnn_r50-frozen_fpn_1x_voc0712.py')
    cfg = voc_detection_cfg(config, toy_root, converted_r50, tmp_path)
    cfg.model.backbone.init_cfg.checkpoint = None
    with pytest.raises(
            RuntimeError,
            match='model.backbone.init_cfg.checkpoint is not set'):
        train_and_test(cfg)


LC_DINO = 'configs/lc_dino/lc-dino_swin-tiny_16xb64-300e_in1k.py'


@pytest.fixture(scope='module')
def converted_swin_t(repo_root, tmp_path_factory):
    """An LC-DINO-style checkpoint (student and teacher Swin-T with
    distinctive weights), converted with the pretraining config's backbone;
    returns the converted file and the student's state dict."""
    backbone_cfg = backbone_cfg_from_config(osp.join(repo_root, LC_DINO))
    torch.manual_seed(0)
    student = {
        k: v + 0.01 * torch.randn_like(v) if v.is_floating_point() else v
        for k, v in MODELS.build(backbone_cfg).state_dict().items()
    }
    state = {f'backbone.{k}': v for k, v in student.items()}
    state.update({f'teacher.module.0.{k}': -v for k, v in student.items()})
    root = tmp_path_factory.mktemp('swin')
    src, dst = str(root / 'lc-dino.pth'), str(root / 'lc-dino_swin-t.pth')
    torch.save({'state_dict': state}, src)
    convert_checkpoint(src, dst, backbone_cfg=backbone_cfg)
    return dst, student


def _assert_started_from(runner, student, new=('norm0.', 'norm1.', 'norm2.')):
    """Every backbone tensor but the new output norms started from the file:
    two AdamW steps (lr <= 1e-4, no warm-up here) move none by 1e-3, where a
    tensor left at its random init would differ by far more."""
    names = runner.model.backbone.state_dict()
    assert set(names) - set(student) == {k for k in names if k.startswith(new)}
    for key, value in student.items():
        torch.testing.assert_close(
            names[key], value, atol=1e-3, rtol=0, msg=key)


def test_mask_rcnn_swin_t_on_toy_coco(benchmark_dir, toy_root,
                                      converted_swin_t, tmp_path):
    checkpoint, student = converted_swin_t
    config = osp.join(benchmark_dir, 'mmdetection',
                      'mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py')
    cfg = coco_instance_cfg(config, toy_root, checkpoint, tmp_path)
    runner, metrics = train_and_test(cfg)
    assert {'coco/bbox_mAP', 'coco/segm_mAP'} <= set(metrics)
    _assert_started_from(runner, student)


def test_upernet_swin_t_on_toy_voc(benchmark_dir, toy_root, converted_swin_t,
                                   tmp_path):
    checkpoint, student = converted_swin_t
    config = osp.join(benchmark_dir, 'mmsegmentation',
                      'upernet_swin-t-p4-w7_4xb4-20k_voc12aug-512x512.py')
    cfg = voc_segmentation_cfg(config, toy_root, checkpoint, tmp_path)
    runner, metrics = train_and_test(cfg)
    assert 0.0 <= metrics['mIoU'] <= 100.0
    _assert_started_from(runner, student)


def test_guard_names_a_missing_swin_tensor(benchmark_dir, toy_root,
                                           converted_swin_t, tmp_path):
    checkpoint, _ = converted_swin_t
    state = torch.load(checkpoint, weights_only=True)['state_dict']
    del state['backbone.stages.2.blocks.4.attn.w_msa.qkv.bias']
    broken = str(tmp_path / 'broken.pth')
    torch.save({'state_dict': state}, broken)
    config = osp.join(benchmark_dir, 'mmdetection',
                      'faster-rcnn_swin-t-p4-w7_fpn_1x_voc0712.py')
    cfg = voc_detection_cfg(config, toy_root, broken, tmp_path / 'work')
    with pytest.raises(
            RuntimeError,
            match=r'1 missing: stages\.2\.blocks\.4\.attn\.w_msa\.qkv\.bias'):
        train_and_test(cfg)
