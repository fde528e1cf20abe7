package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Eight threads provoke eight different errnos at the same time, each many times, and each must
 * read only its own, after every call, also after a successful call in between.
 * {@code -Dpsock.errnoCalls=1000000} runs it 10x longer (default 100000 calls a thread).
 */
@ExtendWith(NoLeaks.class)
class ErrnoPerThreadTest {
    static final int CALLS = Integer.getInteger("psock.errnoCalls", 100_000);

    record Provoker(String name, int errno, IntSupplier call, IntSupplier success) {}

    @Test
    void eightThreadsEachSeeOnlyTheirOwnErrno() throws Exception {
        System.out.println("ErrnoPerThreadTest: 8 threads x " + CALLS + " calls");
        List<Integer> fds = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            int holder = closedPortHolder(); fds.add(holder);
            int l = listener(); fds.add(l);
            int refused = ok("socket", socket(AF_INET, SOCK_STREAM, 0)); fds.add(refused);
            int binder = ok("socket", socket(AF_INET, SOCK_STREAM, 0)); fds.add(binder);
            int[] pipe = pipe(); fds.add(pipe[0]); fds.add(pipe[1]);
            int[] pair = socketpair(SOCK_STREAM); fds.add(pair[0]); fds.add(pair[1]);
            int udp = ok("socket", socket(AF_INET, SOCK_DGRAM, 0)); fds.add(udp);
            int unlistened = ok("socket", socket(AF_INET, SOCK_STREAM, 0)); fds.add(unlistened);
            int unconnected = ok("socket", socket(AF_INET, SOCK_STREAM, 0)); fds.add(unconnected);
            int closed = closedFd();

            MemorySegment refusedAddr = addr(arena, port(holder));
            MemorySegment inUseAddr = addr(arena, port(l));
            int len = sizeofSockaddrIn();

            List<Provoker> provokers = List.of(
                    new Provoker("close of a closed fd", EBADF, () -> close(closed), () -> fcntl(pipe[0], F_GETFD)),
                    new Provoker("connect to a closed port", ECONNREFUSED, () -> connect(refused, refusedAddr, len), () -> fcntl(refused, F_GETFD)),
                    new Provoker("bind to a port in use", EADDRINUSE, () -> bind(binder, inUseAddr, len), () -> fcntl(binder, F_GETFD)),
                    new Provoker("listen on a pipe", ENOTSOCK, () -> listen(pipe[0], 1), () -> fcntl(pipe[0], F_GETFL)),
                    new Provoker("recv MSG_DONTWAIT on an empty socket", EAGAIN, recvEmpty(arena, pair[1]), () -> fcntl(pair[1], F_GETFD)),
                    new Provoker("listen on a UDP socket", EOPNOTSUPP, () -> listen(udp, 1), () -> fcntl(udp, F_GETFD)),
                    new Provoker("accept on a socket that is not listening", EINVAL, () -> accept(unlistened, MemorySegment.NULL, MemorySegment.NULL), () -> fcntl(unlistened, F_GETFD)),
                    new Provoker("getpeername of an unconnected socket", ENOTCONN, peernameOf(arena, unconnected), () -> fcntl(unconnected, F_GETFD)));

            CyclicBarrier start = new CyclicBarrier(provokers.size());
            AtomicReference<String> firstWrong = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (Provoker p : provokers) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < CALLS && firstWrong.get() == null; i++) {
                            int r = p.call.getAsInt();
                            int e = errno();
                            if (r != -1 || e != p.errno) {
                                firstWrong.compareAndSet(null, p.name + ": call " + i + " returned " + r + " with errno " + strerrorname(e) + ", expected -1 " + strerrorname(p.errno));
                            }
                            if ((i & 15) == 0) { // a successful call in between leaves errno as it was
                                if (p.success.getAsInt() == -1 || errno() != p.errno) {
                                    firstWrong.compareAndSet(null, p.name + ": after a successful call errno is " + strerrorname(errno()));
                                }
                            }
                        }
                    } catch (Exception e) {
                        firstWrong.compareAndSet(null, p.name + ": " + e);
                    }
                }, NoLeaks.THREAD_PREFIX + p.errno);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join();
            assertNull(firstWrong.get());
        } finally {
            for (int fd : fds) close(fd);
        }
    }

    private static IntSupplier recvEmpty(Arena arena, int fd) {
        MemorySegment buf = arena.allocate(16);
        return () -> (int) recv(fd, buf, buf.byteSize(), MSG_DONTWAIT);
    }

    private static IntSupplier peernameOf(Arena arena, int fd) {
        MemorySegment a = arena.allocate(Loopback.sizeofSockaddrIn());
        MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
        return () -> {
            len.set(ValueLayout.JAVA_INT, 0, (int) a.byteSize());
            return getpeername(fd, a, len);
        };
    }

    @Test
    void theSameErrnoTwiceFromDifferentCallsIsStillTheLastOne() {
        assertEquals(-1, close(-1));
        assertEquals(EBADF, errno());
        int[] p = pipe();
        try {
            assertEquals(-1, listen(p[0], 1));
            assertEquals(ENOTSOCK, errno());
            assertEquals(-1, listen(closedFd(), 1));
            assertEquals(EBADF, errno());
        } finally {
            closeAll(p);
        }
    }
}
