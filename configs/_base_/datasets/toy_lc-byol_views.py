# The embedded toy dataset (version 2, 128 px scenes; generate it with
#   python tools/dataset_converters/make_toy_dataset.py data/toy)
# read as an image folder, with LC-BYOL's two views per image and their
# geometry. The views are those of lc-byol_views_in1k.py (whose transforms
# this file reuses) scaled to 128 px:
#   Ic  = T_c(I):  the whole image resized to 128 x 128, colour only;
#   Isc = T_sc(I): random-resized-crop + horizontal flip + colour.
# What differs from ImageNet: the blur's sigma range is scaled by 128 / 224,
# and crops cover at least 20 % of the image (8 % of a 128 px scene is smaller
# than most objects). Colour augmentation is BYOL's: in version 2 of the toy
# data colour does not name the class, as in natural images.
_base_ = './lc-byol_views_in1k.py'

img_size = 128
view_c = [
    dict(
        type='Resize',
        scale=(img_size, img_size),
        keep_ratio=False,
        interpolation='bicubic',
        backend='pillow'),
    {{_base_.colour_jitter}},
    {{_base_.grayscale}},
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 1.1),
        magnitude_std='inf',
        prob=1.0),
]
view_sc = [
    dict(
        type='RandomResizedCropWithBox',
        scale=img_size,
        crop_ratio_range=(0.2, 1.0),
        interpolation='bicubic',
        backend='pillow'),
    {{_base_.flip_sc}},
    {{_base_.colour_jitter}},
    {{_base_.grayscale}},
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 1.1),
        magnitude_std='inf',
        prob=0.1),
    {{_base_.solarize_sc}},
]
lc_train_pipeline = [
    dict(type='LoadImageFromFileChecked'),
    dict(
        type='MultiViewWithGeometry',
        num_views=[1, 1],
        transforms=[view_c, view_sc]),
    {{_base_.pack_views}},
]
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='ResumableSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='CustomDataset',
        data_root='data/toy/imagenet',
        data_prefix='train',
        ann_file='meta/train.txt',
        pipeline=lc_train_pipeline))
