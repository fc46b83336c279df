"""Two runs in one process each log into their own folder, although mmdet's,
mmseg's and mmpose's configs all name their visualizer ``'visualizer'`` (and
mmengine hands back the existing instance of a name)."""
import os.path as osp

from mmengine.config import Config

from mmlc.apis import build_runner, merge_train_args


def build(config, work_dir):
    cfg = Config.fromfile(config)
    cfg.visualizer = dict(
        type='Visualizer',
        name='visualizer',
        vis_backends=[dict(type='LocalVisBackend')])
    return build_runner(merge_train_args(cfg, config, work_dir=work_dir))


def test_each_run_gets_its_own_visualizer(write_small_config, tmp_path):
    config = write_small_config(tmp_path, 'small', 'log_level = "WARNING"\n')
    first = build(config, str(tmp_path / 'first'))
    second = build(config, str(tmp_path / 'second'))
    assert first.visualizer is not second.visualizer
    for runner, folder in ((first, 'first'), (second, 'second')):
        save_dir = runner.visualizer._vis_backends['LocalVisBackend']._save_dir
        assert save_dir.startswith(osp.join(str(tmp_path), folder)), save_dir
