import archcompat


def test_version_matches_core():
    assert archcompat.__version__.count(".") == 2


def test_cause_codes_come_from_rust():
    codes = archcompat.cause_codes()
    assert "arch-mismatch" in codes
    assert len(codes) == len(set(codes)) >= 20


def test_errors_share_one_root():
    for name in ["ReadError", "InvalidPlatformError", "MalformedInputError", "LimitExceededError", "UnsupportedInputError"]:
        assert issubclass(getattr(archcompat, name), archcompat.ArchcompatError)
