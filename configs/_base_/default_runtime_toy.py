# Runtime of the CPU-sized toy runs: mmpretrain's default runtime with mmlc
# imported, iteration-based logging, crash-safe checkpoints that carry the
# random generator states, the non-finite loss guard, and a 5-minute
# collective timeout instead of mmengine's 30 (docs/reliability.md).
_base_ = 'mmpretrain::_base_/default_runtime.py'
custom_imports = dict(imports=['mmlc'], allow_failed_imports=False)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10),
    checkpoint=dict(
        type='ResumableCheckpointHook',
        interval=250,
        by_epoch=False,
        max_keep_ckpts=1),
    nonfinite_guard=dict(type='NonFiniteLossGuardHook'))
env_cfg = dict(dist_cfg=dict(timeout=300))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0, deterministic=False)
