package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sockets_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.github.panamasockets.api.Trace.hex;
import static io.github.panamasockets.api.Trace.num;

/**
 * Memory mappings: mmap returns a segment of the mapped size, which munmap closes before it
 * unmaps, so that a segment used after munmap throws Java's IllegalStateException instead of
 * touching memory that is gone. Reached through {@code import static io.github.panamasockets.api.Posix.*;}.
 */
public abstract class PosixMemoryMap extends PosixEvents {
    PosixMemoryMap() {}

    /** C's {@code MAP_FAILED}, {@code (void *) -1}: what mmap returns when it fails ({@code p.equals(MAP_FAILED)}). */
    public static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    /** A mapping mmap made: its length and the arena of its segment. */
    private record Mapping(long length, Arena arena) {}

    /** The mappings mmap made and munmap has not yet removed, by address. */
    private static final Memory.Given<Mapping> MAPPINGS = new Memory.Given<>();

    private static final class Mmap { static final MethodHandle H = Link.capturingErrno(sockets_h.mmap$address(), sockets_h.mmap$descriptor()); }

    /**
     * {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)},
     * mmap(2). Returns the mapping as a segment of {@code length} bytes (read-only without
     * PROT_WRITE; of 0 bytes without PROT_READ, since reading it would crash the process), or
     * {@link #MAP_FAILED} with errno. addr is a hint (NULL: the kernel chooses). Unmap it with
     * {@link #munmap}: until then its memory stays (the segment's arena is the mapping's).
     * Differs from C: MAP_FIXED is refused with EINVAL, since it may replace the JVM's own
     * memory (MAP_FIXED_NOREPLACE, which fails with EEXIST instead, is passed). Touching a
     * MAP_SHARED file mapping past the file's end raises SIGBUS in C; here the JVM turns it into
     * an InternalError. errno: EACCES, EAGAIN, EBADF, EEXIST, EINVAL (length 0, an offset not a
     * multiple of the page size, neither MAP_PRIVATE nor MAP_SHARED, MAP_FIXED), ENFILE, ENODEV,
     * ENOMEM, EOVERFLOW, EPERM, ETXTBSY.
     */
    public static MemorySegment mmap(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        addr = Memory.orNull(addr); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        MemorySegment r;
        if ((flags & MAP_FIXED) != 0) {
            e.refuse(EINVAL);
            r = MAP_FAILED;
        } else {
            try { r = (MemorySegment) Mmap.H.invokeExact(e.capture, MemorySegment.ofAddress(addr.address()), length, prot, flags, fd, offset); } catch (Throwable t) { throw Link.rethrow(t); }
            if (r.address() == -1L) {
                e.tookCaptured();
                r = MAP_FAILED;
            } else {
                Arena arena = Arena.ofShared();
                MAPPINGS.gave(r, new Mapping(length, arena));
                long usable = (prot & PROT_READ) != 0 || (prot & PROT_WRITE) != 0 ? length : 0; // x86 and arm64 read what they may write
                r = r.reinterpret(usable, arena, null);
                if ((prot & PROT_WRITE) == 0) r = r.asReadOnly();
            }
        }
        if (Trace.on()) Trace.LOG.debug("mmap({}, {}, {}, {}, {}, {}) = {}", addr.equals(MemorySegment.NULL) ? "NULL" : hex(addr), length,
                prot == 0 ? "PROT_NONE" : Names.flags("PROT_", prot), mapFlags(flags), fd, "0x" + Long.toHexString(offset),
                r.address() == -1L ? "-1 " + Errors.name(e.errno) + " (" + Errors.message(e.errno) + ")" : hex(r));
        return r;
    }

    /** mmap's flags as strace prints them: the mapping type first (MAP_PRIVATE|MAP_ANONYMOUS). */
    private static String mapFlags(int flags) {
        int type = flags & 0x0f; // MAP_TYPE
        String name = type == MAP_SHARED ? "MAP_SHARED" : type == MAP_PRIVATE ? "MAP_PRIVATE" : type == MAP_SHARED_VALIDATE ? "MAP_SHARED_VALIDATE" : num(type);
        int rest = flags & ~0x0f;
        return rest == 0 ? name : name + "|" + Names.flags("MAP_", rest);
    }

    /** Closes a mapping's segment: false while a call on another thread keeps it alive (its memory must stay). */
    private static boolean closed(Arena arena) {
        try {
            arena.close();
            return true;
        } catch (IllegalStateException inUse) {
            return false;
        }
    }

    private static final class Munmap { static final Link.Shared H = Link.shared(sockets_h.munmap$address(), sockets_h.munmap$descriptor()); }

    /**
     * {@code int munmap(void *addr, size_t length)}, mmap(2): removes a mapping {@link #mmap}
     * returned, whole: addr its segment (or one at its address) and length the length it was
     * mapped with. The segment is closed first: using it afterwards throws IllegalStateException.
     * Differs from C, which unmaps any page range: anything but a whole mapping of mmap's that is
     * still mapped gives -1 and EINVAL, so that no memory of the JVM's is unmapped.
     * Refused by the facade before the call, -1 EINVAL: an address mmap did not return or that
     * munmap removed already, a length other than the mapping's, and a mapping whose segment a
     * call on another thread is using at that moment (it stays mapped). errno: EINVAL.
     */
    public static int munmap(MemorySegment addr, long length) {
        addr = Memory.orNull(addr); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        Mapping m = MAPPINGS.what(addr);
        if (m == null || m.length() != length || !MAPPINGS.takeBack(addr, m)) {
            r = e.refuse(EINVAL);
        } else if (!closed(m.arena())) {
            MAPPINGS.gave(addr, m); // still mapped: it stays munmap's to remove
            r = e.refuse(EINVAL);
        } else {
            r = (int) Link.call(Munmap.H, e.capture, MemorySegment.ofAddress(addr.address()), length);
            if (r == -1) e.tookCaptured();
        }
        if (Trace.on()) Trace.log("munmap", r, e.errno, hex(addr), num(length));
        return r;
    }
}
