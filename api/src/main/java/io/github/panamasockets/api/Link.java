package io.github.panamasockets.api;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.MemorySegment.NULL;

/**
 * Links the bindings' functions so that errno is captured. Each facade call keeps its handle in
 * a holder class of its own, so a function is linked on first use. No handle here is linked
 * {@code critical}: most of these calls can block.
 *
 * <p><b>One shared descriptor.</b> The JDK keeps one downcall stub per (descriptor, options) and
 * reuses it for every function of the same shape; each new shape costs a cold JVM about 10 ms
 * of CPU (a generated binding class, a native stub, 15-20 LambdaForms, spun at run time), while a
 * function linked with a shape already there costs well under a millisecond. So every function
 * whose parameters are all C integers or pointers (int, unsigned, long, size_t, socklen_t, any
 * pointer; at most {@value #LONGS}) and whose result is an int or a long is linked with
 * {@link #SHARED}: {@value #LONGS} longs, then {@value #SEGMENTS} pointers, returning a long, and
 * errno captured. The C arguments go in the longs in order (an int sign-extended, a pointer as
 * its address, the unused ones 0); every {@code MemorySegment} of the call goes, besides, in the
 * trailing pointers (the unused ones NULL), so the JDK still refuses a heap segment and keeps
 * each segment's arena alive for the whole call, as it does for a pointer argument: another
 * thread cannot free the memory while the kernel uses it. Why the C function gets what it would
 * get from its own prototype, on both platforms these bindings exist for (sockets_h.PLATFORM,
 * linux-x86_64 and linux-aarch64; the bindings refuse to load anywhere else):
 * <ul>
 * <li>x86-64 System V and AArch64 AAPCS64 pass integer and pointer arguments, in order, in the
 *     same general registers (rdi, rsi, rdx, rcx, r8, r9; x0-x7), whether the parameter is
 *     declared int, long or a pointer; six fit in registers on both.</li>
 * <li>An int parameter is read from the low 32 bits of its register (the upper half is undefined
 *     for the callee on both ABIs), so an int passed sign-extended in a long is the same int; no
 *     parameter here is narrower than int (a char or short would be left to its own
 *     descriptor).</li>
 * <li>The caller owns its argument registers and stack area and removes the latter itself: a
 *     callee never reads past its own parameters, so the unused longs and the trailing pointers
 *     (in x6/x7 or on the stack) are not looked at. The facade relies on the same rule to keep
 *     alive a segment the C function does not take: where a call gets a checked copy of a shared
 *     socklen_t (accept, getsockopt, recvfrom...), the caller's own segment is passed
 *     after the C arguments, so that it is still there for the copy back ({@link Memory}).</li>
 * <li>An int result is in the low 32 bits of rax/x0 and the upper half is undefined: the call
 *     keeps exactly those bits, sign-extended (ntohl's 0x80000001 comes back as that negative
 *     int, not as 2147483649), and the caller casts the long to int.</li>
 * </ul>
 * Variadic functions (fcntl, ioctl, openat, syscall: their variadic part follows other rules),
 * anything with a struct by value, a floating-point value, a pointer result, more than
 * {@value #LONGS} parameters or more than {@value #SEGMENTS} segments keep their exact descriptors
 * ({@link #capturingErrno}, or {@link #plain} without errno). A call goes through {@code call(shared, capture,
 * args...)}: one overload per pattern of integers (L) and pointers (P), which puts each segment
 * in both places, so a call site cannot pass an address without keeping its segment alive; with
 * assertions on (the tests), each call checks its pattern against the C prototype.
 * MethodHandles combinators that adapted the shared handle to each function's exact type were
 * tried and measured: they spin LambdaForms of their own per type, and cost as much as the
 * distinct stubs they replace.
 *
 * <p>What it bought (benchmarks/run startup, 2026-11-30 04:51 UTC, CPU time, medians of 15
 * interleaved runs on a loaded 2-vCPU machine, with a JDK 25 AOT cache; README "Start-up"): ten
 * distinct calls 218 ms before, 147 after (2.34 to 1.58 × java.net.Socket), each further function
 * 7.7 ms before, 0.2-1.8 ms after; one socket() is unchanged by it (148 to 145 ms), and with
 * nothing else left at Posix's class init is 132 ms, 1.39 × java.net, against raw FFM's 1.41 ×.
 * Targets: each further function within 2 ms, met with an AOT cache (4.3 ms without); one
 * socket() within 1.3 × java.net and ten calls within 1.5 ×, both missed (1.39 ×, 1.59 ×). In
 * steady state the shared descriptor adds 0.4-3 ns to a cheap call (benchmarks/interleaved, CPU
 * time, × raw FFM linked with each function's own descriptor and errno captured: close(-1)
 * 1.018-1.029, before 1.012-1.024; read giving EAGAIN 1.012-1.024, before 1.000-1.009;
 * getsockopt 1.020-1.059, before 1.015-1.056), and the facade still allocates nothing per call.
 */
final class Link {
    private Link() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option[] CAPTURE = {ThreadErrno.CAPTURE};

    /** C parameters the shared descriptor carries, and segments it keeps alive. */
    static final int LONGS = 6, SEGMENTS = 4;

    /** (long x LONGS, pointer x SEGMENTS) -> long: the one descriptor of every {@link Shared} function. */
    static final FunctionDescriptor SHARED = sharedDescriptor();

    private static FunctionDescriptor sharedDescriptor() {
        MemoryLayout[] args = new MemoryLayout[LONGS + SEGMENTS];
        for (int i = 0; i < args.length; i++) args[i] = i < LONGS ? ValueLayout.JAVA_LONG : ValueLayout.ADDRESS;
        return FunctionDescriptor.of(ValueLayout.JAVA_LONG, args);
    }

    /**
     * A function linked with {@link #SHARED} (a record, so that the JIT takes its handle as a
     * constant when the holder's field is one). {@code args}: its C parameters, L for an integer,
     * P for a pointer; {@code intResult}: C returns an int, whose register's upper half is undefined.
     */
    record Shared(MethodHandle handle, String args, boolean intResult) {
        /** Whether a call passing {@code call} (L, P) fits: the C parameters, then only segments kept alive. */
        boolean takes(String call) {
            if (!call.startsWith(args)) return false;
            for (int i = args.length(); i < call.length(); i++) if (call.charAt(i) != 'P') return false;
            return true;
        }
    }

    /**
     * Links {@code address} with the shared descriptor; {@code descriptor} is its own (jextract's
     * union-of-pointers parameters taken as pointers, {@link #pointerForPointerUnion}).
     * Refuses a function the shared descriptor cannot carry (see the class comment).
     */
    static Shared shared(MemorySegment address, FunctionDescriptor descriptor) {
        FunctionDescriptor d = pointerForPointerUnion(descriptor);
        MemoryLayout result = d.returnLayout().orElse(null);
        boolean fits = (result instanceof ValueLayout.OfInt || result instanceof ValueLayout.OfLong) && d.argumentLayouts().size() <= LONGS;
        StringBuilder args = new StringBuilder();
        for (MemoryLayout a : d.argumentLayouts()) {
            if (a instanceof ValueLayout.OfInt || a instanceof ValueLayout.OfLong) args.append('L');
            else if (a instanceof AddressLayout) args.append('P');
            else fits = false;
        }
        if (!fits) throw new IllegalArgumentException("the shared descriptor cannot carry " + d + ": link it with its own");
        return new Shared(LINKER.downcallHandle(address, SHARED, CAPTURE), args.toString(), result instanceof ValueLayout.OfInt);
    }

    // One call per pattern of C parameters (L: an int or long, P: a segment) the facade uses; a P
    // past the C parameters is a segment kept alive only. Each returns C's result as a long, an
    // int result as its low 32 bits sign-extended (the register's upper half is not C's).

    static long call(Shared f, MemorySegment capture) {
        assert f.takes("") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, 0L, 0L, 0L, 0L, 0L, 0L, NULL, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0) {
        assert f.takes("L") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, 0L, 0L, 0L, 0L, 0L, NULL, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, MemorySegment p0) {
        assert f.takes("P") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, p0.address(), 0L, 0L, 0L, 0L, 0L, p0, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, long a1) {
        assert f.takes("LL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, a1, 0L, 0L, 0L, 0L, NULL, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1) {
        assert f.takes("LP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), 0L, 0L, 0L, 0L, p1, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, MemorySegment p0, long a1) {
        assert f.takes("PL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, p0.address(), a1, 0L, 0L, 0L, 0L, p0, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, MemorySegment p0, MemorySegment p1) {
        assert f.takes("PP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, p0.address(), p1.address(), 0L, 0L, 0L, 0L, p0, p1, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, long a1, long a2) {
        assert f.takes("LLL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, a1, a2, 0L, 0L, 0L, NULL, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, long a2) {
        assert f.takes("LPL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), a2, 0L, 0L, 0L, p1, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, MemorySegment p2) {
        assert f.takes("LPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), p2.address(), 0L, 0L, 0L, p1, p2, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, MemorySegment p0, long a1, long a2) {
        assert f.takes("PLL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, p0.address(), a1, a2, 0L, 0L, 0L, p0, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, MemorySegment p0, MemorySegment p1, MemorySegment p2) {
        assert f.takes("PPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, p0.address(), p1.address(), p2.address(), 0L, 0L, 0L, p0, p1, p2, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, long a1, long a2, MemorySegment p3) {
        assert f.takes("LLLP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, a1, a2, p3.address(), 0L, 0L, p3, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, long a1, MemorySegment p2, long a3) {
        assert f.takes("LLPL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, a1, p2.address(), a3, 0L, 0L, p2, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, long a1, MemorySegment p2, MemorySegment p3) {
        assert f.takes("LLPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, a1, p2.address(), p3.address(), 0L, 0L, p2, p3, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, long a2, long a3) {
        assert f.takes("LPLL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), a2, a3, 0L, 0L, p1, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, MemorySegment p2, MemorySegment p3) {
        assert f.takes("LPPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), p2.address(), p3.address(), 0L, 0L, p1, p2, p3, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, MemorySegment p0, long a1, MemorySegment p2, MemorySegment p3) {
        assert f.takes("PLPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, p0.address(), a1, p2.address(), p3.address(), 0L, 0L, p0, p2, p3, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, MemorySegment p0, MemorySegment p1, MemorySegment p2, MemorySegment p3) {
        assert f.takes("PPPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, p0.address(), p1.address(), p2.address(), p3.address(), 0L, 0L, p0, p1, p2, p3)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, long a1, long a2, MemorySegment p3, long a4) {
        assert f.takes("LLLPL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, a1, a2, p3.address(), a4, 0L, p3, NULL, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, long a2, long a3, MemorySegment p4) {
        assert f.takes("LPLLP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), a2, a3, p4.address(), 0L, p1, p4, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, MemorySegment p2, long a3, MemorySegment p4) {
        assert f.takes("LPPLP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), p2.address(), a3, p4.address(), 0L, p1, p2, p4, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, MemorySegment p2, MemorySegment p3, MemorySegment p4) {
        assert f.takes("LPPPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), p2.address(), p3.address(), p4.address(), 0L, p1, p2, p3, p4)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, long a1, long a2, MemorySegment p3, MemorySegment p4, MemorySegment p5) {
        assert f.takes("LLLPPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, a1, a2, p3.address(), p4.address(), p5.address(), p3, p4, p5, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, long a2, long a3, MemorySegment p4, long a5) {
        assert f.takes("LPLLPL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), a2, a3, p4.address(), a5, p1, p4, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, long a2, MemorySegment p3, long a4, long a5) {
        assert f.takes("LPLPLL") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), a2, p3.address(), a4, a5, p1, p3, NULL, NULL)); } catch (Throwable t) { throw rethrow(t); }
    }

    static long call(Shared f, MemorySegment capture, long a0, MemorySegment p1, long a2, long a3, MemorySegment p4, MemorySegment p5, MemorySegment p6) {
        assert f.takes("LPLLPPP") : f;
        try { return result(f, (long) f.handle().invokeExact(capture, a0, p1.address(), a2, a3, p4.address(), p5.address(), p1, p4, p5, p6)); } catch (Throwable t) { throw rethrow(t); }
    }

    private static long result(Shared f, long r) {
        return f.intResult() ? (int) r : r;
    }

    /** A function's own descriptor, errno captured: for what {@link #shared} cannot carry. */
    static MethodHandle capturingErrno(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... more) {
        if (more.length == 0) return LINKER.downcallHandle(address, descriptor, CAPTURE);
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = ThreadErrno.CAPTURE;
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(address, descriptor, options);
    }

    /**
     * The descriptor with each argument that is a union of pointers passed as a pointer. The calls
     * that take glibc's transparent {@code __SOCKADDR_ARG} (bind, connect, sendto, recvfrom,
     * accept, accept4, getsockname, getpeername) need it: the project's generator describes that
     * parameter as a pointer; jextract describes it as the union, passed by value, which would
     * send the first 8 bytes of the sockaddr as the address. A union of pointers goes in the
     * register its pointer would use, so a pointer in its place is the same call.
     */
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
     * As {@link #capturingErrno}, with jextract's union-of-pointers parameters as pointers
     * ({@link #pointerForPointerUnion}): for a function with a {@code __SOCKADDR_ARG} that the
     * shared descriptor cannot carry. The facade's own such calls all go through {@link #shared}.
     */
    static MethodHandle capturingErrnoSockaddr(MemorySegment address, FunctionDescriptor descriptor) {
        return capturingErrno(address, pointerForPointerUnion(descriptor));
    }

    /**
     * As {@link #capturingErrnoSockaddr}, with one more pointer argument at the end that the C
     * function never reads, so that the JDK keeps the segment passed there alive for the call (see
     * the class comment): for a function the shared descriptor cannot carry. The facade's own such
     * calls (accept, getsockopt, recvfrom...) pass that segment to {@link #shared}'s call instead.
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
