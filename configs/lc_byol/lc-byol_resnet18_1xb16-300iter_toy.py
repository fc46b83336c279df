# Test-sized LC-BYOL on the embedded toy dataset: the config the kill/resume,
# distributed-training and config-error tests train, because it is fast. Not a
# recipe: the toy study and `make demo` use
# lc-byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py.
# Generate the data first:
#   python tools/dataset_converters/make_toy_dataset.py data/toy \
#       --num-images 400
# ResNet-18 with 16 base channels; the last stage keeps stride 16 (stride 1
# in layer4) so that 96 px views still give a 6 x 6 grid for the local loss.
# Toy-scale only: nothing here reproduces the paper's numbers.
_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

img_size = 96
feat_channels = 128  # 16 base channels x 8 in the last ResNet-18 stage
model = dict(
    backbone=dict(
        depth=18,
        stem_channels=16,
        base_channels=16,
        strides=(1, 2, 2, 1),
        norm_cfg=dict(type='BN')),
    neck=dict(in_channels=feat_channels, hid_channels=256, out_channels=64),
    head=dict(
        predictor=dict(in_channels=64, hid_channels=256, out_channels=64)),
    local_neck=dict(
        in_channels=feat_channels,
        hid_channels=feat_channels,
        out_channels=64,
        norm_cfg=dict(type='BN')))

view_c = [
    dict(
        type='Resize',
        scale=(img_size, img_size),
        keep_ratio=False,
        interpolation='bicubic',
        backend='pillow'),
    dict(
        type='RandomApply',
        transforms=[
            dict(
                type='ColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.2,
                hue=0.1)
        ],
        prob=0.8),
    dict(
        type='RandomGrayscale',
        prob=0.2,
        keep_channels=True,
        channel_weights=(0.114, 0.587, 0.2989)),
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 1.0),
        magnitude_std='inf',
        prob=0.5),
]
view_sc = [
    dict(
        type='RandomResizedCropWithBox',
        scale=img_size,
        crop_ratio_range=(0.2, 1.0),
        interpolation='bicubic',
        backend='pillow'),
    dict(type='RandomFlipWithGeometry', prob=0.5),
    dict(
        type='RandomApply',
        transforms=[
            dict(
                type='ColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.2,
                hue=0.1)
        ],
        prob=0.8),
    dict(
        type='RandomGrayscale',
        prob=0.2,
        keep_channels=True,
        channel_weights=(0.114, 0.587, 0.2989)),
    dict(type='Solarize', thr=128, prob=0.2),
]
lc_train_pipeline = [
    dict(type='LoadImageFromFileChecked'),
    dict(
        type='MultiViewWithGeometry',
        num_views=[1, 1],
        transforms=[view_c, view_sc]),
    dict(
        type='PackInputs',
        algorithm_keys=['view_boxes', 'view_flips', 'ori_hw']),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        _delete_=True,
        type='CustomDataset',
        data_root='data/toy/imagenet',
        data_prefix='train',
        ann_file='meta/train.txt',
        pipeline=lc_train_pipeline))

max_iters = 300
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='LARS', lr=0.3, momentum=0.9, weight_decay=1e-6),
    paramwise_cfg=dict(
        custom_keys={
            'bn': dict(decay_mult=0, lars_exclude=True),
            'bias': dict(decay_mult=0, lars_exclude=True),
            'downsample.1': dict(decay_mult=0, lars_exclude=True),
        }))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=30),
    dict(
        type='CosineAnnealingLR',
        T_max=max_iters - 30,
        by_epoch=False,
        begin=30,
        end=max_iters),
]
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10),
    checkpoint=dict(
        type='ResumableCheckpointHook',
        interval=100,
        by_epoch=False,
        max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
auto_scale_lr = dict(base_batch_size=16)
randomness = dict(seed=0, deterministic=False)
