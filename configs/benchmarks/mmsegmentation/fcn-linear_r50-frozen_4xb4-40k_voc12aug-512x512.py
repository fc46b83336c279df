# Frozen linear segmentation on PASCAL VOC aug (beyond the paper: the cheap
# dense protocol of VICRegL, frozen ResNet-50, 40k iterations): the frozen
# FCN benchmark's backbone (stride 8, BN in eval mode, nothing trained) with
# a linear decode head only, a 1 x 1 convolution from the 2,048 backbone
# channels to the classes (mmseg's FCNHead without convolutions, dropout or
# input concatenation) and no auxiliary head. Its toy version is the dense
# linear probe of mmlc.evaluation.linear_probe (docs/evaluation.md).
_base_ = [
    'mmseg::fcn/fcn_r50-d8_4xb4-40k_voc12aug-512x512.py',
    '../_base_/pretrained_resnet50.py',
]

model = dict(
    pretrained=None,
    backbone={{_base_.frozen_resnet50}},
    decode_head=dict(
        num_convs=0, channels=2048, concat_input=False, dropout_ratio=0.0),
    auxiliary_head=None)
