package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * errno as C keeps it: set by the call that failed on this thread, left alone by calls that
 * succeed, by the JVM (GC, allocation, logging, the JDK's own system calls) and by code that runs
 * between the call and {@code errno()}; and {@code errno = 0} before a call works as in C.
 */
@ExtendWith(NoLeaks.class)
class ErrnoTest {

    @Test
    void connectToClosedPortSetsEconnrefused() {
        int holder = closedPortHolder(), s = -1;
        try (Arena arena = Arena.ofConfined()) {
            s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            assertFails(ECONNREFUSED, connect(s, addr(arena, port(holder)), sizeofSockaddrIn()), "connect to a closed port");
            assertEquals(111, errno());
            assertEquals("ECONNREFUSED", strerrorname(errno()));
            assertEquals("Connection refused", strerror(errno()));
        } finally {
            closeAll(s, holder);
        }
    }

    @Test
    void bindToPortInUseSetsEaddrinuse() {
        int l = listener(), s = -1;
        try (Arena arena = Arena.ofConfined()) {
            s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            assertFails(EADDRINUSE, bind(s, addr(arena, port(l)), sizeofSockaddrIn()), "bind to a port in use");
            assertEquals(98, errno());
            assertEquals("EADDRINUSE", strerrorname(errno()));
            assertEquals("Address already in use", strerror(errno()));
        } finally {
            closeAll(s, l);
        }
    }

    @Test
    void closeOfClosedFdSetsEbadf() {
        int s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        // Move it to a number far above the open ones, so no other thread can be given that number
        // between the two closes (the kernel hands out the lowest free number).
        int high = closedFd();
        assertEquals(high, dup2(s, high));
        assertEquals(0, close(s));
        assertEquals(0, close(high));
        assertFails(EBADF, close(high), "second close");
        assertEquals(9, errno());
        assertEquals("EBADF", strerrorname(errno()));
        assertEquals("Bad file descriptor", strerror(errno()));
    }

    @Test
    void errnoSurvivesGcAllocationLoggingAndTheJdksOwnSystemCalls() throws Exception {
        int holder = closedPortHolder(), s = -1;
        try (Arena arena = Arena.ofConfined()) {
            s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            MemorySegment to = addr(arena, port(holder));
            assertEquals(-1, connect(s, to, sizeofSockaddrIn()));

            System.gc();
            List<byte[]> garbage = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) garbage.add(new byte[16 * 1024]);
            garbage.clear();
            System.gc();
            try (Arena other = Arena.ofShared()) { other.allocate(1 << 20).fill((byte) 1); }
            LoggerFactory.getLogger("psock.test").info("logging between the call and errno() must not change errno");
            // The JDK's own system calls set C's errno of this thread (stat of a missing file: ENOENT).
            assertFalse(Files.exists(Path.of("/nonexistent/psock/" + System.nanoTime())));
            Thread.sleep(20);
            // A facade call that succeeds leaves errno alone, as in C.
            int t = ok("socket", socket(AF_INET, SOCK_DGRAM, 0));
            assertEquals(0, close(t));

            assertErrno(ECONNREFUSED, "errno after GC, allocation, logging, JDK I/O and successful calls");
        } finally {
            closeAll(s, holder);
        }
    }

    @Test
    void errnoZeroBeforeASuccessfulCallStaysZero() {
        // C: errno = 0; s = socket(...); errno is still 0.
        errno(0);
        int s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, errno());
        assertEquals(0, close(s));
        assertEquals(0, errno());

        // C: a call fails (errno = EBADF), errno = 0, a call succeeds: errno is 0, not EBADF.
        assertFails(EBADF, close(-1), "close(-1)");
        errno(0);
        s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, errno(), "errno after errno = 0 and a successful socket()");
        assertEquals(0, close(s));
        assertEquals(0, errno());
    }

    @Test
    void aSuccessfulCallLeavesErrnoAsSet() {
        errno(EINTR);
        int s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, close(s));
        assertErrno(EINTR, "a successful call leaves errno as set");
        errno(0);
    }

    @Test
    void aFailingCallAfterErrnoZeroSetsIt() {
        errno(0);
        assertFails(EBADF, close(-1), "close(-1) after errno = 0");
        errno(12345);
        assertFails(EBADF, close(-1), "close(-1) after errno = 12345");
    }

    /**
     * JDK 27+ also loads the capture buffer into errno before a call, so after a successful call
     * the buffer still holds whatever was there (here: stale values). JDK 25 overwrites it with the
     * C errno after every call. Either way a successful call must leave errno() as the program set
     * it: simulate the JDK 27 buffer by writing into it directly.
     */
    @Test
    void aStaleCaptureBufferDoesNotLeakIntoErrnoOnSuccess() {
        VarHandle captured = Linker.Option.captureStateLayout().varHandle(groupElement("errno"));
        MemorySegment capture = ThreadErrno.current().capture;

        assertFails(EBADF, close(-1), "close(-1)");
        assertEquals(EBADF, (int) captured.get(capture, 0L), "the capture buffer holds the failed call's errno");
        errno(0);
        int s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, errno(), "errno = 0, then a successful call, with the buffer holding EBADF from before");

        captured.set(capture, 0L, 4242);
        errno(0);
        assertEquals(0, close(s));
        assertEquals(0, errno(), "a successful call with a stale value in the buffer");

        captured.set(capture, 0L, 4242);
        assertFails(EBADF, close(-1), "a failing call takes the errno it left, not the buffer's stale value");
    }

    @Test
    void errnoIsPerThread() throws Exception {
        assertFails(EBADF, close(-1), "close(-1) here");
        int[] seen = new int[2];
        Thread t = new Thread(() -> {
            seen[0] = errno(); // a new thread starts with errno 0, as in C
            int[] p = Loopback.pipe();
            try {
                seen[1] = listen(p[0], 1) == -1 ? errno() : -1;
            } finally {
                closeAll(p);
            }
        }, NoLeaks.THREAD_PREFIX + "errno");
        t.start();
        t.join();
        assertEquals(0, seen[0], "errno of a new thread");
        assertEquals(ENOTSOCK, seen[1], "the other thread's errno");
        assertErrno(EBADF, "this thread's errno after another thread failed with ENOTSOCK");
    }
}
