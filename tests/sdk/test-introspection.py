#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Parley-1 typelib as a Python plugin sees it (TAP): the error domain's
codes are Parley.Error members, and the JSON helpers take bytes."""

import gi

gi.require_version("Parley", "1")
from gi.repository import GLib, Parley  # noqa: E402

checks = 0


def ok(condition, what):
    global checks
    checks += 1
    print(("ok" if condition else "not ok"), checks, "-", what)


ok(int(Parley.Error.INVALID) == 1 and int(Parley.Error.STORAGE) == 9,
   "Parley.Error members are named by their code (Parley.Error.INVALID)")
ok(not hasattr(Parley.Error, "ERROR_INVALID") and not hasattr(Parley.Error, "N_ERRORS"),
   "no member carries the enum's prefix or the count")
ok(Parley.error_code_name(Parley.Error.TOO_LARGE) == "too_large", "codes have their stable names")

parsed = Parley.json_parse_object(b'{"text": "Hallo", "n": 3}', "Request body")
ok(parsed.get_string_member("text") == "Hallo" and parsed.get_int_member("n") == 3,
   "json_parse_object parses bytes")
ok(Parley.json_parse_object('{"name": "María"}'.encode(), "Request body").get_string_member("name") == "María",
   "json_parse_object reads UTF-8")

try:
    Parley.json_parse_object(b"[1, 2]", "Request body")
    ok(False, "json_parse_object refuses an array")
except GLib.Error as error:
    ok(error.matches(Parley.error_quark(), Parley.Error.INVALID)
       and error.message == "Request body must be a JSON object",
       "json_parse_object refuses an array with Parley.Error.INVALID")

ok(Parley.crypto_hmac_sha256_hex(b"key", b"The quick brown fox jumps over the lazy dog")
   == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
   "HMAC-SHA256 of bytes under a key of bytes")

print(f"1..{checks}")
