# LC-DenseCL on the toy recipe (beyond the paper, which adds LC-loss to BYOL
# and DINO): DenseCL (its global and dense losses) plus the local branch,
# with the query encoder on Isc (view 1) and the key encoder on Ic (view 0),
# whose pass also gives the local loss its target. Toy scale: not the
# paper's numbers.
_base_ = [
    '../densecl/densecl_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py',
    '../_base_/models/local-branch_resnet18-d16_toy.py',
]
model = dict(
    type='LCDenseCL',
    global_views=(1, 0),
    local_branch={{_base_.local_branch}})
