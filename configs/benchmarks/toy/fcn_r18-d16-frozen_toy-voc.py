# CPU-sized frozen-backbone segmentation benchmark on the embedded toy dataset
# (version 2, VOC segmentation PNGs: 0 background, 1-6 the toy classes), for
# `make demo` and tools/benchmarks/toy_study.py: the VOC FCN frozen benchmark
# with the toy recipe's ResNet-18 exactly as it was pretrained (64 base
# channels, stride-16 last stage: an 8 x 8 map at 128 px), 128 px, 1000
# iterations. mmseg's FCN dilates to stride 8; here the backbone keeps the
# stride it was pretrained with, which also keeps a frozen run cheap on the
# CPU. Toy scale only.
_base_ = '../mmsegmentation/fcn_r50-d8-frozen_4xb4-20k_voc12aug-512x512.py'

data_root = 'data/toy/VOCdevkit/VOC2007'
classes = ('background', 'disc', 'ring', 'triangle', 'frame', 'cross', 'star')
crop_size = (128, 128)
model = dict(
    data_preprocessor=dict(size=crop_size),
    # dilated as in pretraining (mmpretrain dilates every block of the stage)
    backbone=dict(
        depth=18,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        contract_dilation=False),
    decode_head=dict(in_channels=512, channels=128, num_classes=len(classes)),
    auxiliary_head=dict(
        in_channels=256, channels=64, num_classes=len(classes)))

pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=crop_size, keep_ratio=False),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
dataset = dict(
    type='BaseSegDataset',
    data_root=data_root,
    data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'),
    img_suffix='.jpg',
    seg_map_suffix='.png',
    metainfo=dict(
        classes=classes, palette=[[40 * i, 40 * i, 40 * i] for i in range(7)]),
    pipeline=pipeline)
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True, ann_file='ImageSets/Segmentation/train.txt', **dataset))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True, ann_file='ImageSets/Segmentation/val.txt', **dataset))
test_dataloader = val_dataloader
# test once after training instead of validating too
val_dataloader = val_cfg = val_evaluator = None

max_iters = 1000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters)
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-4,
        power=0.9,
        begin=0,
        end=max_iters,
        by_epoch=False),
]
# the pipeline is deterministic and the backbone frozen, so each image's
# features are computed once and served again (FrozenBackboneCacheHook): the
# heads train as without it up to float rounding (bit for bit on the CPU of
# docs/performance.md section 6), the backbone's time is saved; the load
# guard of the base stays
custom_hooks = [
    dict(type='PretrainedBackboneCheckHook'),
    dict(type='FrozenBackboneCacheHook'),
]
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=1))
