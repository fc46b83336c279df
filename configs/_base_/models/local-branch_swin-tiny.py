# The local branch on Swin-T's final stage (768 channels, 7 x 7 at 224 px), as
# the paper's App. B puts LC-loss on DINO: alpha = 0.5, the target network on
# view 0 (Ic) and the online one on view 1 (Isc), the local projection neck
# of the main paper (1 x 1 convolutions with BN and ReLU, hidden width equal
# to the input's, 256 outputs) and LC-loss with the main config's tau = 0.2.
# An LC config lists it as `local_branch={{_base_.local_branch}}`.
local_branch = dict(
    type='LocalBranch',
    alpha=0.5,
    local_views=(0, 1),
    local_neck=dict(
        type='LocalProjectionNeck',
        in_channels=768,
        hid_channels=768,
        out_channels=256,
        with_relu=True,
        norm_cfg=dict(type='SyncBN')),
    local_head=dict(
        type='LCHead', loss=dict(type='LocalContrastiveLoss',
                                 temperature=0.2)))
