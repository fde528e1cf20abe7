package io.github.panamasockets.api;

import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.function.IntUnaryOperator;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With tracing off, the hot calls allocate nothing per call once warmed up: this thread's
 * allocated bytes over 100,000 calls of each must not grow at all. The calls succeed or fail fast
 * (EAGAIN, timeout 0) on a socketpair and UDP loopback. The calls of the benchmarks' cheap-call
 * table are here too: getsockopt, fcntl, close(-1), and accept, write, sendto and epoll_wait when
 * there is nothing to do (benchmarks/README.md).
 */
@ExtendWith(NoLeaks.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotPathAllocationTest {
    static final int CALLS = 100_000;
    static final int WARMUP_ROUNDS = 3;
    static final int MAX_WARMUP_ROUNDS = 10;

    final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Arena arena;
    int[] sp, full, fullDgram;
    int udp1 = -1, udp2 = -1, ep = -1, emptyEp = -1, listening = -1;
    MemorySegment buf, to, from, fromLen, fds, events, readfds, tv, optval, optlen;
    int nfds;

    @BeforeAll
    void open() {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count a thread's allocations");
        threads.setThreadAllocatedMemoryEnabled(true);
        assertFalse(Trace.on(), "the trace logger must be off for this test");
        arena = Arena.ofConfined();
        sp = socketpair(SOCK_STREAM | SOCK_NONBLOCK);
        udp1 = bound(SOCK_DGRAM);
        udp2 = bound(SOCK_DGRAM);
        nonblocking(udp2);
        buf = arena.allocate(64);
        to = addr(arena, port(udp2));
        from = arena.allocate(sockaddr_in.layout());
        fromLen = arena.allocate(ValueLayout.JAVA_INT);
        fds = pollfd.allocateArray(2, arena);
        pollfd.fd(pollfd.asSlice(fds, 0), sp[0]);
        pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN);
        pollfd.fd(pollfd.asSlice(fds, 1), sp[1]);
        pollfd.events(pollfd.asSlice(fds, 1), (short) (POLLIN | POLLOUT));
        ep = ok("epoll_create1", epoll_create1(0));
        MemorySegment ev = epoll_event.allocate(arena);
        epoll_event.events(ev, EPOLLOUT);
        ok("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, sp[0], ev));
        events = epoll_event.allocateArray(4, arena);
        readfds = arena.allocate(fd_set.layout());
        tv = arena.allocate(timeval.layout());
        nfds = Math.max(sp[0], sp[1]) + 1;
        emptyEp = ok("epoll_create1", epoll_create1(0));
        listening = listener(SOCK_STREAM | SOCK_NONBLOCK);
        full = socketpair(SOCK_STREAM | SOCK_NONBLOCK);
        while (write(full[0], buf, 64) > 0) { } // until its peer's queue is full: then -1 EAGAIN
        assertEquals(EAGAIN, errno(), "filling a stream socketpair");
        fullDgram = socketpair(SOCK_DGRAM | SOCK_NONBLOCK);
        while (sendto(fullDgram[0], buf, 64, 0, MemorySegment.NULL, 0) > 0) { }
        assertEquals(EAGAIN, errno(), "filling a datagram socketpair");
        optval = arena.allocate(ValueLayout.JAVA_INT);
        optlen = arena.allocate(ValueLayout.JAVA_INT);
    }

    @AfterAll
    void close() {
        closeAll(sp);
        closeAll(udp1, udp2, ep);
        if (full != null) closeAll(full);
        if (fullDgram != null) closeAll(fullDgram);
        closeAll(emptyEp, listening);
        if (arena != null) arena.close();
    }

    /**
     * Runs {@code loop} warm, then returns the bytes this thread allocated during one more run of
     * 100,000 calls. A per-call allocation shows in every run; a run that a JIT recompilation
     * happened to disturb is measured again (at most twice more), and the smallest count returned.
     */
    long allocatedBy(IntUnaryOperator loop) {
        // Warm until the JIT has settled: at least WARMUP_ROUNDS runs, and on until one run
        // allocates nothing (a slow C2 compile on a busy 2-core machine), at most MAX_WARMUP_ROUNDS.
        for (int i = 0; i < MAX_WARMUP_ROUNDS; i++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            loop.applyAsInt(CALLS);
            if (i >= WARMUP_ROUNDS - 1 && threads.getCurrentThreadAllocatedBytes() == before) break;
        }
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            int r = loop.applyAsInt(CALLS);
            long after = threads.getCurrentThreadAllocatedBytes();
            assertEquals(0, r, "every call did what it should");
            least = Math.min(least, after - before);
        }
        return least;
    }

    // Each loop counts the calls that did not do what they should; the test wants 0.

    int writeRead(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (write(sp[0], buf, 1) != 1) bad++;
            if (read(sp[1], buf, 64) != 1) bad++;
        }
        return bad;
    }

    int readEmpty(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (read(sp[1], buf, 64) != -1 || errno() != EAGAIN) bad++;
        return bad;
    }

    int sendRecv(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (send(sp[0], buf, 8, MSG_DONTWAIT | MSG_NOSIGNAL) != 8) bad++;
            if (recv(sp[1], buf, 64, MSG_DONTWAIT) != 8) bad++;
        }
        return bad;
    }

    int recvEmpty(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (recv(sp[1], buf, 64, MSG_DONTWAIT) != -1 || errno() != EAGAIN) bad++;
        return bad;
    }

    int sendtoRecvfrom(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (sendto(udp1, buf, 16, 0, to, 16) != 16) bad++;
            fromLen.set(ValueLayout.JAVA_INT, 0, 16);
            if (recvfrom(udp2, buf, 64, MSG_DONTWAIT, from, fromLen) != 16) bad++;
        }
        return bad;
    }

    int recvfromEmpty(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            fromLen.set(ValueLayout.JAVA_INT, 0, 16);
            if (recvfrom(udp2, buf, 64, MSG_DONTWAIT, from, fromLen) != -1 || errno() != EAGAIN) bad++;
        }
        return bad;
    }

    int pollOnce(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (poll(fds, 2, 0) != 1) bad++; // sp[1] is writable
        return bad;
    }

    int epollWaitOnce(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (epoll_wait(ep, events, 4, 0) != 1) bad++;
        return bad;
    }

    int selectOnce(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            FD_ZERO(readfds);
            FD_SET(sp[0], readfds);
            FD_SET(sp[1], readfds);
            timeval.tv_sec(tv, 0);
            timeval.tv_usec(tv, 0);
            if (select(nfds, readfds, MemorySegment.NULL, MemorySegment.NULL, tv) != 0) bad++;
            if (FD_ISSET(sp[1], readfds)) bad++;
        }
        return bad;
    }

    int acceptNone(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            fromLen.set(ValueLayout.JAVA_INT, 0, 16);
            if (accept(listening, from, fromLen) != -1 || errno() != EAGAIN) bad++;
        }
        return bad;
    }

    int writeFull(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (write(full[0], buf, 64) != -1 || errno() != EAGAIN) bad++;
        return bad;
    }

    int sendtoFull(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (sendto(fullDgram[0], buf, 64, 0, MemorySegment.NULL, 0) != -1 || errno() != EAGAIN) bad++;
        return bad;
    }

    int epollWaitNone(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (epoll_wait(emptyEp, events, 4, 0) != 0) bad++;
        return bad;
    }

    int getsockoptSoType(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            optlen.set(ValueLayout.JAVA_INT, 0, 4);
            if (getsockopt(udp1, SOL_SOCKET, SO_TYPE, optval, optlen) != 0 || optval.get(ValueLayout.JAVA_INT, 0) != SOCK_DGRAM) bad++;
        }
        return bad;
    }

    int fcntlGetfl(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (fcntl(udp1, F_GETFL) != O_RDWR) bad++;
        return bad;
    }

    int closeBadDescriptor(int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) if (Posix.close(-1) != -1 || errno() != EBADF) bad++;
        return bad;
    }

    static Object sink;

    int allocating(int n) {
        for (int i = 0; i < n; i++) sink = new byte[16];
        return 0;
    }

    /** The instrument works: a loop that allocates 16 bytes (plus header) a call shows it. */
    @Test void theMeasureSeesAPerCallAllocation() { assertTrue(allocatedBy(this::allocating) >= 16L * CALLS, "the allocation counter"); }

    @Test void writeAndReadAllocateNothing() { assertEquals(0, allocatedBy(this::writeRead), "bytes allocated by 100,000 write+read"); }
    @Test void readOfAnEmptySocketAllocatesNothing() { assertEquals(0, allocatedBy(this::readEmpty), "bytes allocated by 100,000 read (EAGAIN)"); }
    @Test void sendAndRecvAllocateNothing() { assertEquals(0, allocatedBy(this::sendRecv), "bytes allocated by 100,000 send+recv"); }
    @Test void recvOfAnEmptySocketAllocatesNothing() { assertEquals(0, allocatedBy(this::recvEmpty), "bytes allocated by 100,000 recv (EAGAIN)"); }
    @Test void sendtoAndRecvfromAllocateNothing() { assertEquals(0, allocatedBy(this::sendtoRecvfrom), "bytes allocated by 100,000 sendto+recvfrom"); }
    @Test void recvfromOfAnEmptySocketAllocatesNothing() { assertEquals(0, allocatedBy(this::recvfromEmpty), "bytes allocated by 100,000 recvfrom (EAGAIN)"); }
    @Test void pollAllocatesNothing() { assertEquals(0, allocatedBy(this::pollOnce), "bytes allocated by 100,000 poll"); }
    @Test void epollWaitAllocatesNothing() { assertEquals(0, allocatedBy(this::epollWaitOnce), "bytes allocated by 100,000 epoll_wait"); }
    @Test void acceptWithNoConnectionAllocatesNothing() { assertEquals(0, allocatedBy(this::acceptNone), "bytes allocated by 100,000 accept (EAGAIN)"); }
    @Test void writeToAFullSocketAllocatesNothing() { assertEquals(0, allocatedBy(this::writeFull), "bytes allocated by 100,000 write (EAGAIN)"); }
    @Test void sendtoAFullSocketAllocatesNothing() { assertEquals(0, allocatedBy(this::sendtoFull), "bytes allocated by 100,000 sendto (EAGAIN)"); }
    @Test void epollWaitWithNothingReadyAllocatesNothing() { assertEquals(0, allocatedBy(this::epollWaitNone), "bytes allocated by 100,000 epoll_wait (0)"); }
    @Test void getsockoptAllocatesNothing() { assertEquals(0, allocatedBy(this::getsockoptSoType), "bytes allocated by 100,000 getsockopt(SO_TYPE)"); }
    @Test void fcntlAllocatesNothing() { assertEquals(0, allocatedBy(this::fcntlGetfl), "bytes allocated by 100,000 fcntl(F_GETFL)"); }
    @Test void closeOfABadDescriptorAllocatesNothing() { assertEquals(0, allocatedBy(this::closeBadDescriptor), "bytes allocated by 100,000 close(-1) (EBADF)"); }
    @Test void selectAndTheFdMacrosAllocateNothing() { assertEquals(0, allocatedBy(this::selectOnce), "bytes allocated by 100,000 select with FD_*"); }
}
