#!/usr/bin/env python3
"""build-aux/test-summary.py — count test cases from meson's test log and print 'N passed, N failed'.

Every test program speaks TAP, so each case counts, not each program. A program that
failed without reporting a failing case (a crash, a timeout) counts as one failure more.
Exits non-zero when anything failed or when no test ran at all.
"""
import json
import re
import sys

OK = re.compile(r'^ok\b')
NOT_OK = re.compile(r'^not ok\b')
SKIP = re.compile(r'#\s*skip', re.IGNORECASE)
TODO = re.compile(r'#\s*todo', re.IGNORECASE)


def main(path):
    passed = failed = skipped = 0
    failures = []
    with open(path, encoding='utf-8', errors='replace') as log:
        for line in log:
            line = line.strip()
            if not line:
                continue
            entry = json.loads(line)
            p = f = s = 0
            for out in (entry.get('stdout') or '').splitlines():
                if NOT_OK.match(out):
                    if TODO.search(out):
                        s += 1
                    else:
                        f += 1
                        failures.append(f"{entry['name']}: {out}")
                elif OK.match(out):
                    if SKIP.search(out):
                        s += 1
                    else:
                        p += 1
            result = entry.get('result', '')
            if result in ('FAIL', 'TIMEOUT', 'ERROR', 'UNEXPECTEDPASS') and f == 0:
                f += 1
                failures.append(f"{entry['name']}: {result}")
            if result == 'SKIP' and p + f + s == 0:
                s += 1
            if result == 'OK' and p + f + s == 0:
                p += 1
            passed += p
            failed += f
            skipped += s
    for what in failures:
        print(f"FAILED {what}")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else 'build/meson-logs/testlog.json'))
