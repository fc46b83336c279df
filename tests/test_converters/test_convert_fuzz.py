"""The conversion CLI under fuzzing: exit 2, one line, no traceback, nothing
written."""
import importlib.util
import io
import os
import os.path as osp
import subprocess
import sys
import tempfile

import pytest
import torch
import torchvision
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

TOOL = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
    'model_converters', 'convert_checkpoint.py')
EXAMPLES = 150


def load_tool():
    spec = importlib.util.spec_from_file_location('convert_checkpoint_fuzz',
                                                  TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL_MODULE = load_tool()


def _valid_checkpoint_bytes() -> bytes:
    torch.manual_seed(0)
    buffer = io.BytesIO()
    state = torchvision.models.resnet18(weights=None).state_dict()
    torch.save({'state_dict': state}, buffer)
    return buffer.getvalue()


VALID = _valid_checkpoint_bytes()


def convert_bytes(data: bytes, capsys, extra=()):
    """Write ``data`` as SRC in a fresh folder, run the CLI, check the
    refusal."""
    capsys.readouterr()  # a replayed example sees only its own output
    with tempfile.TemporaryDirectory() as folder:
        src = osp.join(folder, 'src.pth')
        with open(src, 'wb') as f:
            f.write(data)
        code = TOOL_MODULE.main(
            [src, osp.join(folder, 'out.pth'), '--depth', '18', *extra])
        err = capsys.readouterr().err
        assert_refused(code, err, folder, ['src.pth'])
        with open(src, 'rb') as f:
            assert f.read() == data  # SRC untouched


def assert_refused(code, err, folder, expected_files):
    assert code == 2, err
    assert err.startswith('error: ') and 'Traceback' not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert sorted(os.listdir(folder)) == expected_files


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow
    ])


@FUZZ
@given(
    data=st.binary(max_size=4096),
    prefix=st.sampled_from([b'', b'PK\x03\x04', b'\x80\x02', b'\x80\x04\x95']))
def test_random_bytes(capsys, data, prefix):
    convert_bytes(prefix + data, capsys)


@FUZZ
@given(cut=st.integers(0, len(VALID) - 1))
def test_truncated_archive(capsys, cut):
    convert_bytes(VALID[:cut], capsys)


@settings(FUZZ, max_examples=EXAMPLES // 3)
@given(
    position=st.one_of(
        st.integers(0, 4095), st.integers(len(VALID) - 4096,
                                          len(VALID) - 1)),
    value=st.integers(0, 255))
# a key's letter turned into a carriage return (the CI run of 2026-11-30)
@example(position=1797, value=13)
def test_one_corrupted_byte_in_the_archive_structure(capsys, position, value):
    """The pickled object list at the start and the zip directory at the
    end."""
    data = bytearray(VALID)
    if data[position] == value:
        return
    data[position] = value
    try:
        convert_bytes(bytes(data), capsys)
    except AssertionError:
        # a byte in a tensor's payload can change weights without breaking the
        # file: then the conversion may succeed, and must write a loadable file
        with tempfile.TemporaryDirectory() as folder:
            src, dst = osp.join(folder, 'src.pth'), osp.join(folder, 'out.pth')
            with open(src, 'wb') as f:
                f.write(bytes(data))
            assert TOOL_MODULE.main([src, dst, '--depth', '18']) == 0
            torch.load(dst, weights_only=True)
        capsys.readouterr()


values = st.recursive(
    st.one_of(st.text(max_size=20), st.integers(), st.none(), st.booleans()),
    lambda inner: st.dictionaries(st.text(max_size=20), inner, max_size=4),
    max_leaves=12)


@FUZZ
@given(
    state=st.dictionaries(st.text(max_size=30), values, max_size=8),
    wrap=st.sampled_from([None, 'state_dict', 'model', 'module']))
def test_state_dict_of_strings_and_other_non_tensors(capsys, state, wrap):
    buffer = io.BytesIO()
    torch.save({wrap: state} if wrap else state, buffer)
    convert_bytes(buffer.getvalue(), capsys)


def test_directory_as_source_or_destination(tmp_path, capsys):
    (tmp_path / 'a_dir').mkdir()
    (tmp_path / 'good.pth').write_bytes(VALID)
    code = TOOL_MODULE.main(
        [str(tmp_path / 'a_dir'),
         str(tmp_path / 'out.pth')])
    assert_refused(code,
                   capsys.readouterr().err, tmp_path, ['a_dir', 'good.pth'])
    code = TOOL_MODULE.main(
        [str(tmp_path / 'good.pth'),
         str(tmp_path / 'a_dir'), '--depth', '18'])
    assert_refused(code,
                   capsys.readouterr().err, tmp_path, ['a_dir', 'good.pth'])
    assert os.listdir(tmp_path / 'a_dir') == []


@pytest.mark.parametrize('name', ['random', 'directory'])
def test_real_process_prints_one_line(tmp_path, name):
    src = tmp_path / 'src'
    if name == 'directory':
        src.mkdir()
    else:
        src.write_bytes(os.urandom(3000))
    out = subprocess.run(
        [sys.executable, TOOL,
         str(src), str(tmp_path / 'out.pth')],
        capture_output=True,
        text=True,
        timeout=300)
    assert_refused(out.returncode, out.stderr, tmp_path, ['src'])
    assert out.stdout == ''
