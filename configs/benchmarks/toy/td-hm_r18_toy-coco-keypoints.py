# CPU-sized keypoint benchmark on the embedded toy dataset (version 4, COCO
# layout with four landmarks per object, its extreme points): the mmpose
# top-down heatmap benchmark with the toy recipe's ResNet-18 (64 base
# channels; mmpose's standard stride-32 stages) fully fine-tuned, 64 x 64
# crops of each object's ground-truth box, 16 x 16 heatmaps, 400 iterations
# at batch 32, COCO keypoint AP by mmpose's own evaluator. Toy scale: not a
# paper number.
_base_ = [
    '../mmpose/td-hm_res50_8xb64-210e_coco-256x192.py',
    '../../_base_/datasets/toy_keypoints_info.py',
    './_base_/toy_schedule_400iter.py',
]

data_root = 'data/toy/coco/'
codec = dict(
    type='MSRAHeatmap', input_size=(64, 64), heatmap_size=(16, 16), sigma=1)
model = dict(
    backbone=dict(depth=18),
    head=dict(
        in_channels=512,
        out_channels=4,
        deconv_out_channels=(128, 128, 128),
        decoder=codec),
    test_cfg=dict(flip_test=True))
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.25),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.25),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]
toy_dataset = dict(
    type='CocoDataset',
    data_root=data_root,
    data_mode='topdown',
    metainfo={{_base_.toy_keypoint_info}})
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        ann_file='annotations/instances_train.json',
        data_prefix=dict(img='train/'),
        pipeline=train_pipeline,
        **toy_dataset))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        ann_file='annotations/instances_val.json',
        data_prefix=dict(img='val/'),
        test_mode=True,
        pipeline=val_pipeline,
        **toy_dataset))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/instances_val.json')
test_evaluator = val_evaluator
# test once after training instead of validating too
val_dataloader = val_cfg = val_evaluator = None

max_iters = {{_base_.toy_max_iters}}
train_cfg = {{_base_.toy_train_cfg}}
param_scheduler = {{_base_.toy_param_scheduler}}
auto_scale_lr = dict(base_batch_size=32)
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(
        _delete_=True,
        type='CheckpointHook',
        by_epoch=False,
        interval=max_iters,
        max_keep_ckpts=1))
log_processor = {{_base_.toy_log_processor}}
