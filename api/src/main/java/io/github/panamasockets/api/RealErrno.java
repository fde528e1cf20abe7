package io.github.panamasockets.api;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The thread's real errno, written before the few calls whose failure C can tell only by errno:
 * getpwnam and sysconf return NULL or -1 both for "none" (errno untouched) and for an error. C
 * sets {@code errno = 0} first and looks after; for that to work here, the real errno must hold
 * the facade's before the call, whatever the JDK (up to 26) or the JVM left in it.
 */
final class RealErrno {
    private RealErrno() {}

    private static final class Location {
        static final MethodHandle H = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("__errno_location").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT)));
    }

    static void set(int value) {
        try {
            ((MemorySegment) Location.H.invokeExact()).set(ValueLayout.JAVA_INT, 0, value);
        } catch (Throwable t) {
            throw Link.rethrow(t);
        }
    }
}
