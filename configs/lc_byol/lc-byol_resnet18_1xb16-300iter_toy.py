# Test-sized LC-BYOL on the embedded toy dataset: the config the kill/resume,
# distributed-training and config-error tests train, because it is fast. Not a
# recipe: the toy study and `make demo` use
# lc-byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py, with the same views.
# Generate the data first:
#   python tools/dataset_converters/make_toy_dataset.py data/toy \
#       --num-images 400
# Toy-scale only: nothing here reproduces the paper's numbers.
_base_ = [
    '../_base_/models/lc-byol_resnet18-w16_test.py',
    '../_base_/datasets/toy_lc-byol_views.py',
    '../_base_/schedules/toy_lars-coslr-300iter.py',
    '../_base_/default_runtime_toy.py',
]
train_dataloader = dict(batch_size=16)
default_hooks = dict(checkpoint=dict(interval=100, max_keep_ckpts=2))
