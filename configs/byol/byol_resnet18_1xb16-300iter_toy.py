# BYOL with the same budget, data, backbone and schedule as the test-sized
# LC-BYOL config (lc-byol_resnet18_1xb16-300iter_toy.py), for the tests.
# Not a recipe: see byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py.
_base_ = [
    '../_base_/models/byol_resnet18-w16_test.py',
    '../_base_/datasets/toy_lc-byol_views.py',
    '../_base_/schedules/toy_lars-coslr-300iter.py',
    '../_base_/default_runtime_toy.py',
]
train_dataloader = dict(batch_size=16)
default_hooks = dict(checkpoint=dict(interval=100, max_keep_ckpts=2))
