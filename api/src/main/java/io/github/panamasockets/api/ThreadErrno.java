package io.github.panamasockets.api;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * One thread's errno, kept as C keeps it: a per-thread variable that a call changes only when it
 * fails. Each downcall captures the real errno into this thread's capture buffer; the facade
 * takes it over only on failure, so JVM activity between calls, and whether the JDK also loads
 * the buffer into errno before a call (JDK 27+), cannot change what {@code errno()} says.
 */
final class ThreadErrno {
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    /** errno's place in the capture buffer; read as a plain int: no var handle of its own to build in a cold JVM. */
    private static final long ERRNO_OFFSET = offsetOf(CAPTURE_LAYOUT, "errno");

    /**
     * A member's offset, summed over the members before it (padding included) instead of asked of
     * a layout path: the JDK's LayoutPath class spins several LambdaForms when first initialised,
     * a cost the first call of every program would pay.
     */
    static long offsetOf(StructLayout struct, String name) {
        long offset = 0;
        for (MemoryLayout m : struct.memberLayouts()) {
            if (m.name().isPresent() && m.name().get().equals(name)) return offset;
            offset += m.byteSize();
        }
        throw new IllegalStateException(struct + " has no " + name);
    }
    /** A subclass, not withInitial(ThreadErrno::new): no lambda to bootstrap at the first call. */
    private static final ThreadLocal<ThreadErrno> CURRENT = new ThreadLocal<>() {
        @Override
        protected ThreadErrno initialValue() {
            return new ThreadErrno();
        }
    };

    /** Freed with this object when the thread is gone. */
    private final Arena memory = Arena.ofAuto();
    final MemorySegment capture = memory.allocate(CAPTURE_LAYOUT);
    /** The socklen_t a value-result call gets: the value the facade checked, out of other threads' reach. */
    final MemorySegment socklen = memory.allocate(ValueLayout.JAVA_INT);
    int errno;
    /** How many times this thread has called close: retryOnEintr never repeats a call during which it changed. */
    long closes;
    /** How many facade Java signal handler runs had begun when this thread's current call started. */
    long handlersSeen;

    /** This thread's errno, at the start of a facade call (which notes how many Java signal handlers had run). */
    static ThreadErrno current() {
        ThreadErrno e = CURRENT.get();
        e.handlersSeen = HandlerRuns.STARTED.get();
        return e;
    }

    /** This thread's errno, for reading or setting errno itself: no call starts, so no handler count is noted. */
    static ThreadErrno mine() {
        return CURRENT.get();
    }

    /** After a call that failed: errno becomes what the call left in the thread's errno. */
    void tookCaptured() {
        errno = capture.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
        if (errno == io.github.panamasockets.bindings.SocketsConstants.EINTR) JavaSignals.awaitHandler(this); // C's handler ran before the call returned
    }

    /** A check of the facade's own refused the call, as the kernel would have: -1 and this errno. */
    int refuse(int errno) {
        this.errno = errno;
        return -1;
    }
}
