package io.github.panamasockets.api;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
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
     * For the calls that take glibc's transparent {@code __SOCKADDR_ARG} (bind, connect, sendto,
     * recvfrom, accept, accept4, getsockname, getpeername): links them so that the facade's
     * {@code MemorySegment} is passed as the pointer C passes. The project's generator already
     * describes that parameter as a pointer; jextract describes it as the union, passed by value,
     * which would send the first 8 bytes of the sockaddr as the address. A union of pointers goes
     * in the register its pointer would use, so an ADDRESS in its place is the same call.
     */
    static MethodHandle capturingErrnoSockaddr(MemorySegment address, FunctionDescriptor descriptor) {
        return capturingErrno(address, pointerForPointerUnion(descriptor));
    }

    /** The descriptor with each argument that is a union of pointers replaced by a pointer. */
    static FunctionDescriptor pointerForPointerUnion(FunctionDescriptor descriptor) {
        MemoryLayout[] args = descriptor.argumentLayouts().toArray(MemoryLayout[]::new);
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof UnionLayout u && !u.memberLayouts().isEmpty()
                    && u.memberLayouts().stream().allMatch(m -> m instanceof AddressLayout)) {
                args[i] = ValueLayout.ADDRESS;
            }
        }
        return descriptor.returnLayout().map(r -> FunctionDescriptor.of(r, args)).orElseGet(() -> FunctionDescriptor.ofVoid(args));
    }

    /**
     * As {@link #capturingErrno}, with one more pointer argument at the end that the C function
     * never reads: the segment passed there is kept alive by the JDK for the whole call, as every
     * segment argument of a downcall is (see {@link Memory}). Used where the call gets a copy of
     * the caller's segment (a socklen_t) and writes the result back afterwards. On the C calling
     * conventions of the platforms built here (x86-64 System V, AArch64 AAPCS64) the caller owns
     * its argument registers and stack, so a trailing argument the callee does not declare is
     * simply not looked at. The descriptor's pointer unions are made pointers first, as in
     * {@link #capturingErrnoSockaddr}.
     */
    static MethodHandle capturingErrnoKeepingAlive(MemorySegment address, FunctionDescriptor descriptor) {
        return capturingErrno(address, pointerForPointerUnion(descriptor).appendArgumentLayouts(ValueLayout.ADDRESS));
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
