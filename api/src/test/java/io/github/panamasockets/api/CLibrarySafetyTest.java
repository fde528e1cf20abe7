package io.github.panamasockets.api;

import io.github.panamasockets.bindings.timespec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.C_POINTER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What C leaves undefined, the companion refuses before it writes anything: overflows, wrong arguments. */
@ExtendWith(NoLeaks.class)
class CLibrarySafetyTest {

    static byte[] contents(MemorySegment s) {
        return s.toArray(JAVA_BYTE);
    }

    @Test
    void aCopyThatDoesNotFitThrowsAndWritesNothing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(8).fill((byte) 'Z');
            byte[] before = contents(small);
            assertThrows(IndexOutOfBoundsException.class, () -> strcpy(small, "eight ch"));       // 8 bytes and a NUL
            assertThrows(IndexOutOfBoundsException.class, () -> sprintf(small, "%d", 12345678));
            assertThrows(IndexOutOfBoundsException.class, () -> snprintf(small, 9, "%d", 1));     // size past the buffer
            assertThrows(IndexOutOfBoundsException.class, () -> strncpy(small, "ab", 9));
            assertThrows(IndexOutOfBoundsException.class, () -> memcpy(small, arena.allocate(16), 9));
            strcpy(small, "abcd");
            byte[] abcd = contents(small);
            assertThrows(IndexOutOfBoundsException.class, () -> strcat(small, "efgh"));
            assertThrows(IndexOutOfBoundsException.class, () -> sscanf("123456789", "%s", small));
            assertArrayEquals(abcd, contents(small));
            assertEquals(small, strcpy(small, "seven c"));
            assertEquals(7, strlen(small));
            assertEquals('Z', before[7]);
        }
    }

    @Test
    void aStringWithNoNulIsReadNoFurtherThanItsSegment() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unterminated = arena.allocate(4).fill((byte) 'x');
            assertThrows(IndexOutOfBoundsException.class, () -> strlen(unterminated));
            assertThrows(IndexOutOfBoundsException.class, () -> printf("%s", unterminated));
            assertEquals(3, snprintf(arena.allocate(8), 8, "%.3s", unterminated)); // the precision stops before the end, as in C
            assertThrows(IndexOutOfBoundsException.class, () -> strnlen(unterminated, 5));
            assertEquals(4, strnlen(unterminated, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> strcmp(unterminated, "xxxx"));
            assertEquals(0, strncmp(unterminated, "xxxx", 4));
        }
    }

    @Test
    void aWrongArgumentThrowsBeforeAnythingIsWritten() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThrows(IllegalArgumentException.class, () -> printf("port %d\n", "8888"));
            assertThrows(IllegalArgumentException.class, () -> printf("%s and %d\n", "text"));   // missing argument
            assertThrows(IllegalArgumentException.class, () -> printf("%f\n", 1));
            assertThrows(IllegalArgumentException.class, () -> printf("%d\n", 5_000_000_000L));  // needs %ld
            assertThrows(IllegalArgumentException.class, () -> printf("%s\n", 42));
            assertThrows(IllegalArgumentException.class, () -> printf("%La\n", 1.0));           // a long double's digits
            assertThrows(IllegalArgumentException.class, () -> printf("%w\n", 1));              // no such conversion
            assertThrows(IllegalArgumentException.class, () -> printf("%ls\n", "wide"));
            assertThrows(IllegalArgumentException.class, () -> printf("100%"));
            assertThrows(IllegalArgumentException.class, () -> printf("%n\n", 7));
            MemorySegment n = arena.allocate(2);
            assertThrows(IndexOutOfBoundsException.class, () -> printf("ab%n\n", n));            // an int does not fit in 2 bytes
            assertEquals("", captured.toString(StandardCharsets.UTF_8));
            MemorySegment buf = arena.allocate(16).fill((byte) 'Z');
            assertThrows(IllegalArgumentException.class, () -> snprintf(buf, 16, "%d %d", 1, "2"));
            for (byte b : contents(buf)) assertEquals('Z', b);

            MemorySegment a = arena.allocate(C_INT).fill((byte) 0x55), s = arena.allocate(8).fill((byte) 0x55);
            assertThrows(IllegalArgumentException.class, () -> sscanf("1 x", "%d %s", a, new Object()));
            assertEquals(0x55555555, a.get(C_INT, 0)); // the first conversion stored nothing either
            assertThrows(IllegalArgumentException.class, () -> sscanf("1", "%ld", new int[1]));
            int[] port = new int[1];
            assertEquals(2, sscanf("port=8888 x", "port=%d %s", port, s));
            assertEquals(8888, port[0]);
            assertEquals("x", cstring(s));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void pointersAndTheirSlices() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom("GET / HTTP/1.0\r\n");
            buf.set(JAVA_BYTE, strcspn(buf, "\r\n"), (byte) 0); // buf[strcspn(buf, "\r\n")] = '\0';
            assertEquals("GET / HTTP/1.0", cstring(buf));
            MemorySegment space = strchr(buf, ' ');
            assertEquals(3, space.address() - buf.address());
            assertEquals(" / HTTP/1.0", cstring(space));
            assertEquals(MemorySegment.NULL, strchr(buf, '#'));
            assertEquals("HTTP/1.0", cstring(strstr(buf, "HTTP")));
            MemorySegment p = arena.allocate(8);
            assertEquals("[0x" + Long.toHexString(p.address()) + "]", sprintfText(arena, "[%p]", p));
            assertEquals("[(nil)]", sprintfText(arena, "[%p]", MemorySegment.NULL));
            MemorySegment endptr = arena.allocate(C_POINTER);
            MemorySegment number = arena.allocateFrom("8080/tcp");
            assertEquals(8080, strtol(number, endptr, 10));
            assertEquals('/', endptr.get(C_POINTER, 0).get(JAVA_BYTE, 0)); // **endptr
            assertThrows(IllegalArgumentException.class, () -> strtol("8080", endptr, 10));
            errno(0);
            assertEquals(Long.MAX_VALUE, strtol("99999999999999999999", null, 10));
            assertEquals(ERANGE, errno());
            errno(0);
        }
    }

    static String sprintfText(Arena arena, String format, Object... args) {
        MemorySegment out = arena.allocate(64);
        sprintf(out, format, args);
        return cstring(out);
    }

    @Test
    void nanosleepChecksAndSleeps() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = timespec.allocate(arena);
            timespec.tv_sec(req, 0);
            timespec.tv_nsec(req, 1_000_000_000L);
            assertEquals(-1, nanosleep(req, MemorySegment.NULL));
            assertEquals(EINVAL, errno());
            assertEquals(-1, nanosleep(arena.allocate(8), MemorySegment.NULL));
            assertEquals(EFAULT, errno());
            assertEquals(-1, nanosleep(req, arena.allocate(8)));
            assertEquals(EFAULT, errno());
            timespec.tv_nsec(req, 1_000_000L);
            assertEquals(0, nanosleep(req, timespec.allocate(arena)));
            assertEquals(0, usleep(1000));
            assertEquals(0, sleep(0));
            errno(0);
        }
    }

    @Test
    void timeAndGetenvAreThisProcesssOwn() {
        try (Arena arena = Arena.ofConfined()) {
            long before = System.currentTimeMillis() / 1000;
            MemorySegment tloc = arena.allocate(8);
            long now = time(tloc);
            assertTrue(now >= before && now <= System.currentTimeMillis() / 1000, now + " vs " + before);
            assertEquals(now, tloc.get(io.github.panamasockets.bindings.sockets_h.time_t, 0));
            assertEquals(-1, time(arena.allocate(4)));
            assertEquals(EFAULT, errno());
            errno(0);
            assertTrue(time(MemorySegment.NULL) >= now);
            assertEquals(System.getenv("PATH"), getenv("PATH"));
            assertNull(getenv("PANAMA_SOCKETS_NO_SUCH_VARIABLE"));
            assertEquals(24, ctime(now).indexOf('\n'));
        }
    }

    /**
     * A signal interrupts nanosleep: -1, errno EINTR, and rem holds what was left. SIGPIPE is the
     * signal sent: the JVM handles it by ignoring it, so it interrupts the call and does nothing else.
     */
    @Test
    void aSignalInterruptsNanosleepWithEintr() throws Throwable {
        java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
        java.lang.invoke.MethodHandle pthreadSelf = linker.downcallHandle(linker.defaultLookup().find("pthread_self").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        java.lang.invoke.MethodHandle pthreadKill = linker.downcallHandle(linker.defaultLookup().find("pthread_kill").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        java.util.concurrent.CompletableFuture<Long> self = new java.util.concurrent.CompletableFuture<>();
        // prctl(PR_GET_TIMERSLACK) (<linux/prctl.h>: 30): the calling thread's own timer slack, which its nanosleep gets
        java.lang.invoke.MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                java.lang.foreign.Linker.Option.firstVariadicArg(1));
        long[] result = new long[5]; // r, errno, rem.tv_sec, rem.tv_nsec, the sleeping thread's timer slack in ns
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch signalsStopped = new java.util.concurrent.CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().name(NoLeaks.THREAD_PREFIX + "nanosleep").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment req = timespec.allocate(arena), rem = timespec.allocate(arena);
                timespec.tv_sec(req, 10);
                timespec.tv_nsec(req, 0);
                result[4] = (int) prctl.invokeExact(30, 0L);
                self.complete((long) pthreadSelf.invokeExact());
                result[0] = nanosleep(req, rem);
                result[1] = errno();
                result[2] = timespec.tv_sec(rem);
                result[3] = timespec.tv_nsec(rem);
                returned.set(true);
                signalsStopped.await(); // alive until no more signals are sent to it
            } catch (Throwable t) {
                self.completeExceptionally(t);
            }
        });
        long thread = self.get();
        try {
            while (!returned.get()) { // until a signal finds it inside nanosleep
                assertEquals(0, (int) pthreadKill.invokeExact(thread, SIGPIPE));
                Thread.sleep(20);
            }
        } finally {
            signalsStopped.countDown();
            sleeper.join();
        }
        assertEquals(-1, result[0]);
        assertEquals(EINTR, result[1]);
        // The kernel measures rem against the timer's hard expiry, which is the request plus the thread's
        // timer slack (50 us by default): a signal that lands at once can leave rem a little above 10 s.
        // (The slack is asked of the sleeping thread itself: /proc/self/timerslack_ns, read from another
        // thread than the process's first, needs CAP_SYS_NICE, and an ordinary user gets EPERM.)
        long remNanos = result[2] * 1_000_000_000L + result[3];
        assertTrue(result[4] >= 0, "prctl(PR_GET_TIMERSLACK) = " + result[4]);
        assertTrue(result[3] >= 0 && result[3] < 1_000_000_000L && remNanos > 0 && remNanos <= 10_000_000_000L + result[4],
                "rem {" + result[2] + ", " + result[3] + "}: what was left of the 10 s (timer slack " + result[4] + " ns)");
    }

    /** A struct tm filled by hand, its tm_zone pointing nowhere: strftime reads it as NULL, never follows it. */
    @Test
    void strftimeNeverFollowsAHandMadeZonePointer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = io.github.panamasockets.bindings.tm.allocate(arena);
            io.github.panamasockets.bindings.tm.tm_year(t, 126);
            io.github.panamasockets.bindings.tm.tm_mon(t, 10);
            io.github.panamasockets.bindings.tm.tm_mday(t, 30);
            MemorySegment out = arena.allocate(64), reference = arena.allocate(64);
            long n = strftime(reference, 64, "%Y-%m-%d [%Z]", t); // tm_zone NULL
            io.github.panamasockets.bindings.tm.tm_zone(t, MemorySegment.ofAddress(0xdead0000L));
            assertEquals(n, strftime(out, 64, "%Y-%m-%d [%Z]", t));
            assertEquals(cstring(reference), cstring(out));
            assertTrue(cstring(out).startsWith("2026-11-30 ["), cstring(out));
            MemorySegment now = arena.allocateFrom(io.github.panamasockets.bindings.sockets_h.time_t, 0L);
            assertEquals("1970-01-01 [GMT]", cstring(out.asSlice(0, strftime(out, 64, "%Y-%m-%d [%Z]", gmtime(now)) + 1)));
            assertThrows(IndexOutOfBoundsException.class, () -> strftime(out, 65, "%Y", t));
            assertThrows(IllegalArgumentException.class, () -> strftime(MemorySegment.ofArray(new byte[8]), 8, "%Y", t));
        }
    }
}
