# DenseCL (mmpretrain's) on the toy recipe's ResNet-18 with a stride-16 last
# stage (8 x 8 grid at 128 px); queues of 1024 keys for the 1,600 toy
# training scenes; BN for one CPU process.
_base_ = './resnet18-d16_toy.py'

model = dict(
    type='DenseCL',
    queue_len=1024,
    feat_dim=128,
    momentum=0.001,
    loss_lambda=0.5,
    neck=dict(
        type='DenseCLNeck',
        in_channels={{_base_.feat_channels}},
        hid_channels=512,
        out_channels=128,
        num_grid=None),
    head=dict(
        type='ContrastiveHead',
        loss=dict(type='CrossEntropyLoss'),
        temperature=0.2))
