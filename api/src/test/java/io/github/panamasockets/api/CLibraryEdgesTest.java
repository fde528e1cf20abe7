package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_POINTER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * string.h, stdlib.h and stdio.h at the edges of their checks: a count equal to a segment's size,
 * a character at each end of a range, the exact refusal, the value each call returns (mutation
 * testing, issue 16; CLibraryMatchesCTest compares the ordinary cases with glibc).
 */
@ExtendWith(NoLeaks.class)
class CLibraryEdgesTest {

    static MemorySegment noNul(Arena arena, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment m = arena.allocate(b.length);
        MemorySegment.copy(b, 0, m, JAVA_BYTE, 0, b.length);
        return m;
    }

    static String text(MemorySegment m, int n) {
        return new String(m.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aStringWithNoNulInItsSegmentIsRefusedByName() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment abc = noNul(arena, "abc"), abcd = arena.allocateFrom("abcd");
            assertEquals("strlen: no NUL within the string's segment of 3 bytes (C would read past it)",
                    assertThrows(IndexOutOfBoundsException.class, () -> strlen(abc)).getMessage());
            assertEquals("strnlen: maxlen 5 runs past the segment of 3 bytes before a NUL",
                    assertThrows(IndexOutOfBoundsException.class, () -> strnlen(abc, 5)).getMessage());
            assertEquals(3, strnlen(abc, 3));
            String noNulMessage = "strcmp: a string with no NUL within its segment (C would read past it)";
            assertEquals(noNulMessage, assertThrows(IndexOutOfBoundsException.class, () -> strcmp(abc, abcd)).getMessage());
            assertEquals(noNulMessage, assertThrows(IndexOutOfBoundsException.class, () -> strcmp(abcd, abc)).getMessage());
            assertEquals(0, strncmp(abc, abcd, 3));
        }
    }

    @Test
    void caseFoldingCoversAToZAndNothingBeside() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment upper = arena.allocateFrom("AZ@[");
            assertEquals(0, strcasecmp(arena.allocateFrom("AZ"), "az"));
            assertEquals(0, strncasecmp(arena.allocateFrom("Z"), "z", 1));
            assertEquals(0, strncasecmp(arena.allocateFrom("A"), "a", 1));
            assertEquals('@' - '`', strncasecmp(upper.asSlice(2), "`", 1));
            assertEquals('[' - '{', strncasecmp(upper.asSlice(3), "{", 1));
            assertEquals('c' - 'd', strncmp(arena.allocateFrom("abc"), "abd", 3));
            assertEquals(0, strncmp(arena.allocateFrom("abc"), "abd", 2));
        }
    }

    @Test
    void memcmpAndMemchrTakeACountUpToTheSegmentsSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = noNul(arena, "abcd"), b = noNul(arena, "abce");
            assertEquals('d' - 'e', memcmp(a, b, 4));
            assertEquals(0, memcmp(a, b, 3));
            assertEquals(0, memcmp(a, b, 0));
            assertEquals("memcmp: 5 bytes past a segment", assertThrows(IndexOutOfBoundsException.class, () -> memcmp(a, b, 5)).getMessage());
            assertEquals("memcmp: -1 bytes past a segment", assertThrows(IndexOutOfBoundsException.class, () -> memcmp(a, b, -1)).getMessage());
            assertEquals(a.address() + 3, memchr(a, 'd', 4).address());
            assertEquals(MemorySegment.NULL, memchr(a, 'd', 3));
            assertEquals(MemorySegment.NULL, memchr(a, 'a', 0));
            assertEquals("memchr: 5 bytes past a segment of 4", assertThrows(IndexOutOfBoundsException.class, () -> memchr(a, 'a', 5)).getMessage());
            assertEquals("memchr: -1 bytes past a segment of 4", assertThrows(IndexOutOfBoundsException.class, () -> memchr(a, 'a', -1)).getMessage());
        }
    }

    @Test
    void copiesReturnTheirDestination() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dest = arena.allocate(16);
            assertSame(dest, strncpy(dest, "abc", 5));
            assertEquals("abc\0\0", text(dest, 5));
            assertSame(dest, strcat(dest, "de"));
            assertSame(dest, strncat(dest, "fgh", 2));
            assertEquals("abcdefg", dest.getString(0));
            assertSame(dest, memmove(dest, dest.asSlice(1), 5)); // overlapping, towards the start
            assertEquals("bcdeffg", dest.getString(0));
            MemorySegment third = dest.asSlice(2);
            assertSame(third, memmove(third, dest, 4)); // overlapping, towards the end
            assertEquals("bcbcdeg", dest.getString(0));
        }
    }

    @Test
    void aJavaStringEndsAtItsFirstNul() {
        assertEquals(0, strlen("\0abc"));
        assertEquals(2, strlen("ab\0c"));
        assertEquals(3, strlen("abc"));
    }

    @Test
    void strtolSkipsExactlyCsSpacesAndTakesBasesUpTo36() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(42, strtol("\t42", null, 10));
            assertEquals(42, strtol("\r42", null, 10));
            assertEquals(42, strtol("\n\u000b\f 42", null, 10));
            assertEquals(0, strtol("\b42", null, 10));
            assertEquals(0, strtol("\u000e42", null, 10));
            assertEquals(1295, strtol(arena.allocateFrom("zz"), MemorySegment.NULL, 36));
            assertEquals(1295, strtol("zz", null, 36));
            assertEquals(31, strtol(arena.allocateFrom("0x1f"), MemorySegment.NULL, 0));
            assertEquals(15, strtol(arena.allocateFrom("0x0f"), MemorySegment.NULL, 16));
            assertEquals(15, strtoul(arena.allocateFrom("0X0f"), MemorySegment.NULL, 0));
            for (int base : new int[] {-1, 1, 37}) {
                errno(0);
                assertEquals(0, strtol(arena.allocateFrom("11"), MemorySegment.NULL, base));
                assertEquals(EINVAL, errno());
                errno(0);
                assertEquals(0, strtoul("11", null, base));
                assertEquals(EINVAL, errno());
            }
            errno(0);
            MemorySegment nptr = arena.allocateFrom("0x0 tail"), end = arena.allocate(C_POINTER);
            assertEquals(0, strtol(nptr, end, 16));
            assertEquals(nptr.address() + 3, end.get(C_POINTER, 0).address()); // the 0 after 0x
            assertEquals(0, errno());
        }
    }

    @Test
    void strtolRefusesAnEndptrThatCannotHoldAPointerOrAHeapString() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(4);
            assertEquals("strtol: endptr, a segment of 4 bytes, cannot hold a pointer",
                    assertThrows(IndexOutOfBoundsException.class, () -> strtol(arena.allocateFrom("1"), small, 10)).getMessage());
            assertEquals("strtoul: endptr cannot point into a heap segment",
                    assertThrows(IllegalArgumentException.class, () -> strtoul(MemorySegment.ofArray(new byte[] {'1', 0}), arena.allocate(C_POINTER), 10)).getMessage());
            assertEquals(1, strtol(MemorySegment.ofArray(new byte[] {'1', 0}), null, 10));
        }
    }

    @Test
    void aSuccessfulCallLeavesErrnoAsItWas() {
        errno(9999);
        assertEquals(0, usleep(0));
        assertEquals(9999, errno());
        long before = System.currentTimeMillis() / 1000;
        long now = time(MemorySegment.NULL);
        long after = System.currentTimeMillis() / 1000;
        assertEquals(9999, errno());
        assertTrue(now >= before && now <= after, "time() = " + now + ", the clock read " + before + " before and " + after + " after");
        errno(0);
    }

    @Test
    void sprintfFillsASegmentOfExactlyItsLengthAndANul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment four = arena.allocate(4);
            assertEquals(3, sprintf(four, "%d", 123));
            assertEquals("123", four.getString(0));
            assertEquals("sprintf: 5 bytes (with the NUL) into a segment of 4",
                    assertThrows(IndexOutOfBoundsException.class, () -> sprintf(four, "%d", 1234)).getMessage());
            assertEquals(2, sscanf(arena.allocateFrom("12 34"), "%d %d", new int[1], new int[1]));
        }
    }

    @Test
    void fgetsOfSizeOneStoresOnlyTheNulAndOfSizeZeroIsInvalid() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4).fill((byte) 'x');
            assertSame(s, fgets(s, 1, stdin));
            assertEquals(0, s.get(JAVA_BYTE, 0));
            assertEquals('x', s.get(JAVA_BYTE, 1));
            errno(0);
            assertEquals(MemorySegment.NULL, fgets(s, 0, stdin));
            assertEquals(EINVAL, errno());
            errno(0);
            assertEquals(MemorySegment.NULL, fgets(s, -1, stdin));
            assertEquals(EINVAL, errno());
            errno(0);
        }
    }

    /** What reached a buffered System.out (or System.err) before anyone flushed it, while run. */
    static String unflushed(boolean err, Runnable run) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream saved = err ? System.err : System.out, buffered = new PrintStream(new BufferedOutputStream(sink, 1024), false);
        if (err) System.setErr(buffered); else System.setOut(buffered);
        try {
            run.run();
            return sink.toString(StandardCharsets.ISO_8859_1);
        } finally {
            if (err) System.setErr(saved); else System.setOut(saved);
        }
    }

    @Test
    void stdoutIsFlushedAtANewlineAndStderrAtOnce() {
        assertEquals("", unflushed(false, () -> assertEquals(1, fputs("no newline", stdout))));
        assertEquals("a\n", unflushed(false, () -> assertEquals(1, puts("a"))));
        assertEquals("\nb", unflushed(false, () -> assertEquals(1, fputs("\nb", stdout)))); // a newline at its first byte
        assertEquals("A\n", unflushed(false, () -> { assertEquals('A', putchar(0x141)); assertEquals('\n', putchar('\n')); }));
        assertEquals("", unflushed(false, () -> assertEquals(0xff, putchar(-1))));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals("seg\n", unflushed(false, () -> assertEquals(1, puts(arena.allocateFrom("seg")))));
        }
        assertEquals("e", unflushed(true, () -> assertEquals(1, fputs("e", stderr))));
        assertEquals("z", unflushed(true, () -> assertEquals('z', fputc('z', stderr))));
        errno(0);
        assertEquals(EOF, fputs("x", stdin));
        assertEquals(EBADF, errno());
        errno(0);
    }

    @Test
    void dprintfGoesOnAfterAPartialWriteWithWhatIsLeft() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        try {
            Loopback.nonblocking(sv[0]);
            errno(0);
            // more than the socket buffers hold: write takes part, the next write of the rest finds them full
            assertEquals(-1, dprintf(sv[0], "%s", "x".repeat(8 << 20)));
            assertEquals(EAGAIN, errno());
        } finally {
            close(sv[0]);
            close(sv[1]);
            errno(0);
        }
    }

    @Test
    void theLiteralAndStringOverloadsReturnWhatTheSegmentOnesDo() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(31, strtol("0x1f", null, 0));
            assertEquals(4294967296L, strtoul("4294967296", null, 10));
            assertEquals(-1, strcasecmp(arena.allocateFrom("a"), "B"));
            assertEquals(-1, strcmp(arena.allocateFrom("abc"), "abd"));
            assertEquals('T' - 'X', memcmp(arena.allocateFrom("GET /"), "GEX ", 4));
            assertEquals(2, strspn(arena.allocateFrom("aab"), "a"));
            MemorySegment dest = arena.allocate(8);
            assertSame(dest, memcpy(dest, "hello", 5));
            assertSame(dest, memcpy(dest, arena.allocateFrom("HE"), 2));
            assertEquals("HEllo", text(dest, 5));
            assertEquals(MemorySegment.NULL, strtok_r(MemorySegment.NULL, " ", new MemorySegment[] {MemorySegment.NULL}));
            assertEquals(MemorySegment.NULL, strtok_r(null, " ", new MemorySegment[] {null}));
            MemorySegment x = arena.allocate(8).fill((byte) 'x');
            assertEquals(3, sprintf(x, "%d", 123));
            assertEquals("123\0x", text(x, 5));
        }
    }

    @Test
    void theStreamsAreZeroOneAndTwoAndOnlyStdinReads() {
        assertEquals(0, fileno(stdin));
        assertEquals(1, fileno(stdout));
        assertEquals(2, fileno(stderr));
        assertEquals("stdin stdout stderr", stdin + " " + stdout + " " + stderr);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4).fill((byte) 'x');
            for (FILE out : new FILE[] {stdout, stderr}) {
                errno(0);
                assertEquals(MemorySegment.NULL, fgets(s, 4, out));
                assertEquals(EBADF, errno());
            }
            errno(0);
            assertEquals('x', s.get(JAVA_BYTE, 0));
            assertEquals("seg", unflushed(false, () -> { assertEquals(1, fputs(arena.allocateFrom("seg"), stdout)); assertEquals(0, fflush(stdout)); }));
        }
        assertEquals("", unflushed(false, () -> { assertEquals(1, fputs("in", stdout)); assertEquals(0, fflush(stdin)); }));
        assertEquals("all", unflushed(false, () -> { assertEquals(1, fputs("all", stdout)); assertEquals(0, fflush(null)); }));
        assertEquals("err", unflushed(true, () -> { assertEquals(1, fputs("err", stderr)); assertEquals(0, fflush(null)); }));
    }

    /** rem is printed as a pointer, and decoded only when a signal cut the sleep short (EINTR). */
    @Test
    void nanosleepTracesRemAsAPointerUnlessInterrupted() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = io.github.panamasockets.bindings.timespec.allocate(arena), rem = io.github.panamasockets.bindings.timespec.allocate(arena);
            io.github.panamasockets.bindings.timespec.tv_nsec(req, 1);
            MemorySegment shortReq = arena.allocate(8);
            String remAt = "0x" + Long.toHexString(rem.address()), shortAt = "0x" + Long.toHexString(shortReq.address());
            java.util.List<String> trace = InProcessTrace.of(() -> {
                errno(EINTR); // left from before: a successful call keeps it, and must not print rem decoded
                nanosleep(req, rem);
                nanosleep(shortReq, rem);
                nanosleep(req, MemorySegment.NULL);
            });
            errno(0);
            assertEquals(java.util.List.of(
                    "nanosleep({tv_sec=0, tv_nsec=1}, " + remAt + ") = 0",
                    "nanosleep(" + shortAt + ", " + remAt + ") = -1 EFAULT (Bad address)",
                    "nanosleep({tv_sec=0, tv_nsec=1}, NULL) = 0"), trace);
        }
    }

    @Test
    void ctimeOfASegmentReadsATimeTOfExactlyEightBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(8);
            t.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, 86400L * 365);
            assertEquals(ctime(86400L * 365), ctime(t));
            assertEquals(24 + 1, ctime(t).length()); // "Fri Jan  1 00:00:00 1971\n", in the local zone
            assertEquals("ctime: timep, a segment of 7 bytes, cannot hold a time_t",
                    assertThrows(IndexOutOfBoundsException.class, () -> ctime(arena.allocate(7))).getMessage());
        }
    }

    /** stdin reads System.in as it is at the call: a replaced one, one at its end, one that fails. */
    @Test
    void stdinReadsSystemIn() {
        java.io.InputStream saved = System.in;
        try (Arena arena = Arena.ofConfined()) {
            System.setIn(new java.io.ByteArrayInputStream("Ab\ncd".getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals('A', getchar());
            MemorySegment s = arena.allocate(8).fill((byte) 'x');
            assertSame(s, fgets(s, 8, stdin));
            assertEquals("b\n\0", text(s, 3));
            assertSame(s, fgets(s, 8, stdin));
            assertEquals("cd\0", text(s, 3));
            assertEquals(MemorySegment.NULL, fgets(s, 8, stdin));
            assertEquals(EOF, getchar());
            System.setIn(new java.io.InputStream() {
                @Override public int read() throws java.io.IOException { throw new java.io.IOException("a failing stdin"); }
            });
            errno(0);
            assertEquals(MemorySegment.NULL, fgets(s, 8, stdin));
            assertEquals(EIO, errno());
            errno(0);
            assertEquals(EOF, getchar());
            assertEquals(EIO, errno());
        } finally {
            System.setIn(saved);
            errno(0);
        }
    }

    @Test
    void fflushOfNullFlushesSystemErrToo() {
        assertEquals("java", unflushed(true, () -> { System.err.print("java"); assertEquals(0, fflush(null)); }));
    }

    /** The call's result and errno when a signal (SIGPIPE, which the JVM catches and ignores) interrupts it on its thread. */
    static long[] interrupted(java.util.function.IntSupplier call) throws Throwable {
        java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
        java.lang.invoke.MethodHandle pthreadSelf = linker.downcallHandle(linker.defaultLookup().find("pthread_self").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG));
        java.lang.invoke.MethodHandle pthreadKill = linker.downcallHandle(linker.defaultLookup().find("pthread_kill").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_LONG, java.lang.foreign.ValueLayout.JAVA_INT));
        java.util.concurrent.CompletableFuture<Long> self = new java.util.concurrent.CompletableFuture<>();
        long[] result = new long[3]; // what the call returned, errno, the nanoseconds it took
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch signalsStopped = new java.util.concurrent.CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().name(NoLeaks.THREAD_PREFIX + "interrupted").start(() -> {
            try {
                errno(0);
                self.complete((long) pthreadSelf.invokeExact());
                long start = System.nanoTime();
                result[0] = call.getAsInt();
                result[2] = System.nanoTime() - start;
                result[1] = errno();
                returned.set(true);
                signalsStopped.await(); // alive until no more signals are sent to it
            } catch (Throwable t) {
                self.completeExceptionally(t);
            }
        });
        long thread = self.get();
        try {
            while (!returned.get()) {
                assertEquals(0, (int) pthreadKill.invokeExact(thread, SIGPIPE));
                Thread.sleep(20);
            }
        } finally {
            signalsStopped.countDown();
            sleeper.join();
        }
        return result;
    }

    @Test
    void aSignalCutsUsleepAndSleepShort() throws Throwable {
        long[] u = interrupted(() -> usleep(10_000_000));
        assertEquals(-1, u[0]);
        assertEquals(EINTR, u[1]);
        long[] s = interrupted(() -> sleep(10));
        // glibc's sleep returns the whole seconds of nanosleep's rem: at most the 10 asked (rem may pass 10 s
        // by the timer slack only), at least the seconds of 10 s minus the time the call took (s[2], measured around it)
        long least = Math.max(0, 10_000_000_000L - s[2]) / 1_000_000_000L;
        assertTrue(s[0] >= least && s[0] <= 10, "sleep(10) returned " + s[0] + ": the seconds left (the call took " + s[2] + " ns)");
        assertEquals(0, s[1]);
    }
}
