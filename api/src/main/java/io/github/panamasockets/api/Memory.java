package io.github.panamasockets.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The checks every pointer + length pair passes before a call. The kernel answers a bad pointer
 * with EFAULT; the facade answers a length that runs past its segment the same way, before the
 * call, so that nothing outside a segment is ever read or written.
 */
final class Memory {
    private Memory() {}

    /** A native segment that holds at least {@code length} bytes (NULL holds none). */
    static boolean holds(MemorySegment segment, long length) {
        return length >= 0 && segment.isNative() && length <= segment.byteSize()
                && (length == 0 || !segment.equals(MemorySegment.NULL));
    }

    /** NULL, or a native segment that holds {@code length} bytes: for C's optional pointers. */
    static boolean nullOrHolds(MemorySegment segment, long length) {
        return segment.equals(MemorySegment.NULL) || holds(segment, length);
    }

    /**
     * A value-result socklen_t*: NULL together with a NULL buffer, or a segment holding one
     * socklen_t whose value fits the buffer (the kernel writes up to that many bytes).
     */
    static boolean holdsValueResult(MemorySegment buffer, MemorySegment length) {
        if (length.equals(MemorySegment.NULL)) return buffer.equals(MemorySegment.NULL);
        if (!holds(length, Integer.BYTES)) return false;
        int n = length.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        return n >= 0 && (buffer.equals(MemorySegment.NULL) || holds(buffer, n)); // a NULL buffer is not written
    }
}
