# BYOL on a standard-width ResNet-18 (64 base channels) whose last stage keeps
# stride 16 (stride 1 + dilation 2 in layer4, as mmseg's dilated ResNets do):
# 128 px views give an 8 x 8 final-stage grid. The toy recipe's model; the
# LC-BYOL model file adds the local branch to it. BN instead of SyncBN: the
# toy runs use one CPU process.
feat_channels = 512
model = dict(
    type='BYOL',
    # BYOL's target momentum 0.996 -> 1 (mmpretrain's CosineEMA weights the
    # online network by `base_momentum`)
    base_momentum=0.004,
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
        zero_init_residual=False),
    neck=dict(
        type='NonLinearNeck',
        in_channels=feat_channels,
        hid_channels=1024,
        out_channels=256,
        num_layers=2,
        with_last_bn=False,
        with_avg_pool=True),
    head=dict(
        type='LatentPredictHead',
        loss=dict(type='CosineSimilarityLoss'),
        predictor=dict(
            type='NonLinearNeck',
            in_channels=256,
            hid_channels=1024,
            out_channels=256,
            num_layers=2,
            with_last_bn=False,
            with_avg_pool=False)))
