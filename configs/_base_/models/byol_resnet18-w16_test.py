# Test-sized BYOL: the toy recipe's model (byol_resnet18-d16_toy.py) at a
# quarter of its width (16 base channels, 128 channels in the last stage) and
# with a plain stride-1 last stage. Fast enough for the tests that train a
# network (kill/resume, distributed, config errors); not a recipe.
_base_ = './byol_resnet18-d16_toy.py'
feat_channels = 128
model = dict(
    backbone=dict(stem_channels=16, base_channels=16, dilations=(1, 1, 1, 1)),
    neck=dict(in_channels=feat_channels, hid_channels=256, out_channels=64),
    head=dict(
        predictor=dict(in_channels=64, hid_channels=256, out_channels=64)))
