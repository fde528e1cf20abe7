package io.github.panamasockets.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A Java String as the {@code const char *} a call takes: NULL for null, refused (null) when it holds a NUL. */
final class CStrings {
    private CStrings() {}

    /**
     * The string copied into {@code arena}, NUL-terminated; {@code MemorySegment.NULL} for a Java
     * null (C's NULL: the kernel answers EFAULT); null when the text holds a NUL, which C could not
     * pass (the path would end there): callers refuse that with EINVAL.
     */
    static MemorySegment of(Arena arena, String s) {
        if (s == null) return MemorySegment.NULL;
        if (s.indexOf('\0') >= 0) return null;
        return arena.allocateFrom(s);
    }

    /** A mode as strace prints it: 0644. */
    static String octal(int mode) {
        return "0" + Integer.toOctalString(mode);
    }

    /** A pointer argument: Java's null is C's NULL, as the design has it. */
    static MemorySegment pointer(MemorySegment p) {
        return p == null ? MemorySegment.NULL : p;
    }
}
