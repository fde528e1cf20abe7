package io.github.panamasockets.api;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.posix_spawn_file_actions_t;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pointer + length pair is checked before the call: a length past the end of its segment,
 * a negative one, a socklen_t that promises more than the segment holds, a descriptor outside an
 * fd_set: -1 with EFAULT (EINVAL where C's kernel says so) and nothing written, inside or outside
 * the segment (a 0xAA guard pattern around each slice shows it), and nothing consumed or sent.
 */
@ExtendWith(NoLeaks.class)
class MemorySafetyTest {
    Arena arena;
    int[] sp;   // a non-blocking AF_UNIX stream pair
    int udp1 = -1, udp2 = -1;

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
        sp = socketpair(SOCK_STREAM | SOCK_NONBLOCK);
    }

    @AfterEach
    void closeEverything() {
        closeAll(sp);
        closeAll(udp1, udp2);
        arena.close();
    }

    long put(int fd, String s) {
        return Posix.send(fd, arena.allocateFrom(s), s.length(), MSG_NOSIGNAL);
    }

    /** The bytes waiting on fd, read without waiting: what a refused call must have left there. */
    String pending(int fd) {
        MemorySegment buf = arena.allocate(256);
        long n = recv(fd, buf, 256, MSG_DONTWAIT);
        if (n == -1 && errno() == EAGAIN) return "";
        assertTrue(n >= 0, "recv: " + strerrorname(errno()));
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
    }

    static void refused(int errno, long r, Guard g, String what) {
        assertFails(errno, r, what);
        g.assertUntouched(what);
    }

    @Test
    void readAndRecvRefuseALengthPastTheSegmentAndConsumeNothing() {
        put(sp[0], "0123456789");
        for (int misalign : new int[] {0, 1, 3}) {
            Guard g = Guard.of(arena, 8, misalign);
            refused(EFAULT, read(sp[1], g.slice, 9), g, "read 9 into 8");
            refused(EFAULT, read(sp[1], g.slice, -1), g, "read -1");
            refused(EFAULT, read(sp[1], g.slice, Long.MAX_VALUE), g, "read Long.MAX_VALUE");
            refused(EFAULT, read(sp[1], g.slice, Long.MIN_VALUE), g, "read Long.MIN_VALUE");
            refused(EFAULT, recv(sp[1], g.slice, 9, 0), g, "recv 9 into 8");
            refused(EFAULT, recv(sp[1], g.slice, -1, 0), g, "recv -1");
            refused(EFAULT, read(sp[1], MemorySegment.NULL, 1), g, "read into NULL");
            refused(EFAULT, read(sp[1], MemorySegment.ofArray(new byte[8]), 8), g, "read into a heap segment");
            refused(EFAULT, recvfrom(sp[1], g.slice, 9, 0, MemorySegment.NULL, MemorySegment.NULL), g, "recvfrom 9 into 8");
        }
        Guard g = Guard.of(arena, 8, 5);
        assertEquals(8, read(sp[1], g.slice, 8), "exactly the segment");
        g.assertOutsideUntouched("read 8 into 8");
        assertEquals("01234567", new String(g.slice.toArray(ValueLayout.JAVA_BYTE)));
        assertEquals("89", pending(sp[1]), "nothing was consumed by the refused calls");
    }

    @Test
    void writeSendAndSendtoRefuseALengthPastTheSegmentAndSendNothing() {
        Guard g = Guard.of(arena, 8, 1);
        refused(EFAULT, write(sp[0], g.slice, 9), g, "write 9 from 8");
        refused(EFAULT, write(sp[0], g.slice, -1), g, "write -1");
        refused(EFAULT, Posix.send(sp[0], g.slice, 9, 0), g, "send 9 from 8");
        refused(EFAULT, Posix.send(sp[0], g.slice, Long.MIN_VALUE, 0), g, "send MIN");
        refused(EFAULT, sendto(sp[0], g.slice, 9, 0, MemorySegment.NULL, 0), g, "sendto 9 from 8");
        refused(EFAULT, write(sp[0], MemorySegment.ofArray(new byte[8]), 8), g, "write from a heap segment");
        assertEquals("", pending(sp[1]), "nothing was sent");

        udp1 = bound(SOCK_DGRAM);
        udp2 = bound(SOCK_DGRAM);
        Guard to = Guard.of(arena, sockaddr_in.sizeof(), 2);
        MemorySegment.copy(addr(arena, port(udp2)), 0, to.slice, 0, sockaddr_in.sizeof());
        Guard data = Guard.of(arena, 4);
        refused(EFAULT, sendto(udp1, data.slice, 4, 0, to.slice, 17), data, "sendto with addrlen 17 for a 16-byte address");
        assertFails(EINVAL, sendto(udp1, data.slice, 4, 0, to.slice, -1), "sendto with addrlen -1: the kernel's EINVAL");
        // NULL with a length is what the kernel ignores too (no address to read): not a bad pointer.
        assertFails(EDESTADDRREQ, sendto(udp1, data.slice, 4, 0, MemorySegment.NULL, 16), "sendto to NULL with addrlen 16");
        assertEquals("", pending(udp2), "no datagram was sent");
        assertEquals(4, sendto(udp1, data.slice, 4, 0, to.slice, 16));
        to.assertOutsideUntouched("sendto");
        assertEquals(4, pending(udp2).length());
    }

    @Test
    void recvfromRefusesAnAddrlenLargerThanTheAddress() {
        udp1 = bound(SOCK_DGRAM);
        udp2 = bound(SOCK_DGRAM);
        MemorySegment to = addr(arena, port(udp2));
        assertEquals(3, sendto(udp1, arena.allocateFrom("abc"), 3, 0, to, 16));

        Guard buf = Guard.of(arena, 8), from = Guard.of(arena, 16, 1), len = Guard.of(arena, 4, 3);
        len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 17);
        assertFails(EFAULT, recvfrom(udp2, buf.slice, 8, MSG_DONTWAIT, from.slice, len.slice), "addrlen 17 for 16 bytes");
        buf.assertUntouched("recvfrom buf");
        from.assertUntouched("recvfrom addr");
        len.assertOutsideUntouched("recvfrom addrlen");
        assertEquals(17, len.slice.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "addrlen not written");

        assertFails(EFAULT, recvfrom(udp2, buf.slice, 8, MSG_DONTWAIT, from.slice, len.slice.asSlice(0, 3)), "a 3-byte socklen_t");
        assertFails(EFAULT, recvfrom(udp2, buf.slice, 8, MSG_DONTWAIT, from.slice, MemorySegment.NULL), "addr without addrlen");
        buf.assertUntouched("recvfrom buf");
        from.assertUntouched("recvfrom addr");

        // An address smaller than sockaddr_in: the kernel truncates it to what addrlen says.
        Guard small = Guard.of(arena, 6, 1);
        len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 6);
        assertEquals(3, recvfrom(udp2, buf.slice, 8, MSG_DONTWAIT, small.slice, len.slice));
        buf.assertOutsideUntouched("recvfrom buf");
        small.assertOutsideUntouched("recvfrom with a 6-byte address");
        assertEquals(16, len.slice.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "the real size is reported back");
        assertEquals(AF_INET, Short.toUnsignedInt(small.slice.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0)));

        // A negative *addrlen is the kernel's EINVAL, which it gives after taking the datagram, as in C.
        assertEquals(3, sendto(udp1, arena.allocateFrom("def"), 3, 0, to, 16));
        len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, -1);
        buf.reset();
        from.reset();
        assertFails(EINVAL, recvfrom(udp2, buf.slice, 8, MSG_DONTWAIT, from.slice, len.slice), "addrlen -1");
        from.assertUntouched("recvfrom addr with addrlen -1");
        buf.assertOutsideUntouched("recvfrom buf with addrlen -1");
        assertEquals(-1, len.slice.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "addrlen not written");
        assertFails(EAGAIN, recvfrom(udp2, buf.slice, 8, MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL), "the datagram was taken, as C takes it");
    }

    @Test
    void bindAndConnectRefuseAnAddrlenPastTheAddress() {
        int s = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        int l = listener();
        try {
            Guard a = Guard.of(arena, 16, 3);
            MemorySegment.copy(addr(arena, 0), 0, a.slice, 0, 16);
            assertFails(EFAULT, bind(s, a.slice, 17), "bind addrlen 17");
            assertFails(EINVAL, bind(s, a.slice, -1), "bind addrlen -1: the kernel's EINVAL");
            assertFails(EFAULT, bind(s, MemorySegment.NULL, 16), "bind NULL, 16");
            assertFails(EFAULT, bind(s, MemorySegment.ofArray(new byte[16]), 16), "bind a heap segment");
            assertEquals(0, port(s), "still unbound");
            MemorySegment.copy(addr(arena, port(l)), 0, a.slice, 0, 16);
            assertFails(EFAULT, connect(s, a.slice, 17), "connect addrlen 17");
            assertFails(EINVAL, connect(s, a.slice, Integer.MIN_VALUE), "connect addrlen MIN: the kernel's EINVAL");
            assertFails(ENOTCONN, getpeername(s, arena.allocate(16), arena.allocateFrom(ValueLayout.JAVA_INT, 16)), "still not connected");
            a.assertOutsideUntouched("bind/connect");
            assertEquals(0, connect(s, a.slice, 16));
        } finally {
            closeAll(s, l);
        }
    }

    @Test
    void acceptRefusesAnAddrlenPastTheAddressAndLeavesTheConnectionQueued() {
        int l = listener(), c = ok("socket", socket(AF_INET, SOCK_STREAM, 0)), a = -1, b = -1;
        try {
            ok("connect", connect(c, addr(arena, port(l)), 16));
            Guard addr = Guard.of(arena, 16, 1), len = Guard.of(arena, 4, 1);
            len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 17);
            assertFails(EFAULT, accept(l, addr.slice, len.slice), "accept addrlen 17 for 16");
            assertFails(EFAULT, accept4(l, addr.slice, len.slice, SOCK_NONBLOCK), "accept4 addrlen 17 for 16");
            assertFails(EFAULT, accept(l, addr.slice, MemorySegment.NULL), "accept addr without addrlen");
            assertFails(EFAULT, accept(l, addr.slice, len.slice.asSlice(0, 2)), "a 2-byte socklen_t");
            addr.assertUntouched("accept addr");
            len.assertOutsideUntouched("accept len");

            // The kernel writes at most *addrlen bytes and reports the real size.
            len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 8);
            a = accept(l, addr.slice.asSlice(0, 8), len.slice);
            assertTrue(a >= 0, "the connection was still queued: " + strerrorname(errno()));
            assertEquals(16, len.slice.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            for (long i = 8; i < 16; i++) assertEquals(Guard.PATTERN, addr.slice.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " past *addrlen");
            addr.assertOutsideUntouched("accept with a short addrlen");
            len.assertOutsideUntouched("accept len");

            b = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            ok("connect", connect(b, addr(arena, port(l)), 16));
            int n = accept4(l, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            assertTrue(n >= 0, "accept4 with NULL, NULL");
            close(n);
        } finally {
            closeAll(a, b, c, l);
        }
    }

    @Test
    void getsocknameGetpeernameGetsockoptRefuseALengthPastTheBuffer() {
        Guard addr = Guard.of(arena, 16), len = Guard.of(arena, 4), opt = Guard.of(arena, 4, 1);
        len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 17);
        assertFails(EFAULT, getsockname(sp[0], addr.slice, len.slice), "getsockname 17 for 16");
        assertFails(EFAULT, getpeername(sp[0], addr.slice, len.slice), "getpeername 17 for 16");
        assertFails(EFAULT, getsockname(sp[0], addr.slice, MemorySegment.NULL), "getsockname without addrlen");
        assertFails(EFAULT, getpeername(sp[0], MemorySegment.NULL, MemorySegment.NULL), "getpeername NULL, NULL");
        addr.assertUntouched("getsockname");

        len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 8);
        assertFails(EFAULT, getsockopt(sp[0], SOL_SOCKET, SO_TYPE, opt.slice, len.slice), "getsockopt optlen 8 for 4");
        assertFails(EFAULT, getsockopt(sp[0], SOL_SOCKET, SO_TYPE, opt.slice, MemorySegment.NULL), "getsockopt without optlen");
        len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, Integer.MIN_VALUE);
        assertFails(EINVAL, getsockopt(sp[0], SOL_SOCKET, SO_TYPE, opt.slice, len.slice), "getsockopt optlen MIN: EINVAL as the kernel's");
        opt.assertUntouched("getsockopt");
        assertFails(EFAULT, setsockopt(sp[0], SOL_SOCKET, SO_RCVBUF, opt.slice, 5), "setsockopt optlen 5 for 4");
        assertFails(EINVAL, setsockopt(sp[0], SOL_SOCKET, SO_RCVBUF, opt.slice, -1), "setsockopt optlen -1: the kernel's EINVAL");
        assertFails(EFAULT, setsockopt(sp[0], SOL_SOCKET, SO_RCVBUF, MemorySegment.NULL, 4), "setsockopt NULL, 4");
        opt.assertUntouched("setsockopt");

        len.slice.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 2);
        assertEquals(0, getsockopt(sp[0], SOL_SOCKET, SO_TYPE, opt.slice, len.slice), "a 2-byte optlen: the kernel writes 2");
        opt.assertOutsideUntouched("getsockopt optlen 2");
        assertEquals(2, len.slice.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        assertEquals(Guard.PATTERN, opt.slice.get(ValueLayout.JAVA_BYTE, 2));
        len.assertOutsideUntouched("optlen");
    }

    /**
     * The socklen_t the facade checked is the one the kernel uses: another thread that raises
     * *addrlen between the check and the system call cannot make the kernel write past the buffer.
     */
    @Test
    void aSocklenChangedByAnotherThreadDuringTheCallCannotWritePastTheBuffer() throws Exception {
        udp1 = bound(SOCK_DGRAM);
        try (Arena shared = Arena.ofShared()) {
            MemorySegment region = shared.allocate(64 + 8 + 64, 8);
            region.fill(Guard.PATTERN);
            MemorySegment addr = region.asSlice(64, 8); // half a sockaddr_in
            MemorySegment len = shared.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 8);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread racer = new Thread(() -> {
                while (!stop.get()) {
                    len.set(ValueLayout.JAVA_INT, 0, 16);
                    len.set(ValueLayout.JAVA_INT, 0, 8);
                }
            }, NoLeaks.THREAD_PREFIX + "socklen-racer");
            racer.start();
            long wrote = -1;
            try {
                for (int i = 0; i < 200_000 && wrote < 0; i++) {
                    len.set(ValueLayout.JAVA_INT, 0, 8);
                    getsockname(udp1, addr, len);
                    for (long b = 64 + 8; b < region.byteSize(); b++) {
                        if (region.get(ValueLayout.JAVA_BYTE, b) != Guard.PATTERN) { wrote = b - 64; break; }
                    }
                }
            } finally {
                stop.set(true);
                racer.join();
            }
            assertEquals(-1, wrote, "getsockname wrote past an 8-byte buffer, at byte " + wrote);
        }
    }

    /**
     * The kernel's answer in *addrlen reaches the caller through the facade's copy and copy-back,
     * whatever arena addrlen is in; a failed call leaves it as it was.
     */
    @Test
    void theKernelsSocklenReachesTheCallerFromASharedAndFromAConfinedArena() {
        udp1 = bound(SOCK_DGRAM);
        for (Arena a : new Arena[] {Arena.ofShared(), Arena.ofConfined()}) {
            try (a) {
                MemorySegment addr = a.allocate(128);
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, 128);
                assertEquals(0, getsockname(udp1, addr, len));
                assertEquals(16, len.get(ValueLayout.JAVA_INT, 0), "getsockname's addrlen, " + a);
                assertEquals(port(udp1), ntohs(sin_port(addr)), "getsockname's port, " + a);
                len.set(ValueLayout.JAVA_INT, 0, 128);
                assertEquals(-1, recvfrom(udp1, addr, 16, MSG_DONTWAIT, addr, len));
                assertEquals(EAGAIN, errno());
                assertEquals(128, len.get(ValueLayout.JAVA_INT, 0), "recvfrom that failed leaves addrlen, " + a);
            }
        }
    }

    /**
     * A socklen_t at an odd address works as C's does, whether the kernel writes the caller's own
     * (confined to this thread) or a copy (shared): getsockopt's, getsockname's and recvfrom's.
     */
    @Test
    void aSocklenAtAnOddAddressWorksFromAConfinedAndFromASharedArena() {
        udp1 = bound(SOCK_DGRAM);
        for (Arena a : new Arena[] {Arena.ofConfined(), Arena.ofShared()}) {
            try (a) {
                MemorySegment region = a.allocate(16, 8);
                MemorySegment len = region.asSlice(1, 4); // odd
                MemorySegment optval = a.allocate(ValueLayout.JAVA_INT), addr = a.allocate(sockaddr_in.sizeof());
                len.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 4);
                assertEquals(0, getsockopt(udp1, SOL_SOCKET, SO_TYPE, optval, len), "getsockopt, " + a);
                assertEquals(4, len.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "getsockopt's optlen, " + a);
                assertEquals(SOCK_DGRAM, optval.get(ValueLayout.JAVA_INT, 0), "SO_TYPE, " + a);
                len.set(ValueLayout.JAVA_INT_UNALIGNED, 0, -1);
                assertFails(EINVAL, getsockopt(udp1, SOL_SOCKET, SO_TYPE, optval, len), "getsockopt with optlen -1, " + a);
                len.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) sockaddr_in.sizeof());
                assertEquals(0, getsockname(udp1, addr, len), "getsockname, " + a);
                assertEquals(16, len.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "getsockname's addrlen, " + a);
                assertEquals(port(udp1), ntohs(sin_port(addr)), "getsockname's port, " + a);
                assertFails(EAGAIN, (int) recvfrom(udp1, optval, 4, MSG_DONTWAIT, addr, len), "recvfrom on an empty socket, " + a);
                assertEquals(16, len.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "recvfrom that failed leaves addrlen, " + a);
            }
        }
    }

    @Test
    void socketpairAndPipeRefuseAnArrayShorterThanTwoInts() {
        Guard sv = Guard.of(arena, 7, 1);
        refused(EFAULT, socketpair(AF_UNIX, SOCK_STREAM, 0, sv.slice), sv, "socketpair into 7 bytes");
        refused(EFAULT, pipe(sv.slice), sv, "pipe into 7 bytes");
        refused(EFAULT, pipe(MemorySegment.NULL), sv, "pipe into NULL");
        // (NoLeaks fails the test if a descriptor was created anyway.)
        Guard ok = Guard.of(arena, 8, 1);
        assertEquals(0, pipe(ok.slice));
        ok.assertOutsideUntouched("pipe into 8 unaligned bytes");
        closeAll(ok.slice.get(ValueLayout.JAVA_INT_UNALIGNED, 0), ok.slice.get(ValueLayout.JAVA_INT_UNALIGNED, 4));
    }

    @Test
    void selectRefusesTooManyFdsAndShortSets() {
        put(sp[0], "x");
        Guard r = Guard.of(arena, fd_set.sizeof()), tv = Guard.of(arena, timeval.sizeof());
        FD_ZERO(r.slice);
        FD_SET(sp[1], r.slice);
        tv.slice.fill((byte) 0);
        MemorySegment before = arena.allocate(r.region.byteSize());
        before.copyFrom(r.region);
        int nfds = sp[1] + 1;

        assertFails(EINVAL, select(FD_SETSIZE + 1, r.slice, MemorySegment.NULL, MemorySegment.NULL, tv.slice), "nfds > FD_SETSIZE");
        assertFails(EINVAL, select(-1, r.slice, MemorySegment.NULL, MemorySegment.NULL, tv.slice), "nfds -1");
        assertFails(EFAULT, select(nfds, r.slice.asSlice(0, fd_set.sizeof() - 1), MemorySegment.NULL, MemorySegment.NULL, tv.slice), "a short fd_set");
        assertFails(EFAULT, select(nfds, MemorySegment.NULL, r.slice.asSlice(8), MemorySegment.NULL, tv.slice), "a short writefds");
        assertFails(EFAULT, select(nfds, r.slice, MemorySegment.NULL, MemorySegment.NULL, tv.slice.asSlice(0, timeval.sizeof() - 1)), "a short timeval");
        assertEquals(-1, before.mismatch(r.region), "the set was not touched");
        tv.assertOutsideUntouched("select timeout");

        assertEquals(1, select(nfds, r.slice, MemorySegment.NULL, MemorySegment.NULL, tv.slice), "the real call still sees the byte");
        assertTrue(FD_ISSET(sp[1], r.slice));
        r.assertOutsideUntouched("select");
    }

    @Test
    void fdSetMacrosRefuseDescriptorsOutsideTheSet() {
        Guard g = Guard.of(arena, fd_set.sizeof(), 1);
        FD_ZERO(g.slice);
        for (int fd : new int[] {-1, FD_SETSIZE, FD_SETSIZE + 64, Integer.MIN_VALUE, Integer.MAX_VALUE, 99999}) {
            errno(0);
            assertEquals(-1, FD_SET(fd, g.slice), "FD_SET " + fd);
            assertErrno(EINVAL, "FD_SET " + fd);
            errno(0);
            assertEquals(-1, FD_CLR(fd, g.slice), "FD_CLR " + fd);
            assertErrno(EINVAL, "FD_CLR " + fd);
            assertFalse(FD_ISSET(fd, g.slice), "FD_ISSET " + fd);
            g.assertOutsideUntouched("FD_* " + fd);
            assertEquals(-1, g.slice.asByteBuffer().mismatch(arena.allocate(fd_set.sizeof()).asByteBuffer()), "the set is still empty");
        }
        Guard shortSet = Guard.of(arena, fd_set.sizeof() - 1);
        assertEquals(-1, FD_SET(0, shortSet.slice));
        assertErrno(EINVAL, "FD_SET into a short set");
        assertFalse(FD_ISSET(0, shortSet.slice));
        shortSet.assertUntouched("FD_SET into a short set");

        assertEquals(0, FD_SET(FD_SETSIZE - 1, g.slice));
        assertEquals(0, FD_SET(0, g.slice));
        assertTrue(FD_ISSET(FD_SETSIZE - 1, g.slice) && FD_ISSET(0, g.slice));
        g.assertOutsideUntouched("FD_SET 0 and FD_SETSIZE-1");
        assertEquals(1, g.slice.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals((byte) 0x80, g.slice.get(ValueLayout.JAVA_BYTE, fd_set.sizeof() - 1));
    }

    @Test
    void pollRefusesNfdsPastTheArray() {
        put(sp[0], "x");
        Guard g = Guard.of(arena, 2 * pollfd.sizeof(), 4);
        for (int i = 0; i < 2; i++) {
            MemorySegment p = pollfd.asSlice(g.slice, i);
            pollfd.fd(p, sp[i]);
            pollfd.events(p, (short) POLLIN);
            pollfd.revents(p, (short) 0x5a5a);
        }
        MemorySegment before = arena.allocate(g.region.byteSize());
        before.copyFrom(g.region);
        assertFails(EFAULT, poll(g.slice, 3, 0), "nfds 3 for 2");
        assertFails(EINVAL, poll(g.slice, -1, 0), "nfds -1");
        assertFails(EFAULT, poll(g.slice, Long.MAX_VALUE, 0), "nfds MAX");
        assertFails(EFAULT, poll(MemorySegment.NULL, 1, 0), "NULL, 1");
        assertEquals(-1, before.mismatch(g.region), "revents not written");
        assertEquals(0, poll(MemorySegment.NULL, 0, 0), "poll(NULL, 0, 0) sleeps for nothing, as in C");
        assertEquals(1, poll(g.slice, 2, 0));
        g.assertOutsideUntouched("poll");
        assertEquals(POLLIN, pollfd.revents(pollfd.asSlice(g.slice, 1)));
    }

    @Test
    void epollRefusesShortEventsAndBadMaxevents() {
        int ep = ok("epoll_create1", epoll_create1(0));
        try {
            Guard ev = Guard.of(arena, epoll_event.sizeof(), 1);
            epoll_event.events(ev.slice, EPOLLIN);
            assertFails(EFAULT, epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], ev.slice.asSlice(0, epoll_event.sizeof() - 1)), "a short epoll_event");
            assertFails(ENOENT, epoll_ctl(ep, EPOLL_CTL_DEL, sp[1], MemorySegment.NULL), "nothing was added");
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], ev.slice));
            put(sp[0], "x");

            Guard out = Guard.of(arena, 2 * epoll_event.sizeof(), 3);
            refused(EINVAL, epoll_wait(ep, out.slice, 0, 0), out, "maxevents 0");
            refused(EINVAL, epoll_wait(ep, out.slice, -1, 0), out, "maxevents -1");
            refused(EINVAL, epoll_wait(ep, out.slice, Integer.MIN_VALUE, 0), out, "maxevents MIN");
            refused(EFAULT, epoll_wait(ep, out.slice, 3, 0), out, "maxevents 3 for 2");
            refused(EINVAL, epoll_wait(ep, out.slice, Integer.MAX_VALUE, 0), out, "maxevents MAX: past the kernel's EP_MAX_EVENTS");
            refused(EFAULT, epoll_wait(ep, MemorySegment.NULL, 1, 0), out, "NULL events");
            assertEquals(1, epoll_wait(ep, out.slice, 2, 0), "the event is still there");
            out.assertOutsideUntouched("epoll_wait");
            assertEquals(EPOLLIN, epoll_event.events(out.slice));
        } finally {
            close(ep);
        }
    }

    @Test
    void readvWritevSendmsgRecvmsgCheckTheirArrays() {
        put(sp[0], "abc");
        Guard data = Guard.of(arena, 8);
        Guard iov = Guard.of(arena, 2 * iovec.sizeof(), 0);
        for (int i = 0; i < 2; i++) {
            iovec.iov_base(iovec.asSlice(iov.slice, i), data.slice.asSlice(4 * i, 4));
            iovec.iov_len(iovec.asSlice(iov.slice, i), 4);
        }
        assertFails(EFAULT, readv(sp[1], iov.slice, 3), "readv iovcnt 3 for 2");
        assertFails(EINVAL, readv(sp[1], iov.slice, -1), "readv iovcnt -1");
        assertFails(EFAULT, writev(sp[0], iov.slice, 3), "writev iovcnt 3 for 2");
        assertFails(EINVAL, writev(sp[0], iov.slice, -1), "writev iovcnt -1");
        assertFails(EFAULT, readv(sp[1], MemorySegment.NULL, 1), "readv NULL");
        data.assertUntouched("readv data");
        iov.assertOutsideUntouched("iov");

        Guard msg = Guard.of(arena, msghdr.sizeof(), 1);
        msg.slice.fill((byte) 0);
        assertFails(EFAULT, recvmsg(sp[1], msg.slice.asSlice(0, msghdr.sizeof() - 1), MSG_DONTWAIT), "a short msghdr");
        assertFails(EFAULT, sendmsg(sp[0], msg.slice.asSlice(0, msghdr.sizeof() - 1), MSG_DONTWAIT), "a short msghdr");
        assertFails(EFAULT, recvmsg(sp[1], MemorySegment.NULL, MSG_DONTWAIT), "NULL msghdr");
        msg.assertOutsideUntouched("msghdr");
        assertEquals("abc", pending(sp[1]), "nothing was consumed");
    }

    @Test
    void addressConversionsRefuseShortBuffers() {
        Guard g = Guard.of(arena, in6_addr.sizeof() - 1, 1);
        refused(EFAULT, inet_pton(AF_INET6, "::1", g.slice), g, "inet_pton AF_INET6 into 15 bytes");
        refused(EFAULT, inet_pton(AF_INET, "127.0.0.1", g.slice.asSlice(0, 3)), g, "inet_pton AF_INET into 3 bytes");
        refused(EFAULT, inet_aton("127.0.0.1", g.slice.asSlice(0, 3)), g, "inet_aton into 3 bytes");

        MemorySegment in4 = arena.allocate(4);
        assertEquals(1, inet_pton(AF_INET, "127.0.0.1", in4));
        Guard text = Guard.of(arena, 20, 1);
        assertEquals(MemorySegment.NULL, inet_ntop(AF_INET, in4, text.slice, 21));
        assertErrno(EFAULT, "inet_ntop size 21 for 20 bytes");
        assertEquals(MemorySegment.NULL, inet_ntop(AF_INET, in4.asSlice(0, 3), text.slice, 20));
        assertErrno(EFAULT, "inet_ntop from 3 bytes");
        assertEquals(MemorySegment.NULL, inet_ntop(AF_INET6, in4, text.slice, 20));
        assertErrno(EFAULT, "inet_ntop AF_INET6 from 4 bytes");
        assertEquals(MemorySegment.NULL, inet_ntop(AF_INET, in4, text.slice, -1));
        assertErrno(EFAULT, "inet_ntop size -1");
        text.assertUntouched("inet_ntop");
        assertEquals(MemorySegment.NULL, inet_ntop(AF_INET, in4, text.slice, 5));
        assertErrno(ENOSPC, "inet_ntop into 5 bytes");
        text.assertOutsideUntouched("inet_ntop ENOSPC");
        assertEquals(text.slice, inet_ntop(AF_INET, in4, text.slice, 10));
        text.assertOutsideUntouched("inet_ntop");
        assertEquals("127.0.0.1", cstring(text.slice));
        for (long i = 10; i < 20; i++) assertEquals(Guard.PATTERN, text.slice.get(ValueLayout.JAVA_BYTE, i), "past size, byte " + i);

        MemorySegment hints = addrinfo.allocate(arena);
        addrinfo.ai_flags(hints, AI_NUMERICHOST);
        Guard res = Guard.of(arena, sockets_h.C_POINTER.byteSize() - 1);
        assertEquals(EAI_SYSTEM, getaddrinfo("127.0.0.1", null, hints, res.slice));
        assertErrno(EFAULT, "getaddrinfo into a short res");
        assertEquals(EAI_SYSTEM, getaddrinfo("127.0.0.1", null, hints.asSlice(0, 8), arena.allocate(sockets_h.C_POINTER)));
        assertErrno(EFAULT, "getaddrinfo with short hints");
        res.assertUntouched("getaddrinfo res");

        Guard host = Guard.of(arena, 8);
        MemorySegment sa = addr(arena, 80);
        assertEquals(EAI_SYSTEM, getnameinfo(sa, 16, host.slice, 9, MemorySegment.NULL, 0, NI_NUMERICHOST));
        assertErrno(EFAULT, "getnameinfo hostlen 9 for 8");
        assertEquals(EAI_SYSTEM, getnameinfo(sa, 17, host.slice, 8, MemorySegment.NULL, 0, NI_NUMERICHOST));
        assertErrno(EFAULT, "getnameinfo addrlen 17 for 16");
        host.assertUntouched("getnameinfo");
    }

    @Test
    void waitpidAndPosixSpawnRefuseShortSegments() {
        Guard status = Guard.of(arena, 3, 1);
        refused(EFAULT, waitpid(getpid(), status.slice, WNOHANG), status, "waitpid into 3 bytes");
        assertFails(ECHILD, waitpid(getpid(), arena.allocate(4), WNOHANG), "this process is not its own child");
        Guard pid = Guard.of(arena, 3);
        assertEquals(EFAULT, posix_spawn(pid.slice, "/bin/true", MemorySegment.NULL, MemorySegment.NULL, new String[] {"true"}, null));
        pid.assertUntouched("posix_spawn pid");
        Guard fa = Guard.of(arena, posix_spawn_file_actions_t.sizeof() - 1);
        assertEquals(EFAULT, posix_spawn_file_actions_init(fa.slice));
        assertEquals(EFAULT, posix_spawn_file_actions_adddup2(fa.slice, 0, 3));
        assertEquals(EFAULT, posix_spawn_file_actions_addclose(fa.slice, 3));
        assertEquals(EFAULT, posix_spawn_file_actions_destroy(fa.slice));
        fa.assertUntouched("posix_spawn_file_actions_t");
        assertEquals(EFAULT, posix_spawn(arena.allocate(4), "/bin/true", fa.slice, MemorySegment.NULL, new String[] {"true"}, null));
    }

    /** In C a double destroy is a double free: in a child JVM, so that a crash fails the test instead of the test run. */
    @Test
    void posixSpawnObjectsMisusedAsInCDoNotCrashTheJvm(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Child.Result r = Child.java(dir, SpawnMisuse.class, java.util.List.of("-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + dir.resolve("hs_err.log")));
        assertEquals(java.util.List.of(
                "init 0", "adddup2 0", "destroy 0",
                "destroy again " + EINVAL, "adddup2 after destroy " + EINVAL,
                "adddup2 on garbage " + EINVAL, "addclose on garbage " + EINVAL, "destroy garbage " + EINVAL,
                "spawn with garbage actions " + EINVAL, "spawn with a 1-byte attrp " + EINVAL,
                "survived"), r.lines(), "exit " + r.exit() + "\n" + r.stderr());
        assertEquals(0, r.exit());
    }

    @Test
    void aClosedArenaGivesIllegalStateExceptionAndConsumesNothing() {
        put(sp[0], "kept");
        MemorySegment closed;
        try (Arena a = Arena.ofConfined()) {
            closed = a.allocate(16);
        }
        MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 16);
        assertThrows(IllegalStateException.class, () -> read(sp[1], closed, 16));
        assertThrows(IllegalStateException.class, () -> recv(sp[1], closed, 16, 0));
        assertThrows(IllegalStateException.class, () -> recvfrom(sp[1], arena.allocate(16), 16, 0, closed, len));
        assertThrows(IllegalStateException.class, () -> getsockname(sp[1], arena.allocate(16), closed));
        assertThrows(IllegalStateException.class, () -> write(sp[0], closed, 16));
        assertThrows(IllegalStateException.class, () -> pipe(closed));
        assertThrows(IllegalStateException.class, () -> poll(closed, 1, 0));
        MemorySegment closedSet;
        try (Arena a = Arena.ofConfined()) {
            closedSet = a.allocate(fd_set.layout());
        }
        assertThrows(IllegalStateException.class, () -> FD_SET(1, closedSet));
        assertThrows(IllegalStateException.class, () -> select(1, closedSet, MemorySegment.NULL, MemorySegment.NULL, arena.allocate(timeval.layout())));
        assertEquals("kept", pending(sp[1]));
    }

    @Test
    void anotherThreadsConfinedArenaGivesWrongThreadException() throws Exception {
        put(sp[0], "kept");
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<MemorySegment> foreign = new CompletableFuture<>();
        Thread owner = new Thread(() -> {
            try (Arena a = Arena.ofConfined()) {
                foreign.complete(a.allocate(16));
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, NoLeaks.THREAD_PREFIX + "arena-owner");
        owner.start();
        try {
            MemorySegment seg = foreign.get();
            assertThrows(WrongThreadException.class, () -> read(sp[1], seg, 16));
            assertThrows(WrongThreadException.class, () -> recv(sp[1], seg, 16, MSG_DONTWAIT));
            assertThrows(WrongThreadException.class, () -> pipe(seg));
            assertThrows(WrongThreadException.class, () -> inet_pton(AF_INET, "127.0.0.1", seg));
        } finally {
            done.countDown();
            owner.join();
        }
        assertEquals("kept", pending(sp[1]));
    }
}
