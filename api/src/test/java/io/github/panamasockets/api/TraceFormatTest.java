package io.github.panamasockets.api;

import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pieces of a trace line, in process (the trace helpers are the facade's own): the names strace
 * prints for numbers that several constants share, flag sets, addresses, buffers, fd_sets, pollfds.
 */
class TraceFormatTest {

    @ParameterizedTest(name = "{0}{1} prints as {2}")
    @CsvSource({
            "AF_, 1, AF_UNIX",           // not AF_LOCAL or AF_FILE
            "AF_, 2, AF_INET",
            "AF_, 10, AF_INET6",
            "AF_, 16, AF_NETLINK",       // not AF_ROUTE
            "IPPROTO_, 0, IPPROTO_IP",   // not IPPROTO_HOPOPTS
            "IPPROTO_, 6, IPPROTO_TCP",
            "SOL_, 1, SOL_SOCKET",
            "SOL_, 6, SOL_TCP",
            "SOL_, 0, SOL_IP",
            "SO_, 2, SO_REUSEADDR",
            "SO_, 20, SO_RCVTIMEO",      // not SO_RCVTIMEO_OLD
            "TCP_, 1, TCP_NODELAY",      // not TCP_ESTABLISHED or TCP_COOKIE_IN_ALWAYS
            "TCP_, 2, TCP_MAXSEG",
            "TCP_, 4, TCP_KEEPIDLE",     // not TCP_FIN_WAIT1
            "TCP_, 11, TCP_INFO",        // not TCP_CLOSING
            "TCP_, 14, TCP_MD5SIG",      // not TCP_MAX_WINSHIFT
            "F_, 0, F_DUPFD",
            "F_, 1, F_GETFD",
            "F_, 2, F_SETFD",            // not F_SEAL_SHRINK or F_UNLCK
            "F_, 3, F_GETFL",
            "F_, 4, F_SETFL",            // not F_EXLCK
            "F_, 5, F_GETLK",
            "SIG, 1, SIGHUP",            // not SIGEV_NONE
            "SIG, 2, SIGINT",            // not SIGEV_THREAD
            "SIG, 4, SIGILL",            // not SIGEV_THREAD_ID
            "SIG, 9, SIGKILL",
            "SIG, 15, SIGTERM",
            "SIG, 17, SIGCHLD",
            "SHUT_, 2, SHUT_RDWR",
            "EPOLL_CTL_, 1, EPOLL_CTL_ADD",
            "AF_, 9999, 9999",
    })
    void aNumberSharedByNamesPrintsAsStraceNamesIt(String prefix, int value, String name) {
        assertEquals(name, Names.value(prefix, value));
    }

    @Test
    void flagSets() {
        assertEquals("MSG_DONTWAIT|MSG_NOSIGNAL", Names.flags("MSG_", MSG_DONTWAIT | MSG_NOSIGNAL));
        assertEquals("MSG_PEEK|MSG_TRUNC|MSG_WAITALL", Names.flags("MSG_", MSG_PEEK | MSG_TRUNC | MSG_WAITALL));
        assertEquals("0", Names.flags("MSG_", 0));
        assertEquals("POLLIN|POLLOUT", Names.flags("POLL", POLLIN | POLLOUT));
        assertEquals("POLLIN|POLLPRI|POLLOUT|POLLERR|POLLHUP|POLLNVAL", Names.flags("POLL", POLLIN | POLLPRI | POLLOUT | POLLERR | POLLHUP | POLLNVAL));
        assertEquals("EPOLLIN|EPOLLOUT|EPOLLET", Names.flags("EPOLL", EPOLLIN | EPOLLOUT | EPOLLET));
        assertEquals("EPOLL_CLOEXEC", Names.flags("EPOLL_", EPOLL_CLOEXEC));
        assertEquals("SOCK_NONBLOCK|SOCK_CLOEXEC", Names.flags("SOCK_", SOCK_NONBLOCK | SOCK_CLOEXEC));
        assertEquals("SOCK_DGRAM|SOCK_NONBLOCK", Posix.socketType(SOCK_DGRAM | SOCK_NONBLOCK));
        assertEquals("MSG_DONTWAIT|0x80000000", Names.flags("MSG_", MSG_DONTWAIT | 0x80000000), "left-over bits in hex");
        assertEquals("WNOHANG", Names.flags("WNOHANG", WNOHANG));
    }

    @Test
    void addresses() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = Loopback.addr(arena, 50000);
            assertEquals("{sa_family=AF_INET, sin_port=htons(50000), sin_addr=inet_addr(\"127.0.0.1\")}", Trace.sockaddr(in, 16));
            assertEquals("{sa_family=AF_INET, sa_data=\"\\303P\\177\\0\\0\\1\"}", Trace.sockaddr(in, 8), "a length too short for sockaddr_in");
            assertEquals("{sa_family=?}", Trace.sockaddr(in, 1));
            assertEquals("{sa_family=?}", Trace.sockaddr(in, -1));
            assertEquals("NULL", Trace.sockaddr(MemorySegment.NULL, 16));

            MemorySegment in6 = arena.allocate(sockaddr_in6.layout());
            sockaddr_in6.sin6_family(in6, (short) AF_INET6);
            sockaddr_in6.sin6_port(in6, (short) htons(8080));
            inet_pton(AF_INET6, "::1", sockaddr_in6.sin6_addr(in6));
            assertEquals("{sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}",
                    Trace.sockaddr(in6, (int) in6.byteSize()));
            inet_pton(AF_INET6, "fe80::1:2", sockaddr_in6.sin6_addr(in6));
            assertEquals("{sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"fe80::1:2\", &sin6_addr), sin6_scope_id=0}",
                    Trace.sockaddr(in6, (int) in6.byteSize()));

            MemorySegment un = arena.allocate(sockaddr_un.layout());
            sun_family(un, AF_UNIX);
            sun_path(un, "/tmp/psock.sock");
            assertEquals("{sa_family=AF_UNIX, sun_path=\"/tmp/psock.sock\"}", Trace.sockaddr(un, (int) un.byteSize()));
            sun_path(un, "\0abstract");
            assertEquals("{sa_family=AF_UNIX, sun_path=@\"abstract\"}", Trace.sockaddr(un, 2 + 1 + 8));
        }
    }

    @Test
    void buffersAreCStringLiteralsOfAtMost32Bytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocateFrom("0123456789abcdefghijklmnopqrstuvwxyz");
            assertEquals("\"0123456789abcdefghijklmnopqrstuv\"...", Trace.buffer(b, 36));
            assertEquals("\"0123456789abcdefghijklmnopqrstuv\"", Trace.buffer(b, 32));
            assertEquals("\"\"", Trace.buffer(b, 0));
            MemorySegment odd = arena.allocate(7);
            odd.copyFrom(MemorySegment.ofArray(new byte[] {'\n', '\t', '\r', '"', '\\', 0, (byte) 0x80}));
            assertEquals("\"\\n\\t\\r\\\"\\\\\\0\\200\"", Trace.buffer(odd, 7));
            assertEquals("NULL", Trace.buffer(MemorySegment.NULL, 3));
            assertEquals(Trace.hex(odd), Trace.buffer(odd, 8), "a length past the segment: its address, as strace prints an unreadable buffer");
        }
    }

    @Test
    void fdSetsPollfdsAndTimevals() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(fd_set.layout());
            FD_ZERO(set);
            FD_SET(3, set);
            FD_SET(5, set);
            FD_SET(1023, set);
            assertEquals("[3 5]", Trace.fdSet(set, 6));
            assertEquals("[3]", Trace.fdSet(set, 4), "only below nfds");
            assertEquals("[3 5 1023]", Trace.fdSet(set, 1024));
            assertEquals("NULL", Trace.fdSet(MemorySegment.NULL, 6));
            assertEquals(Trace.hex(set), Trace.fdSet(set.asSlice(0, 8), 6), "a short set: its address");

            MemorySegment fds = pollfd.allocateArray(2, arena);
            pollfd.fd(pollfd.asSlice(fds, 0), 3);
            pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN);
            pollfd.fd(pollfd.asSlice(fds, 1), 4);
            pollfd.events(pollfd.asSlice(fds, 1), (short) (POLLIN | POLLOUT));
            pollfd.revents(pollfd.asSlice(fds, 1), (short) POLLOUT);
            assertEquals("[{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}]", Trace.pollfds(fds, 2, false));
            assertEquals("[{fd=4, revents=POLLOUT}]", Trace.pollfds(fds, 2, true));

            MemorySegment tv = arena.allocate(timeval.layout());
            timeval.tv_sec(tv, 2);
            timeval.tv_usec(tv, 500);
            assertEquals("{tv_sec=2, tv_usec=500}", Trace.timeval(tv));
            assertEquals("NULL", Trace.timeval(MemorySegment.NULL));
            assertEquals(Trace.hex(tv), Trace.timeval(tv.asSlice(0, 15)));
        }
    }

    @Test
    void resultsWithErrnoNamesAndTexts() {
        assertEquals("-1 ECONNREFUSED (Connection refused)", Trace.result(-1, ECONNREFUSED));
        assertEquals("-1 EAGAIN (Resource temporarily unavailable)", Trace.result(-1, EWOULDBLOCK), "the primary name of an alias");
        assertEquals("-1 9999 (Unknown error 9999)", Trace.result(-1, 9999));
        assertEquals("3", Trace.result(3, EBADF));
    }
}
