# Views for LC-BYOL, used next to mmpretrain's BYOL config: this file only adds
# view variables (the transforms, `view_c`, `view_sc`, `lc_train_pipeline`),
# so it never collides with the keys of that base.
# Two views per image with recorded geometry (paper Sec. 3):
#   Ic  = T_c(I):  the whole image resized to 224 x 224, colour only;
#   Isc = T_sc(I): random-resized-crop (0.08-1) + horizontal flip + colour.
# The colour transforms are BYOL's with its asymmetric probabilities
# (Ic: blur always, no solarization; Isc: blur 0.1, solarization 0.2).
# Each transform is a named variable so that a config with another image size
# (the 160 px one) or other data (the toy views) lists them with
# `{{_base_.colour_jitter}}` etc. instead of copying them.
img_size = 224
colour_jitter = dict(
    type='RandomApply',
    transforms=[
        dict(
            type='ColorJitter',
            brightness=0.4,
            contrast=0.4,
            saturation=0.2,
            hue=0.1)
    ],
    prob=0.8)
grayscale = dict(
    type='RandomGrayscale',
    prob=0.2,
    keep_channels=True,
    channel_weights=(0.114, 0.587, 0.2989))
blur_c = dict(
    type='GaussianBlur',
    magnitude_range=(0.1, 2.0),
    magnitude_std='inf',
    prob=1.0)
solarize_c = dict(type='Solarize', thr=128, prob=0.0)
flip_sc = dict(type='RandomFlipWithGeometry', prob=0.5)
blur_sc = dict(
    type='GaussianBlur',
    magnitude_range=(0.1, 2.0),
    magnitude_std='inf',
    prob=0.1)
solarize_sc = dict(type='Solarize', thr=128, prob=0.2)
view_c = [
    dict(
        type='Resize',
        scale=(img_size, img_size),
        keep_ratio=False,
        interpolation='bicubic',
        backend='pillow'),
    colour_jitter,
    grayscale,
    blur_c,
    solarize_c,
]
crop_sc = dict(
    type='RandomResizedCropWithBox',
    scale=img_size,
    crop_ratio_range=(0.08, 1.0),
    interpolation='bicubic',
    backend='pillow')
view_sc = [
    crop_sc,
    flip_sc,
    colour_jitter,
    grayscale,
    blur_sc,
    solarize_sc,
]
pack_views = dict(
    type='PackInputs', algorithm_keys=['view_boxes', 'view_flips', 'ori_hw'])
lc_train_pipeline = [
    dict(type='LoadImageFromFileChecked'),
    dict(
        type='MultiViewWithGeometry',
        num_views=[1, 1],
        transforms=[view_c, view_sc]),
    pack_views,
]
