# Ablation of the toy LC-BYOL config without colour augmentation (no colour
# jitter, grayscale or solarisation; crops, flips and blur stay). The toy
# classes differ mostly by colour, and BYOL-style colour augmentation trains
# colour-invariant features: this config tests whether that explains the toy
# study's result (docs/evaluation.md). Not a recommended pretraining recipe.
_base_ = './lc-byol_resnet18_1xb16-300iter_toy.py'

view_c = [
    dict(type='Resize', scale=({{_base_.img_size}}, {{_base_.img_size}}), keep_ratio=False,
         interpolation='bicubic', backend='pillow'),
    dict(type='GaussianBlur', magnitude_range=(0.1, 1.0), magnitude_std='inf', prob=0.5),
]
view_sc = [
    dict(type='RandomResizedCropWithBox', scale={{_base_.img_size}}, crop_ratio_range=(0.2, 1.0),
         interpolation='bicubic', backend='pillow'),
    dict(type='RandomFlipWithGeometry', prob=0.5),
]
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImageFromFileChecked'),
    dict(type='MultiViewWithGeometry', num_views=[1, 1], transforms=[view_c, view_sc]),
    dict(type='PackInputs', algorithm_keys=['view_boxes', 'view_flips', 'ori_hw']),
]))
