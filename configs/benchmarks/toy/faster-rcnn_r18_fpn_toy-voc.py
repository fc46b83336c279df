# CPU-sized detection benchmark on the embedded toy dataset (version 2, VOC
# layout), for `make demo` and tools/benchmarks/toy_study.py: the VOC Faster
# R-CNN benchmark with the toy recipe's ResNet-18 (64 base channels; the
# detector uses the standard stride-32 stages, as mmdet's ResNets do) fully
# fine-tuned, a 128-channel FPN and heads, 128 px images, 400 iterations.
# Toy scale: not a paper number.
_base_ = [
    '../mmdetection/faster-rcnn_r50-syncbn_fpn_1x_voc0712.py',
    './_base_/toy_schedule_400iter.py',
]

data_root = 'data/toy/VOCdevkit/'
classes = ('disc', 'ring', 'triangle', 'frame', 'cross', 'star')
img_scale = (128, 128)
model = dict(
    backbone=dict(depth=18),
    neck=dict(in_channels=[64, 128, 256, 512], out_channels=128),
    rpn_head=dict(in_channels=128, feat_channels=128),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=128),
        bbox_head=dict(
            in_channels=128, fc_out_channels=512, num_classes=len(classes))),
    # a few objects per 128 px image: far fewer proposals and sampled RoIs than
    # COCO needs
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=300, max_per_img=100),
        rcnn=dict(sampler=dict(num=64))),
    test_cfg=dict(rpn=dict(nms_pre=300, max_per_img=100)))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor')),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type='VOCDataset',
        data_root=data_root,
        ann_file='VOC2007/ImageSets/Main/train.txt',
        data_prefix=dict(sub_data_root='VOC2007/'),
        metainfo=dict(classes=classes),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        ann_file='VOC2007/ImageSets/Main/test.txt',
        metainfo=dict(classes=classes),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# test once after training instead of validating too
val_dataloader = val_cfg = val_evaluator = None
# the toy measure is AP50 (the study's since version 2 of the data), not the
# paper benchmark's AP over IoU 0.50:0.95
test_evaluator = dict(iou_thrs=0.5)

max_iters = {{_base_.toy_max_iters}}
train_cfg = {{_base_.toy_train_cfg}}
param_scheduler = {{_base_.toy_param_scheduler}}
optim_wrapper = dict(optimizer=dict(lr=0.02))
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=1))
log_processor = {{_base_.toy_log_processor}}
