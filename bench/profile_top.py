#!/usr/bin/env python3
"""Summarises a CPU profile of Sluice for the benchmark (bench/run.sh with PROFILE=jfr or PROFILE=async).

Input, either:
  - the text of `jfr print --events jdk.ExecutionSample --stack-depth 64 FILE.jfr` (JFR: Java frames only, threads
    in native code or in the kernel are not sampled), or
  - async-profiler's collapsed stacks (`frame;frame;...;leaf count`, root first: Java, native and kernel frames).
Prints, with sample counts and shares:
  - the threads sampled most (JFR only),
  - the hottest leaf frames (where the CPU actually was; kernel frames end in _[k]),
  - the Java frame that entered the kernel, for samples in the kernel (which system calls cost what),
  - for each sample, the nearest frame of Sluice's own code (dev.sluice.*) above the leaf: the Sluice method the
    time is spent in or below (continuation lambdas such as ContextTimers.lambda$deadline or
    MeteringInterceptor.lambda$on take in the framework work that runs after them),
  - Sluice methods by inclusive share (present anywhere on the stack).
Usage: profile_top.py PROFILE.txt [TOP]
"""
import re
import sys
from collections import Counter

FRAME = re.compile(r"^\s+(\S.*?)(?:\s+line:\s*\d+)?(?:\s+bci:\s*\d+)?\s*$")


def jfr_samples(lines):
    """(thread, frames leaf first, 1) per jdk.ExecutionSample event."""
    thread, frames, in_stack = None, [], False
    for line in lines:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample"):
            thread, frames, in_stack = None, [], False
        elif s.startswith("sampledThread"):
            m = re.search(r'"([^"]*)"', s)
            thread = m.group(1) if m else s
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
        elif in_stack:
            if s == "...":
                continue
            m = FRAME.match(line)
            if m:
                frames.append(m.group(1))
        elif s == "}" and frames:
            yield thread or "?", frames, 1
            frames = []


def collapsed_samples(lines):
    for line in lines:
        line = line.rstrip()
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = [f.replace("/", ".") if not f.startswith("/") else f for f in stack.split(";")]
        yield None, frames[::-1], int(n)


def method(frame):
    frame = re.sub(r"\(.*\)$", "", frame)                     # JFR's argument lists
    frame = re.sub(r"\$\$Lambda\$[0-9]+\.0x[0-9a-f]+", "$$Lambda", frame)
    return frame


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    collapsed = not any(l.lstrip().startswith("jdk.ExecutionSample") for l in lines[:50])
    samples = list(collapsed_samples(lines) if collapsed else jfr_samples(lines))
    n = sum(c for _, _, c in samples)
    if n == 0:
        print("no samples")
        return
    threads, leaf, own, incl, kernel_entry = Counter(), Counter(), Counter(), Counter(), Counter()
    no_own = kernel = 0
    for thread, frames, c in samples:
        if thread:
            threads[re.sub(r"\d+", "N", thread)] += c
        leaf[method(frames[0])] += c
        if frames[0].endswith("_[k]"):
            kernel += c
            java = next((method(f) for f in frames if "." in f and not f.endswith("_[k]") and not f.startswith("/")
                         and "(" not in f[:1]), "?")
            kernel_entry[java] += c
        first = next((method(f) for f in frames if f.startswith("dev.sluice.")), None)
        if first:
            own[first] += c
        else:
            no_own += c
        for m in {method(f) for f in frames if f.startswith("dev.sluice.")}:
            incl[m] += c

    def block(title, counter, k=top):
        print(f"\n## {title}")
        for name, c in counter.most_common(k):
            print(f"{c:8d} {100.0 * c / n:5.1f}%  {name}")

    print(f"# {'async-profiler (collapsed stacks)' if collapsed else 'JFR execution samples'}: {n} samples"
          + (f", {100.0 * kernel / n:.1f}% in the kernel" if collapsed else ""))
    if threads:
        block("Threads", threads, 12)
    block("Hottest leaf frames (self time)", leaf)
    if kernel:
        block("Kernel time by the Java frame that entered it (system calls)", kernel_entry, 15)
    print(f"\n## Nearest Sluice frame above the leaf (dev.sluice.*); {no_own} samples ({100.0 * no_own / n:.1f}%) "
          "have none (Netty/Vert.x I/O, Quarkus REST, GC, JIT)")
    for name, c in own.most_common(top):
        print(f"{c:8d} {100.0 * c / n:5.1f}%  {name}")
    block("Sluice methods, inclusive (anywhere on the stack)", incl)


if __name__ == "__main__":
    main()
