package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Descriptors the tests make for themselves, all on 127.0.0.1: listeners, closed ports, pairs, pipes. */
final class Loopback {
    private Loopback() {}

    /** A call that must succeed: its result, or a failure naming the call and errno. */
    static int ok(String call, int r) {
        if (r == -1) fail(call + " failed: " + strerrorname(errno()) + " (" + strerror(errno()) + ")");
        return r;
    }

    static long ok(String call, long r) {
        if (r == -1) fail(call + " failed: " + strerrorname(errno()) + " (" + strerror(errno()) + ")");
        return r;
    }

    /** Asserts a C-style failure: -1 and errno, checked by number and by name. */
    static void assertFails(int expectedErrno, long r, String what) {
        assertEquals(-1, r, what + ": result");
        assertErrno(expectedErrno, what);
    }

    static void assertErrno(int expectedErrno, String what) {
        int got = errno();
        assertEquals(strerrorname(expectedErrno) + " " + expectedErrno, strerrorname(got) + " " + got, what + ": errno");
    }

    /** struct sockaddr_in for 127.0.0.1:port. */
    static MemorySegment addr(Arena arena, int port) {
        return addr(arena, "127.0.0.1", port);
    }

    static MemorySegment addr(Arena arena, String ip, int port) {
        MemorySegment a = arena.allocate(sockaddr_in.layout());
        sin_family(a, AF_INET);
        sin_port(a, htons(port));
        assertEquals(1, inet_pton(AF_INET, ip, sin_addr(a)), "inet_pton " + ip);
        return a;
    }

    static int sizeofSockaddrIn() {
        return (int) sockaddr_in.sizeof();
    }

    /** The port a socket is bound to, in host order. */
    static int port(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(sockaddr_in.layout());
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in.sizeof());
            ok("getsockname", getsockname(fd, a, len));
            return ntohs(sin_port(a));
        }
    }

    /** A socket of the given type bound to 127.0.0.1 on an ephemeral port. */
    static int bound(int type) {
        int fd = ok("socket", socket(AF_INET, type, 0));
        try (Arena arena = Arena.ofConfined()) {
            if (bind(fd, addr(arena, 0), sizeofSockaddrIn()) == -1) {
                int e = errno();
                close(fd);
                fail("bind 127.0.0.1:0: " + strerrorname(e));
            }
        }
        return fd;
    }

    /** A TCP socket listening on 127.0.0.1, ephemeral port. */
    static int listener(int type) {
        int fd = bound(type);
        if (listen(fd, 16) == -1) {
            int e = errno();
            close(fd);
            fail("listen: " + strerrorname(e));
        }
        return fd;
    }

    static int listener() {
        return listener(SOCK_STREAM);
    }

    /**
     * A TCP socket bound to 127.0.0.1 and never listening: its port is closed, so a connect to it
     * is refused, and nobody else can listen there while the socket is open.
     */
    static int closedPortHolder() {
        return bound(SOCK_STREAM);
    }

    /** A connected pair of AF_UNIX sockets (type may carry SOCK_NONBLOCK). */
    static int[] socketpair(int type) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sv = arena.allocate(ValueLayout.JAVA_INT, 2);
            ok("socketpair", Posix.socketpair(AF_UNIX, type, 0, sv));
            return new int[] {sv.getAtIndex(ValueLayout.JAVA_INT, 0), sv.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    /** pipe(2): {read end, write end}. */
    static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ValueLayout.JAVA_INT, 2);
            ok("pipe", Posix.pipe(p));
            return new int[] {p.getAtIndex(ValueLayout.JAVA_INT, 0), p.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    static void nonblocking(int fd) {
        int flags = ok("fcntl F_GETFL", fcntl(fd, F_GETFL));
        ok("fcntl F_SETFL", fcntl(fd, F_SETFL, flags | O_NONBLOCK));
    }

    /** A connected TCP pair on loopback: {client, server side}. */
    static int[] tcpPair() {
        int l = listener();
        try (Arena arena = Arena.ofConfined()) {
            int c = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            ok("connect", connect(c, addr(arena, port(l)), sizeofSockaddrIn()));
            int s = ok("accept", accept(l, MemorySegment.NULL, MemorySegment.NULL));
            return new int[] {c, s};
        } finally {
            close(l);
        }
    }

    /** Closes each descriptor the test owns; -1 entries are skipped. */
    static void closeAll(int... fds) {
        for (int fd : fds) if (fd >= 0) close(fd);
    }

    /**
     * A descriptor number that is certainly closed and that the kernel will not hand out while the
     * test uses it: open descriptors are few and the kernel always gives the lowest free number,
     * so a number far above the highest open one stays free. Verified closed with fcntl(F_GETFD).
     */
    static int closedFd() {
        int highest = 0;
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) list::iterator) highest = Math.max(highest, Integer.parseInt(p.getFileName().toString()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int fd = Math.min(Math.max(highest + 500, 900), openFilesLimit() - 1); // dup2 can still make it, below RLIMIT_NOFILE
        assertEquals(-1, fcntl(fd, F_GETFD), "fd " + fd + " must be closed");
        assertEquals(EBADF, errno());
        return fd;
    }

    /** This process's RLIMIT_NOFILE (soft), from /proc/self/limits. */
    static int openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(soft));
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return 1024;
    }
}
