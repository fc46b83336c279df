# CPU-sized frozen-backbone segmentation benchmark on the embedded toy dataset
# (VOC segmentation PNGs: 0 background, 1-6 the toy classes), for `make demo`
# and tools/benchmarks/toy_study.py: the VOC FCN frozen benchmark with the toy
# ResNet-18 (16 base channels), 96 px, 300 iterations. Toy scale only.
_base_ = '../mmsegmentation/fcn_r50-d8-frozen_4xb4-20k_voc12aug-512x512.py'

data_root = 'data/toy/VOCdevkit/VOC2007'
classes = ('background', 'disc', 'box', 'triangle', 'ring', 'cross', 'diamond')
crop_size = (96, 96)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(depth=18, stem_channels=16, base_channels=16),
    decode_head=dict(in_channels=128, channels=64, num_classes=len(classes)),
    auxiliary_head=dict(in_channels=64, channels=32, num_classes=len(classes)))

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
    metainfo=dict(classes=classes, palette=[[40 * i, 40 * i, 40 * i] for i in range(7)]),
    pipeline=pipeline)
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(_delete_=True, ann_file='ImageSets/Segmentation/train.txt', **dataset))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(_delete_=True, ann_file='ImageSets/Segmentation/val.txt', **dataset))
test_dataloader = val_dataloader
# test once after training instead of validating too
val_dataloader = val_cfg = val_evaluator = None

max_iters = 300
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters)
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False),
]
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=1))
