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
 * a holder class of its own, so a function is linked on first use. No handle here is linked
 * {@code critical}: most of these calls can block.
 *
 * <p>What a link costs a cold JVM (JDK 25, measured with benchmarks/run startup and
 * -Xlog:class+load): the JDK keeps one downcall stub per (descriptor, options) and reuses it for
 * every function of the same shape, so a function shaped like one already linked (accept after
 * getsockname, read after write) costs well under a millisecond; a new shape costs 5-10 ms of
 * CPU: a generated binding class, a native stub and a few dozen LambdaForms, spun at run time.
 * So: one Linker and one capture option for all, descriptors made once (the bindings' own), and
 * no stream or lambda on this path. An AOT cache (./psock aot) keeps most of the rest.
 */
final class Link {
    private Link() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option[] CAPTURE = {ThreadErrno.CAPTURE};

    static MethodHandle capturingErrno(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... more) {
        if (more.length == 0) return LINKER.downcallHandle(address, descriptor, CAPTURE);
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = ThreadErrno.CAPTURE;
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(address, descriptor, options);
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
        // Plain loops, no stream or lambda: this runs in a cold JVM, at a function's first call.
        MemoryLayout[] args = descriptor.argumentLayouts().toArray(new MemoryLayout[0]);
        boolean changed = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof UnionLayout u && isPointerUnion(u)) {
                args[i] = ValueLayout.ADDRESS;
                changed = true;
            }
        }
        if (!changed) return descriptor;
        return descriptor.returnLayout().isPresent() ? FunctionDescriptor.of(descriptor.returnLayout().get(), args) : FunctionDescriptor.ofVoid(args);
    }

    private static boolean isPointerUnion(UnionLayout u) {
        if (u.memberLayouts().isEmpty()) return false;
        for (MemoryLayout m : u.memberLayouts()) if (!(m instanceof AddressLayout)) return false;
        return true;
    }

    /**
     * As {@link #capturingErrno}, with one more pointer argument at the end that the C function
     * never reads: the segment passed there is kept alive by the JDK for the whole call, as every
     * segment argument of a downcall is (see {@link Memory}). Used where the call gets a copy of
     * the caller's segment (a socklen_t) and writes the result back afterwards. On the C calling
     * conventions of the platforms built here (x86-64 System V, AArch64 AAPCS64) the caller owns
     * its argument registers and stack, so a trailing argument the callee does not declare is
     * simply not looked at. A union-of-pointers argument (glibc's {@code __SOCKADDR_ARG}, as
     * jextract describes it) is passed as its pointer, as {@link #capturingErrnoSockaddr} does.
     */
    static MethodHandle capturingErrnoKeepingAlive(MemorySegment address, FunctionDescriptor descriptor) {
        return capturingErrno(address, pointerForPointerUnion(descriptor).appendArgumentLayouts(ValueLayout.ADDRESS));
    }

    static MethodHandle plain(MemorySegment address, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(address, descriptor);
    }

    /** invokeExact's checked Throwable: only errors and runtime exceptions can come out of a downcall. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new AssertionError("a downcall threw " + t, t);
    }
}
