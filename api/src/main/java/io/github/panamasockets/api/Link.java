package io.github.panamasockets.api;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Links the bindings' functions so that errno is captured. Each facade call keeps its handle in
 * a holder class of its own, so a function is linked on first use (about a millisecond each).
 * No handle here is linked {@code critical}: most of these calls can block.
 */
final class Link {
    private Link() {}

    static MethodHandle capturingErrno(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = ThreadErrno.CAPTURE;
        System.arraycopy(more, 0, options, 1, more.length);
        return Linker.nativeLinker().downcallHandle(address, descriptor, options);
    }

    /**
     * As {@link #capturingErrno}, with one more pointer argument at the end that the C function
     * never reads: the segment passed there is kept alive by the JDK for the whole call, as every
     * segment argument of a downcall is (see {@link Memory}). Used where the call gets a copy of
     * the caller's segment (a socklen_t) and writes the result back afterwards. On the C calling
     * conventions of the platforms built here (x86-64 System V, AArch64 AAPCS64) the caller owns
     * its argument registers and stack, so a trailing argument the callee does not declare is
     * simply not looked at.
     */
    static MethodHandle capturingErrnoKeepingAlive(MemorySegment address, FunctionDescriptor descriptor) {
        return capturingErrno(address, descriptor.appendArgumentLayouts(java.lang.foreign.ValueLayout.ADDRESS));
    }

    static MethodHandle plain(MemorySegment address, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(address, descriptor);
    }

    /** invokeExact's checked Throwable: only errors and runtime exceptions can come out of a downcall. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new AssertionError("a downcall threw " + t, t);
    }
}
