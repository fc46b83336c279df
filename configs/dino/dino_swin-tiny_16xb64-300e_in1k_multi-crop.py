# DINO with Swin-T on ImageNet with DINO's multi-crop (beyond App. B, which
# uses the main paper's two views). Ic and Isc stay the two global views (the
# teacher's, and the pair a local branch would read), followed by
# `num_local_crops` small views for the student only, DINO's local crops:
# 96 px random-resized crops of 5-40 % of the image, flip, colour jitter,
# grayscale and blur (probability 0.5). Their geometry is recorded like any
# view's but no loss reads it. The Swin needs `pad_small_map=True`: a local
# crop's last stage (3 x 3) is smaller than the 7 x 7 window.
_base_ = './dino_swin-tiny_16xb64-300e_in1k.py'

model = dict(backbone=dict(pad_small_map=True))
num_local_crops = 6
view_local = [
    dict(
        type='RandomResizedCropWithBox',
        scale=96,
        crop_ratio_range=(0.05, 0.4),
        interpolation='bicubic',
        backend='pillow'),
    {{_base_.flip_sc}},
    {{_base_.colour_jitter}},
    {{_base_.grayscale}},
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 2.0),
        magnitude_std='inf',
        prob=0.5),
]
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFileChecked'),
        dict(
            type='MultiViewWithGeometry',
            num_views=[1, 1, num_local_crops],
            transforms=[{{_base_.view_c}}, {{_base_.view_sc}}, view_local]),
        {{_base_.pack_views}},
    ]))
