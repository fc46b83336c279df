# Correspondence accuracy (paper Sec. 4.6) as a test loop: every COCO val2017
# image (resized to 224 px: a 7 x 7 final-stage grid) and its mirror, each
# with its own colour transform, through the frozen backbone; the
# CorrespondenceAccuracy metric matches each cell of the image to the most
# similar cell of the mirror. Same protocol as
# tools/analysis_tools/correspondence_accuracy.py (whose colour draws are
# seeded per image; here they follow the run's seed).
#   python tools/test.py CONFIG work_dirs/lc-byol/epoch_400.pth
_base_ = [
    'mmpretrain::_base_/default_runtime.py',
    '../../_base_/datasets/lc-byol_views_in1k.py',
]

img_size = 224
# the tool's colour transforms: BYOL's jitter and grayscale, blur p = 0.5
colour = [
    {{_base_.colour_jitter}},
    {{_base_.grayscale}},
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 2.0),
        magnitude_std='inf',
        prob=0.5),
]
flip_pair_views = dict(
    type='MultiViewWithGeometry',
    num_views=[1, 1],
    transforms=[
        colour, [dict(type='RandomFlipWithGeometry', prob=1.0)] + colour
    ])
pack = dict(type='PackInputs', algorithm_keys=['view_boxes', 'view_flips'])
flip_pair_pipeline = [
    dict(type='LoadImageFromFileChecked'),
    dict(
        type='Resize',
        scale=(img_size, img_size),
        keep_ratio=False,
        interpolation='bicubic',
        backend='pillow'),
    flip_pair_views,
    pack,
]

model = dict(
    type='DenseViewFeatures',
    backbone=dict(
        type='ResNet', depth=50, out_indices=(3, ), norm_cfg=dict(type='BN')))

test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='CustomDataset',
        data_root='data/coco',
        data_prefix='val2017',
        with_label=False,
        pipeline=flip_pair_pipeline))
test_evaluator = dict(type='CorrespondenceAccuracy')
test_cfg = dict(type='TestLoop')
