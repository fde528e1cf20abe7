package io.github.panamasockets.api;

import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.posix_spawn_file_actions_t;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No blocking call is linked {@code critical}. A critical downcall keeps its thread "in Java", so
 * no safepoint, and so no GC, can happen while it runs: each blocking call is entered on a thread
 * of its own, and a System.gc() on this thread must finish while that thread is still blocked in
 * the kernel. (A socket timeout of a few seconds bounds each call, so a critical link fails the
 * test instead of hanging it.) And structurally: no facade source asks for a critical link.
 */
@ExtendWith(NoLeaks.class)
class NotCriticalTest {
    static final int SAFETY_SECONDS = 5;

    static Path facadeSources() {
        Path here = Path.of("src/main/java/io/github/panamasockets/api");
        if (Files.isDirectory(here)) return here;
        return Path.of(System.getProperty("psock.root", ".."), "api/src/main/java/io/github/panamasockets/api");
    }

    @Test
    void noFacadeSourceLinksCritical() throws IOException {
        Path dir = facadeSources();
        assertTrue(Files.isDirectory(dir), "facade sources at " + dir.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                if (src.contains("Option.critical") || src.matches("(?s).*\\bcritical\\s*\\(.*")) offenders.add(f.getFileName().toString());
            }
        }
        assertEquals(List.of(), offenders, "facade sources that link critical");
    }

    static void timeouts(int fd, Arena arena) {
        MemorySegment tv = arena.allocate(timeval.layout());
        timeval.tv_sec(tv, SAFETY_SECONDS);
        ok("SO_RCVTIMEO", setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, (int) tv.byteSize()));
        ok("SO_SNDTIMEO", setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, tv, (int) tv.byteSize()));
    }

    /** Enters {@code call} on a thread of its own, runs a GC while it blocks, then {@code unblock}s it; returns the call's result. */
    static long assertGcRunsWhileBlockedIn(String name, LongSupplier call, Runnable unblock) throws InterruptedException {
        AtomicBoolean returned = new AtomicBoolean();
        AtomicLong result = new AtomicLong(Long.MIN_VALUE);
        Thread t = new Thread(() -> {
            result.set(call.getAsLong());
            returned.set(true);
        }, NoLeaks.THREAD_PREFIX + "blocked-in-" + name);
        t.start();
        try {
            Thread.sleep(150);
            assertFalse(returned.get(), name + " returned at once (result " + result.get() + "): it did not block, the test proves nothing");
            System.gc();
            boolean blockedThroughGc = !returned.get();
            assertTrue(blockedThroughGc, name + ": the GC could not finish until the call returned: is it linked critical?");
        } finally {
            unblock.run();
            t.join(2_000L * SAFETY_SECONDS);
        }
        assertFalse(t.isAlive(), name + " did not return after being unblocked");
        return result.get();
    }

    @Test
    void readRecvAndFriendsLetTheGcRunWhileBlocked() throws Exception {
        int[] sp = socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofShared()) {
            timeouts(sp[1], arena);
            MemorySegment one = arena.allocateFrom("x");
            Runnable send = () -> assertEquals(1, send(sp[0], one, 1, MSG_NOSIGNAL));
            MemorySegment buf = arena.allocate(16);

            assertEquals(1, assertGcRunsWhileBlockedIn("read", () -> read(sp[1], buf, 16), send));
            assertEquals(1, assertGcRunsWhileBlockedIn("recv", () -> recv(sp[1], buf, 16, 0), send));
            MemorySegment from = arena.allocate(16), fromLen = arena.allocateFrom(ValueLayout.JAVA_INT, 16);
            assertEquals(1, assertGcRunsWhileBlockedIn("recvfrom", () -> recvfrom(sp[1], buf, 16, 0, from, fromLen), send));

            MemorySegment iov = iovec.allocate(arena);
            iovec.iov_base(iov, buf);
            iovec.iov_len(iov, 16);
            assertEquals(1, assertGcRunsWhileBlockedIn("readv", () -> readv(sp[1], iov, 1), send));
            MemorySegment msg = msghdr.allocate(arena);
            msghdr.msg_iov(msg, iov);
            msghdr.msg_iovlen(msg, 1);
            assertEquals(1, assertGcRunsWhileBlockedIn("recvmsg", () -> recvmsg(sp[1], msg, 0), send));

            MemorySegment fds = pollfd.allocate(arena);
            pollfd.fd(fds, sp[1]);
            pollfd.events(fds, (short) POLLIN);
            assertEquals(1, assertGcRunsWhileBlockedIn("poll", () -> poll(fds, 1, SAFETY_SECONDS * 1000), send));
            assertEquals(1, read(sp[1], buf, 16));

            MemorySegment set = arena.allocate(fd_set.layout()), tv = arena.allocate(timeval.layout());
            assertEquals(1, assertGcRunsWhileBlockedIn("select", () -> {
                FD_ZERO(set);
                FD_SET(sp[1], set);
                timeval.tv_sec(tv, SAFETY_SECONDS);
                return select(sp[1] + 1, set, MemorySegment.NULL, MemorySegment.NULL, tv);
            }, send));
            assertEquals(1, read(sp[1], buf, 16));

            int ep = ok("epoll_create1", epoll_create1(0));
            try {
                MemorySegment ev = epoll_event.allocate(arena);
                epoll_event.events(ev, EPOLLIN);
                ok("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], ev));
                MemorySegment events = epoll_event.allocateArray(2, arena);
                assertEquals(1, assertGcRunsWhileBlockedIn("epoll_wait", () -> epoll_wait(ep, events, 2, SAFETY_SECONDS * 1000), send));
                assertEquals(1, read(sp[1], buf, 16));
            } finally {
                close(ep);
            }
        } finally {
            closeAll(sp);
        }
    }

    @Test
    void acceptLetsTheGcRunWhileBlocked() throws Exception {
        int l = listener(), c = -1;
        try (Arena arena = Arena.ofShared()) {
            timeouts(l, arena);
            int port = port(l);
            int[] client = {-1};
            long a = assertGcRunsWhileBlockedIn("accept", () -> accept(l, MemorySegment.NULL, MemorySegment.NULL), () -> {
                client[0] = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
                ok("connect", connect(client[0], addr(arena, port), sizeofSockaddrIn()));
            });
            c = client[0];
            assertTrue(a >= 0, "accepted");
            close((int) a);
        } finally {
            closeAll(c, l);
        }
    }

    @Test
    void writeToAFullSocketLetsTheGcRunWhileBlocked() throws Exception {
        int[] sp = socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofShared()) {
            timeouts(sp[0], arena);
            MemorySegment chunk = arena.allocate(65536);
            nonblocking(sp[0]);
            for (long size : new long[] {65536, 4096, 256, 1}) { // fill the socket's buffers to the last byte
                while (write(sp[0], chunk, size) > 0) { /* more */ }
                assertEquals(EAGAIN, errno());
            }
            ok("fcntl", fcntl(sp[0], F_SETFL, fcntl(sp[0], F_GETFL) & ~O_NONBLOCK));
            MemorySegment sink = arena.allocate(65536);
            long n = assertGcRunsWhileBlockedIn("write", () -> write(sp[0], chunk, 1024), () -> {
                while (recv(sp[1], sink, sink.byteSize(), MSG_DONTWAIT) > 0) { /* drain */ }
            });
            assertEquals(1024, n);
        } finally {
            closeAll(sp);
        }
    }

    @Test
    void waitpidLetsTheGcRunWhileBlocked() throws Exception {
        int[] p = pipe();
        boolean writeOpen = true;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment actions = arena.allocate(posix_spawn_file_actions_t.layout());
            assertEquals(0, posix_spawn_file_actions_init(actions));
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            try {
                assertEquals(0, posix_spawn_file_actions_adddup2(actions, p[0], 0));
                assertEquals(0, posix_spawn_file_actions_addclose(actions, p[0]));
                assertEquals(0, posix_spawn_file_actions_addclose(actions, p[1]));
                // The child waits for its standard input to end: that is, for our close of the pipe.
                assertEquals(0, posix_spawn(pid, "/bin/sh", actions, MemorySegment.NULL, new String[] {"sh", "-c", "read x; exit 7"}, null));
            } finally {
                posix_spawn_file_actions_destroy(actions);
            }
            int child = pid.get(ValueLayout.JAVA_INT, 0);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            long r = assertGcRunsWhileBlockedIn("waitpid", () -> waitpid(child, status, 0), () -> close(p[1]));
            writeOpen = false;
            assertEquals(child, r);
            assertTrue(WIFEXITED(status.get(ValueLayout.JAVA_INT, 0)));
            assertEquals(7, WEXITSTATUS(status.get(ValueLayout.JAVA_INT, 0)));
        } finally {
            close(p[0]);
            if (writeOpen) close(p[1]);
        }
    }
}
