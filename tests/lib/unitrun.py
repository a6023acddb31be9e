"""Running a host test program and collecting its PASS/FAIL lines
(tests/unit/test.h prints one per check)."""
import os
import subprocess


def run_program(cmd, record, prefix="", timeout=300, cwd=None):
    """Run @cmd (a list; cmd[-1] is the test program); pass each of its
    `PASS <name>` / `FAIL <name>: <why>` lines to record(prefix + name,
    reason or None). A program that fails without a FAIL line, times out
    or cannot be started is recorded under its own name. Returns True when
    the program exited 0 with at least one PASS line and no FAIL line."""
    name = prefix + "unit." + os.path.basename(cmd[-1])
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout,
                              cwd=cwd)
    except subprocess.TimeoutExpired:
        record(name, "timed out after %d s" % timeout)
        return False
    except OSError as e:
        record(name, "cannot run %s: %s" % (" ".join(cmd), e))
        return False
    out = proc.stdout.decode("utf-8", "replace")
    passed = failed = 0
    for line in out.splitlines():
        if line.startswith("PASS "):
            record(prefix + line[5:].strip(), None)
            passed += 1
        elif line.startswith("FAIL "):
            head, _, why = line[5:].partition(": ")
            record(prefix + head.strip(), why or "failed")
            failed += 1
    if proc.returncode != 0 and not failed:
        tail = "\n".join(out.splitlines()[-15:])
        record(name, "exited with status %d without a FAIL line; last "
               "output:\n%s" % (proc.returncode, tail))
        failed += 1
    return proc.returncode == 0 and passed > 0 and failed == 0
