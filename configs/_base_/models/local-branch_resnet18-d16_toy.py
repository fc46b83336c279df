# The local branch on the toy recipe's ResNet-18 (512 channels, 8 x 8 at
# 128 px), with the paper's alpha = 0.1 and the main config's tau = 0.2; BN
# for one CPU process. Listed by the toy LC configs of every host method as
# `local_branch={{_base_.local_branch}}`.
local_branch = dict(
    type='LocalBranch',
    alpha=0.1,
    local_views=(0, 1),
    local_neck=dict(
        type='LocalProjectionNeck',
        in_channels=512,
        hid_channels=512,
        out_channels=256,
        with_relu=True,
        norm_cfg=dict(type='BN')),
    local_head=dict(
        type='LCHead', loss=dict(type='LocalContrastiveLoss',
                                 temperature=0.2)))
