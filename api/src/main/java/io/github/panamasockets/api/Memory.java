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
     * A value-result socklen_t*, checked and copied: for NULL (allowed only with a NULL buffer)
     * NULL; otherwise this thread's own socklen_t holding {@code *length}, once it is known to fit
     * the buffer (the kernel writes up to that many bytes); null when the pair does not fit. The
     * call gets the copy instead of {@code length}, so that another thread raising {@code *length}
     * between this check and the system call cannot make the kernel write past the buffer;
     * {@link #copyBack} then gives the caller what the kernel wrote there.
     */
    static MemorySegment valueResult(ThreadErrno e, MemorySegment buffer, MemorySegment length) {
        if (length.equals(MemorySegment.NULL)) return buffer.equals(MemorySegment.NULL) ? MemorySegment.NULL : null;
        if (!holds(length, Integer.BYTES)) return null;
        int n = length.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        if (n < 0 || !(buffer.equals(MemorySegment.NULL) || holds(buffer, n))) return null; // a NULL buffer is not written
        e.socklen.set(ValueLayout.JAVA_INT, 0, n);
        return e.socklen;
    }

    /** After the call: the socklen_t the kernel answered in, back into the caller's {@code length}. */
    static void copyBack(MemorySegment checked, MemorySegment length) {
        if (!checked.equals(MemorySegment.NULL)) length.set(ValueLayout.JAVA_INT_UNALIGNED, 0, checked.get(ValueLayout.JAVA_INT, 0));
    }
}
