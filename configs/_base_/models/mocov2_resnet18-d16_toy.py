# MoCo v2 (mmpretrain's MoCo with its v2 neck and head) on the toy recipe's
# ResNet-18 with a stride-16 last stage (8 x 8 grid at 128 px); a queue of
# 1024 keys for the 1,600 toy training scenes; BN for one CPU process.
_base_ = './resnet18-d16_toy.py'

model = dict(
    type='MoCo',
    queue_len=1024,
    feat_dim=128,
    momentum=0.001,
    neck=dict(
        type='MoCoV2Neck',
        in_channels={{_base_.feat_channels}},
        hid_channels=512,
        out_channels=128,
        with_avg_pool=True),
    head=dict(
        type='ContrastiveHead',
        loss=dict(type='CrossEntropyLoss'),
        temperature=0.2))
