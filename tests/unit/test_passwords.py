from workflows.passwords import check_password, hash_password


def test_hash_and_check() -> None:
    stored = hash_password("s3cret pass")
    assert stored.startswith("scrypt$") and "s3cret" not in stored
    assert check_password(stored, "s3cret pass")
    assert not check_password(stored, "s3cret pas")
    assert not check_password(None, "x")
    assert hash_password("same") != hash_password("same"), "salted"
