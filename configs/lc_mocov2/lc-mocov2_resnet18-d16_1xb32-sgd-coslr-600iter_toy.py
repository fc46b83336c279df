# LC-MoCo v2 on the toy recipe (beyond the paper, which adds LC-loss to BYOL
# and DINO): MoCo v2 plus the local branch, with the query encoder on Isc
# (view 1) and the key encoder on Ic (view 0), so that the key encoder's pass
# over Ic gives the local loss its target. Toy scale: not the paper's numbers.
_base_ = [
    '../mocov2/mocov2_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py',
    '../_base_/models/local-branch_resnet18-d16_toy.py',
]
model = dict(
    type='LCMoCoV2', global_views=(1, 0), local_branch={{_base_.local_branch}})
