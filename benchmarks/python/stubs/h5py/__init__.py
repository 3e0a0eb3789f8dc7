"""Import-only stand-in for h5py (pretrained-embedding loading of FuxiCTR; never called here)."""


def File(*args, **kwargs):  # noqa: N802
    raise RuntimeError("h5py stand-in: not available in the benchmark environment")
