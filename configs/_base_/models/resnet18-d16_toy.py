# The toy recipe's network, shared by every method's toy model: a
# standard-width ResNet-18 (64 base channels) whose last stage keeps stride 16
# (stride 1 + dilation 2 in layer4, as mmseg's dilated ResNets do), so 128 px
# views give an 8 x 8 final-stage grid of 512 channels; BN instead of SyncBN
# (the toy runs use one CPU process); ImageNet normalisation. A method's toy
# model file inherits this one and adds its type, neck and head.
feat_channels = 512
model = dict(
    data_preprocessor=dict(
        type='SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(
        type='ResNet',
        depth=18,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=dict(type='BN'),
        zero_init_residual=False))
