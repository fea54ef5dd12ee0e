#!/usr/bin/env python3
# mkelf.py OUT CLASS ENDIAN MACHINE [--soname S] [--runpath R] NEEDED...
#
# Write a minimal ELF shared object (ET_DYN) of CLASS 32 or 64 and ENDIAN
# le or be for e_machine MACHINE, with one PT_LOAD covering the file, a
# PT_DYNAMIC whose DT_NEEDED entries name NEEDED, and DT_STRTAB/DT_STRSZ.
# Written from the System V ABI, independently of specgate's reader; the
# SBOM tests use it for the classes and byte orders the build machine's
# compiler cannot produce, and the ELF fuzz corpus was seeded with it.
import struct
import sys

args = sys.argv[1:]
out, cls, endian, machine = args[0], int(args[1]), args[2], int(args[3])
rest = args[4:]
soname = runpath = None
needed = []
i = 0
while i < len(rest):
    if rest[i] == "--soname":
        soname = rest[i + 1]; i += 2
    elif rest[i] == "--runpath":
        runpath = rest[i + 1]; i += 2
    else:
        needed.append(rest[i]); i += 1
e = "<" if endian == "le" else ">"
w = "Q" if cls == 64 else "I"
ehsize, phentsize = (64, 56) if cls == 64 else (52, 32)
base = 0x10000

strtab = b"\0"
offs = {}
for s in needed + [x for x in (soname, runpath) if x]:
    offs[s] = len(strtab)
    strtab += s.encode() + b"\0"
dyn = [(1, offs[n]) for n in needed]
if soname:
    dyn.append((14, offs[soname]))
if runpath:
    dyn.append((29, offs[runpath]))
phoff = ehsize
dynoff = phoff + 2 * phentsize
dynsz = (len(dyn) + 3) * (16 if cls == 64 else 8)
stroff = dynoff + dynsz
dyn += [(5, base + stroff), (10, len(strtab)), (0, 0)]
total = stroff + len(strtab)

ident = b"\x7fELF" + bytes([2 if cls == 64 else 1, 1 if endian == "le" else 2, 1]) + b"\0" * 9
if cls == 64:
    hdr = ident + struct.pack(e + "HHIQQQIHHHHHH", 3, machine, 1, 0, phoff, 0, 0, ehsize, phentsize, 2, 64, 0, 0)
    ph = struct.pack(e + "IIQQQQQQ", 1, 5, 0, base, base, total, total, 0x1000)
    ph += struct.pack(e + "IIQQQQQQ", 2, 6, dynoff, base + dynoff, base + dynoff, dynsz, dynsz, 8)
else:
    hdr = ident + struct.pack(e + "HHIIIIIHHHHHH", 3, machine, 1, 0, phoff, 0, 0, ehsize, phentsize, 2, 40, 0, 0)
    ph = struct.pack(e + "IIIIIIII", 1, 0, base, base, total, total, 5, 0x1000)
    ph += struct.pack(e + "IIIIIIII", 2, dynoff, base + dynoff, base + dynoff, dynsz, dynsz, 6, 4)
body = b"".join(struct.pack(e + w + w, t, v) for t, v in dyn)
data = hdr + ph + body + strtab
assert len(data) == total
open(out, "wb").write(data)
