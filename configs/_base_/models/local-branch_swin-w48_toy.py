# The local branch on the toy Swin's final stage (192 channels, 8 x 8 at
# 128 px), with App. B's alpha = 0.5 and the main config's tau = 0.2; BN for
# one CPU process.
_base_ = './local-branch_swin-tiny.py'

local_branch = dict(
    local_neck=dict(
        in_channels=192,
        hid_channels=192,
        out_channels=128,
        norm_cfg=dict(type='BN')))
