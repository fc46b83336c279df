# LC-BYOL on the toy recipe's ResNet-18 (stride-16 last stage, 8 x 8 grid at
# 128 px): the BYOL model of byol_resnet18-d16_toy.py plus the local branch,
# with the paper's alpha = 0.1 and the main config's tau = 0.2.
_base_ = './byol_resnet18-d16_toy.py'

model = dict(
    type='LCBYOL',
    global_views=(0, 1),
    local_branch=dict(
        type='LocalBranch',
        alpha=0.1,
        local_views=(0, 1),
        local_neck=dict(
            type='LocalProjectionNeck',
            in_channels={{_base_.feat_channels}},
            hid_channels={{_base_.feat_channels}},
            out_channels=256,
            with_relu=True,
            norm_cfg=dict(type='BN')),
        local_head=dict(
            type='LCHead',
            loss=dict(type='LocalContrastiveLoss', temperature=0.2))))
