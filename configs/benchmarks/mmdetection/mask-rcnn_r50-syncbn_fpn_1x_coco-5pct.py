# mini-COCO (Table 9): Mask R-CNN R50-FPN trained on 5% of train2017 with
# the paper's "1x schedule" in its framework, detectron2: 90k iterations at
# batch 16 with the learning rate divided by 10 at 60k and 80k, whatever the
# subset's size (mmdet's 12 epochs would be about 4.4k iterations here);
# evaluated on the full val2017. Write the subset first (the seed is
# recorded in the file):
#   python tools/dataset_converters/make_coco_subset.py \
#       data/coco/annotations/instances_train2017.json \
#       data/coco/annotations/instances_train2017_5pct_seed0.json \
#       --fraction 0.05 --seed 0
_base_ = './mask-rcnn_r50-syncbn_fpn_1x_coco.py'

max_iters = 90000
train_dataloader = dict(
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(ann_file='annotations/instances_train2017_5pct_seed0.json'))
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=10000)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=1000),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_iters,
        by_epoch=False,
        milestones=[60000, 80000],
        gamma=0.1)
]
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=10000))
log_processor = dict(by_epoch=False)
