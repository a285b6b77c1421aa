//! Executables: from the bytes, what a file is (ELF, Mach-O, PE, script, …), what it needs to
//! run (interpreter, libc, ISA level, page size) and which platform it is for. A fact module.
