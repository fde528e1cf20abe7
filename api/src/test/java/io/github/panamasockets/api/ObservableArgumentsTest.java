package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches the kernel, seen in what the kernel does with it (issue 16): the address and length
 * accept writes back, flags that change a call's behaviour, lengths the kernel honours exactly,
 * if_nametoindex's answers; each call's trace line pinned in this JVM. A facade that dropped the
 * copy-back, a flag or a byte of a length fails here, not only in a fuzz that happens to notice.
 */
@ExtendWith(NoLeaks.class)
class ObservableArgumentsTest {

    static String lo(int port) {
        return "{sa_family=AF_INET, sin_port=htons(" + port + "), sin_addr=inet_addr(\"127.0.0.1\")}";
    }

    static String text(MemorySegment buf, int n) {
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * *addrlen starts at sizeof(struct sockaddr_in6) = 28 over a buffer that large: the kernel
     * answers 16 for an AF_INET peer, so a facade that skipped the copy-back would leave 28.
     */
    @Test
    void acceptWritesThePeersAddressAndLengthBack() {
        int l = listener();
        int c = -1, d = -1;
        try (Arena arena = Arena.ofConfined()) {
            c = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            ok("connect", connect(c, addr(arena, port(l)), sizeofSockaddrIn()));
            int clientPort = port(c);
            MemorySegment peer = arena.allocate(sockaddr_in6.layout()).fill((byte) 0x55);
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in6.sizeof());
            int[] got = new int[1];
            List<String> trace = InProcessTrace.of(() -> got[0] = accept(l, peer, len));
            d = ok("accept", got[0]);
            assertEquals(16, len.get(ValueLayout.JAVA_INT, 0), "*addrlen: the kernel's length for an AF_INET peer");
            assertEquals(AF_INET, sin_family(peer));
            assertEquals(clientPort, ntohs(sin_port(peer)), "the peer's port is the client's");
            assertEquals(0x7f000001, ntohl(s_addr(sin_addr(peer))));
            assertEquals((byte) 0x55, peer.get(ValueLayout.JAVA_BYTE, 16), "nothing written past *addrlen");
            assertEquals(List.of("accept(" + l + ", " + lo(clientPort) + ", [16]) = " + d), trace);
        } finally {
            closeAll(d, c, l);
        }
    }

    @Test
    void accept4WritesThePeersAddressAndLengthBackAndAppliesItsFlags() {
        int l = listener();
        int c = -1, d = -1;
        try (Arena arena = Arena.ofConfined()) {
            c = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            ok("connect", connect(c, addr(arena, port(l)), sizeofSockaddrIn()));
            int clientPort = port(c);
            MemorySegment peer = arena.allocate(sockaddr_in6.layout());
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in6.sizeof());
            int[] got = new int[1];
            List<String> trace = InProcessTrace.of(() -> got[0] = accept4(l, peer, len, SOCK_NONBLOCK | SOCK_CLOEXEC));
            d = ok("accept4", got[0]);
            assertEquals(16, len.get(ValueLayout.JAVA_INT, 0), "*addrlen");
            assertEquals(AF_INET, sin_family(peer));
            assertEquals(clientPort, ntohs(sin_port(peer)));
            assertEquals(O_NONBLOCK, fcntl(d, F_GETFL) & O_NONBLOCK, "SOCK_NONBLOCK reached the kernel");
            assertEquals(FD_CLOEXEC, fcntl(d, F_GETFD), "SOCK_CLOEXEC reached the kernel");
            assertEquals(List.of("accept4(" + l + ", " + lo(clientPort) + ", [16], SOCK_NONBLOCK|SOCK_CLOEXEC) = " + d), trace);
            // and without flags: a blocking descriptor, no close-on-exec
            closeAll(d);
            d = -1;
            c = closeAndReconnect(c, l, arena);
            len.set(ValueLayout.JAVA_INT, 0, (int) sockaddr_in.sizeof());
            d = ok("accept4", accept4(l, peer, len, 0));
            assertEquals(0, fcntl(d, F_GETFL) & O_NONBLOCK);
            assertEquals(0, fcntl(d, F_GETFD));
            assertEquals(port(c), ntohs(sin_port(peer)));
        } finally {
            closeAll(d, c, l);
        }
    }

    private static int closeAndReconnect(int c, int l, Arena arena) {
        close(c);
        int n = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        ok("connect", connect(n, addr(arena, port(l)), sizeofSockaddrIn()));
        return n;
    }

    /** Fills a blocking socket with MSG_DONTWAIT sends: if the flag were lost, the send would block and the timeout fail the test. */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void msgDontwaitOnAFullBlockingSocketGivesEagain() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(65536);
            long total = 0, r;
            while ((r = send(sv[0], chunk, chunk.byteSize(), MSG_DONTWAIT)) > 0) total += r;
            assertFails(EAGAIN, r, "send MSG_DONTWAIT to a full socket");
            assertTrue(total > 0, "something was sent before the socket filled");
            MemorySegment one = arena.allocateFrom("x");
            while (send(sv[0], one, 1, MSG_DONTWAIT) > 0) total++; // the last bytes of room, a byte at a time
            List<String> trace = InProcessTrace.of(() -> {
                assertFails(EAGAIN, sendto(sv[0], one, 1, MSG_DONTWAIT, MemorySegment.NULL, 0), "sendto MSG_DONTWAIT to a full socket");
                assertFails(EAGAIN, send(sv[0], one, 1, MSG_DONTWAIT), "send MSG_DONTWAIT to a full socket");
            });
            String full = "-1 EAGAIN (Resource temporarily unavailable)";
            assertEquals(List.of("sendto(" + sv[0] + ", \"x\", 1, MSG_DONTWAIT, NULL, 0) = " + full,
                    "sendto(" + sv[0] + ", \"x\", 1, MSG_DONTWAIT, NULL, 0) = " + full), trace);
        } finally {
            closeAll(sv);
        }
    }

    /** And on an empty one, recv's MSG_DONTWAIT: -1 EAGAIN at once rather than blocking. */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void msgDontwaitOnAnEmptyBlockingSocketGivesEagain() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8);
            assertFails(EAGAIN, recv(sv[1], buf, 8, MSG_DONTWAIT), "recv MSG_DONTWAIT");
            MemorySegment from = arena.allocate(sockaddr_in.layout());
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in.sizeof());
            assertFails(EAGAIN, recvfrom(sv[1], buf, 8, MSG_DONTWAIT, from, len), "recvfrom MSG_DONTWAIT");
        } finally {
            closeAll(sv);
        }
    }

    /** MSG_PEEK leaves the bytes queued; a len of 3 takes exactly 3 (a facade passing len - 1 would take 2). */
    @Test
    void msgPeekLeavesTheDataAndLengthsAreExact() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hello = arena.allocateFrom("hello");
            assertEquals(5, send(sv[0], hello, 5, 0));
            MemorySegment peeked = arena.allocate(64), first = arena.allocate(64).fill((byte) '.'), rest = arena.allocate(64);
            long[] got = new long[3];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = recv(sv[1], peeked, 64, MSG_PEEK);
                got[1] = recv(sv[1], first, 3, 0);
                got[2] = recv(sv[1], rest, 64, MSG_DONTWAIT);
            });
            assertEquals(5, got[0], "MSG_PEEK sees all five bytes");
            assertEquals("hello", text(peeked, 5));
            assertEquals(3, got[1], "the bytes MSG_PEEK saw are still there, and len 3 takes 3");
            assertEquals("hel.", text(first, 4), "nothing written past len");
            assertEquals(2, got[2], "two bytes left");
            assertEquals("lo", text(rest, 2));
            assertEquals(List.of("recvfrom(" + sv[1] + ", \"hello\", 64, MSG_PEEK, NULL, NULL) = 5",
                    "recvfrom(" + sv[1] + ", \"hel\", 3, 0, NULL, NULL) = 3",
                    "recvfrom(" + sv[1] + ", \"lo\", 64, MSG_DONTWAIT, NULL, NULL) = 2"), trace);
        } finally {
            closeAll(sv);
        }
    }

    /** recvfrom on UDP: MSG_PEEK leaves the datagram, the sender's address and *addrlen come back, len cuts the datagram exactly. */
    @Test
    void recvfromPeeksAndTruncatesAtLenWithTheSendersAddress() {
        int v = bound(SOCK_DGRAM), u = bound(SOCK_DGRAM);
        try (Arena arena = Arena.ofConfined()) {
            int vPort = port(v), uPort = port(u);
            MemorySegment udp = arena.allocateFrom("udp");
            MemorySegment to = addr(arena, vPort);
            MemorySegment buf = arena.allocate(64);
            MemorySegment from = arena.allocate(sockaddr_in6.layout());
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in6.sizeof());
            long[] got = new long[3];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = sendto(u, udp, 3, 0, to, sizeofSockaddrIn());
                got[1] = recvfrom(v, buf, 64, MSG_PEEK, from, len);
            });
            assertEquals(3, got[0]);
            assertEquals(3, got[1], "MSG_PEEK sees the whole datagram");
            assertEquals(16, len.get(ValueLayout.JAVA_INT, 0), "*addrlen");
            assertEquals(uPort, ntohs(sin_port(from)), "the sender's port");
            assertEquals(List.of("sendto(" + u + ", \"udp\", 3, 0, " + lo(vPort) + ", 16) = 3",
                    "recvfrom(" + v + ", \"udp\", 64, MSG_PEEK, " + lo(uPort) + ", [16]) = 3"), trace);
            assertEquals(2, recvfrom(v, buf, 2, 0, MemorySegment.NULL, MemorySegment.NULL), "len 2 takes 2 of the peeked datagram");
            assertEquals("ud", text(buf, 2));
            assertFails(EAGAIN, recvfrom(v, buf, 64, MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL), "the datagram is gone, its tail discarded");
            // MSG_OOB on UDP: the kernel refuses the flag, so it must have reached it
            assertFails(EOPNOTSUPP, sendto(u, udp, 3, MSG_OOB, to, sizeofSockaddrIn()), "sendto MSG_OOB on UDP");
        } finally {
            closeAll(u, v);
        }
    }

    @Test
    void ifNametoindexGivesLoopbacksIndexAndEnodevForAnUnknownName() throws Exception {
        int expected = Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/ifindex")).trim());
        int[] got = new int[2];
        List<Integer> errnos = new ArrayList<>();
        List<String> trace = InProcessTrace.of(() -> {
            got[0] = if_nametoindex("lo");
            got[1] = if_nametoindex("psock-nosuch0");
            errnos.add(errno());
        });
        assertTrue(expected > 0);
        assertEquals(expected, got[0], "if_nametoindex(\"lo\") is /sys/class/net/lo/ifindex");
        assertEquals(0, got[1]);
        assertEquals(List.of(ENODEV), errnos, "an unknown name: 0 with ENODEV");
        assertEquals(List.of("~if_nametoindex(\"lo\") = " + expected,
                "~if_nametoindex(\"psock-nosuch0\") = 0 ENODEV (No such device)"), trace);
        errno(0);
        assertEquals(expected, if_nametoindex("lo"));
        assertEquals(0, errno(), "a call that succeeds leaves errno alone");
        assertEquals(0, if_nametoindex(null));
        assertErrno(EFAULT, "if_nametoindex(null)");
        assertEquals(0, if_nametoindex("lo\0x"));
        assertErrno(EINVAL, "if_nametoindex with a NUL inside");
    }
}
