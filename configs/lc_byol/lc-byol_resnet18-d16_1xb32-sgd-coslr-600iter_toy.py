# The toy recipe (docs/evaluation.md): LC-BYOL on a standard-width ResNet-18
# with a stride-16 last stage (8 x 8 grid at 128 px), toy dataset version 2,
# SGD at batch 32 on one CPU process, 600 iterations (about 19 min on 2 cores).
# LC-BYOL and BYOL share everything but the model file. Toy scale: not the
# paper's numbers.
_base_ = [
    '../_base_/models/lc-byol_resnet18-d16_toy.py',
    '../_base_/datasets/toy_lc-byol_views.py',
    '../_base_/schedules/toy_sgd-coslr.py',
    '../_base_/default_runtime_toy.py',
]
