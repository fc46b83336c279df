# mini-COCO (Table 9): the 5% config's protocol (detectron2's 1x, 90k
# iterations) on 10% of train2017, evaluated on the full val2017. Write the
# subset first (the seed is recorded in the file):
#   python tools/dataset_converters/make_coco_subset.py \
#       data/coco/annotations/instances_train2017.json \
#       data/coco/annotations/instances_train2017_10pct_seed0.json \
#       --fraction 0.10 --seed 0
_base_ = './mask-rcnn_r50-syncbn_fpn_1x_coco-5pct.py'

train_dataloader = dict(
    dataset=dict(ann_file='annotations/instances_train2017_10pct_seed0.json'))
