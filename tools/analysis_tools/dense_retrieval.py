"""Dense nearest-neighbour retrieval segmentation of a frozen backbone on a
VOC-style root (the "Hummingbird" protocol; no training).

    python tools/analysis_tools/dense_retrieval.py CHECKPOINT \
        data/VOCdevkit/VOC2012 --num-classes 21 --img-size 224 --k 10 \
        --out dense_retrieval.json

The ``train`` split's final-stage patches, labelled by the majority label of
their pixels, form the memory bank (float16, built one batch of images at a
time); every ``val`` patch takes the label most common among its k nearest
bank patches by cosine similarity; mmseg-style mIoU on ``val``. CHECKPOINT:
any layout tools/model_converters/convert_checkpoint.py reads, or `random`.
"""
import argparse

from backbone_args import (add_voc_segmentation_arguments, backbone_from_args,
                           segmentation_record)

from mmlc.evaluation.dense_retrieval import dense_retrieval_on_voc


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_voc_segmentation_arguments(parser)
    parser.add_argument('--k', type=int, default=10)
    parser.add_argument('--batch-size', type=int, default=32)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    result = dense_retrieval_on_voc(
        backbone_from_args(args),
        args.voc_root,
        args.num_classes,
        img_size=args.img_size,
        k=args.k,
        batch_size=args.batch_size)
    record = segmentation_record(args, 'dense-retrieval', result)
    metrics = record['metrics']
    print(f'dense retrieval mIoU {metrics["mIoU"]:.1f} (aAcc '
          f'{metrics["aAcc"]:.1f}), k={args.k}, bank of '
          f'{result["bank_size"]} patches, {result["num_val"]} val images')
    return record


if __name__ == '__main__':
    main()
