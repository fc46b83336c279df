# Correspondence accuracy on the embedded toy data's val split with the toy
# recipe's ResNet-18 (stride-16 last stage: an 8 x 8 grid at 128 px), as the
# toy study measures it. Toy scale only.
#   python tools/test.py CONFIG work_dirs/lc-byol_toy/iter_600.pth
_base_ = './correspondence_resnet50_coco-val-flip.py'

model = dict(
    backbone=dict(depth=18, strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2)))
test_dataloader = dict(
    num_workers=0,
    dataset=dict(
        data_root='data/toy/imagenet',
        data_prefix='val',
        pipeline=[
            dict(type='LoadImageFromFileChecked'),
            dict(
                type='Resize',
                scale=(128, 128),
                keep_ratio=False,
                interpolation='bicubic',
                backend='pillow'),
            {{_base_.flip_pair_views}},
            {{_base_.pack}},
        ]))
