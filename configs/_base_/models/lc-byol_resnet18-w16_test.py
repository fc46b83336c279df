# Test-sized LC-BYOL: the toy recipe's LC-BYOL model
# (lc-byol_resnet18-d16_toy.py) at the widths of byol_resnet18-w16_test.py.
_base_ = './lc-byol_resnet18-d16_toy.py'
feat_channels = 128
model = dict(
    backbone=dict(stem_channels=16, base_channels=16, dilations=(1, 1, 1, 1)),
    neck=dict(in_channels=feat_channels, hid_channels=256, out_channels=64),
    head=dict(
        predictor=dict(in_channels=64, hid_channels=256, out_channels=64)),
    local_branch=dict(
        local_neck=dict(
            in_channels=feat_channels,
            hid_channels=feat_channels,
            out_channels=64)))
