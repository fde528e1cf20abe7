package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one descriptor most facade functions are linked with ({@link Link#shared}): C's int
 * arguments and results come through it as C has them, every segment is still refused or kept
 * alive by the JDK as a pointer argument is, and what it cannot carry is refused at link time.
 */
@ExtendWith(NoLeaks.class)
class SharedLinkTest {
    private static MemorySegment libc(String name) {
        return Linker.nativeLinker().defaultLookup().find(name).orElseThrow();
    }

    @Test
    void anIntResultIsTheLow32BitsAndANegativeIntArgumentArrivesAsIs() {
        ThreadErrno e = ThreadErrno.current();
        // ntohl(0x01000080) is 0x80000001: an int whose sign bit is set, in a register whose upper half C leaves as it likes
        Link.Shared ntohl = Link.shared(libc("ntohl"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        assertEquals(0x80000001, (int) Link.call(ntohl, e.capture, 0x01000080));
        assertEquals((long) 0x80000001, Link.call(ntohl, e.capture, 0x01000080), "an int result is sign-extended from its low 32 bits");
        Link.Shared abs = Link.shared(libc("abs"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        assertEquals(5, (int) Link.call(abs, e.capture, -5));
        assertEquals(Integer.MIN_VALUE, (int) Link.call(abs, e.capture, Integer.MIN_VALUE));
        // labs takes and gives a whole long
        Link.Shared labs = Link.shared(libc("labs"), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        assertEquals(1L << 40, Link.call(labs, e.capture, -(1L << 40)));
    }

    @Test
    void errnosOffsetSummedOverTheMembersIsTheLayoutPaths() {
        assertEquals(ThreadErrno.CAPTURE_LAYOUT.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")),
                ThreadErrno.offsetOf(ThreadErrno.CAPTURE_LAYOUT, "errno"));
        assertEquals(timeval.tv_usec$offset(), ThreadErrno.offsetOf((java.lang.foreign.StructLayout) timeval.layout(), "tv_usec"));
        assertThrows(IllegalStateException.class, () -> ThreadErrno.offsetOf((java.lang.foreign.StructLayout) timeval.layout(), "tv_nsec"));
    }

    @Test
    void errnoIsCapturedThroughTheSharedLink() {
        ThreadErrno e = ThreadErrno.current();
        Link.Shared close = Link.shared(sockets_h.close$address(), sockets_h.close$descriptor());
        int r = (int) Link.call(close, e.capture, -1);
        assertEquals(-1, r);
        e.tookCaptured();
        assertEquals(EBADF, e.errno, strerrorname(e.errno));
    }

    @Test
    void theJdkStillRefusesAHeapSegmentAndAClosedOneBeforeTheCall() {
        ThreadErrno e = ThreadErrno.current();
        Link.Shared write = Link.shared(sockets_h.write$address(), sockets_h.write$descriptor());
        assertThrows(IllegalArgumentException.class, () -> Link.call(write, e.capture, -1, MemorySegment.ofArray(new byte[4]), 4));
        MemorySegment gone;
        try (Arena arena = Arena.ofShared()) {
            gone = arena.allocate(4);
        }
        MemorySegment closed = gone;
        assertThrows(IllegalStateException.class, () -> Link.call(write, e.capture, -1, closed, 4));
    }

    @Test
    void aSegmentPastTheCParametersIsKeptAliveAndNotPassed() {
        // getsockname(fd, addr, len) + the caller's socklen_t: the fourth is only held for the call
        try (Arena arena = Arena.ofConfined()) {
            ThreadErrno e = ThreadErrno.current();
            Link.Shared getsockname = Link.shared(sockets_h.getsockname$address(), sockets_h.getsockname$descriptor());
            int fd = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            try {
                ok("bind", bind(fd, addr(arena, 0), sizeofSockaddrIn()));
                MemorySegment sa = arena.allocate(sizeofSockaddrIn());
                MemorySegment len = arena.allocateFrom(JAVA_INT, sizeofSockaddrIn());
                MemorySegment kept = arena.allocate(JAVA_INT);
                assertEquals(0, (int) Link.call(getsockname, e.capture, fd, sa, len, kept));
                assertEquals(sizeofSockaddrIn(), len.get(JAVA_INT, 0));
                assertEquals(AF_INET, sin_family(sa));
            } finally {
                ok("close", close(fd));
            }
        }
    }

    @Test
    void whatTheSharedDescriptorCannotCarryIsRefusedAtLinkTime() {
        MemorySegment f = libc("abs");
        for (FunctionDescriptor d : new FunctionDescriptor[] {
                FunctionDescriptor.of(JAVA_DOUBLE, JAVA_DOUBLE),               // floating point
                FunctionDescriptor.of(JAVA_INT, JAVA_SHORT),                   // narrower than int
                FunctionDescriptor.of(ADDRESS, JAVA_INT),                      // a pointer result
                FunctionDescriptor.ofVoid(JAVA_INT),                           // no result
                FunctionDescriptor.of(JAVA_INT, timeval.layout()),             // a struct by value
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)}) { // 7 parameters
            assertThrows(IllegalArgumentException.class, () -> Link.shared(f, d), d.toString());
        }
    }

    @Test
    void withAssertionsOnACallThatDoesNotFitThePrototypeIsCaught() {
        assumeTrue(Link.class.desiredAssertionStatus(), "assertions are off (-ea not given): the pattern check is an assert");
        ThreadErrno e = ThreadErrno.current();
        Link.Shared close = Link.shared(sockets_h.close$address(), sockets_h.close$descriptor());
        assertThrows(AssertionError.class, () -> Link.call(close, e.capture, MemorySegment.NULL));  // a pointer where C takes an int
        assertThrows(AssertionError.class, () -> Link.call(close, e.capture, -1, -1));             // an int past the C parameters
        Link.Shared write = Link.shared(sockets_h.write$address(), sockets_h.write$descriptor());
        assertThrows(AssertionError.class, () -> Link.call(write, e.capture, -1, 0));              // too few
    }
}
