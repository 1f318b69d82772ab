"""Malformed Office files for the import fuzz tests: mutations of a valid file, built on demand."""

import io
import random
import zipfile

from hypothesis import strategies as st

BROKEN_XML = [b"", b"<", b"<?xml version='1.0'?><worksheet", b"\xff\xfe\x00garbage", b"<a>" * 1000,
              b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]><x>&b;</x>"]


def zip_members(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def rebuild_zip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """Copy a zip, replacing (or with None, dropping) some members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name in replace:
                if replace[name] is not None:
                    target.writestr(name, replace[name])
            else:
                target.writestr(name, source.read(name))
    return out.getvalue()


@st.composite
def malformed(draw, valid: bytes):
    """One malformed variant of a valid .xlsx/.docx."""
    kind = draw(st.sampled_from(["truncate", "flip", "member_garbage", "member_drop", "prefix", "random"]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    if kind == "truncate":
        return valid[: draw(st.integers(0, len(valid) - 1))]
    if kind == "flip":
        data = bytearray(valid)
        for _ in range(draw(st.integers(1, 20))):
            position = rng.randrange(len(data))
            data[position] = rng.randrange(256)
        return bytes(data)
    members = zip_members(valid)
    name = draw(st.sampled_from(members))
    if kind == "member_garbage":
        return rebuild_zip(valid, {name: draw(st.sampled_from(BROKEN_XML))})
    if kind == "member_drop":
        return rebuild_zip(valid, {name: None})
    if kind == "prefix":
        return draw(st.binary(max_size=64)) + valid
    return draw(st.binary(min_size=0, max_size=2048))


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
