package io.github.panamasockets.api;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.epoll_data;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.in_addr;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.posix_spawn_file_actions_t;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each call does on loopback, pinned with exact values: the C walkthrough's steps one by one. */
@ExtendWith(NoLeaks.class)
class SocketBehaviourTest {

    static String text(MemorySegment buf, long n) {
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    static long send(int fd, Arena arena, String s) {
        MemorySegment b = arena.allocateFrom(s);
        return Posix.send(fd, b, s.length(), MSG_NOSIGNAL);
    }

    @Test
    void ntohsOfSinPortPrintsUnsigned() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = addr(arena, 50000);
            assertEquals(50000, ntohs(sin_port(a)));
            assertEquals("50000", String.valueOf(ntohs(sin_port(a))));
            assertEquals(0x50c3, sin_port(a), "network order in memory, read as an unsigned int");
            assertEquals(0xc3, Byte.toUnsignedInt(a.get(ValueLayout.JAVA_BYTE, sockaddr_in.sin_port$offset())), "high byte first");

            // A port whose network-order value has the sign bit set as a short: 128 is 0x8000 there.
            sin_port(a, htons(128));
            assertEquals(0x8000, sin_port(a));
            assertEquals(128, ntohs(sin_port(a)));
            sin_port(a, htons(65535));
            assertEquals(65535, ntohs(sin_port(a)));
            assertEquals(0x7f000001, ntohl(s_addr(sin_addr(a))));
            assertEquals(INADDR_LOOPBACK, ntohl(s_addr(sin_addr(a))));
            // INADDR_ANY, used as a C program uses it: a socket bound to it listens on 0.0.0.0
            int any = ok("socket", socket(AF_INET, SOCK_DGRAM, 0));
            try {
                s_addr(sin_addr(a), htonl(INADDR_ANY));
                sin_port(a, 0);
                ok("bind INADDR_ANY", bind(any, a, Loopback.sizeofSockaddrIn()));
                MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, Loopback.sizeofSockaddrIn());
                ok("getsockname", getsockname(any, a, len));
                MemorySegment text = arena.allocate(16);
                assertEquals("0.0.0.0", cstring(inet_ntop(AF_INET, sin_addr(a), text, 16)), "bound to INADDR_ANY");
                assertEquals(0, s_addr(sin_addr(a)));
            } finally {
                close(any);
            }
            assertEquals(0x0100007f, htonl(0x7f000001), "little endian here: htonl swaps");
        }
        int u = bound(SOCK_DGRAM);
        try {
            int p = port(u);
            assertTrue(p > 0 && p <= 65535, "an ephemeral port, unsigned: " + p);
        } finally {
            close(u);
        }
    }

    @Test
    void fcntlSetflGetflRoundTripsO_NONBLOCK() {
        int l = listener();
        try {
            int flags = fcntl(l, F_GETFL);
            assertNotEquals(-1, flags);
            assertEquals(0, flags & O_NONBLOCK);
            assertEquals(0, fcntl(l, F_SETFL, flags | O_NONBLOCK));
            assertEquals(flags | O_NONBLOCK, fcntl(l, F_GETFL));
            // and it works: accept with nobody connecting returns at once
            assertFails(EAGAIN, accept(l, MemorySegment.NULL, MemorySegment.NULL), "accept on a non-blocking listener");
            assertEquals(0, fcntl(l, F_SETFL, flags));
            assertEquals(flags, fcntl(l, F_GETFL));

            assertEquals(0, fcntl(l, F_GETFD));
            assertEquals(0, fcntl(l, F_SETFD, FD_CLOEXEC));
            assertEquals(FD_CLOEXEC, fcntl(l, F_GETFD));
            assertFails(EBADF, fcntl(-1, F_GETFL), "fcntl(-1)");
        } finally {
            close(l);
        }
    }

    @Test
    void selectReportsReadableFd() {
        int[] sp = socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocate(fd_set.layout()), w = arena.allocate(fd_set.layout());
            MemorySegment tv = arena.allocate(timeval.layout());
            int nfds = Math.max(sp[0], sp[1]) + 1;

            FD_ZERO(r);
            assertEquals(0, FD_SET(sp[0], r));
            assertEquals(0, FD_SET(sp[1], r));
            assertTrue(FD_ISSET(sp[0], r) && FD_ISSET(sp[1], r));
            assertEquals(0, select(nfds, r, MemorySegment.NULL, MemorySegment.NULL, tv), "nothing to read yet");
            assertFalse(FD_ISSET(sp[0], r) || FD_ISSET(sp[1], r), "select clears what is not ready");

            assertEquals(1, send(sp[0], arena, "x"));
            FD_ZERO(r);
            FD_SET(sp[0], r);
            FD_SET(sp[1], r);
            FD_ZERO(w);
            FD_SET(sp[0], w);
            timeval.tv_sec(tv, 1);
            timeval.tv_usec(tv, 0);
            assertEquals(2, select(nfds, r, w, MemorySegment.NULL, tv), "one readable, one writable");
            assertTrue(FD_ISSET(sp[1], r));
            assertFalse(FD_ISSET(sp[0], r));
            assertTrue(FD_ISSET(sp[0], w));

            assertEquals(0, FD_CLR(sp[1], r));
            assertFalse(FD_ISSET(sp[1], r));
            for (long i = 0; i < fd_set.sizeof() / 8; i++) assertEquals(0, fd_set.fds_bits(r, i), "word " + i);
        } finally {
            closeAll(sp);
        }
    }

    @Test
    void pollAndEpollReportReadable() {
        int[] sp = socketpair(SOCK_STREAM);
        int ep = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = pollfd.allocateArray(2, arena);
            pollfd.fd(pollfd.asSlice(fds, 0), sp[0]);
            pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN);
            pollfd.fd(pollfd.asSlice(fds, 1), sp[1]);
            pollfd.events(pollfd.asSlice(fds, 1), (short) POLLIN);
            assertEquals(0, poll(fds, 2, 0));

            ep = ok("epoll_create1", epoll_create1(EPOLL_CLOEXEC));
            MemorySegment ev = epoll_event.allocate(arena);
            epoll_event.events(ev, EPOLLIN);
            epoll_data.fd(epoll_event.data(ev), sp[1]);
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], ev));
            assertFails(EEXIST, epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], ev), "adding twice");
            MemorySegment events = epoll_event.allocateArray(4, arena);
            assertEquals(0, epoll_wait(ep, events, 4, 0));

            assertEquals(3, send(sp[0], arena, "abc"));
            assertEquals(1, poll(fds, 2, 1000));
            assertEquals(0, pollfd.revents(pollfd.asSlice(fds, 0)));
            assertEquals(POLLIN, pollfd.revents(pollfd.asSlice(fds, 1)));

            assertEquals(1, epoll_wait(ep, events, 4, 1000));
            assertEquals(EPOLLIN, epoll_event.events(events));
            assertEquals(sp[1], epoll_data.fd(epoll_event.data(events)));

            MemorySegment buf = arena.allocate(16);
            assertEquals(3, recv(sp[1], buf, 16, 0));
            assertEquals("abc", text(buf, 3));
            assertEquals(0, epoll_wait(ep, events, 4, 0), "drained");
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_DEL, sp[1], MemorySegment.NULL));
            assertFails(ENOENT, epoll_ctl(ep, EPOLL_CTL_DEL, sp[1], MemorySegment.NULL), "deleting twice");
        } finally {
            closeAll(sp);
            closeAll(ep);
        }
    }

    @Test
    void epollDataU64RoundTripsThroughThePackedEpollEvent() {
        int[] sp = socketpair(SOCK_STREAM);
        int ep = -1;
        try (Arena arena = Arena.ofConfined()) {
            ep = ok("epoll_create1", epoll_create1(EPOLL_CLOEXEC));
            MemorySegment ev = epoll_event.allocate(arena);
            events(ev, EPOLLIN | EPOLLET);
            data_u64(ev, 0x1122334455667788L); // at offset 4: the generated aligned accessor cannot store this
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], ev));
            assertEquals(3, send(sp[0], arena, "abc"));
            MemorySegment events = epoll_event.allocateArray(2, arena);
            assertEquals(1, epoll_wait(ep, events, 2, 1000));
            assertEquals(EPOLLIN, events(events));
            assertEquals(0x1122334455667788L, data_u64(events));
            data_fd(ev, sp[1]);
            assertEquals(sp[1], data_fd(ev));
            assertEquals(sp[1], epoll_data.fd(epoll_event.data(ev)));
        } finally {
            closeAll(sp);
            closeAll(ep);
        }
    }

    @Test
    void getaddrinfoLocalhostGivesLoopback() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hints = addrinfo.allocate(arena);
            addrinfo.ai_flags(hints, AI_NUMERICHOST | AI_NUMERICSERV);
            addrinfo.ai_family(hints, AF_INET);
            addrinfo.ai_socktype(hints, SOCK_STREAM);
            MemorySegment res = arena.allocate(sockets_h.C_POINTER);
            assertEquals(0, getaddrinfo("127.0.0.1", "8080", hints, res));
            MemorySegment ai = res.get(sockets_h.C_POINTER, 0);
            try {
                assertEquals(AF_INET, addrinfo.ai_family(ai));
                assertEquals(SOCK_STREAM, addrinfo.ai_socktype(ai));
                assertEquals(IPPROTO_TCP, addrinfo.ai_protocol(ai));
                assertEquals(sockaddr_in.sizeof(), addrinfo.ai_addrlen(ai));
                MemorySegment sa = addrinfo.ai_addr(ai).reinterpret(sockaddr_in.sizeof());
                assertEquals(AF_INET, sin_family(sa));
                assertEquals(8080, ntohs(sin_port(sa)));
                assertEquals("127.0.0.1", inet_ntoa(sin_addr(sa)));
                assertEquals(INADDR_LOOPBACK, ntohl(s_addr(sin_addr(sa))));
                assertSame(true, addrinfo.ai_next(ai).equals(MemorySegment.NULL), "one answer");
            } finally {
                freeaddrinfo(ai);
            }

            addrinfo.ai_family(hints, AF_INET6);
            assertEquals(0, getaddrinfo("::1", "80", hints, res));
            ai = res.get(sockets_h.C_POINTER, 0);
            try {
                assertEquals(AF_INET6, addrinfo.ai_family(ai));
                MemorySegment sa6 = addrinfo.ai_addr(ai).reinterpret(sockaddr_in6.sizeof());
                assertEquals(80, ntohs(Short.toUnsignedInt(sockaddr_in6.sin6_port(sa6))));
                MemorySegment text = arena.allocate(INET6_ADDRSTRLEN);
                assertSame(text, inet_ntop(AF_INET6, sockaddr_in6.sin6_addr(sa6), text, INET6_ADDRSTRLEN));
                assertEquals("::1", cstring(text));
            } finally {
                freeaddrinfo(ai);
            }

            // No DNS: a name with AI_NUMERICHOST is refused by the resolver without asking anyone.
            addrinfo.ai_family(hints, AF_UNSPEC);
            int r = getaddrinfo("localhost", "80", hints, res);
            assertEquals(EAI_NONAME, r);
            assertEquals("Name or service not known", gai_strerror(r));
        }
    }

    @Test
    void inetPtonNtopRoundTripIncludingIpv6Loopback() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in4 = arena.allocate(in_addr.layout()), in6 = arena.allocate(in6_addr.layout());
            MemorySegment text = arena.allocate(INET6_ADDRSTRLEN);

            for (String ip : new String[] {"127.0.0.1", "0.0.0.0", "10.1.2.3", "255.255.255.255"}) {
                assertEquals(1, inet_pton(AF_INET, ip, in4), ip);
                assertSame(text, inet_ntop(AF_INET, in4, text, (int) text.byteSize()), ip);
                assertEquals(ip, cstring(text));
                assertEquals(ip, inet_ntoa(in4));
            }
            assertEquals(1, inet_pton(AF_INET, "127.0.0.1", in4));
            assertArrayEquals(new byte[] {127, 0, 0, 1}, in4.toArray(ValueLayout.JAVA_BYTE));

            assertEquals(1, inet_pton(AF_INET6, "::1", in6));
            byte[] loop6 = new byte[16];
            loop6[15] = 1;
            assertArrayEquals(loop6, in6.toArray(ValueLayout.JAVA_BYTE));
            assertSame(text, inet_ntop(AF_INET6, in6, text, (int) text.byteSize()));
            assertEquals("::1", cstring(text));
            for (String ip : new String[] {"::", "fe80::1", "2001:db8::8a2e:370:7334", "::ffff:127.0.0.1", "1:2:3:4:5:6:7:8"}) {
                assertEquals(1, inet_pton(AF_INET6, ip, in6), ip);
                assertSame(text, inet_ntop(AF_INET6, in6, text, (int) text.byteSize()), ip);
                assertEquals(ip, cstring(text));
            }

            assertEquals(0, inet_pton(AF_INET, "256.0.0.1", in4), "not an address");
            assertEquals(0, inet_pton(AF_INET6, "1::2::3", in6), "not an address");
            assertFails(EAFNOSUPPORT, inet_pton(9999, "127.0.0.1", in4), "inet_pton of an unknown family");
            assertEquals(1, inet_pton(AF_INET, "127.0.0.1", in4));
            assertEquals(MemorySegment.NULL, inet_ntop(AF_INET, in4, text, 9), "9 bytes cannot hold \"127.0.0.1\\0\"");
            assertErrno(ENOSPC, "inet_ntop into too small a buffer");
            assertSame(text, inet_ntop(AF_INET, in4, text, 10));
            assertEquals(MemorySegment.NULL, inet_ntop(9999, in4, text, 10));
            assertErrno(EAFNOSUPPORT, "inet_ntop of an unknown family");

            assertEquals(1, inet_aton("127.1", in4), "inet_aton takes the short forms");
            assertEquals("127.0.0.1", inet_ntoa(in4));
            assertEquals(0, inet_aton("nonsense", in4));
            assertEquals(htonl(INADDR_LOOPBACK), inet_addr("127.0.0.1"));
            assertEquals(-1, inet_addr("999.1.1.1"), "INADDR_NONE");
        }
    }

    @Test
    void unixSocketInTheAbstractNamespace() {
        String name = "psock-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int server = -1, client = -1, conn = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(sockaddr_un.layout());
            sun_family(a, AF_UNIX);
            assertEquals(0, sun_path(a, "\0" + name));
            int len = (int) (sockaddr_un.sun_path$offset() + 1 + name.length());

            server = ok("socket", socket(AF_UNIX, SOCK_STREAM, 0));
            assertEquals(0, bind(server, a, len));
            assertEquals(0, listen(server, 1));
            client = ok("socket", socket(AF_UNIX, SOCK_STREAM, 0));
            assertEquals(0, connect(client, a, len));
            conn = ok("accept", accept(server, MemorySegment.NULL, MemorySegment.NULL));
            assertEquals(5, send(client, arena, "hello"));
            MemorySegment buf = arena.allocate(32);
            assertEquals(5, recv(conn, buf, 32, 0));
            assertEquals("hello", text(buf, 5));

            MemorySegment got = arena.allocate(sockaddr_un.layout());
            MemorySegment gotLen = arena.allocateFrom(ValueLayout.JAVA_INT, (int) got.byteSize());
            assertEquals(0, getsockname(server, got, gotLen));
            assertEquals(len, gotLen.get(ValueLayout.JAVA_INT, 0));
            assertEquals(0, sockaddr_un.sun_path(got, 0), "abstract: the name starts with a NUL byte");
            assertEquals(name, text(sockaddr_un.sun_path(got).asSlice(1), name.length()));
            assertFalse(Files.exists(Path.of(name)), "nothing in the file system");

            int taken = ok("socket", socket(AF_UNIX, SOCK_STREAM, 0));
            try {
                assertFails(EADDRINUSE, bind(taken, a, len), "the same abstract name twice");
            } finally {
                close(taken);
            }
            assertFails(ENAMETOOLONG, sun_path(a, "x".repeat(108)), "sun_path holds 107 characters and a NUL");
            assertEquals(0, sun_path(a, "x".repeat(107)));
        } finally {
            closeAll(conn, client, server);
        }
    }

    @Test
    void posixSpawnChildGetsDup2edFd() {
        int[] p = pipe();
        boolean writeEndOpen = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(posix_spawn_file_actions_t.layout());
            assertEquals(0, posix_spawn_file_actions_init(actions));
            try {
                assertEquals(0, posix_spawn_file_actions_adddup2(actions, p[1], 3));
                assertEquals(0, posix_spawn_file_actions_addclose(actions, p[0]));
                MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
                assertEquals(0, posix_spawn(pid, "/bin/sh", actions, MemorySegment.NULL, new String[] {"sh", "-c", "echo hi >&3"}, null));
                int child = pid.get(ValueLayout.JAVA_INT, 0);
                assertTrue(child > 0);
                assertEquals(0, close(p[1]));
                writeEndOpen = false;

                MemorySegment buf = arena.allocate(64);
                long total = 0, n;
                while ((n = read(p[0], buf.asSlice(total), 64 - total)) > 0) total += n;
                assertEquals(0, n, "end of file once the child has exited");
                assertEquals("hi\n", text(buf, total));

                MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
                assertEquals(child, waitpid(child, status, 0));
                int s = status.get(ValueLayout.JAVA_INT, 0);
                assertEquals(0, s);
                assertTrue(WIFEXITED(s));
                assertEquals(0, WEXITSTATUS(s));
                assertFails(ECHILD, waitpid(child, status, WNOHANG), "reaped already");
            } finally {
                assertEquals(0, posix_spawn_file_actions_destroy(actions));
            }
        } finally {
            close(p[0]);
            if (writeEndOpen) close(p[1]);
        }
    }

    @Test
    void posixSpawnReportsAnErrorNumberNotErrno() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            errno(0);
            assertEquals(ENOENT, posix_spawn(pid, "/nonexistent/psock", MemorySegment.NULL, MemorySegment.NULL, new String[] {"x"}, new String[0]));
            assertEquals(0, errno(), "posix_spawn returns its error; errno is not set");
            // glibc reaps the child whose exec failed: none is left (NoLeaks checks this too)
            assertEquals(0, ProcessHandle.current().children().count());
        }
    }

    @Test
    void tcpAndUdpRoundTripsOnLoopback() {
        int[] tcp = tcpPair();
        int u1 = bound(SOCK_DGRAM), u2 = bound(SOCK_DGRAM);
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(4, send(tcp[0], arena, "ping"));
            MemorySegment buf = arena.allocate(64);
            assertEquals(4, recv(tcp[1], buf, 64, 0));
            assertEquals("ping", text(buf, 4));

            MemorySegment peer = arena.allocate(sockaddr_in.layout());
            MemorySegment peerLen = arena.allocateFrom(ValueLayout.JAVA_INT, (int) peer.byteSize());
            assertEquals(0, getpeername(tcp[0], peer, peerLen));
            assertEquals(16, peerLen.get(ValueLayout.JAVA_INT, 0));
            assertEquals("127.0.0.1", inet_ntoa(sin_addr(peer)));

            MemorySegment optval = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment optlen = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
            assertEquals(0, getsockopt(tcp[0], SOL_SOCKET, SO_TYPE, optval, optlen));
            assertEquals(SOCK_STREAM, optval.get(ValueLayout.JAVA_INT, 0));
            assertEquals(4, optlen.get(ValueLayout.JAVA_INT, 0));
            optval.set(ValueLayout.JAVA_INT, 0, 1);
            assertEquals(0, setsockopt(tcp[0], IPPROTO_TCP, TCP_NODELAY, optval, 4));
            optval.set(ValueLayout.JAVA_INT, 0, 0);
            assertEquals(0, getsockopt(tcp[0], IPPROTO_TCP, TCP_NODELAY, optval, optlen));
            assertEquals(1, optval.get(ValueLayout.JAVA_INT, 0));

            assertEquals(0, shutdown(tcp[0], SHUT_WR));
            assertEquals(0, recv(tcp[1], buf, 64, 0), "end of stream after the peer's shutdown");

            MemorySegment to = addr(arena, port(u2));
            MemorySegment data = arena.allocateFrom("datagram");
            assertEquals(8, sendto(u1, data, 8, 0, to, sizeofSockaddrIn()));
            MemorySegment from = arena.allocate(sockaddr_in.layout());
            MemorySegment fromLen = arena.allocateFrom(ValueLayout.JAVA_INT, (int) from.byteSize());
            assertEquals(8, recvfrom(u2, buf, 64, 0, from, fromLen));
            assertEquals("datagram", text(buf, 8));
            assertEquals(port(u1), ntohs(sin_port(from)));
            assertEquals(16, fromLen.get(ValueLayout.JAVA_INT, 0));
            assertFails(EAGAIN, recvfrom(u2, buf, 64, MSG_DONTWAIT, from, fromLen), "nothing more");
        } finally {
            closeAll(tcp);
            closeAll(u1, u2);
        }
    }

    @Test
    void writevReadvAndSendmsgRecvmsgPassBytesAndADescriptor() {
        int[] sp = socketpair(SOCK_STREAM);
        int[] pipe = pipe();
        int received = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment iov = iovec.allocateArray(2, arena);
            MemorySegment he = arena.allocateFrom("he"), llo = arena.allocateFrom("llo");
            iovec.iov_base(iovec.asSlice(iov, 0), he);
            iovec.iov_len(iovec.asSlice(iov, 0), 2);
            iovec.iov_base(iovec.asSlice(iov, 1), llo);
            iovec.iov_len(iovec.asSlice(iov, 1), 3);
            assertEquals(5, writev(sp[0], iov, 2));
            MemorySegment a = arena.allocate(3), b = arena.allocate(8);
            iovec.iov_base(iovec.asSlice(iov, 0), a);
            iovec.iov_len(iovec.asSlice(iov, 0), 3);
            iovec.iov_base(iovec.asSlice(iov, 1), b);
            iovec.iov_len(iovec.asSlice(iov, 1), 8);
            assertEquals(5, readv(sp[1], iov, 2));
            assertEquals("hel", text(a, 3));
            assertEquals("lo", text(b, 2));

            // sendmsg with SCM_RIGHTS: the write end of a pipe travels to the other socket.
            MemorySegment msg = msghdr.allocate(arena);
            MemorySegment one = arena.allocateFrom("!");
            MemorySegment iov1 = iovec.allocate(arena);
            iovec.iov_base(iov1, one);
            iovec.iov_len(iov1, 1);
            msghdr.msg_iov(msg, iov1);
            msghdr.msg_iovlen(msg, 1);
            MemorySegment control = arena.allocate(CMSG_SPACE(Integer.BYTES), 8);
            msghdr.msg_control(msg, control);
            msghdr.msg_controllen(msg, control.byteSize());
            MemorySegment c = CMSG_FIRSTHDR(msg);
            cmsghdr.cmsg_level(c, SOL_SOCKET);
            cmsghdr.cmsg_type(c, SCM_RIGHTS);
            cmsghdr.cmsg_len(c, CMSG_LEN(Integer.BYTES));
            CMSG_DATA(c).set(ValueLayout.JAVA_INT_UNALIGNED, 0, pipe[1]);
            assertEquals(1, sendmsg(sp[0], msg, 0));

            MemorySegment in = msghdr.allocate(arena);
            MemorySegment inByte = arena.allocate(4);
            MemorySegment inIov = iovec.allocate(arena);
            iovec.iov_base(inIov, inByte);
            iovec.iov_len(inIov, 4);
            msghdr.msg_iov(in, inIov);
            msghdr.msg_iovlen(in, 1);
            MemorySegment inControl = arena.allocate(CMSG_SPACE(Integer.BYTES), 8);
            msghdr.msg_control(in, inControl);
            msghdr.msg_controllen(in, inControl.byteSize());
            assertEquals(1, recvmsg(sp[1], in, 0));
            assertEquals("!", text(inByte, 1));
            MemorySegment rc = CMSG_FIRSTHDR(in);
            assertEquals(SOL_SOCKET, cmsghdr.cmsg_level(rc));
            assertEquals(SCM_RIGHTS, cmsghdr.cmsg_type(rc));
            assertEquals(CMSG_LEN(Integer.BYTES), cmsghdr.cmsg_len(rc));
            received = CMSG_DATA(rc).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            assertNotEquals(pipe[1], received, "a new descriptor for the same pipe");
            assertEquals(MemorySegment.NULL, CMSG_NXTHDR(in, rc));

            MemorySegment z = arena.allocateFrom("z");
            assertEquals(1, write(received, z, 1));
            MemorySegment got = arena.allocate(1);
            assertEquals(1, read(pipe[0], got, 1));
            assertEquals("z", text(got, 1));
        } finally {
            closeAll(sp);
            closeAll(pipe);
            closeAll(received);
        }
    }
}
