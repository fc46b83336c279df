# BYOL with the same budget, data, backbone and schedule as the test-sized
# LC-BYOL config (lc-byol_resnet18_1xb16-300iter_toy.py), for the tests.
# Not a recipe: see byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py.
_base_ = '../lc_byol/lc-byol_resnet18_1xb16-300iter_toy.py'

model = dict(
    _delete_=True,
    type='BYOL',
    base_momentum=0.004,
    backbone={{_base_.model.backbone}},
    neck={{_base_.model.neck}},
    head={{_base_.model.head}})
