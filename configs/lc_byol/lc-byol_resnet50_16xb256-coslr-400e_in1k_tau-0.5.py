_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

# temperature ablation (tau is not given in the paper; the default is 0.2).
model = dict(local_branch=dict(local_head=dict(loss=dict(temperature=0.5))))
