# BYOL on the toy recipe's ResNet-18 (resnet18-d16_toy.py: stride-16 last
# stage, 8 x 8 grid at 128 px); the LC-BYOL model file adds the local branch
# to it.
_base_ = './resnet18-d16_toy.py'

model = dict(
    type='BYOL',
    # BYOL's target momentum 0.996 -> 1 (mmpretrain's CosineEMA weights the
    # online network by `base_momentum`)
    base_momentum=0.004,
    neck=dict(
        type='NonLinearNeck',
        in_channels={{_base_.feat_channels}},
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
