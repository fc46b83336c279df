# The local branch (LocalBranch) on ResNet-50's final stage, 7 x 7 at 224 px:
# the paper's local projection neck (2048 -> 2048 -> 256, 1 x 1 convolutions
# with BN and ReLU) and LC-loss, alpha = 0.1, the target network on view 0
# (Ic) and the online one on view 1 (Isc). An LC algorithm's config lists it
# as `local_branch={{_base_.local_branch}}`; it adds only this variable, so it
# composes with any host config.
local_branch = dict(
    type='LocalBranch',
    alpha=0.1,
    local_views=(0, 1),  # L_LC: target network on Ic, online network on Isc
    local_neck=dict(
        type='LocalProjectionNeck',
        in_channels=2048,
        hid_channels=2048,
        out_channels=256,
        with_relu=True,
        norm_cfg=dict(type='SyncBN')),
    local_head=dict(
        type='LCHead',
        # tau is not given in the paper. 0.2 is the temperature of the dense
        # contrastive methods of the same period (DenseCL, MoCo v2) and keeps
        # the 49-way softmax of the 7 x 7 grid away from saturation early in
        # training; the `_tau-*` configs try 0.07, 0.1 and 0.5.
        loss=dict(type='LocalContrastiveLoss', temperature=0.2)))
