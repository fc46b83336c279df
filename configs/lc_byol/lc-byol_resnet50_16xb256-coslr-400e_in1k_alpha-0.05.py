_base_ = './lc-byol_resnet50_16xb256-coslr-400e_in1k.py'

# alpha ablation (paper Sec. 4.5): L = (1 - alpha) L_G + alpha L_LC.
model = dict(local_branch=dict(alpha=0.05))
