# PASCAL VOC semantic segmentation, FCN R50-D8 on train-aug 2012, 20k
# iterations (Table 3), full fine-tuning with SyncBN.
# mmseg's FCN uses ResNetV1c (deep stem) initialised from
# open-mmlab://resnet50_v1c; a converted ResNet-50 has the plain stem, so the
# backbone is a plain `ResNet` and `model.pretrained` is cleared (the
# checkpoint goes through backbone.init_cfg instead).
_base_ = [
    'mmseg::fcn/fcn_r50-d8_4xb4-20k_voc12aug-512x512.py',
    '../_base_/pretrained_resnet50.py',
]

model = dict(pretrained=None, backbone={{_base_.finetune_resnet50}})
