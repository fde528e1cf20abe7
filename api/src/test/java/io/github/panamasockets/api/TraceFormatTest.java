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
import java.lang.foreign.ValueLayout;

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

    /** Each decoder at the edge of what it reads: a length of exactly the segment, one more, 0, negative; NULL; a closed segment. */
    @Test
    void decodersAtTheEdgeOfWhatTheyRead() {
        MemorySegment closed;
        try (Arena gone = Arena.ofConfined()) {
            closed = gone.allocate(64);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment eight = arena.allocate(8);
            assertEquals(true, Trace.readable(eight, 8));
            assertEquals(true, Trace.readable(eight, 0));
            assertEquals(false, Trace.readable(eight, 9), "one past the segment");
            assertEquals(false, Trace.readable(eight, -1));
            assertEquals(false, Trace.readable(MemorySegment.NULL, 0));
            assertEquals(false, Trace.readable(closed, 8), "a closed arena's segment");
            assertEquals("NULL", Trace.hex(MemorySegment.NULL));

            MemorySegment in = Loopback.addr(arena, 50000);
            assertEquals("{sa_family=AF_INET, sa_data=\"\"}", Trace.sockaddr(in, 2), "2 bytes: the family and nothing else");
            assertEquals("{sa_family=AF_INET, sa_data=\"\\303P\\177\\0\\0\\1\\0\\0\\0\\0\\0\\0\\0\"}", Trace.sockaddr(in, 15), "one short of a sockaddr_in");
            assertEquals(Trace.sockaddr(in, 16), Trace.sockaddr(in, 200), "a length past the segment: what the segment holds");
            assertEquals(Trace.hex(closed), Trace.sockaddr(closed, 16), "a segment that cannot be read: its address");
            MemorySegment un = arena.allocate(sockaddr_un.layout());
            sun_family(un, AF_UNIX);
            sun_path(un, "/x");
            assertEquals("{sa_family=AF_UNIX}", Trace.sockaddr(un, 2), "no path at all");
            assertEquals("{sa_family=AF_UNIX, sun_path=\"/\"}", Trace.sockaddr(un, 3));
            MemorySegment in6 = arena.allocate(sockaddr_in6.layout());
            sockaddr_in6.sin6_family(in6, (short) AF_INET6);
            assertEquals("{sa_family=AF_INET6, sa_data=\"" + "\\0".repeat(25) + "\"}", Trace.sockaddr(in6, 27), "one short of a sockaddr_in6");

            MemorySegment b = arena.allocateFrom("0123456789abcdefghijklmnopqrstuvwxyz");
            assertEquals(37, b.byteSize());
            assertEquals("\"0123456789abcdefghijklmnopqrstuv\"...", Trace.buffer(b, 37), "exactly the segment, NUL included");
            assertEquals(Trace.hex(b), Trace.buffer(b, 38));
            assertEquals(Trace.hex(closed), Trace.buffer(closed, 4));
            MemorySegment edges = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 0x1f, (byte) 0x20, (byte) 0x7e, (byte) 0x7f);
            assertEquals("\"\\37 ~\\177\"", Trace.buffer(edges, 4), "printable from 0x20 to 0x7e, octal outside");
            assertEquals("\"\"", Trace.string(""));
            assertEquals("\"a\\nb\"", Trace.string("a\nb"));

            MemorySegment set = arena.allocate(fd_set.layout());
            FD_ZERO(set);
            FD_SET(3, set);
            FD_SET(5, set);
            assertEquals("[3]", Trace.fdSet(set, 5), "fd 5 is not below nfds 5");
            assertEquals("[]", Trace.fdSet(set, 0));
            assertEquals("[3 5]", Trace.fdSet(set, 2000), "nfds past FD_SETSIZE: the set's 1024 bits");
            assertEquals(Trace.hex(closed), Trace.fdSet(closed, 6));

            MemorySegment fds = pollfd.allocateArray(1, arena);
            pollfd.fd(fds, 7);
            pollfd.events(fds, (short) POLLIN);
            assertEquals("[{fd=7, events=POLLIN}]", Trace.pollfds(fds, 1, false), "nfds exactly the array");
            assertEquals("[]", Trace.pollfds(fds, 1, true), "no revents: left out");
            assertEquals("[]", Trace.pollfds(fds, 0, false));
            assertEquals(Trace.hex(fds), Trace.pollfds(fds, 2, false), "one past the array");
            assertEquals(Trace.hex(fds), Trace.pollfds(fds, -1, false));
            assertEquals(Trace.hex(closed), Trace.pollfds(closed, 1, false));

            MemorySegment ts = arena.allocate(io.github.panamasockets.bindings.timespec.layout());
            io.github.panamasockets.bindings.timespec.tv_sec(ts, 3);
            io.github.panamasockets.bindings.timespec.tv_nsec(ts, 999);
            assertEquals("{tv_sec=3, tv_nsec=999}", Trace.timespec(ts));
            assertEquals("NULL", Trace.timespec(MemorySegment.NULL));
            assertEquals(Trace.hex(ts), Trace.timespec(ts.asSlice(0, ts.byteSize() - 1)));
            assertEquals(Trace.hex(closed), Trace.timeval(closed));

            MemorySegment two = arena.allocate(ValueLayout.JAVA_INT, 2);
            two.setAtIndex(ValueLayout.JAVA_INT, 0, 3);
            two.setAtIndex(ValueLayout.JAVA_INT, 1, -4);
            assertEquals("[3]", Trace.intAt(two));
            assertEquals("[3, -4]", Trace.intPair(two));
            assertEquals("[3]", Trace.socklen(two));
            assertEquals("NULL", Trace.socklen(MemorySegment.NULL));
            MemorySegment three = two.asSlice(0, 3), seven = two.asSlice(0, 7);
            assertEquals(Trace.hex(three), Trace.intAt(three));
            assertEquals(Trace.hex(three), Trace.socklen(three));
            assertEquals(Trace.hex(seven), Trace.intPair(seven));
            assertEquals(Trace.hex(seven), Trace.pointerAt(seven));
            MemorySegment p = arena.allocate(ValueLayout.ADDRESS);
            p.set(ValueLayout.ADDRESS, 0, eight);
            assertEquals("[" + Trace.hex(eight) + "]", Trace.pointerAt(p));
            assertEquals("abc", Trace.cstringOrNull(arena.allocateFrom("abc")));
            assertEquals(null, Trace.cstringOrNull(closed));
            assertEquals("0644", Trace.octal(0644));
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
