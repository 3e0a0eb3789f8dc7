"""Import-only stand-in for pandas (data loading code of the official CTR packages; never called here)."""


class DataFrame:  # noqa: D101
    def __init__(self, *args, **kwargs):
        raise RuntimeError("pandas stand-in: not available in the benchmark environment")


def read_csv(*args, **kwargs):
    raise RuntimeError("pandas stand-in: not available in the benchmark environment")
