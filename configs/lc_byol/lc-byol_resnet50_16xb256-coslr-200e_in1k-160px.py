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
    {{_base_.colour_jitter}},
    {{_base_.grayscale}},
    {{_base_.blur_c}},
    {{_base_.solarize_c}},
]
view_sc = [
    dict(
        type='RandomResizedCropWithBox',
        scale=img_size,
        crop_ratio_range=(0.08, 1.0),
        interpolation='bicubic',
        backend='pillow'),
    {{_base_.flip_sc}},
    {{_base_.colour_jitter}},
    {{_base_.grayscale}},
    {{_base_.blur_sc}},
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
train_dataloader = dict(dataset=dict(pipeline=lc_train_pipeline))
