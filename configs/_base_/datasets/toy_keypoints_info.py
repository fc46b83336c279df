# mmpose's dataset meta of the toy keypoints (toy data version 4): four
# landmarks per object, its topmost, bottommost, leftmost and rightmost points
# in the image (`left` and `right` are the flip pair), as
# mmlc.datasets.TOY_KEYPOINTS. The keypoint sigmas of COCO's OKS are those
# of COCO's body joints of a similar scale (0.05).
toy_keypoint_info = dict(
    dataset_name='mmlc_toy_keypoints',
    paper_info=dict(),
    keypoint_info={
        0:
        dict(name='top', id=0, color=[255, 128, 0], type='upper', swap=''),
        1:
        dict(name='bottom', id=1, color=[0, 128, 255], type='lower', swap=''),
        2:
        dict(name='left', id=2, color=[0, 255, 0], type='upper', swap='right'),
        3:
        dict(
            name='right', id=3, color=[255, 0, 255], type='upper',
            swap='left'),
    },
    skeleton_info={
        0: dict(link=('top', 'left'), id=0, color=[255, 255, 255]),
        1: dict(link=('top', 'right'), id=1, color=[255, 255, 255]),
        2: dict(link=('bottom', 'left'), id=2, color=[255, 255, 255]),
        3: dict(link=('bottom', 'right'), id=3, color=[255, 255, 255]),
    },
    joint_weights=[1.0, 1.0, 1.0, 1.0],
    sigmas=[0.05, 0.05, 0.05, 0.05])
