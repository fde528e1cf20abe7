package io.github.panamasockets.api;

import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.sockets_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Reads memory at a raw address that a caller stored inside a struct (a msghdr's msg_iov,
 * iov_base, msg_control, msg_name), for the trace's decoders only. The facade never checks
 * where such pointers point, so Java must not dereference them: a bogus one would crash the
 * JVM. The read goes through the kernel instead, with process_vm_readv(2) on this process (as
 * strace reads a tracee), so a bad address gives EFAULT and the decoder prints the pointer.
 * The copy lands in a segment of the decoder's own arena; every length is capped by the caller.
 */
final class UserMemory {
    private UserMemory() {}

    private static final class ProcessVmReadv {
        static final MethodHandle H = Link.plain(sockets_h.process_vm_readv$address(), sockets_h.process_vm_readv$descriptor());
    }

    /**
     * The {@code n} bytes at {@code address}, copied into a new segment of {@code arena}; null when
     * the kernel could not read all of them (an unmapped or unreadable page, NULL, an address
     * range that wraps), or when process_vm_readv itself is unavailable. Never throws.
     */
    static MemorySegment read(Arena arena, long address, long n) {
        if (n == 0) return arena.allocate(1).asSlice(0, 0);
        if (address == 0 || n < 0 || address + n < address && address + n != 0) return null;
        try {
            MemorySegment copy = arena.allocate(n);
            MemorySegment local = iovec.allocate(arena), remote = iovec.allocate(arena);
            iovec.iov_base(local, copy);
            iovec.iov_len(local, n);
            iovec.iov_base(remote, MemorySegment.ofAddress(address));
            iovec.iov_len(remote, n);
            long got = (long) ProcessVmReadv.H.invokeExact((int) ProcessHandle.current().pid(), local, 1L, remote, 1L, 0L);
            return got == n ? copy : null;
        } catch (Throwable cannotRead) { // an arena too small for n, a link error: the trace prints the address instead
            return null;
        }
    }
}
