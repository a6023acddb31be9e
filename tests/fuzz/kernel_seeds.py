#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed inputs for fuzz_kernel (tests/fuzz/fuzz_kernel.c): a few short
system call sequences in its input format, so the fuzzer starts from IPC,
notifications, domains, interrupts, frames, faults, capability transfer and
preempted calls instead of finding each from nothing.

Usage: kernel_seeds.py OUTDIR
"""
import os
import sys

# fuzz_kernel.c's sys_table order
SYS = ["LINUX", "NULL", "DEBUG_WRITE", "SET_UPCALL", "UPCALL_RETURN", "YIELD",
       "EXIT", "CALL", "SEND", "NBSEND", "RECV", "NBRECV", "REPLY",
       "REPLY_RECV", "SIGNAL", "WAIT", "POLL", "CAP_INFO", "CAP_COPY",
       "CAP_DELETE", "CAP_REVOKE", "FRAME_ALLOC", "MAP", "UNMAP",
       "ENDPOINT_CREATE", "NOTIFICATION_CREATE", "DOMAIN_CREATE",
       "DOMAIN_DESTROY", "DOMAIN_SET_FAULT", "THREAD_CREATE", "THREAD_START",
       "THREAD_SET_IPCBUF", "DEVICE_FRAME", "CAP_CARVE", "IRQ_BIND",
       "IRQ_ACK", "KLOG_ATTACH", "MEMINFO", "DOMAIN_INFO", "TICK_BIND",
       "GUEST_INIT", "VCPU_CREATE", "VCPU_RESUME", "VCPU_STOP", "VCPU_READ",
       "VCPU_WRITE", "VCPU_IRQ"]
# threads in world_threads() order
TA1, TA2, TB, TC = 0, 1, 2, 3
EP, NTFN, IRQCTL, DEV, CHILD = 30, 31, 5, 6, 20


def arg(v):
    """One argument: small values as one byte, else 0xc0 + 8 bytes."""
    if 0 <= v < 0x80:
        return bytes([v])
    return bytes([0xc0]) + v.to_bytes(8, "little")


def call(thread, name, *args):
    return bytes([0, thread, SYS.index(name)]) + b"".join(arg(a) for a in args)


def ipcbuf(thread, idx, v):
    return bytes([9, thread, idx]) + arg(v)


def tick():
    return bytes([11])


def irq(intid):
    return bytes([12, intid - 32])


def fault(kind):
    return bytes([14, kind - 1])


def fp():
    return bytes([13, 0x80])


def preempt(n):
    return bytes([15, n])


def preempt_every(k):
    return bytes([15, 0x80 | k])


def supervisor(what):
    return bytes([10, what])


def info(words, caps):
    return words | (caps << 8)


SEEDS = {
    "call_reply": [call(TB, "RECV", EP),
                   call(TA1, "CALL", EP, 5, info(2, 0), 7),
                   call(TB, "REPLY_RECV", EP, 1, info(1, 0), 9),
                   call(TA2, "CALL", EP, 6, info(1, 0), 8),
                   call(TB, "REPLY", 0, 2, info(0, 0), 0)],
    "notify": [call(TC, "WAIT", NTFN), call(TA1, "SIGNAL", NTFN),
               call(TB, "SIGNAL", NTFN), call(TC, "POLL", NTFN)],
    "domains": [call(TA1, "DOMAIN_CREATE", 40, 50, 64, 10, 0, 0),
                call(TA1, "THREAD_CREATE", 40, 10, 5, 41),
                call(TA1, "FRAME_ALLOC", 40, 11, 0, (1 << 64) - 1, 42),
                call(TA1, "CAP_COPY", EP, 40, 12, 15, 0),
                call(TA1, "DOMAIN_DESTROY", 40)],
    "irq": [call(TA1, "NOTIFICATION_CREATE", 50),
            call(TA1, "IRQ_BIND", IRQCTL, 50, 51, 50, 0),
            call(TA1, "WAIT", 50), irq(50), call(TA1, "IRQ_ACK", 51),
            call(TA1, "CAP_DELETE", 50), irq(50)],
    "frames": [call(TA1, "FRAME_ALLOC", 0, 60, 0, (1 << 64) - 1, 0),
               call(TA1, "MAP", 0, 60, 0x200000, 3, 0),
               call(TA1, "CAP_COPY", 60, CHILD, 60, 15, 0),
               call(TB, "MAP", 0, 60, 0x400000, 1, 0),
               call(TA1, "DEVICE_FRAME", DEV, 61, 0x09000000, 0),
               call(TA1, "CAP_REVOKE", 60), call(TA1, "CAP_DELETE", 60)],
    "preempt": [call(TB, "CAP_COPY", EP, 0, 40, 15, 0),
                call(TB, "CAP_COPY", 40, 0, 41, 15, 0),
                call(TB, "CAP_COPY", 41, 0, 42, 15, 0),
                preempt(1), call(TA1, "DOMAIN_DESTROY", CHILD),
                call(TA1, "NULL"), preempt(0),
                call(TA1, "FRAME_ALLOC", 0, 70, 9, (1 << 64) - 1, 0),
                call(TA1, "NULL"), call(TA1, "NULL")],
    "fault": [call(TA1, "DOMAIN_SET_FAULT", CHILD, EP, 3),
              call(TA2, "RECV", EP), call(TB, "NULL"), fault(1),
              call(TB, "EXIT", 1)],
    "transfer": [ipcbuf(TA1, 64, NTFN), ipcbuf(TB, 68, 70),
                 call(TB, "RECV", EP), call(TA1, "SEND", EP, 0, info(0, 1), 0),
                 call(TA1, "CAP_REVOKE", NTFN)],
    "supervisor": [call(TA1, "CAP_COPY", IRQCTL, CHILD, 5, 15, 0),
                   call(TA1, "NOTIFICATION_CREATE", 50),
                   call(TA1, "IRQ_BIND", IRQCTL, 50, 51, 50, 0),
                   supervisor(0), supervisor(1), irq(50),
                   call(TA1, "IRQ_ACK", 51)],
    "preempt_every": [preempt_every(1),
                      call(TB, "CAP_COPY", EP, 0, 40, 15, 0),
                      call(TA1, "FRAME_ALLOC", 0, 70, 9, (1 << 64) - 1, 0),
                      call(TA1, "NULL"),
                      call(TA1, "DOMAIN_CREATE", 40, 50, 1024, 10, 0, 0),
                      call(TA1, "NULL"), call(TA1, "DOMAIN_DESTROY", CHILD),
                      call(TA1, "NULL"), call(TA1, "NULL")],
    "ticks": [tick(), tick(), fp(), tick(), call(TA2, "YIELD"), fp(),
              tick(), fp(), tick()],
    "tick_bind": [call(TB, "NOTIFICATION_CREATE", 50),
                  call(TA1, "NOTIFICATION_CREATE", 50),
                  call(TA1, "TICK_BIND", IRQCTL, 50), call(TA1, "WAIT", 50),
                  tick(), tick(), call(TA1, "POLL", 50),
                  call(TA1, "CAP_DELETE", 50), tick()],
    "fastpath": [call(TA2, "RECV", EP),
                 call(TA1, "CALL", EP, 5, info(2, 0), 7),
                 call(TA2, "REPLY_RECV", EP, 1, info(1, 0), 9),
                 call(TA1, "CALL", EP, 6, info(1, 0), 8)],
    # a guest inside A: RMA, GUEST_INIT, a vCPU whose exits go to EP (a
    # vCPU's "system call" in the fuzzer is an HVC exit)
    "guest": [call(TA1, "DOMAIN_CREATE", 40, 600, 64, 10, 0, 0),
              call(TA1, "FRAME_ALLOC", 40, 8, 9, (1 << 64) - 1, 41),
              call(TA1, "GUEST_INIT", 40, 41, 0x40000000),
              call(TA1, "VCPU_CREATE", 40, 9, 5, 42, EP, 3),
              call(TA1, "VCPU_WRITE", 42, 32, 0x40000000),
              call(TA1, "VCPU_IRQ", 42, 27, 3, 0),
              call(TA1, "VCPU_RESUME", 42), call(TA2, "RECV", EP),
              call(TA1, "YIELD"), tick(), tick(),
              call(TA2, "REPLY_RECV", EP, 0, info(1, 0), 7),
              call(TA1, "VCPU_IRQ", 42, 40, 1, 0),
              call(TA1, "VCPU_READ", 42, 0), call(TA1, "VCPU_STOP", 42),
              call(TA1, "DOMAIN_DESTROY", 40)],
    "klog": [call(TA1, "NOTIFICATION_CREATE", 52),
             call(TA1, "KLOG_ATTACH", 7, 52), call(TA1, "DEBUG_WRITE", 3),
             call(TA1, "CAP_DELETE", 52), call(TA1, "DEBUG_WRITE", 3)],
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, ops in SEEDS.items():
    for mode in (0, 1, 2):  # fast path on, off, both compared
        with open(os.path.join(out, f"{name}-{mode}"), "wb") as f:
            f.write(bytes([mode]) + b"".join(ops))
