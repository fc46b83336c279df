"""Peak-memory measurement: CUDA's allocator on a GPU, peak RSS on the CPU."""
import torch


def _read_status_kb(field: str) -> int:
    with open('/proc/self/status', encoding='ascii') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise KeyError(field)


def reset_peak_memory(device: str) -> int:
    """Start a new peak-memory window; returns the current usage in bytes.

    On the CPU this resets the kernel's peak-RSS mark
    (``/proc/self/clear_refs``, Linux >= 4.0) and reads the resident set size.
    """
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        return torch.cuda.memory_allocated()
    with open('/proc/self/clear_refs', 'w', encoding='ascii') as f:
        f.write('5')
    return _read_status_kb('VmRSS') * 1024


def peak_memory(device: str) -> int:
    """Peak usage in bytes since :func:`reset_peak_memory` (CUDA max-allocated
    or peak RSS)."""
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated()
    return _read_status_kb('VmHWM') * 1024
