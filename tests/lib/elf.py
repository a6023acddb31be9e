"""Reading link addresses from an ELF file, so tests never hard-code them
(GNU ld and lld put a static program at different image bases)."""
import struct

PT_LOAD = 1
PF_X = 1


class ElfError(Exception):
    pass


def read(path):
    """(bytes, struct byte order) of a 64-bit ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise ElfError("%s: not an ELF file" % path)
    if data[4] != 2:
        raise ElfError("%s: not a 64-bit ELF file" % path)
    order = {1: "<", 2: ">"}.get(data[5])
    if order is None:
        raise ElfError("%s: unknown byte order %d" % (path, data[5]))
    return data, order


def header(path):
    """(byte order, "<" or ">", and e_machine) of a 64-bit ELF file."""
    data, order = read(path)
    machine, = struct.unpack_from(order + "H", data, 0x12)
    return order, machine


def load_segments(path):
    """[(vaddr, memsz, flags)] of the PT_LOAD segments of a 64-bit ELF."""
    data, order = read(path)
    phoff, = struct.unpack_from(order + "Q", data, 0x20)
    phentsize, phnum = struct.unpack_from(order + "HH", data, 0x36)
    segs = []
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, p_flags, _, p_vaddr, _, _, p_memsz, _ = \
            struct.unpack_from(order + "IIQQQQQQ", data, off)
        if p_type == PT_LOAD:
            segs.append((p_vaddr, p_memsz, p_flags))
    return segs


def text_ranges(path):
    """[(start, end)] of the executable PT_LOAD segments (end exclusive)."""
    ranges = [(v, v + size) for v, size, flags in load_segments(path)
              if flags & PF_X]
    if not ranges:
        raise ElfError("%s: no executable segment" % path)
    return ranges


def in_text(path, addr):
    return any(lo <= addr < hi for lo, hi in text_ranges(path))
