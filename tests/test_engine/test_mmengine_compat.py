"""The private-mmengine guard: quiet on the tested version, loud on another
version or when a private name has gone."""
import pytest

from mmlc.engine import mmengine_compat


def test_the_installed_mmengine_passes():
    mmengine_compat.check_mmengine_internals('test')


def test_an_untested_version_is_refused_naming_the_user_and_the_escape(
        monkeypatch):
    monkeypatch.setattr(mmengine_compat.mmengine, '__version__', '0.11.0')
    monkeypatch.delenv(mmengine_compat.ALLOW_UNTESTED_ENV, raising=False)
    with pytest.raises(RuntimeError) as error:
        mmengine_compat.check_mmengine_internals('ResumableCheckpointHook')
    message = str(error.value)
    assert 'ResumableCheckpointHook' in message and '0.11.0' in message
    assert mmengine_compat.ALLOW_UNTESTED_ENV in message
    monkeypatch.setenv(mmengine_compat.ALLOW_UNTESTED_ENV, '1')
    with pytest.warns(UserWarning, match='0.11.0'):
        mmengine_compat.check_mmengine_internals('ResumableCheckpointHook')


def test_a_missing_private_name_is_refused_even_when_untested_is_allowed(
        monkeypatch):
    from mmengine.hooks import CheckpointHook
    monkeypatch.delattr(CheckpointHook, '_save_checkpoint_with_step')
    monkeypatch.setenv(mmengine_compat.ALLOW_UNTESTED_ENV, '1')
    with pytest.raises(RuntimeError, match='_save_checkpoint_with_step'):
        mmengine_compat.check_mmengine_internals('ResumableCheckpointHook')


def test_the_hook_and_the_iterator_check_before_they_run(monkeypatch):
    from mmlc.engine import ResumableCheckpointHook, ResumedDataIterator
    monkeypatch.setattr(mmengine_compat.mmengine, '__version__', '9.0.0')
    monkeypatch.delenv(mmengine_compat.ALLOW_UNTESTED_ENV, raising=False)
    with pytest.raises(RuntimeError, match='ResumableCheckpointHook'):
        ResumableCheckpointHook(interval=1)
    with pytest.raises(RuntimeError, match='ResumedDataIterator'):
        ResumedDataIterator([], done_iters=0)
