# DINO on a Swin small enough for the toy recipe's CPU: 48 embedding
# channels, three stages of two blocks (2, 4, 8 heads), 8 x 8 windows, so
# 128 px views give a final stage of 8 x 8 x 192 (the grid of the toy
# ResNet-18); DINO's projection head at toy width (512 hidden, 128
# bottleneck, K = 4096). The teacher momentum, temperatures and centring are
# DINO's (dino_swin-tiny.py).
_base_ = './dino_swin-tiny.py'

feat_channels = 192
model = dict(
    backbone=dict(
        _delete_=True,
        type='SwinTransformer',
        arch=dict(embed_dims=48, depths=[2, 2, 2], num_heads=[2, 4, 8]),
        img_size=128,
        window_size=8,
        drop_path_rate=0.0,
        out_indices=(2, )),
    neck=dict(
        in_channels=feat_channels,
        hid_channels=512,
        bottleneck_channels=128,
        out_channels=4096),
    head=dict(loss=dict(out_channels=4096)))
