# LC-SimSiam on the toy recipe (beyond the paper, which adds LC-loss to BYOL
# and DINO): SimSiam plus the local branch, whose target is the online local
# neck's projection of Ic without gradient (SimSiam has no target network).
# Toy scale: not the paper's numbers.
_base_ = [
    '../simsiam/simsiam_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py',
    '../_base_/models/local-branch_resnet18-d16_toy.py',
]
model = dict(type='LCSimSiam', local_branch={{_base_.local_branch}})
