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
