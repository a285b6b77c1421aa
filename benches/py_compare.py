"""Python side of benches/compare.sh: the archcompat binding against pyelftools and LIEF on the
same ELF files, and the per-call overhead of trivial binding calls.

    python benches/py_compare.py LIST_OF_ELF_PATHS

Prints one line per measurement, `name<TAB>microseconds-per-item<TAB>note`; a library that is
not installed is reported as `skipped`. Each measurement is wall-clock time (time.perf_counter),
the best of several rounds; `inspect(path)` is one call per file, `inspect([paths])` one call
for the whole list (read on up to one thread per core, order kept). `py-read-floor` is the cost
of only opening and reading each file from Python, the floor of any per-file reader.
"""

import os
import sys
import time


def best(fn, rounds=5):
    t = []
    for _ in range(rounds):
        s = time.perf_counter()
        fn()
        t.append(time.perf_counter() - s)
    return min(t)


def main():
    paths = [p for p in open(sys.argv[1]).read().split("\n") if p]
    n = len(paths)
    import archcompat

    host = "linux/amd64"

    def ac_each():
        for p in paths:
            e = archcompat.inspect(p, host=host)
            assert e["format"] == "elf", p

    def ac_batch():
        es = archcompat.inspect(paths, host=host)
        assert len(es) == n

    def read_floor():
        # What any Python reader of these files pays before parsing anything: open, fstat,
        # read the first 4 KiB, close (inspect reads more of an ELF: its section headers).
        for p in paths:
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fstat(fd)
                os.read(fd, 4096)
            finally:
                os.close(fd)

    print(f"py-archcompat-inspect\t{best(ac_each) / n * 1e6:.2f}\tinspect(path) per file, {n} ELF files")
    print(f"py-archcompat-inspect-batch\t{best(ac_batch) / n * 1e6:.2f}\tinspect([paths]) per file")
    print(f"py-read-floor\t{best(read_floor) / n * 1e6:.2f}\tos.open+fstat+read(4 KiB)+close per file, same files")
    # The default host: detected once per process, then reused.
    archcompat.inspect(paths[0])
    one = paths[0]
    k = 200
    t = best(lambda: [archcompat.inspect(one) for _ in range(k)])
    print(f"py-archcompat-inspect-local\t{t / k * 1e6:.2f}\tinspect(path) without host= (local host cached)")

    try:
        from elftools.elf.elffile import ELFFile

        def pe():
            for p in paths:
                with open(p, "rb") as f:
                    try:
                        e = ELFFile(f)
                        _ = (e["e_machine"], e.elfclass)
                        for seg in e.iter_segments():
                            if seg["p_type"] == "PT_INTERP":
                                _ = seg.get_interp_name()
                                break
                    except Exception:  # pyelftools rejects some real files; they still count
                        pass

        print(f"py-pyelftools\t{best(pe, 2) / n * 1e6:.2f}\tmachine, class and interpreter")
    except ImportError:
        print("py-pyelftools\tskipped\tpyelftools is not installed")

    try:
        import lief

        try:
            lief.logging.disable()
        except Exception:
            pass

        def li():
            for p in paths:
                b = lief.ELF.parse(p)
                if b is not None:
                    _ = (b.header.machine_type, b.header.identity_class, b.interpreter if b.has_interpreter else None)

        print(f"py-lief\t{best(li, 2) / n * 1e6:.2f}\tlief.ELF.parse: machine, class, interpreter")
    except ImportError:
        print("py-lief\tskipped\tLIEF is not installed")

    # Per-call overhead of trivial calls (string in, small result out), minus an empty loop.
    k = 200_000
    rng = range(k)
    base = best(lambda: [None for _ in rng])
    t = best(lambda: [archcompat.format_platform("linux/arm64") for _ in rng]) - base
    print(f"py-call-format-platform\t{t / k * 1e6:.3f}\tformat_platform('linux/arm64')")
    t = best(lambda: [archcompat.parse_platform("linux/arm64") for _ in rng]) - base
    print(f"py-call-parse-platform\t{t / k * 1e6:.3f}\tparse_platform('linux/arm64') -> dict")


main()
