"""The course's optimised Python code breaker, timed on one digest.

Usage: python3 codebreaker.py DIGEST LENGTH

Every password of LENGTH letters (string.ascii_letters, in the order of
itertools.product) is hashed with hashlib.md5 until one's raw digest bytes
equal the target's. The search runs once, single-threaded.

The last line of output is one JSON object:
{"seconds": <search time>, "tested": <candidates hashed>,
 "rate": <candidates per second>, "password": <the password or null>}
"""

import hashlib
import itertools
import json
import string
import sys
import time


def crack(digest_hex, length):
    """Returns (password or None, candidates hashed)."""
    target = bytes.fromhex(digest_hex)
    letters = string.ascii_letters.encode()
    md5 = hashlib.md5
    tested = 0
    for candidate in itertools.product(letters, repeat=length):
        tested += 1
        password = bytes(candidate)
        if md5(password).digest() == target:
            return password.decode(), tested
    return None, tested


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    digest_hex, length = sys.argv[1], int(sys.argv[2])
    started = time.perf_counter()
    password, tested = crack(digest_hex, length)
    seconds = time.perf_counter() - started
    print(f"{'found ' + password if password else 'not found'} after {tested} candidates")
    print(json.dumps({
        "seconds": seconds,
        "tested": tested,
        "rate": tested / seconds if seconds > 0 else 0.0,
        "password": password,
    }))


if __name__ == "__main__":
    main()
