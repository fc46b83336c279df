# DenseCL (mmpretrain's) on the toy recipe's ResNet-18 with a stride-16 last
# stage (8 x 8 grid at 128 px); queues of 1024 keys for the 1,600 toy
# training scenes; BN for one CPU process.
model = dict(
    type='DenseCL',
    queue_len=1024,
    feat_dim=128,
    momentum=0.001,
    loss_lambda=0.5,
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
        type='DenseCLNeck',
        in_channels=512,
        hid_channels=512,
        out_channels=128,
        num_grid=None),
    head=dict(
        type='ContrastiveHead',
        loss=dict(type='CrossEntropyLoss'),
        temperature=0.2))
