package io.github.panamasockets.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The checks every facade call makes before its system call, in one place, so that every call
 * (and every facade file a new call lands in) applies the same rules. A call that breaks one is
 * refused before anything happens, with the errno the kernel gives for the same argument, and
 * after the system call nothing may throw: the descriptor, datagram or bytes are the caller's.
 *
 * <p>The rules, and the helper for each:
 * <ul>
 * <li><b>Java null is C's NULL.</b> {@link #orNull} turns a null segment into
 *     {@link MemorySegment#NULL} at the top of a call, so that the checks, the downcall and the
 *     trace see NULL; a null String is a NULL {@code char *} ({@link #cString}).
 * <li><b>A pointer + length must fit its segment</b>: a native segment holding that many bytes
 *     ({@link #holds}, {@link #nullOrHolds} for C's optional pointers); else -1 EFAULT, as the
 *     kernel answers a bad pointer. Heap segments are refused the same way: a system call may
 *     not get a pointer into the Java heap (the GC moves it).
 * <li><b>A buffer the kernel writes must be writable</b> ({@link #writable},
 *     {@link #nullOrWritable}): a read-only segment ({@code asReadOnly()}, a read-only direct
 *     ByteBuffer) is refused with -1 EFAULT, as the kernel refuses a PROT_READ page.
 * <li><b>A String handed to C as {@code const char *} may not hold a NUL</b> ({@link #hasNul}):
 *     C would see it cut at the NUL ({@code unlink("victim\0.tmp")} would remove "victim"). A call
 *     that reports errors with -1 and errno refuses it with -1 EINVAL; a call with another
 *     convention says in its javadoc what it returns. {@link #cString} copies a checked String.
 * <li><b>A socklen_t value-result</b> ({@link #valueResult}): once {@code *addrlen} is known to
 *     fit the buffer, the call gets the caller's socklen_t if it is confined to the calling thread
 *     (no other thread can change or free it during the call), else this thread's own copy of it,
 *     so that another thread raising {@code *addrlen} during the call cannot make the kernel write
 *     past the buffer; a negative
 *     one goes to the kernel as it is (it answers EINVAL and writes nothing, after doing what C
 *     does: recvfrom consumes the datagram); {@link #copyBack} then gives the caller what the
 *     kernel wrote, and cannot throw.
 * <li><b>The caller's segments stay alive for the whole call.</b> The JDK keeps a segment that is
 *     passed to a downcall alive until it returns (closing its shared arena meanwhile fails). A
 *     segment the call needs afterwards but does not pass (the caller's socklen_t, when the call
 *     gets a copy) is passed too, as a trailing argument the C function never reads (see
 *     {@link Link}).
 * <li><b>Memory handed back to libc</b> (freeaddrinfo, freeifaddrs, munmap, posix_spawn_file_actions_destroy) is
 *     accepted only at an address libc gave and that has not been handed back yet ({@link Given})
 *     and, for objects in the caller's memory, only if they overlap no live one and were not
 *     changed behind libc's back ({@link #overlap}); anything else is refused (EINVAL), never
 *     passed on to crash the process in free().
 * <li><b>An argument whose type depends on another</b> (fcntl's third) is checked for that
 *     command: an int never reaches a command that takes a pointer.
 * </ul>
 */
final class Memory {
    private Memory() {}

    /** C's NULL for Java's null: every segment argument goes through this first. */
    static MemorySegment orNull(MemorySegment segment) {
        return segment == null ? MemorySegment.NULL : segment;
    }

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
     * NULL or a native segment: what may be passed at all, also where the kernel reads nothing
     * through it (a length it refuses first). A heap segment is never a C pointer: EFAULT.
     */
    static boolean nativeOrNull(MemorySegment segment) {
        return segment.isNative();
    }

    /** As {@link #holds}, for a buffer the kernel writes: also not read-only (0 bytes are never written). */
    static boolean writable(MemorySegment segment, long length) {
        return holds(segment, length) && (length == 0 || !segment.isReadOnly());
    }

    /** NULL, or {@link #writable}. */
    static boolean nullOrWritable(MemorySegment segment, long length) {
        return segment.equals(MemorySegment.NULL) || writable(segment, length);
    }

    /**
     * For a call that writes the caller's segment itself (not through the kernel): a closed arena's
     * or another thread's segment throws here, before the call, as a downcall given it would,
     * instead of after the call, when nothing may throw. NULL and empty segments pass.
     */
    static void accessibleNow(MemorySegment segment) {
        if (segment.byteSize() > 0) segment.get(ValueLayout.JAVA_BYTE, 0);
    }

    /** Whether a String has a NUL inside, where C would cut it. */
    static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    /** Whether any of the Strings has a NUL inside (null elements are C's NULL, allowed). */
    static boolean anyHasNul(String[] values) {
        if (values != null) for (String v : values) if (hasNul(v)) return true;
        return false;
    }

    /**
     * The String as a NUL-terminated UTF-8 C string in {@code arena}, or NULL for null. The caller
     * has refused a String with a NUL inside ({@link #hasNul}) before: here it would be a bug.
     */
    static MemorySegment cString(Arena arena, String s) {
        if (s == null) return MemorySegment.NULL;
        if (hasNul(s)) throw new IllegalArgumentException("a String with a NUL inside reached cString: check hasNul first");
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment c = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, c, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return c;
    }

    /**
     * A value-result socklen_t*, checked before the call: for NULL (allowed only with a NULL
     * buffer) NULL; otherwise, once {@code *length} is known to fit the buffer (the kernel writes
     * up to that many bytes), {@code length} itself if it is confined to this thread, else this
     * thread's own socklen_t holding a copy of {@code *length} (another thread could raise it
     * during the call). A negative {@code *length} goes as it is: the kernel answers it with
     * EINVAL and writes nothing.
     * Returns null when the call must be refused with EFAULT: {@code length} not 4 writable bytes,
     * or a buffer that does not hold {@code *length} writable bytes.
     */
    static MemorySegment valueResult(ThreadErrno e, MemorySegment buffer, MemorySegment length) {
        return valueResult(e, buffer, length, MemorySegment.NULL);
    }

    /**
     * As {@link #valueResult(ThreadErrno, MemorySegment, MemorySegment)}, for a call whose kernel
     * also writes {@code data} before it reads {@code *length} (recvfrom's buf): a {@code length}
     * inside {@code data} would be overwritten by the data, so it always gets the copy.
     */
    static MemorySegment valueResult(ThreadErrno e, MemorySegment buffer, MemorySegment length, MemorySegment data) {
        if (length.equals(MemorySegment.NULL)) return buffer.equals(MemorySegment.NULL) ? MemorySegment.NULL : null;
        if (!writable(length, Integer.BYTES) || !nativeOrNull(buffer)) return null;
        int n = length.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        if (n > 0 && !(buffer.equals(MemorySegment.NULL) || writable(buffer, n))) return null; // a NULL buffer is not written
        boolean apart = length.address() >= data.address() + data.byteSize() || data.address() >= length.address() + Integer.BYTES;
        if (apart && !length.isAccessibleBy(NOT_A_RUNNING_THREAD)) return length; // confined, and the read above says to this thread
        e.socklen.set(ValueLayout.JAVA_INT, 0, n);
        return e.socklen;
    }

    /** A thread that never runs: a segment it cannot access is confined to the thread that owns it. */
    private static final Thread NOT_A_RUNNING_THREAD = Thread.ofPlatform().name("panamasockets-never-started").unstarted(() -> {});

    /**
     * What the call passes after its C arguments to keep the caller's {@code length} alive: the
     * caller's own when the call gets the copy, NULL when the call gets {@code length} itself
     * (a C argument is kept alive already; a second acquire of its arena costs every call).
     */
    static MemorySegment keptAlive(MemorySegment checked, MemorySegment length) {
        return checked == length ? MemorySegment.NULL : length;
    }

    /** The {@code *length} a {@link #valueResult} copy holds (negative: the kernel will say EINVAL). */
    static int valueOf(MemorySegment checked) {
        return checked.equals(MemorySegment.NULL) ? 0 : checked.get(ValueLayout.JAVA_INT_UNALIGNED, 0); // may be the caller's, at any address
    }

    /**
     * After the call: the socklen_t the kernel answered in, back into the caller's {@code length}
     * (nothing to do when the kernel wrote {@code length} itself).
     * Never throws: its writability was checked before the call and its arena kept alive through
     * it; an arena another thread closed after the call returned has no memory left to write.
     */
    static void copyBack(MemorySegment checked, MemorySegment length) {
        if (checked == length || checked.equals(MemorySegment.NULL)) return; // the kernel wrote the caller's own, or nothing
        try {
            length.set(ValueLayout.JAVA_INT_UNALIGNED, 0, checked.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        } catch (IllegalStateException closedMeanwhile) {
            // the caller closed the memory after the call returned: nothing to write into
        }
    }

    /**
     * Pointers libc (or the kernel) handed out that go back once: freeaddrinfo's and freeifaddrs'
     * lists, munmap's mappings; the same shape for any call that frees what a call returned
     * (fclose's FILE *, free). Each is remembered with what its freeing needs ({@code V}: a list's
     * nodes, a mapping's length and arena). A pointer it did not give, or gave back already, is
     * refused before it reaches free() or munmap(), which would abort the process or unmap the
     * JVM's memory. Thread-safe.
     */
    static final class Given<V> {
        private final java.util.Map<Long, V> live = new java.util.concurrent.ConcurrentHashMap<>();

        /** {@code p} was handed out, with what freeing it needs (NULL is not remembered). */
        void gave(MemorySegment p, V what) {
            if (!p.equals(MemorySegment.NULL)) live.put(p.address(), what);
        }

        /** What {@code p} was handed out with, or null if it is not live; it stays live. */
        V what(MemorySegment p) {
            return live.get(p.address());
        }

        /** If {@code p} is live, it is forgotten now and what it was handed out with returned; else null. */
        V takeBack(MemorySegment p) {
            return live.remove(p.address());
        }

        /** Forgets {@code p} if it is still live with {@code what} (one of two threads freeing it wins); whether it did. */
        boolean takeBack(MemorySegment p, V what) {
            return live.remove(p.address(), what);
        }
    }

    /** Whether the byte ranges [a, a + aSize) and [b, b + bSize) share a byte. */
    static boolean overlap(long a, long aSize, long b, long bSize) {
        return a < b + bSize && b < a + aSize;
    }
}
