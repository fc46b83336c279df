"""The analysis tools' command lines, end to end on toy data (tiny inputs)."""
import importlib.util
import json
import os.path as osp

import pytest

TOY_NET = ['--depth', '18', '--base-channels', '16', '--last-stride', '1']


def load_tool(repo_root, name):
    path = osp.join(repo_root, 'tools', 'analysis_tools', f'{name}.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_correspondence_tool_is_deterministic_and_writes_json(
        repo_root, toy_root, tmp_path):
    tool = load_tool(repo_root, 'correspondence_accuracy')
    images = osp.join(toy_root, 'imagenet', 'val')
    args = ['random', images, '--img-size', '64', '--seed', '3', *TOY_NET]
    first = tool.main(args + ['--out', str(tmp_path / 'a.json')])
    second = tool.main(args)
    assert first['metrics'] == second['metrics'] and first[
        'per_image'] == second['per_image']
    assert 0.0 <= first['metrics']['accuracy'] <= 1.0 and first['grid'] == [
        4, 4
    ]
    assert json.load(open(tmp_path / 'a.json'))['task'] == 'correspondence'


def test_visualize_tool_writes_a_png(repo_root, toy_root, tmp_path):
    tool = load_tool(repo_root, 'visualize_correspondence')
    image = osp.join(toy_root, 'VOCdevkit', 'VOC2007', 'JPEGImages',
                     'toy_000000.jpg')
    for mode in ('flip', 'crop'):
        accuracy = tool.main([
            'random', image, '--out',
            str(tmp_path / f'{mode}.png'), '--mode', mode, '--show-gt',
            '--img-size', '64', *TOY_NET
        ])
        assert 0.0 <= accuracy <= 1.0
        assert open(tmp_path / f'{mode}.png',
                    'rb').read(8) == b'\x89PNG\r\n\x1a\n'


def test_fewshot_tool_caches_features(repo_root, toy_root, tmp_path):
    tool = load_tool(repo_root, 'fewshot_eval')
    args = [
        'random',
        osp.join(toy_root, 'imagenet',
                 'train'), '--n-way', '2', '--k-shot', '1', '--n-query', '1',
        '--episodes', '5', '--img-size', '48', '--cache',
        str(tmp_path / 'feats.npz'), *TOY_NET
    ]
    first = tool.main(args + ['--out', str(tmp_path / 'fewshot.json')])
    assert osp.isfile(tmp_path / 'feats.npz')
    second = tool.main(args)  # from the cache
    assert first['metrics'] == second['metrics'] and first['episodes'] == 5
    collect = load_tool(repo_root, 'collect_results')
    markdown = collect.main(
        [str(tmp_path), '--markdown',
         str(tmp_path / 't.md')])
    assert 'fewshot-2way1shot acc' in markdown and open(
        tmp_path / 't.md').read() == markdown


def test_fewshot_tool_refuses_a_flat_folder(repo_root, tmp_path):
    tool = load_tool(repo_root, 'fewshot_eval')
    with pytest.raises(ValueError, match='one folder per class'):
        tool.main(['random', str(tmp_path)])


def test_linear_probe_tool_writes_a_result_the_tables_read(
        repo_root, toy_root, tmp_path):
    from toy_report import headline, load_toy_records
    tool = load_tool(repo_root, 'linear_probe')
    voc = osp.join(toy_root, 'VOCdevkit', 'VOC2007')
    record = tool.main([
        'random', voc, '--num-classes', '7', '--img-size', '64', '--epochs',
        '2', '--last-dilation', '2', *TOY_NET, '--out',
        str(tmp_path / 'p.json')
    ])
    assert record['grid'] == [4, 4] and record['num_val'] == 5
    loaded, = load_toy_records(str(tmp_path))
    assert headline(loaded) == pytest.approx(record['metrics']['mIoU'])


def test_a_backbone_config_describes_the_same_network_as_the_flags(
        repo_root, toy_root, tmp_path):
    """``--backbone-config`` (the toy recipe's LC-BYOL config) builds the
    same ResNet-18-d16 as ``--depth 18 --last-stride 1 --last-dilation 2``:
    from the same checkpoint, the same correspondence result."""
    import torch

    from mmlc.evaluation import load_resnet
    torch.manual_seed(0)
    net = load_resnet(None, depth=18, last_stride=1, last_dilation=2, seed=5)
    checkpoint = str(tmp_path / 'r18-d16.pth')
    torch.save({'state_dict': net.state_dict()}, checkpoint)
    tool = load_tool(repo_root, 'correspondence_accuracy')
    images = osp.join(toy_root, 'imagenet', 'val')
    config = osp.join(repo_root, 'configs', 'lc_byol',
                      'lc-byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py')
    common = [checkpoint, images, '--img-size', '64', '--seed', '2']
    by_config = tool.main(common + ['--backbone-config', config])
    by_flags = tool.main(
        common +
        ['--depth', '18', '--last-stride', '1', '--last-dilation', '2'])
    assert by_config['grid'] == by_flags['grid'] == [4, 4]
    assert by_config['per_image'] == by_flags['per_image']


def test_dense_retrieval_tool_writes_a_result_the_collector_reads(
        repo_root, toy_root, tmp_path):
    tool = load_tool(repo_root, 'dense_retrieval')
    voc = osp.join(toy_root, 'VOCdevkit', 'VOC2007')
    args = [
        'random', voc, '--num-classes', '7', '--img-size', '64', '--k', '3',
        '--last-dilation', '2', *TOY_NET
    ]
    record = tool.main(
        args + ['--batch-size', '4', '--out',
                str(tmp_path / 'r.json')])
    # 19 train scenes of the toy fixture, 4 x 4 patches each (labelled ones)
    assert record['grid'] == [4, 4] and record['num_val'] == 5
    assert 0 < record['bank_size'] <= 19 * 16
    assert 0.0 <= record['metrics']['mIoU'] <= 100.0
    # the batch of images does not change the result
    assert tool.main(args + ['--batch-size', '7'])['metrics'] == (
        record['metrics'])
    collect = load_tool(repo_root, 'collect_results')
    markdown = collect.main([str(tmp_path)])
    assert 'dense-retrieval mIoU' in markdown


def test_view_colour_shortcut_tool_pairs_identical_views_perfectly(
        repo_root, toy_root, tmp_path):
    tool = load_tool(repo_root, 'view_colour_shortcut')
    config = osp.join(repo_root, 'configs', 'byol',
                      'byol_resnet18-d16_1xb32-sgd-coslr-600iter_toy.py')
    views = 'train_dataloader.dataset.pipeline.1.transforms'
    data = [
        '--cfg-options',
        f'train_dataloader.dataset.data_root={toy_root}/imagenet'
    ]
    # both views the whole image resized, no colour, blur or solarisation:
    # every image's two views have one histogram, unlike its group's others
    identical = [
        f'{views}.1.0.crop_ratio_range=(1.0,1.0)',
        f'{views}.1.0.aspect_ratio_range=(1.0,1.0)'
    ] + [
        f'{views}.{view}.{index}.prob=0.0'
        for view, indices in ((0, (1, 2, 3)), (1, (1, 2, 3, 4, 5)))
        for index in indices
    ]
    out = tmp_path / 'identical.json'
    result = tool.main([config, '--images', '8', '--group-size', '4'] + data +
                       identical + ['--out', str(out)])
    assert result['colour_pairing_accuracy'] == 1.0
    assert result['chance'] == 0.25
    assert json.load(open(out)) == json.loads(json.dumps(result))
    # the recipe's random views: the same draws under the same seed
    recipe = [config, '--images', '8', '--group-size', '4', '--seed', '2']
    first = tool.main(recipe + data)
    assert first == tool.main(recipe + data)
    assert first['group_size'] == 4 and first['bins'] == 4
    # random views do not share their histogram, so some pairs are missed: a
    # view is matched against the other view, not against itself
    assert 0.0 < first['colour_pairing_accuracy'] < 1.0
    with pytest.raises(SystemExit, match='not a multiple'):
        tool.main([config, '--images', '6', '--group-size', '4'] + data)
    with pytest.raises(ValueError, match='--images 400: the dataset has'):
        tool.main([config, '--images', '400', '--group-size', '4'] + data)
