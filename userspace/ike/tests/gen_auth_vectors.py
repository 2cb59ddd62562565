#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Known answers for tests/test_auth.c, computed apart from this code and
from OpenSSL with Python's hmac/hashlib modules, straight from the
formulas of RFC 7296 2.15:

  octets = RealMessage | Nonce | prf(SK_p, IDType | 0 0 0 | ID data)
  AUTH   = prf(prf(Shared Secret, "Key Pad for IKEv2"), octets)

Run once; its output is pasted into test_auth.c (psk_vectors)."""
import hashlib
import hmac

msg = bytes(range(1, 65))            # 64 bytes standing for IKE_SA_INIT
nonce = bytes(range(0xa0, 0xc0))     # 32 bytes
sk_p = bytes(range(0x00, 0x20))      # 32 bytes
id_data = b"r1.example.com"          # ID_FQDN (2)
psk = b"cisco123"

for name, h in (("SHA256", hashlib.sha256), ("SHA1", hashlib.sha1)):
    maced = hmac.new(sk_p, bytes([2, 0, 0, 0]) + id_data, h).digest()
    octets = msg + nonce + maced
    key = hmac.new(psk, b"Key Pad for IKEv2", h).digest()
    auth = hmac.new(key, octets, h).digest()
    print(name, "maced", maced.hex())
    print(name, "auth ", auth.hex())
