"""The HTTPS certificate of `lumbar serve --phone`: made once, kept private, made again only
when the address changes, it nears its end, or the file is damaged."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509

from lumbar.usecases.phone import (
    CERTIFICATE_FILE,
    KEY_FILE,
    LASTS,
    certificate_fingerprint,
    certificate_for,
)

NOW = datetime(2026, 12, 4, 9, 0)


def test_it_is_made_once_private_for_its_address_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    made = certificate_for(folder, "192.168.1.20", NOW)

    assert made.certificate == folder / CERTIFICATE_FILE and made.key == folder / KEY_FILE
    for file in (made.certificate, made.key):
        assert file.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    pem = made.certificate.read_bytes()
    assert certificate_fingerprint(pem) == made.fingerprint
    assert len(made.fingerprint.split(":")) == 32
    loaded = x509.load_pem_x509_certificate(pem)
    names = loaded.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("192.168.1.20")]
    assert loaded.not_valid_after_utc.replace(tzinfo=None) - NOW <= LASTS

    again = certificate_for(folder, "192.168.1.20", NOW + timedelta(days=300))
    assert again.fingerprint == made.fingerprint
    assert made.certificate.read_bytes() == pem


def test_a_new_address_a_near_end_or_a_damaged_file_makes_a_new_one(tmp_path: Path) -> None:
    first = certificate_for(tmp_path, "192.168.1.20", NOW).fingerprint

    moved = certificate_for(tmp_path, "10.0.0.7", NOW).fingerprint
    assert moved != first

    late = certificate_for(tmp_path, "10.0.0.7", NOW + LASTS - timedelta(days=10)).fingerprint
    assert late != moved

    (tmp_path / CERTIFICATE_FILE).write_text("not a certificate")
    assert certificate_for(tmp_path, "10.0.0.7", NOW).fingerprint not in (late, "")


def test_an_ipv6_address_is_named_in_the_certificate(tmp_path: Path) -> None:
    made = certificate_for(tmp_path, "fd00::20", NOW)
    loaded = x509.load_pem_x509_certificate(made.certificate.read_bytes())
    names = loaded.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("fd00::20")]
