"""A fork server for the crash-safety test: each "go" line forks a child that saves for ever.

Usage: ``python save_loop.py TARGET OLD.toml NEW.toml``. For every line ``go new`` (or
``go old``) on stdin the server forks a child that saves that profile and then the other one
to TARGET, alternately, with ``gtmcompass.io.files.save_profile`` until it is killed; the server
prints the child's pid, waits for it to die and prints ``died SIGNAL``. Forking from a
process that has already imported gtmcompass makes each saving process start in about a millisecond instead of the 300 ms a
fresh interpreter takes, so 200 kills fit in a few seconds.
"""

from __future__ import annotations

import os
import sys

from gtmcompass.io.files import load_profile, save_profile


def main() -> None:
    target, old_path, new_path = sys.argv[1:4]
    old, new = load_profile(old_path), load_profile(new_path)
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.split()
        if command[:1] != ["go"]:
            break
        first, second = (new, old) if command[1:] == ["new"] else (old, new)
        pid = os.fork()
        if pid == 0:
            try:
                while True:
                    save_profile(first, target)
                    save_profile(second, target)
            finally:
                os._exit(3)  # never return into the server's loop
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print("died", os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1, flush=True)


if __name__ == "__main__":
    main()
