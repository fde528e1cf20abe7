package io.github.panamasockets.api;

import io.github.panamasockets.bindings.ErrnoTable;
import io.github.panamasockets.bindings.SocketsConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Errno enum, ErrnoException through throwIfFailed, and the opt-in EINTR retry. */
@ExtendWith(NoLeaks.class)
class ErrnoNamesTest {

    @Test
    void errnoEnumByNameWithAliasesAndUnknownNumbersKept() {
        assertEquals(98, Errno.EADDRINUSE.number());
        assertEquals(EADDRINUSE, Errno.valueOf("EADDRINUSE").number());
        assertSame(Errno.EAGAIN, Errno.EWOULDBLOCK);
        assertEquals(11, Errno.EWOULDBLOCK.number());
        assertEquals(Optional.of(Errno.EAGAIN), Errno.of(EWOULDBLOCK));
        assertSame(Errno.EDEADLK, Errno.EDEADLOCK);
        assertSame(Errno.EOPNOTSUPP, Errno.ENOTSUP);
        assertEquals(Optional.empty(), Errno.of(9999));
        assertEquals(Optional.empty(), Errno.of(0));
        assertEquals(Optional.empty(), Errno.of(-1));
        assertEquals(Optional.empty(), Errno.of(41)); // a gap in Linux's numbers
        assertEquals(Optional.of(Errno.ECONNREFUSED), Errno.of(111));
    }

    @Test
    void switchByName() {
        assertFails(EBADF, close(-1), "close(-1)");
        String what = switch (Errno.of(errno()).orElse(null)) {
            case EAGAIN -> "again";
            case EBADF -> "bad fd";
            case null, default -> "other";
        };
        assertEquals("bad fd", what);
    }

    /** Every errno of the platform's table is in the enum, under its name; every alias is a field naming the same constant. */
    @Test
    void enumMatchesTheGeneratedTable() throws Exception {
        int primaries = 0;
        for (ErrnoTable.Entry e : ErrnoTable.ENTRIES) {
            Field f = Errno.class.getField(e.name());
            assertTrue(Modifier.isStatic(f.getModifiers()) && f.getType() == Errno.class, e.name());
            Errno value = (Errno) f.get(null);
            assertEquals(e.number(), value.number(), e.name());
            assertEquals(Optional.of(value), Errno.of(e.number()), e.name());
            assertEquals(SocketsConstants.class.getField(e.name()).getInt(null), e.number(), e.name());
            if (e.aliasOf() == null) {
                primaries++;
                assertEquals(e.name(), value.name());
                assertEquals(e.name(), strerrorname(e.number()));
                assertEquals(e.message(), strerror(e.number()));
            } else {
                assertEquals(e.aliasOf(), value.name(), e.name() + " is an alias");
                assertEquals(e.aliasOf(), strerrorname(e.number()), "the trace prints the primary name for " + e.name());
            }
        }
        assertEquals(primaries, Errno.values().length);
        assertEquals("9999", strerrorname(9999));
        assertEquals("Unknown error 9999", strerror(9999));
    }

    @Test
    void throwIfFailedCarriesCallNumberNameAndText() {
        int l = listener(), s = -1;
        try (Arena arena = Arena.ofConfined()) {
            s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            int fd = s;
            ErrnoException x = assertThrows(ErrnoException.class,
                    () -> throwIfFailed("bind", bind(fd, addr(arena, port(l)), sizeofSockaddrIn())));
            assertInstanceOf(IOException.class, x);
            assertEquals("bind", x.call());
            assertEquals(98, x.errno());
            assertEquals("EADDRINUSE", x.errnoName());
            assertEquals("Address already in use", x.strerror());
            assertEquals(Optional.of(Errno.EADDRINUSE), x.error());
            assertEquals("bind: EADDRINUSE (Address already in use)", x.getMessage());
        } finally {
            closeAll(s, l);
        }
    }

    @Test
    void throwIfFailedPassesResultsThrough() throws ErrnoException {
        assertEquals(3, throwIfFailed("socket", 3));
        assertEquals(0, throwIfFailed("close", 0));
        assertEquals(-2, throwIfFailed("odd", -2));
        assertEquals(1L << 40, throwIfFailed("read", 1L << 40));
        errno(EAGAIN);
        ErrnoException x = assertThrows(ErrnoException.class, () -> throwIfFailed("recv", -1L));
        assertEquals("recv", x.call());
        assertEquals(EAGAIN, x.errno());
        assertEquals("EAGAIN", x.errnoName());
    }

    @Test
    void errnoExceptionKeepsAnUnknownNumber() {
        errno(9999);
        ErrnoException x = assertThrows(ErrnoException.class, () -> throwIfFailed("ioctl", -1));
        assertEquals(9999, x.errno());
        assertEquals("9999", x.errnoName());
        assertEquals("Unknown error 9999", x.strerror());
        assertEquals(Optional.empty(), x.error());
        assertEquals("ioctl: 9999 (Unknown error 9999)", x.getMessage());
        errno(0);
    }

    @Test
    void retryOnEintrRepeatsWhileEintr() {
        AtomicInteger calls = new AtomicInteger();
        int r = retryOnEintr("accept", () -> {
            if (calls.incrementAndGet() <= 3) { errno(EINTR); return -1; }
            return 7;
        });
        assertEquals(7, r);
        assertEquals(4, calls.get());

        calls.set(0);
        long n = retryOnEintr("read", () -> {
            if (calls.incrementAndGet() <= 5) { errno(EINTR); return -1L; }
            return 42L;
        });
        assertEquals(42L, n);
        assertEquals(6, calls.get());
    }

    /**
     * close interrupted (simulated: the real close runs, then errno is set to EINTR as if it had been
     * interrupted) is never repeated, whatever the label says: the helper knows from close itself.
     */
    @Test
    void retryOnEintrNeverRetriesClose() {
        AtomicInteger calls = new AtomicInteger();
        for (String label : new String[] {"close", "Close", "close(fd)", "accept", ""}) {
            calls.set(0);
            int r = retryOnEintr(label, () -> { calls.incrementAndGet(); close(-1); errno(EINTR); return -1; });
            assertEquals(-1, r);
            assertEquals(1, calls.get(), "close is called exactly once, label \"" + label + "\"");
            assertErrno(EINTR, "close's EINTR is reported, not retried");

            calls.set(0);
            long rl = retryOnEintr(label, () -> { calls.incrementAndGet(); close(-1); errno(EINTR); return -1L; });
            assertEquals(-1L, rl);
            assertEquals(1, calls.get(), "close is called exactly once (long form), label \"" + label + "\"");
        }
        calls.set(0);
        assertEquals(-1, retryOnEintr(() -> { calls.incrementAndGet(); close(-1); errno(EINTR); return -1; }));
        assertEquals(1, calls.get(), "close is called exactly once (no label)");
        calls.set(0);
        assertEquals(-1L, retryOnEintr(() -> { calls.incrementAndGet(); close(-1); errno(EINTR); return -1L; }));
        assertEquals(1, calls.get(), "close is called exactly once (no label, long form)");
        // a label that says close does not stop the retry of a call that is not close
        calls.set(0);
        assertEquals(7, retryOnEintr("close", () -> calls.incrementAndGet() <= 2 ? eintr() : 7));
        assertEquals(3, calls.get());
    }

    private static int eintr() {
        errno(EINTR);
        return -1;
    }

    @Test
    void retryOnEintrDoesNotRetryOtherErrors() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(-1, retryOnEintr("recv", () -> { calls.incrementAndGet(); errno(EAGAIN); return -1; }));
        assertEquals(1, calls.get());
        assertErrno(EAGAIN, "EAGAIN passes through");
        calls.set(0);
        assertEquals(-2, retryOnEintr("weird", () -> { calls.incrementAndGet(); errno(EINTR); return -2; }), "only -1 is a failure");
        assertEquals(1, calls.get());
    }

    @Test
    void retryOnEintrWithARealCall() {
        int[] p = pipe();
        try {
            assertEquals(0, retryOnEintr("close", () -> close(p[1])));
            assertFails(EBADF, retryOnEintr("close", () -> close(p[1])), "second close through the helper");
        } finally {
            close(p[0]);
        }
    }
}
