package io.github.panamasockets.api;

import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.panamasockets.api.Posix.*;

/**
 * The calls whose trace lines {@link TraceTest} pins, run in a child JVM with the trace logger at
 * DEBUG; {@link #C} is the same program in C, for strace to trace. Both print the values that
 * vary from run to run (descriptors, ports, addresses) as "@NAME=value" lines on standard output;
 * {@link #STEPS} gives each call's line with those names as placeholders: first as the facade
 * prints it, then as strace prints it where that differs.
 */
public final class TraceScenario {
    private TraceScenario() {}

    /** One call: the facade's line, and strace's when it prints it otherwise (null: the same). */
    record Step(String facade, String strace) {
        String strace_() { return strace != null ? strace : facade; }
    }

    static Step same(String line) { return new Step(line, null); }
    static Step differs(String facade, String strace) { return new Step(facade, strace); }

    static final String LO = "{sa_family=AF_INET, sin_port=htons(%s), sin_addr=inet_addr(\"127.0.0.1\")}";
    static String lo(String port) { return LO.formatted(port); }

    static final List<Step> STEPS = List.of(
            same("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = {H}"),
            same("bind({H}, " + lo("0") + ", 16) = 0"),
            same("getsockname({H}, " + lo("{P}") + ", [16]) = 0"),
            same("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = {S}"),
            same("connect({S}, " + lo("{P}") + ", 16) = -1 ECONNREFUSED (Connection refused)"),
            same("bind({S}, " + lo("{P}") + ", 16) = -1 EADDRINUSE (Address already in use)"),
            same("setsockopt({S}, SOL_TCP, TCP_NODELAY, [1], 4) = 0"),
            same("setsockopt({S}, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"),
            same("shutdown({S}, SHUT_RDWR) = -1 ENOTCONN (Transport endpoint is not connected)"),
            same("close({S}) = 0"),
            same("close({H}) = 0"),
            same("socketpair(AF_UNIX, SOCK_STREAM, 0, [{A}, {B}]) = 0"),
            same("sendto({A}, \"hello\\n\", 6, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = 6"),
            same("recvfrom({B}, \"hello\\n\", 64, MSG_DONTWAIT, NULL, NULL) = 6"),
            same("recvfrom({B}, {BUF}, 64, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)"),
            same("sendto({A}, \"x\", 1, 0, NULL, 0) = 1"),
            // glibc's select() is the pselect6 system call on x86_64, with a timespec
            differs("select({N}, [{A} {B}], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [{B}], left {tv_sec=0, tv_usec=0})",
                    "pselect6({N}, [{A} {B}], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = 1 (in [{B}], left {tv_sec=0, tv_nsec=0})"),
            same("poll([{fd={A}, events=POLLIN}, {fd={B}, events=POLLIN|POLLOUT}], 2, 0) = 1 ([{fd={B}, revents=POLLIN|POLLOUT}])"),
            same("epoll_create1(EPOLL_CLOEXEC) = {E}"),
            same("epoll_ctl({E}, EPOLL_CTL_ADD, {B}, {events=EPOLLIN, data={u32={B}, u64={B}}}) = 0"),
            same("epoll_wait({E}, [{events=EPOLLIN, data={u32={B}, u64={B}}}], 4, 0) = 1"),
            same("read({B}, \"x\", 64) = 1"),
            same("poll([{fd={A}, events=POLLIN}], 1, 0) = 0 (Timeout)"),
            same("epoll_wait({E}, [], 4, 0) = 0"),
            same("close({E}) = 0"),
            same("close({A}) = 0"),
            same("close({B}) = 0"),
            same("socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = {U}"),
            same("sendto({U}, \"x\", 1, 0, " + lo("50000") + ", 16) = 1"),
            same("listen({U}, 5) = -1 EOPNOTSUPP (Operation not supported)"),
            same("fcntl({U}, F_GETFL) = 0x2 (flags O_RDWR)"),
            same("fcntl({U}, F_SETFL, O_RDWR|O_NONBLOCK) = 0"),
            same("socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = {V}"),
            same("bind({V}, " + lo("0") + ", 16) = 0"),
            same("getsockname({V}, " + lo("{Q}") + ", [16]) = 0"),
            // U was bound by its first sendto, to INADDR_ANY
            same("getsockname({U}, {sa_family=AF_INET, sin_port=htons({UP}), sin_addr=inet_addr(\"0.0.0.0\")}, [16]) = 0"),
            same("sendto({U}, \"udp\", 3, 0, " + lo("{Q}") + ", 16) = 3"),
            same("recvfrom({V}, \"udp\", 64, MSG_DONTWAIT, " + lo("{UP}") + ", [16]) = 3"),
            same("close({V}) = 0"),
            same("close({U}) = 0"),
            same("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = {L}"),
            same("bind({L}, " + lo("0") + ", 16) = 0"),
            same("listen({L}, 5) = 0"),
            same("getsockname({L}, " + lo("{LP}") + ", [16]) = 0"),
            same("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = {C}"),
            same("connect({C}, " + lo("{LP}") + ", 16) = 0"),
            same("getsockname({C}, " + lo("{CP}") + ", [16]) = 0"),
            same("accept({L}, " + lo("{CP}") + ", [16]) = {D}"),
            same("getsockopt({D}, SOL_SOCKET, SO_TYPE, [1], [4]) = 0"),
            same("close({D}) = 0"),
            same("close({C}) = 0"),
            same("close({L}) = 0"),
            same("socket(AF_UNIX, SOCK_STREAM, 0) = {X}"),
            same("bind({X}, {sa_family=AF_UNIX, sun_path=@\"psock-trace\"}, 14) = 0"),
            same("close({X}) = 0"),
            // the facade lists flags by value; strace in the order of its own table
            differs("socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, IPPROTO_TCP) = {T}",
                    "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_TCP) = {T}"),
            same("close({T}) = 0"),
            // glibc 2.36's pipe() is the pipe2 system call with no flags
            differs("pipe([{R}, {W}]) = 0", "pipe2([{R}, {W}], 0) = 0"),
            same("write({W}, \"a\\tb\\0\\377\\\"\", 6) = 6"),
            same("close({R}) = 0"),
            same("close({W}) = 0"),
            same("close(99999) = -1 EBADF (Bad file descriptor)"));

    /** The lines of {@link #STEPS} with the placeholders filled in from {@code vars}. */
    static List<String> expected(Map<String, String> vars, boolean strace) {
        return STEPS.stream().map(s -> fill(strace ? s.strace_() : s.facade, vars)).toList();
    }

    static String fill(String template, Map<String, String> vars) {
        String line = template;
        for (var v : vars.entrySet()) line = line.replace("{" + v.getKey() + "}", v.getValue());
        return line;
    }

    /** The "@NAME=value" lines of a run. */
    static Map<String, String> vars(List<String> lines) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String l : lines) if (l.startsWith("@")) vars.put(l.substring(1, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
        return vars;
    }

    static void var(String name, Object value) {
        System.out.println("@" + name + "=" + value);
        System.out.flush();
    }

    static String hex(MemorySegment p) {
        return "0x" + Long.toHexString(p.address());
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            int sl = (int) sockaddr_in.sizeof();
            MemorySegment a = arena.allocate(sockaddr_in.layout());
            sin_family(a, AF_INET);
            s_addr(sin_addr(a), htonl(INADDR_LOOPBACK));
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, sl);
            MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_INT, 1);

            int h = socket(AF_INET, SOCK_STREAM, 0);
            var("H", h);
            bind(h, a, sl);
            getsockname(h, a, len);
            var("P", ntohs(sin_port(a)));
            int s = socket(AF_INET, SOCK_STREAM, 0);
            var("S", s);
            connect(s, a, sl);
            bind(s, a, sl);
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, one, 4);
            setsockopt(s, SOL_SOCKET, SO_REUSEADDR, one, 4);
            shutdown(s, SHUT_RDWR);
            close(s);
            close(h);

            MemorySegment sv = arena.allocate(ValueLayout.JAVA_INT, 2);
            socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
            int A = sv.getAtIndex(ValueLayout.JAVA_INT, 0), B = sv.getAtIndex(ValueLayout.JAVA_INT, 1);
            var("A", A);
            var("B", B);
            send(A, arena.allocateFrom("hello\n"), 6, MSG_DONTWAIT | MSG_NOSIGNAL);
            MemorySegment buf = arena.allocate(64);
            var("BUF", hex(buf));
            recv(B, buf, 64, MSG_DONTWAIT);
            recv(B, buf, 64, MSG_DONTWAIT);
            send(A, arena.allocateFrom("x"), 1, 0);

            MemorySegment set = arena.allocate(fd_set.layout()), tv = arena.allocate(timeval.layout());
            FD_ZERO(set);
            FD_SET(A, set);
            FD_SET(B, set);
            var("N", Math.max(A, B) + 1);
            select(Math.max(A, B) + 1, set, MemorySegment.NULL, MemorySegment.NULL, tv);

            MemorySegment fds = pollfd.allocateArray(2, arena);
            pollfd.fd(pollfd.asSlice(fds, 0), A);
            pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN);
            pollfd.fd(pollfd.asSlice(fds, 1), B);
            pollfd.events(pollfd.asSlice(fds, 1), (short) (POLLIN | POLLOUT));
            poll(fds, 2, 0);

            int e = epoll_create1(EPOLL_CLOEXEC);
            var("E", e);
            MemorySegment ev = epoll_event.allocate(arena);
            epoll_event.events(ev, EPOLLIN);
            // epoll_event is packed on x86_64: data sits at offset 4, so the generated (aligned) u64 accessor cannot write it
            epoll_event.data(ev).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, B);
            epoll_ctl(e, EPOLL_CTL_ADD, B, ev);
            MemorySegment evs = epoll_event.allocateArray(4, arena);
            var("EV", hex(evs));
            epoll_wait(e, evs, 4, 0);
            read(B, buf, 64);
            poll(pollfd.asSlice(fds, 0), 1, 0);
            epoll_wait(e, evs, 4, 0);
            close(e);
            close(A);
            close(B);

            int u = socket(AF_INET, SOCK_DGRAM, 0);
            var("U", u);
            sin_port(a, htons(50000));
            sendto(u, arena.allocateFrom("x"), 1, 0, a, sl);
            listen(u, 5);
            fcntl(u, F_SETFL, fcntl(u, F_GETFL) | O_NONBLOCK);
            int v = socket(AF_INET, SOCK_DGRAM, 0);
            var("V", v);
            sin_port(a, 0);
            bind(v, a, sl);
            getsockname(v, a, len);
            var("Q", ntohs(sin_port(a)));
            MemorySegment from = arena.allocate(sockaddr_in.layout());
            MemorySegment fromLen = arena.allocateFrom(ValueLayout.JAVA_INT, sl);
            getsockname(u, from, fromLen);
            var("UP", ntohs(sin_port(from)));
            sendto(u, arena.allocateFrom("udp"), 3, 0, a, sl);
            recvfrom(v, buf, 64, MSG_DONTWAIT, from, fromLen);
            close(v);
            close(u);

            int l = socket(AF_INET, SOCK_STREAM, 0);
            var("L", l);
            sin_port(a, 0);
            bind(l, a, sl);
            listen(l, 5);
            getsockname(l, a, len);
            var("LP", ntohs(sin_port(a)));
            int c = socket(AF_INET, SOCK_STREAM, 0);
            var("C", c);
            connect(c, a, sl);
            getsockname(c, from, fromLen);
            var("CP", ntohs(sin_port(from)));
            fromLen.set(ValueLayout.JAVA_INT, 0, sl);
            int d = accept(l, from, fromLen);
            var("D", d);
            MemorySegment type = arena.allocate(ValueLayout.JAVA_INT), typeLen = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
            getsockopt(d, SOL_SOCKET, SO_TYPE, type, typeLen);
            close(d);
            close(c);
            close(l);

            MemorySegment un = arena.allocate(sockaddr_un.layout());
            sun_family(un, AF_UNIX);
            sun_path(un, "\0psock-trace");
            int x = socket(AF_UNIX, SOCK_STREAM, 0);
            var("X", x);
            bind(x, un, (int) sockaddr_un.sun_path$offset() + 1 + "psock-trace".length());
            close(x);

            int t = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
            var("T", t);
            close(t);

            MemorySegment p = arena.allocate(ValueLayout.JAVA_INT, 2);
            pipe(p);
            int r = p.getAtIndex(ValueLayout.JAVA_INT, 0), w = p.getAtIndex(ValueLayout.JAVA_INT, 1);
            var("R", r);
            var("W", w);
            MemorySegment odd = arena.allocate(6);
            odd.copyFrom(MemorySegment.ofArray(new byte[] {'a', '\t', 'b', 0, (byte) 0xff, '"'}));
            write(w, odd, 6);
            close(r);
            close(w);
            close(99999);
        }
    }

    /** The same calls in C, for strace. */
    static final String C = """
            #define _GNU_SOURCE
            #include <arpa/inet.h>
            #include <fcntl.h>
            #include <netinet/in.h>
            #include <netinet/tcp.h>
            #include <poll.h>
            #include <stddef.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/epoll.h>
            #include <sys/select.h>
            #include <sys/socket.h>
            #include <sys/un.h>
            #include <unistd.h>
            #define VAR(name, fmt, value) (printf("@" name "=" fmt "\\n", value), fflush(stdout))
            int main(void) {
                close(-42); /* the marker: strace's lines before it are the C runtime's */
                struct sockaddr_in a; memset(&a, 0, sizeof a);
                a.sin_family = AF_INET; a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                socklen_t len = sizeof a; int one = 1;
                int h = socket(AF_INET, SOCK_STREAM, 0); VAR("H", "%d", h);
                bind(h, (struct sockaddr *) &a, sizeof a);
                getsockname(h, (struct sockaddr *) &a, &len); VAR("P", "%d", ntohs(a.sin_port));
                int s = socket(AF_INET, SOCK_STREAM, 0); VAR("S", "%d", s);
                connect(s, (struct sockaddr *) &a, sizeof a);
                bind(s, (struct sockaddr *) &a, sizeof a);
                setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, 4);
                setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 4);
                shutdown(s, SHUT_RDWR);
                close(s); close(h);

                int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
                int A = sv[0], B = sv[1]; VAR("A", "%d", A); VAR("B", "%d", B);
                send(A, "hello\\n", 6, MSG_DONTWAIT | MSG_NOSIGNAL);
                char buf[64]; VAR("BUF", "%p", (void *) buf);
                recv(B, buf, 64, MSG_DONTWAIT);
                recv(B, buf, 64, MSG_DONTWAIT);
                send(A, "x", 1, 0);
                fd_set set; struct timeval tv = {0, 0};
                FD_ZERO(&set); FD_SET(A, &set); FD_SET(B, &set);
                VAR("N", "%d", (A > B ? A : B) + 1);
                select((A > B ? A : B) + 1, &set, NULL, NULL, &tv);
                struct pollfd fds[2] = {{A, POLLIN, 0}, {B, POLLIN | POLLOUT, 0}};
                poll(fds, 2, 0);
                int e = epoll_create1(EPOLL_CLOEXEC); VAR("E", "%d", e);
                struct epoll_event ev; memset(&ev, 0, sizeof ev); ev.events = EPOLLIN; ev.data.u64 = B;
                epoll_ctl(e, EPOLL_CTL_ADD, B, &ev);
                struct epoll_event evs[4]; VAR("EV", "%p", (void *) evs);
                epoll_wait(e, evs, 4, 0);
                read(B, buf, 64);
                poll(&fds[0], 1, 0);
                epoll_wait(e, evs, 4, 0);
                close(e); close(A); close(B);

                int u = socket(AF_INET, SOCK_DGRAM, 0); VAR("U", "%d", u);
                a.sin_port = htons(50000);
                sendto(u, "x", 1, 0, (struct sockaddr *) &a, sizeof a);
                listen(u, 5);
                fcntl(u, F_SETFL, fcntl(u, F_GETFL) | O_NONBLOCK);
                int v = socket(AF_INET, SOCK_DGRAM, 0); VAR("V", "%d", v);
                a.sin_port = 0; bind(v, (struct sockaddr *) &a, sizeof a);
                len = sizeof a; getsockname(v, (struct sockaddr *) &a, &len); VAR("Q", "%d", ntohs(a.sin_port));
                struct sockaddr_in from; socklen_t fromLen = sizeof from;
                getsockname(u, (struct sockaddr *) &from, &fromLen); VAR("UP", "%d", ntohs(from.sin_port));
                sendto(u, "udp", 3, 0, (struct sockaddr *) &a, sizeof a);
                recvfrom(v, buf, 64, MSG_DONTWAIT, (struct sockaddr *) &from, &fromLen);
                close(v);
                close(u);
                int l = socket(AF_INET, SOCK_STREAM, 0); VAR("L", "%d", l);
                a.sin_port = 0; bind(l, (struct sockaddr *) &a, sizeof a);
                listen(l, 5);
                len = sizeof a; getsockname(l, (struct sockaddr *) &a, &len); VAR("LP", "%d", ntohs(a.sin_port));
                int c = socket(AF_INET, SOCK_STREAM, 0); VAR("C", "%d", c);
                connect(c, (struct sockaddr *) &a, sizeof a);
                fromLen = sizeof from; getsockname(c, (struct sockaddr *) &from, &fromLen); VAR("CP", "%d", ntohs(from.sin_port));
                fromLen = sizeof from;
                int d = accept(l, (struct sockaddr *) &from, &fromLen); VAR("D", "%d", d);
                int type; socklen_t typeLen = 4;
                getsockopt(d, SOL_SOCKET, SO_TYPE, &type, &typeLen);
                close(d); close(c); close(l);

                struct sockaddr_un un; memset(&un, 0, sizeof un); un.sun_family = AF_UNIX;
                memcpy(un.sun_path, "\\0psock-trace", 12);
                int x = socket(AF_UNIX, SOCK_STREAM, 0); VAR("X", "%d", x);
                bind(x, (struct sockaddr *) &un, offsetof(struct sockaddr_un, sun_path) + 1 + 11);
                close(x);
                int t = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP); VAR("T", "%d", t);
                close(t);
                int p[2]; pipe(p); VAR("R", "%d", p[0]); VAR("W", "%d", p[1]);
                write(p[1], "a\\tb\\0\\377\\"", 6);
                close(p[0]); close(p[1]);
                close(99999);
                close(-43); /* the end marker */
                return 0;
            }
            """;
}
