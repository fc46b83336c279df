_base_ = './lc-byol_resnet50_16xb256-coslr-200e_in1k.py'

# Table 6 ablation (paper Sec. 4.4, 200 epochs): L2-normalised MSE between
# corresponding local features instead of the contrastive NLL, with the same
# bilinear sampling.
model = dict(
    local_branch=dict(
        local_head=dict(loss=dict(_delete_=True, type='LocalMSELoss'))))
