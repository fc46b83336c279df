# 200 epochs at 160 x 160 px (paper Sec. 4.5): both views at 160 px; the final
# ResNet-50 stage is then 5 x 5. The colour transforms are those of the
# 224 px base (../_base_/datasets/lc-byol_views_in1k.py).
_base_ = './lc-byol_resnet50_16xb256-coslr-200e_in1k.py'

img_size = 160
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
        magnitude_range=(0.1, 2.0),
        magnitude_std='inf',
        prob=1.0),
    dict(type='Solarize', thr=128, prob=0.0),
]
view_sc = [
    dict(
        type='RandomResizedCropWithBox',
        scale=img_size,
        crop_ratio_range=(0.08, 1.0),
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
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 2.0),
        magnitude_std='inf',
        prob=0.1),
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
train_dataloader = dict(dataset=dict(pipeline=lc_train_pipeline))
