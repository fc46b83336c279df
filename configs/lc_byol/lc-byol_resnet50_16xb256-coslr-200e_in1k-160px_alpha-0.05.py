_base_ = './lc-byol_resnet50_16xb256-coslr-200e_in1k-160px.py'

# alpha ablation (paper Sec. 4.5, Fig. 3b: VOC detection after 200 epochs at
# 160 px): L = (1 - alpha) L_G + alpha L_LC.
model = dict(local_branch=dict(alpha=0.05))
