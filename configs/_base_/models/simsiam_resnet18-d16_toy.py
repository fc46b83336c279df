# SimSiam (mmpretrain's) on the toy recipe's ResNet-18 with a stride-16 last
# stage (8 x 8 grid at 128 px), its projector and predictor at ResNet-18
# width; BN for one CPU process.
_base_ = './resnet18-d16_toy.py'

model = dict(
    type='SimSiam',
    backbone=dict(zero_init_residual=True),
    neck=dict(
        type='NonLinearNeck',
        in_channels={{_base_.feat_channels}},
        hid_channels=512,
        out_channels=512,
        num_layers=3,
        with_last_bn_affine=False,
        with_avg_pool=True),
    head=dict(
        type='LatentPredictHead',
        loss=dict(type='CosineSimilarityLoss'),
        predictor=dict(
            type='NonLinearNeck',
            in_channels={{_base_.feat_channels}},
            hid_channels=128,
            out_channels=512,
            with_avg_pool=False,
            with_last_bn=False,
            with_last_bias=True)))
