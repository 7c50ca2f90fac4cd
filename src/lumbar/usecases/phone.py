"""A phone on the same network as the person's computer (`lumbar serve --phone`, issue #16).

Local mode has no accounts, so the phone's address is guarded twice: by HTTPS, whose
certificate this module makes on first use and keeps (0600) in the data folder, so that
nobody else on the Wi-Fi reads the data in transit; and by pairing (usecases/devices.py), so
that nobody else opens it at all. The certificate is self-signed: the person checks its
SHA-256 fingerprint, shown on the computer and in the phone's browser, or installs it on the
phone (the steps are on the pairing page).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from lumbar.errors import UserError
from lumbar.private_files import private_folder, write_private

CERTIFICATE_FILE = "phone-certificate.pem"
KEY_FILE = "phone-key.pem"
LASTS = timedelta(days=825)
"""The longest an Apple device accepts for a server certificate it is told to trust."""
RENEWED_BEFORE = timedelta(days=30)
ROUTE_PROBE = "192.0.2.1"
"""A documentation address (RFC 5737): 'connecting' a UDP socket to it sends nothing, it
only asks the kernel which address the default route would leave from."""


@dataclass(frozen=True, slots=True)
class Certificate:
    certificate: Path
    key: Path
    fingerprint: str
    """SHA-256 of the certificate, as browsers show it: 32 hex pairs joined by colons."""


@dataclass(frozen=True, slots=True)
class PhoneAddress:
    """Where the phone reaches the app, and how the pages describe it."""

    url: str
    host: str
    """The address alone (an IPv6 one in brackets), for the host names the app answers to."""
    fingerprint: str | None
    """None when served over plain HTTP (--phone-over-http)."""
    certificate: Path | None = None
    key: Path | None = None

    @property
    def over_http(self) -> bool:
        return self.fingerprint is None


def network_address() -> str:
    """The address of the interface with the default route: the one a phone on the same
    Wi-Fi reaches. A UserError when there is none (no network: `--host` names one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((ROUTE_PROBE, 9))
            found = str(probe.getsockname()[0])
        except OSError as error:
            raise UserError(
                "--phone: this computer has no network address to offer a phone (is it on "
                "Wi-Fi?); name one with --host",
                field="host",
            ) from error
    return checked_address(found)


def checked_address(host: str) -> str:
    """An address a phone can be offered: one IP address of this computer's, not loopback
    and not every address at once."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError as error:
        raise UserError(
            f"--host: {host!r} is not an IP address; give this computer's address on the "
            "network, such as 192.168.1.20",
            field="host",
        ) from error
    if address.is_unspecified:
        raise UserError(
            f"--host: {host} means every address at once; with --phone give the one address "
            "the phone reaches (or leave --host out to use the network's)",
            field="host",
        )
    if address.is_loopback:
        raise UserError(
            f"--host: {host} is this computer's own loopback address, which a phone cannot "
            "reach; give its address on the network, or leave --host out",
            field="host",
        )
    return str(address)


def certificate_for(folder: Path, host: str, now: datetime) -> Certificate:
    """The HTTPS certificate for `host`, made on first use and kept in `folder`; made again
    when the address changed or it nears its end (the phone then checks the new one)."""
    certificate_path, key_path = folder / CERTIFICATE_FILE, folder / KEY_FILE
    kept = _kept(certificate_path, key_path, host, now)
    if kept is not None:
        return kept
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"lumbar on {host}")])
    made = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + LASTS)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        # Its own authority, so that a phone can be told to trust it (iOS and Android trust
        # a certificate installed by the person only as an authority).
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    private_folder(folder)
    write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    write_private(certificate_path, made.public_bytes(serialization.Encoding.PEM))
    return Certificate(certificate_path, key_path, fingerprint_of(made))


def _kept(certificate_path: Path, key_path: Path, host: str, now: datetime) -> Certificate | None:
    if not (certificate_path.exists() and key_path.exists()):
        return None
    from cryptography import x509

    try:
        kept = x509.load_pem_x509_certificate(certificate_path.read_bytes())
        names = kept.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return None  # damaged, or not ours: made again
    if ipaddress.ip_address(host) not in names.get_values_for_type(x509.IPAddress):
        return None
    if kept.not_valid_after_utc.replace(tzinfo=None) - now < RENEWED_BEFORE:
        return None
    return Certificate(certificate_path, key_path, fingerprint_of(kept))


def fingerprint_of(certificate: object) -> str:
    """SHA-256 fingerprint, in the form browsers show ('AB:CD:…')."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    assert isinstance(certificate, x509.Certificate)
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def certificate_fingerprint(pem: bytes) -> str:
    """The fingerprint of a PEM certificate (what a test or a person's tool reads)."""
    from cryptography import x509

    return fingerprint_of(x509.load_pem_x509_certificate(pem))


def address_for(host: str, port: int, certificate: Certificate | None) -> PhoneAddress:
    shown = f"[{host}]" if ":" in host else host
    scheme = "http" if certificate is None else "https"
    return PhoneAddress(
        url=f"{scheme}://{shown}:{port}/",
        host=shown,
        fingerprint=None if certificate is None else certificate.fingerprint,
        certificate=None if certificate is None else certificate.certificate,
        key=None if certificate is None else certificate.key,
    )


def pairing_url(address: PhoneAddress, token: str) -> str:
    return f"{address.url}pair/{token}"
