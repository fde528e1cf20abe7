package io.github.panamasockets.api;

import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.posix_spawn_file_actions_t;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mutants PIT left alive in the facade's checks and call paths (issue 16, ./psock mutate),
 * each killed with the exact value the unmutated facade gives: a limit taken at its boundary, a
 * copy-back, errno kept on success, a return value asserted. The README's "Mutation testing"
 * section lists the survivors that remain and why each is equivalent.
 */
@ExtendWith(NoLeaks.class)
class CallPathBoundariesTest {

    /** addrlen == sizeof(struct sockaddr_storage) is still checked against the segment (128 is in range, the kernel copies that many). */
    @Test
    void anAddrlenOfExactlySockaddrStorageIsCheckedAgainstTheSegment() {
        int fd = ok("socket", socket(AF_INET, SOCK_DGRAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            int storage = (int) sockaddr_storage.sizeof();
            assertEquals(128, storage);
            assertFails(EFAULT, bind(fd, addr(arena, 0), storage), "bind, addrlen 128 over a 16-byte sockaddr_in");
            assertFails(EFAULT, connect(fd, addr(arena, 1), storage), "connect, addrlen 128 over 16 bytes");
            MemorySegment x = arena.allocateFrom("x");
            assertFails(EFAULT, sendto(fd, x, 1, 0, addr(arena, 1), storage), "sendto, addrlen 128 over 16 bytes");
            // a heap segment is never passed, also where the length is the kernel's to refuse
            assertFails(EFAULT, bind(fd, MemorySegment.ofArray(new byte[16]), -1), "bind with a heap address");
        } finally {
            close(fd);
        }
    }

    @Test
    void getpeernameAndGetsockoptWriteTheLengthBack() {
        int[] tcp = tcpPair();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment peer = arena.allocate(sockaddr_in6.layout());
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in6.sizeof());
            assertEquals(0, getpeername(tcp[0], peer, len));
            assertEquals(16, len.get(ValueLayout.JAVA_INT, 0), "getpeername's *addrlen");
            assertEquals(port(tcp[1]), ntohs(sin_port(peer)));
            MemorySegment value = arena.allocate(8);
            MemorySegment optlen = arena.allocateFrom(ValueLayout.JAVA_INT, 8);
            assertEquals(0, getsockopt(tcp[0], SOL_SOCKET, SO_TYPE, value, optlen));
            assertEquals(4, optlen.get(ValueLayout.JAVA_INT, 0), "getsockopt's *optlen");
            assertEquals(SOCK_STREAM, value.get(ValueLayout.JAVA_INT, 0));
            // *optlen 0 goes to the kernel, which writes nothing and answers 0
            optlen.set(ValueLayout.JAVA_INT, 0, 0);
            value.set(ValueLayout.JAVA_INT, 0, -7);
            assertEquals(0, getsockopt(tcp[0], SOL_SOCKET, SO_TYPE, value, optlen));
            assertEquals(0, optlen.get(ValueLayout.JAVA_INT, 0));
            assertEquals(-7, value.get(ValueLayout.JAVA_INT, 0));
            // a negative *optlen is refused before TCP, which would take it as 4 and write through a NULL optval
            optlen.set(ValueLayout.JAVA_INT, 0, -1);
            assertFails(EINVAL, getsockopt(tcp[0], SOL_TCP, TCP_NODELAY, MemorySegment.NULL, optlen), "getsockopt, *optlen -1");
            // setsockopt: NULL with 0 is the kernel's EINVAL (too short for an int); NULL with 4 the facade's EFAULT
            assertFails(EINVAL, setsockopt(tcp[0], SOL_SOCKET, SO_REUSEADDR, MemorySegment.NULL, 0), "setsockopt NULL, 0");
            assertFails(EFAULT, setsockopt(tcp[0], SOL_SOCKET, SO_REUSEADDR, MemorySegment.NULL, 4), "setsockopt NULL, 4");
            assertEquals(0, shutdown(tcp[0], SHUT_WR));
            int unconnected = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            try {
                assertFails(ENOTCONN, shutdown(unconnected, SHUT_RDWR), "shutdown, not connected");
            } finally {
                close(unconnected);
            }
        } finally {
            closeAll(tcp);
        }
    }

    @Test
    void iovcntOfExactlyUioMaxiovIsStillCheckedAndSelectTakesFdSetsize() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment iov = arena.allocate(iovec.layout());
            iovec.iov_base(iov, arena.allocate(1));
            iovec.iov_len(iov, 1);
            assertEquals(1024, UIO_MAXIOV);
            assertFails(EFAULT, writev(sv[0], iov, UIO_MAXIOV), "writev, 1024 iovecs in a segment of one");
            assertFails(EFAULT, readv(sv[1], iov, UIO_MAXIOV), "readv, 1024 iovecs in a segment of one");
            MemorySegment tv = arena.allocate(io.github.panamasockets.bindings.timeval.layout());
            assertEquals(0, select(FD_SETSIZE, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, tv), "nfds == FD_SETSIZE is allowed");
            assertFails(EINVAL, select(FD_SETSIZE + 1, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, tv), "nfds past FD_SETSIZE");
            assertFails(EFAULT, poll(MemorySegment.ofArray(new byte[8]), 0, 0), "poll with a heap array, nfds 0");
        } finally {
            closeAll(sv);
        }
    }

    @Test
    void errnoIsTakenOnFailureOnlyAndReturnValuesAreTheCalls(@TempDir Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            errno(0);
            assertEquals(MemorySegment.NULL, mkdtemp(arena.allocateFrom(dir + "/no-x")));
            assertErrno(EINVAL, "mkdtemp without XXXXXX");
            MemorySegment res = arena.allocate(io.github.panamasockets.bindings.sockets_h.C_POINTER);
            errno(1234);
            assertEquals(0, getaddrinfo("127.0.0.1", null, MemorySegment.NULL, res));
            assertEquals(1234, errno(), "getaddrinfo succeeded: errno untouched");
            freeaddrinfo(res.get(io.github.panamasockets.bindings.sockets_h.C_POINTER, 0));
            MemorySegment a = addr(arena, 80);
            MemorySegment host = arena.allocate(64), tiny = arena.allocate(2);
            assertEquals(0, getnameinfo(a, (int) sockaddr_in.sizeof(), host, 64, MemorySegment.NULL, 0, NI_NUMERICHOST));
            assertEquals(1234, errno(), "getnameinfo succeeded: errno untouched");
            assertEquals("127.0.0.1", cstring(host));
            assertEquals(EAI_OVERFLOW, getnameinfo(a, (int) sockaddr_in.sizeof(), tiny, 2, MemorySegment.NULL, 0, NI_NUMERICHOST));
            assertEquals(ProcessHandle.current().pid(), getpid());
            assertFalse(WIFEXITED(9), "killed by SIGKILL");
            assertTrue(WIFSIGNALED(9));
            assertTrue(WIFSIGNALED(1), "SIGHUP");
            assertTrue(WIFSIGNALED(0x7e));
            assertFalse(WIFSIGNALED(3 << 8), "exited with 3");
            assertFalse(WIFSIGNALED(0), "exited with 0");
            assertFalse(WIFSIGNALED(0x137f), "stopped by SIGSTOP: glibc's (signed char) makes 0x7f + 1 negative");
            assertFalse(WIFSIGNALED(0xffff), "continued");
            assertEquals(EINVAL, unlink("\0psock") == -1 ? errno() : 0, "a NUL at index 0 is a NUL inside");
            assertEquals(3, strnlen(arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 'a', (byte) 'b', (byte) 'c')), "no NUL: the segment's size");
            MemorySegment fa = arena.allocate(posix_spawn_file_actions_t.layout());
            assertEquals(EINVAL, posix_spawn_file_actions_destroy(fa), "destroy of one never initialized");
            assertEquals(0, posix_spawn_file_actions_init(fa));
            assertEquals(EINVAL, posix_spawn_file_actions_init(fa), "initialized twice");
            assertEquals(0, posix_spawn_file_actions_destroy(fa));
            assertEquals(EINVAL, posix_spawn_file_actions_destroy(fa), "destroyed twice");
        }
    }

    @Test
    void rangesOverlapOnlyWhenTheyShareAByte() {
        assertFalse(Memory.overlap(0, 8, 8, 8), "adjacent");
        assertFalse(Memory.overlap(8, 8, 0, 8), "adjacent");
        assertTrue(Memory.overlap(0, 8, 7, 8));
        assertTrue(Memory.overlap(7, 8, 0, 8));
    }

    /**
     * fcntl's three trace forms: an int argument as a number (F_SETFL's as O_ flags), F_GETFD and
     * F_GETFL as flag sets (0 as 0), any other command without an argument bare; a pointer command
     * refused in its int form, and the pointer form refused for an int command.
     */
    @Test
    void fcntlTracesEachFormAsStraceDoes() {
        int[] sv = Loopback.socketpair(SOCK_STREAM), p = Loopback.pipe();
        try (Arena arena = Arena.ofConfined()) {
            int fd = sv[0];
            MemorySegment lock = arena.allocate(io.github.panamasockets.bindings.flock.layout());
            int bad = closedFd();
            int[] got = new int[11];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = fcntl(fd, F_SETFD, FD_CLOEXEC);
                got[1] = fcntl(fd, F_GETFD);
                got[2] = fcntl(fd, F_SETFD, 0);
                got[3] = fcntl(fd, F_GETFD);
                got[4] = fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK);
                got[5] = fcntl(fd, F_GETFL);
                got[6] = fcntl(fd, F_GETOWN);
                got[7] = fcntl(fd, F_GETLK, 7);
                got[8] = fcntl(fd, F_SETFL, lock);
                got[9] = fcntl(p[0], F_GETFL);
                got[10] = fcntl(bad, F_GETFL);
            });
            assertEquals(List.of(0, FD_CLOEXEC, 0, 0, 0, O_RDWR | O_NONBLOCK, 0, -1, -1, O_RDONLY, -1), java.util.Arrays.stream(got).boxed().toList());
            String f = "fcntl(" + fd + ", ";
            assertEquals(List.of(f + "F_SETFD, 1) = 0",
                    f + "F_GETFD) = 0x1 (flags FD_CLOEXEC)",
                    f + "F_SETFD, 0) = 0",
                    f + "F_GETFD) = 0",
                    f + "F_SETFL, O_RDWR|O_NONBLOCK) = 0",
                    f + "F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)",
                    f + "F_GETOWN) = 0",
                    f + "F_GETLK, 7) = -1 EINVAL (Invalid argument)",
                    f + "F_SETFL, " + Trace.hex(lock) + ") = -1 EINVAL (Invalid argument)",
                    "fcntl(" + p[0] + ", F_GETFL) = 0 (flags O_RDONLY)",
                    "fcntl(" + bad + ", F_GETFL) = -1 EBADF (Bad file descriptor)"), trace);
        } finally {
            closeAll(sv[0], sv[1], p[0], p[1]);
        }
    }

    /**
     * epoll_wait takes maxevents up to the kernel's EP_MAX_EVENTS (INT_MAX / sizeof(struct
     * epoll_event)): that many is checked against the array (EFAULT), one more is EINVAL. Several
     * events are traced in the order the kernel gave them, data as u32 and u64.
     */
    @Test
    void epollWaitTakesUpToEpMaxEventsAndTracesEveryEvent() {
        int[] a = Loopback.socketpair(SOCK_STREAM), b = Loopback.socketpair(SOCK_STREAM);
        int ep = ok("epoll_create1", epoll_create1(0));
        try (Arena arena = Arena.ofConfined()) {
            long size = io.github.panamasockets.bindings.epoll_event.sizeof();
            assertEquals(12, size);
            int epMaxEvents = (int) (Integer.MAX_VALUE / size);
            assertEquals(178956970, epMaxEvents);
            MemorySegment events = arena.allocate(size * 4);
            assertFails(EFAULT, epoll_wait(ep, events, epMaxEvents, 0), "EP_MAX_EVENTS events in an array of 4");
            assertFails(EINVAL, epoll_wait(ep, events, epMaxEvents + 1, 0), "one past EP_MAX_EVENTS");
            MemorySegment ev = arena.allocate(size);
            events(ev, EPOLLIN);
            data_u64(ev, (1L << 32) | 7);
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_ADD, a[1], ev));
            data_u64(ev, 9);
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_ADD, b[1], ev));
            MemorySegment x = arena.allocateFrom("x");
            assertEquals(1, write(a[0], x, 1));
            assertEquals(1, write(b[0], x, 1));
            int[] got = new int[1];
            List<String> trace = InProcessTrace.of(() -> got[0] = epoll_wait(ep, events, 4, 0));
            assertEquals(2, got[0]);
            assertEquals(List.of("epoll_wait(" + ep + ", [{events=EPOLLIN, data={u32=7, u64=4294967303}}, {events=EPOLLIN, data={u32=9, u64=9}}], 4, 0) = 2"), trace);
        } finally {
            closeAll(ep, a[0], a[1], b[0], b[1]);
        }
    }

    /**
     * The helpers no call path of the other in-process tests reaches, each with its exact value:
     * sizeof, memset/bzero, S_ISSOCK on what stat says of a bound AF_UNIX path and of a file,
     * WTERMSIG, posix_spawn_file_actions_addclose's returns, getaddrinfo's EAI_SYSTEM trace line.
     */
    @Test
    void helpersOutsideTheCallPathsGiveCsValues(@TempDir Path dir) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(16, sizeof(sockaddr_in.layout()));
            assertEquals(24, sizeof(arena.allocate(24)));
            MemorySegment m = arena.allocate(4).fill((byte) 1);
            assertEquals(m, memset(m, 0x1ab, 3), "memset returns s");
            assertEquals("ababab01", java.util.HexFormat.of().formatHex(m.toArray(ValueLayout.JAVA_BYTE)), "the low byte of c, n bytes");
            bzero(m, 2);
            assertEquals("0000ab01", java.util.HexFormat.of().formatHex(m.toArray(ValueLayout.JAVA_BYTE)), "bzero: the first 2 bytes");

            MemorySegment st = arena.allocate(io.github.panamasockets.bindings.stat.layout());
            Path sock = dir.resolve("s"), file = Files.writeString(dir.resolve("f"), "x");
            int fd = ok("socket", socket(AF_UNIX, SOCK_STREAM, 0));
            try {
                MemorySegment un = arena.allocate(io.github.panamasockets.bindings.sockaddr_un.layout());
                sun_family(un, AF_UNIX);
                assertEquals(0, sun_path(un, sock.toString()));
                assertEquals(sock.toString(), cstring(sun_path(un)), "sun_path: the field inside the sockaddr_un");
                assertEquals(0, bind(fd, un, (int) un.byteSize()));
                assertEquals(0, stat(sock.toString(), st));
                assertTrue(S_ISSOCK(io.github.panamasockets.bindings.stat.st_mode(st)), "a bound AF_UNIX path");
                assertEquals(0, stat(file.toString(), st));
                assertFalse(S_ISSOCK(io.github.panamasockets.bindings.stat.st_mode(st)), "a regular file");
            } finally {
                close(fd);
            }
            assertEquals(9, WTERMSIG(9));
            assertEquals(11, WTERMSIG(0x8b), "SIGSEGV with the core-dump bit");
            assertEquals(0x7f, WTERMSIG(0x137f));

            MemorySegment fa = arena.allocate(posix_spawn_file_actions_t.layout());
            assertEquals(EINVAL, posix_spawn_file_actions_addclose(fa, 5), "not initialized");
            assertEquals(EFAULT, posix_spawn_file_actions_addclose(arena.allocate(8), 5), "shorter than the object");
            assertEquals(0, posix_spawn_file_actions_init(fa));
            try {
                assertEquals(0, posix_spawn_file_actions_addclose(fa, 5));
                assertEquals(EBADF, posix_spawn_file_actions_addclose(fa, -1), "glibc's answer for a negative fildes");
                assertEquals(EBADF, posix_spawn_file_actions_adddup2(fa, -1, 3), "glibc's answer for a negative fildes");
            } finally {
                assertEquals(0, posix_spawn_file_actions_destroy(fa));
            }

            int six = ok("socket", socket(AF_INET6, SOCK_STREAM, 0));
            try {
                MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
                List<String> v6 = InProcessTrace.of(() -> assertEquals(0, setsockopt(six, IPPROTO_IPV6, IPV6_V6ONLY, one, 4)));
                assertEquals(List.of("setsockopt(" + six + ", SOL_IPV6, IPV6_V6ONLY, [1], 4) = 0"), v6);
            } finally {
                close(six);
            }
            MemorySegment res = arena.allocate(io.github.panamasockets.bindings.sockets_h.C_POINTER);
            int[] got = new int[1];
            List<String> trace = InProcessTrace.of(() -> got[0] = getaddrinfo("a\0b", null, MemorySegment.NULL, res));
            assertEquals(EAI_SYSTEM, got[0]);
            assertEquals(EINVAL, errno());
            assertEquals(List.of("~getaddrinfo(\"a\\0b\", NULL, NULL, " + Trace.hex(res) + ") = " + EAI_SYSTEM + " EAI_SYSTEM (System error)"), trace);
        }
    }

    /**
     * freeaddrinfo really gives the list back to glibc: malloc's per-thread cache hands the freed
     * node out again, so this thread's next getaddrinfo of the same name puts its list exactly
     * there. A list not freed would still hold that place, and the next one would sit elsewhere.
     */
    @Test
    void freeaddrinfoGivesTheListBackToMalloc() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hints = arena.allocate(io.github.panamasockets.bindings.addrinfo.layout());
            io.github.panamasockets.bindings.addrinfo.ai_family(hints, AF_INET);
            io.github.panamasockets.bindings.addrinfo.ai_socktype(hints, SOCK_STREAM);
            io.github.panamasockets.bindings.addrinfo.ai_flags(hints, AI_NUMERICHOST | AI_NUMERICSERV);
            MemorySegment res = arena.allocate(io.github.panamasockets.bindings.sockets_h.C_POINTER);
            assertEquals(0, getaddrinfo("127.0.0.1", "80", hints, res));
            MemorySegment traced = res.get(io.github.panamasockets.bindings.sockets_h.C_POINTER, 0);
            List<String> trace = InProcessTrace.of(() -> freeaddrinfo(traced));
            assertEquals(List.of("~freeaddrinfo(" + Trace.hex(traced) + ") = void"), trace);
            // then untraced: turning the trace on loads and links code, whose own mallocs on this
            // thread could take the freed place between the free and the next getaddrinfo
            assertEquals(0, getaddrinfo("127.0.0.1", "80", hints, res));
            MemorySegment first = res.get(io.github.panamasockets.bindings.sockets_h.C_POINTER, 0);
            freeaddrinfo(first);
            assertEquals(0, getaddrinfo("127.0.0.1", "80", hints, res));
            MemorySegment second = res.get(io.github.panamasockets.bindings.sockets_h.C_POINTER, 0);
            freeaddrinfo(second);
            assertEquals(first.address(), second.address(), "the second list in the first one's freed place");
        }
    }

    /**
     * A 0 result traced as strace prints it: read and recv at end of file show the "" they read,
     * recvfrom of an empty datagram its sender, select's 0 "Timeout", and wait4's 0 (WNOHANG, the
     * child still running) the status pointer it did not write through.
     */
    @Test
    void zeroResultsAreTracedAsStracePrintsThem() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        int u = bound(SOCK_DGRAM), v = bound(SOCK_DGRAM);
        int child = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64), src = arena.allocate(sockaddr_in.layout());
            MemorySegment srclen = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in.sizeof());
            MemorySegment set = arena.allocate(io.github.panamasockets.bindings.fd_set.layout());
            MemorySegment tv = arena.allocate(io.github.panamasockets.bindings.timeval.layout());
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT), status = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(0, posix_spawn(pid, "/bin/sleep", MemorySegment.NULL, MemorySegment.NULL, new String[] {"sleep", "60"}, null));
            child = pid.get(ValueLayout.JAVA_INT, 0);
            int kid = child;
            assertEquals(0, shutdown(sv[0], SHUT_WR));
            assertEquals(0, sendto(v, buf, 0, 0, addr(arena, port(u)), sizeofSockaddrIn()));
            FD_ZERO(set);
            FD_SET(sv[0], set);
            long[] got = new long[5];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = read(sv[1], buf, 64);
                got[1] = recv(sv[1], buf, 64, 0);
                got[2] = recvfrom(u, buf, 64, 0, src, srclen);
                got[3] = select(sv[0] + 1, set, MemorySegment.NULL, MemorySegment.NULL, tv);
                got[4] = waitpid(kid, status, WNOHANG);
            });
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L), java.util.Arrays.stream(got).boxed().toList());
            assertEquals(List.of("read(" + sv[1] + ", \"\", 64) = 0",
                    "recvfrom(" + sv[1] + ", \"\", 64, 0, NULL, NULL) = 0",
                    "recvfrom(" + u + ", \"\", 64, 0, {sa_family=AF_INET, sin_port=htons(" + port(v) + "), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0",
                    "select(" + (sv[0] + 1) + ", [" + sv[0] + "], NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)",
                    "wait4(" + child + ", " + Trace.hex(status) + ", WNOHANG, NULL) = 0"), trace);
        } finally {
            if (child > 0) {
                kill(child, SIGKILL);
                waitpid(child, MemorySegment.NULL, 0);
            }
            closeAll(sv[0], sv[1], u, v);
        }
    }

    /** TraceScenario's pinned lines, in this JVM: a mutant that drops or changes a trace line here is seen. */
    @Test
    void theTraceScenarioInThisJvmLogsThePinnedLines() {
        PrintStream out = System.out;
        ByteArrayOutputStream vars = new ByteArrayOutputStream();
        List<String> trace;
        try (PrintStream capture = new PrintStream(vars, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            trace = InProcessTrace.of(() -> TraceScenario.main(new String[0]));
        } finally {
            System.setOut(out);
        }
        var v = TraceScenario.vars(vars.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals("true", v.get("TRACE_ON"));
        TraceTest.assertLines(TraceScenario.expected(v, false), trace, "facade trace in process");
    }
}
