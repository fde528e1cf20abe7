package io.github.panamasockets.api;

import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.f_owner_ex;
import io.github.panamasockets.bindings.flock;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.stat;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every argument the facade checks itself, given to C and to the facade in the same state: the
 * same return value and errno. C's bad pointers are NULL and a PROT_READ page; the facade's are NULL
 * and the same page-sized segment made read-only. Where the facade refuses something the kernel would
 * have done differently (it refuses before looking at the descriptor, or refuses a pointer the kernel
 * happens not to write through), the case is listed in {@link #FACADE_REFUSES} with the facade's
 * answer, the one the README documents, and the test checks that C really differs there.
 */
@ExtendWith(NoLeaks.class)
class ErrnoMatchesCTest {

    /** Where the facade refuses, on purpose, what C does otherwise: case, the facade's "ret errno". */
    static final Map<String, String> FACADE_REFUSES = Map.of(
            "accept_unlistening_ro_addr", "-1 " + EFAULT,  // the kernel says EINVAL (not listening) before it looks at addr
            "accept_after_ro_addrlen", "fd 0",             // C lost the connection in the refused accept; the facade kept it
            "recvfrom_stream_ro_src_addr", "-1 " + EFAULT, // a src_addr the kernel does not write on a stream socket
            "select_nfds_1025", "-1 " + EINVAL,            // past FD_SETSIZE the kernel reads past an fd_set
            "stat_missing_ro_buf", "-1 " + EFAULT,         // the facade checks statbuf before the kernel looks for the file
            "waitpid_no_child_ro_status", "-1 " + EFAULT,  // the kernel writes *wstatus only when there is a child
            "bind_badfd_null", "-1 " + EFAULT);            // the facade's checks come before the kernel's EBADF

    static final String C = """
            #define _GNU_SOURCE
            #include <arpa/inet.h>
            #include <errno.h>
            #include <fcntl.h>
            #include <netdb.h>
            #include <netinet/in.h>
            #include <netinet/tcp.h>
            #include <poll.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/epoll.h>
            #include <sys/mman.h>
            #include <sys/select.h>
            #include <sys/socket.h>
            #include <sys/stat.h>
            #include <sys/uio.h>
            #include <sys/wait.h>
            #include <unistd.h>

            #define CASE(name, expr) do { errno = 0; long r_ = (long) (expr); printf("%s %ld %d\\n", name, r_, r_ == -1 ? errno : 0); } while (0)
            #define CASEFD(name, expr) do { errno = 0; long r_ = (long) (expr); if (r_ >= 0) { printf("%s fd 0\\n", name); close((int) r_); } else printf("%s %ld %d\\n", name, r_, errno); } while (0)

            static struct sockaddr_in lo(int port) {
                struct sockaddr_in a; memset(&a, 0, sizeof a);
                a.sin_family = AF_INET; a.sin_port = htons(port); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                return a;
            }
            static int bound(int type) {
                int s = socket(AF_INET, type | SOCK_NONBLOCK, 0);
                struct sockaddr_in a = lo(0); bind(s, (struct sockaddr *) &a, sizeof a);
                return s;
            }
            static int port(int s) {
                struct sockaddr_in a; socklen_t n = sizeof a; getsockname(s, (struct sockaddr *) &a, &n); return ntohs(a.sin_port);
            }

            int main(void) {
                int sv[2], sv2[2], pv[2];
                socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
                socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv2);
                write(sv[0], "0123456789", 10);
                write(sv2[0], "0123456789", 10);
                int u1 = bound(SOCK_DGRAM), u2 = bound(SOCK_DGRAM);
                int tcp = socket(AF_INET, SOCK_STREAM, 0);
                int lst = bound(SOCK_STREAM); listen(lst, 8);
                int ep = epoll_create1(0);
                struct epoll_event ev; memset(&ev, 0, sizeof ev); ev.events = EPOLLIN; ev.data.fd = sv[1];
                epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
                void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                char buf[4096]; memset(buf, 0, sizeof buf);
                struct sockaddr_in sin = lo(0), to = lo(port(u2)), sa;
                socklen_t len;
                int v = 1;

                CASE("bind_addrlen_neg", bind(tcp, (struct sockaddr *) &sin, -1));
                CASE("bind_addrlen_200", bind(tcp, (struct sockaddr *) &sin, 200));
                CASE("bind_null_16", bind(tcp, NULL, 16));
                CASE("bind_badfd_null", bind(-1, NULL, 16));
                CASE("connect_addrlen_neg", connect(tcp, (struct sockaddr *) &sin, -1));
                CASE("connect_addrlen_200", connect(tcp, (struct sockaddr *) &sin, 200));
                CASE("connect_null_16", connect(tcp, NULL, 16));
                CASE("sendto_addrlen_neg", sendto(u1, "x", 1, 0, (struct sockaddr *) &to, -1));
                CASE("sendto_addrlen_200", sendto(u1, "x", 1, 0, (struct sockaddr *) &to, 200));
                CASE("sendto_null_dest_neg", sendto(u1, "x", 1, 0, NULL, -1));
                CASE("sendto_null_buf", sendto(u1, NULL, 1, 0, (struct sockaddr *) &to, sizeof to));
                len = -1; CASE("accept_addrlen_neg_none_pending", accept(lst, (struct sockaddr *) &sa, &len));
                int c1 = socket(AF_INET, SOCK_STREAM, 0); sin = lo(port(lst)); connect(c1, (struct sockaddr *) &sin, sizeof sin);
                len = -1; CASE("accept_addrlen_neg", accept(lst, (struct sockaddr *) &sa, &len));
                CASEFD("accept_after_addrlen_neg", accept(lst, NULL, NULL));
                int c2 = socket(AF_INET, SOCK_STREAM, 0); connect(c2, (struct sockaddr *) &sin, sizeof sin);
                CASE("accept_ro_addrlen", accept(lst, (struct sockaddr *) &sa, (socklen_t *) ro));
                CASEFD("accept_after_ro_addrlen", accept(lst, NULL, NULL));
                len = 16; CASE("accept_unlistening_ro_addr", accept(tcp, (struct sockaddr *) ro, &len));
                sendto(u1, "dgram", 5, 0, (struct sockaddr *) &to, sizeof to);
                len = -1; CASE("recvfrom_addrlen_neg", recvfrom(u2, buf, 64, 0, (struct sockaddr *) &sa, &len));
                CASE("recvfrom_after_addrlen_neg", recv(u2, buf, 64, MSG_DONTWAIT));
                len = -1; CASE("recvfrom_null_addr_addrlen_neg", recvfrom(u2, buf, 64, MSG_DONTWAIT, NULL, &len));
                len = 16; CASE("recvfrom_stream_ro_src_addr", recvfrom(sv2[1], buf, 2, 0, (struct sockaddr *) ro, &len));
                len = -1; CASE("getsockopt_optlen_neg", getsockopt(tcp, SOL_SOCKET, SO_TYPE, &v, &len));
                len = -1; CASE("getsockopt_tcp_optlen_neg", getsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &v, &len));
                CASE("getsockopt_null_optlen", getsockopt(tcp, SOL_SOCKET, SO_TYPE, &v, NULL));
                CASE("getsockopt_ro_optlen", getsockopt(tcp, SOL_SOCKET, SO_TYPE, &v, (socklen_t *) ro));
                len = 4; CASE("getsockopt_ro_optval", getsockopt(tcp, SOL_SOCKET, SO_TYPE, ro, &len));
                CASE("setsockopt_optlen_neg", setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &v, -1));
                CASE("setsockopt_null_4", setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, NULL, 4));
                CASE("setsockopt_ro_optval", setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, ro, 4));
                len = -1; CASE("getsockname_addrlen_neg", getsockname(tcp, (struct sockaddr *) &sa, &len));
                CASE("getsockname_null_addrlen", getsockname(tcp, (struct sockaddr *) &sa, NULL));
                CASE("getsockname_ro_addrlen", getsockname(tcp, (struct sockaddr *) &sa, (socklen_t *) ro));
                len = 16; CASE("getsockname_ro_addr", getsockname(u1, (struct sockaddr *) ro, &len));
                len = -1; CASE("getpeername_addrlen_neg", getpeername(sv[0], (struct sockaddr *) &sa, &len));
                len = -1; CASE("getpeername_unconnected_addrlen_neg", getpeername(tcp, (struct sockaddr *) &sa, &len));
                CASE("read_ro", read(sv[1], ro, 4));
                CASE("read_null", read(sv[1], NULL, 4));
                CASE("read_count_neg", read(sv[1], buf, (size_t) -1));
                CASE("write_count_neg", write(sv[0], buf, (size_t) -1));
                CASE("recv_ro", recv(sv[1], ro, 4, 0));
                CASE("recv_still_there", recv(sv[1], buf, 64, MSG_PEEK));
                CASE("pipe_ro", pipe((int *) ro));
                CASE("pipe_null", pipe(NULL));
                CASE("socketpair_ro", socketpair(AF_UNIX, SOCK_STREAM, 0, (int *) ro));
                CASE("socketpair_null", socketpair(AF_UNIX, SOCK_STREAM, 0, NULL));
                CASE("readv_iovcnt_neg", readv(sv[1], (struct iovec *) buf, -1));
                CASE("readv_iovcnt_1025", readv(sv[1], (struct iovec *) buf, 1025));
                CASE("writev_iovcnt_neg", writev(sv[0], (struct iovec *) buf, -1));
                CASE("readv_null_1", readv(sv[1], NULL, 1));
                CASE("poll_nfds_neg", poll((struct pollfd *) buf, (nfds_t) -1, 0));
                CASE("poll_ro", poll((struct pollfd *) ro, 1, 0));
                CASE("poll_null_1", poll(NULL, 1, 0));
                CASE("epoll_wait_maxevents_0", epoll_wait(ep, (struct epoll_event *) buf, 0, 0));
                CASE("epoll_wait_maxevents_neg", epoll_wait(ep, (struct epoll_event *) buf, -1, 0));
                CASE("epoll_wait_maxevents_max", epoll_wait(ep, (struct epoll_event *) buf, 0x7fffffff, 0));
                CASE("epoll_wait_ro", epoll_wait(ep, (struct epoll_event *) ro, 1, 0));
                CASE("epoll_wait_null", epoll_wait(ep, NULL, 1, 0));
                CASE("epoll_ctl_add_null", epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], NULL));
                CASE("epoll_ctl_mod_ro", epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], (struct epoll_event *) ro));
                struct timeval tv0 = {0, 0};
                CASE("select_nfds_neg", select(-1, NULL, NULL, NULL, &tv0));
                CASE("select_ro_set", select(sv[1] + 1, (fd_set *) ro, NULL, NULL, &tv0));
                tv0.tv_sec = 0; tv0.tv_usec = 0;
                CASE("select_nfds_1025", select(1025, (fd_set *) buf, NULL, NULL, &tv0));
                CASE("fcntl_unknown_cmd", fcntl(sv[0], 9999));
                CASE("fcntl_getown_ex_null", fcntl(sv[0], F_GETOWN_EX, NULL));
                CASE("fcntl_getown_ex_ro", fcntl(sv[0], F_GETOWN_EX, ro));
                CASE("fcntl_setown_ex_ro", fcntl(sv[0], F_SETOWN_EX, ro));
                CASE("fcntl_getlk_null", fcntl(sv[0], F_GETLK, NULL));
                CASE("fcntl_ofd_getlk_null", fcntl(sv[0], F_OFD_GETLK, NULL));
                CASE("fcntl_get_rw_hint_null", fcntl(sv[0], F_GET_RW_HINT, NULL));
                CASE("stat_ro_buf", stat("/", (struct stat *) ro));
                CASE("stat_null_path", stat(NULL, (struct stat *) buf));
                CASE("stat_null_buf", stat("/", NULL));
                CASE("stat_missing_ro_buf", stat("/nonexistent-psock", (struct stat *) ro));
                CASE("unlink_null", unlink(NULL));
                CASE("rmdir_null", rmdir(NULL));
                CASE("waitpid_no_child_null", waitpid(-1, NULL, WNOHANG));
                CASE("waitpid_no_child_ro_status", waitpid(-1, (int *) ro, WNOHANG));
                struct addrinfo *res;
                CASE("getaddrinfo_null_null", getaddrinfo(NULL, NULL, NULL, &res));
                CASE("inet_pton_bad_family", inet_pton(9999, "1.2.3.4", buf));
                CASE("inet_ntop_size_0", inet_ntop(AF_INET, buf, buf + 64, 0) == NULL ? -1 : 0);
                CASE("inet_ntop_size_3", inet_ntop(AF_INET, buf, buf + 64, 3) == NULL ? -1 : 0);
                CASE("sendmsg_null", sendmsg(sv[0], NULL, 0));
                CASE("recvmsg_null", recvmsg(sv[1], NULL, 0));
                return 0;
            }
            """;

    @Test
    void everyArgumentTheFacadeChecksGivesWhatCGives(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        Path exe = Child.cc(dir, "errno_cases", C);
        Child.Result c = Child.run(dir, List.of(exe.toString()), 60);
        assertEquals(0, c.exit(), c.stderr());
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : c.lines()) {
            String[] f = line.split(" ", 2);
            expected.put(f[0], f[1]);
        }
        Map<String, String> actual = facade();
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "the same cases in the same order");
        List<String> differ = new ArrayList<>();
        int same = 0;
        for (String name : expected.keySet()) {
            String want = FACADE_REFUSES.getOrDefault(name, expected.get(name));
            if (!want.equals(actual.get(name))) differ.add(name + ": C " + expected.get(name) + ", facade " + actual.get(name) + ", wanted " + want);
            if (FACADE_REFUSES.containsKey(name) && expected.get(name).equals(want)) differ.add(name + ": listed as a facade refusal, but C gives the same");
            if (!FACADE_REFUSES.containsKey(name)) same++;
        }
        System.out.println("ErrnoMatchesCTest: " + expected.size() + " cases, " + same + " the same as C, "
                + FACADE_REFUSES.size() + " documented facade refusals");
        assertEquals(List.of(), differ);
        assertTrue(same >= 75, "cases compared: " + same);
    }

    /** The same cases through the facade, in the same order and state as the C program. */
    Map<String, String> facade() {
        Map<String, String> out = new LinkedHashMap<>();
        List<Integer> fds = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            int[] sv = socketpair(SOCK_STREAM | SOCK_NONBLOCK), sv2 = socketpair(SOCK_STREAM | SOCK_NONBLOCK);
            for (int fd : sv) fds.add(fd);
            for (int fd : sv2) fds.add(fd);
            write(sv[0], arena.allocateFrom("0123456789"), 10);
            write(sv2[0], arena.allocateFrom("0123456789"), 10);
            int u1 = bound(SOCK_DGRAM), u2 = bound(SOCK_DGRAM);
            nonblocking(u1);
            nonblocking(u2);
            int tcp = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            int lst = listener();
            nonblocking(lst);
            int ep = ok("epoll_create1", epoll_create1(0));
            fds.addAll(List.of(u1, u2, tcp, lst, ep));
            MemorySegment ev = arena.allocate(epoll_event.layout());
            events(ev, EPOLLIN);
            data_fd(ev, sv[1]);
            epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], ev);
            MemorySegment ro = arena.allocate(4096, 4096).asReadOnly();
            MemorySegment buf = arena.allocate(4096);
            MemorySegment sin = addr(arena, 0), to = addr(arena, port(u2)), sa = arena.allocate(16);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
            MemorySegment x = arena.allocateFrom("x");

            c(out, "bind_addrlen_neg", () -> bind(tcp, sin, -1));
            c(out, "bind_addrlen_200", () -> bind(tcp, sin, 200));
            c(out, "bind_null_16", () -> bind(tcp, MemorySegment.NULL, 16));
            c(out, "bind_badfd_null", () -> bind(-1, MemorySegment.NULL, 16));
            c(out, "connect_addrlen_neg", () -> connect(tcp, sin, -1));
            c(out, "connect_addrlen_200", () -> connect(tcp, sin, 200));
            c(out, "connect_null_16", () -> connect(tcp, MemorySegment.NULL, 16));
            c(out, "sendto_addrlen_neg", () -> sendto(u1, x, 1, 0, to, -1));
            c(out, "sendto_addrlen_200", () -> sendto(u1, x, 1, 0, to, 200));
            c(out, "sendto_null_dest_neg", () -> sendto(u1, x, 1, 0, MemorySegment.NULL, -1));
            c(out, "sendto_null_buf", () -> sendto(u1, MemorySegment.NULL, 1, 0, to, 16));
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "accept_addrlen_neg_none_pending", () -> accept(lst, sa, len));
            int c1 = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            fds.add(c1);
            connect(c1, addr(arena, port(lst)), 16);
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "accept_addrlen_neg", () -> accept(lst, sa, len));
            fd(out, "accept_after_addrlen_neg", () -> accept(lst, MemorySegment.NULL, MemorySegment.NULL));
            int c2 = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            fds.add(c2);
            connect(c2, addr(arena, port(lst)), 16);
            c(out, "accept_ro_addrlen", () -> accept(lst, sa, ro));
            fd(out, "accept_after_ro_addrlen", () -> accept(lst, MemorySegment.NULL, MemorySegment.NULL));
            len.set(ValueLayout.JAVA_INT, 0, 16);
            c(out, "accept_unlistening_ro_addr", () -> accept(tcp, ro, len));
            sendto(u1, arena.allocateFrom("dgram"), 5, 0, to, 16);
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "recvfrom_addrlen_neg", () -> recvfrom(u2, buf, 64, 0, sa, len));
            c(out, "recvfrom_after_addrlen_neg", () -> recv(u2, buf, 64, MSG_DONTWAIT));
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "recvfrom_null_addr_addrlen_neg", () -> recvfrom(u2, buf, 64, MSG_DONTWAIT, MemorySegment.NULL, len));
            len.set(ValueLayout.JAVA_INT, 0, 16);
            c(out, "recvfrom_stream_ro_src_addr", () -> recvfrom(sv2[1], buf, 2, 0, ro, len));
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "getsockopt_optlen_neg", () -> getsockopt(tcp, SOL_SOCKET, SO_TYPE, v, len));
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "getsockopt_tcp_optlen_neg", () -> getsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, v, len));
            c(out, "getsockopt_null_optlen", () -> getsockopt(tcp, SOL_SOCKET, SO_TYPE, v, MemorySegment.NULL));
            c(out, "getsockopt_ro_optlen", () -> getsockopt(tcp, SOL_SOCKET, SO_TYPE, v, ro));
            len.set(ValueLayout.JAVA_INT, 0, 4);
            c(out, "getsockopt_ro_optval", () -> getsockopt(tcp, SOL_SOCKET, SO_TYPE, ro, len));
            c(out, "setsockopt_optlen_neg", () -> setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, v, -1));
            c(out, "setsockopt_null_4", () -> setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, MemorySegment.NULL, 4));
            c(out, "setsockopt_ro_optval", () -> setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, ro, 4));
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "getsockname_addrlen_neg", () -> getsockname(tcp, sa, len));
            c(out, "getsockname_null_addrlen", () -> getsockname(tcp, sa, MemorySegment.NULL));
            c(out, "getsockname_ro_addrlen", () -> getsockname(tcp, sa, ro));
            len.set(ValueLayout.JAVA_INT, 0, 16);
            c(out, "getsockname_ro_addr", () -> getsockname(u1, ro, len));
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "getpeername_addrlen_neg", () -> getpeername(sv[0], sa, len));
            len.set(ValueLayout.JAVA_INT, 0, -1);
            c(out, "getpeername_unconnected_addrlen_neg", () -> getpeername(tcp, sa, len));
            c(out, "read_ro", () -> read(sv[1], ro, 4));
            c(out, "read_null", () -> read(sv[1], MemorySegment.NULL, 4));
            c(out, "read_count_neg", () -> read(sv[1], buf, -1));
            c(out, "write_count_neg", () -> write(sv[0], buf, -1));
            c(out, "recv_ro", () -> recv(sv[1], ro, 4, 0));
            c(out, "recv_still_there", () -> recv(sv[1], buf, 64, MSG_PEEK));
            c(out, "pipe_ro", () -> pipe(ro));
            c(out, "pipe_null", () -> pipe(MemorySegment.NULL));
            c(out, "socketpair_ro", () -> socketpair(AF_UNIX, SOCK_STREAM, 0, ro));
            c(out, "socketpair_null", () -> socketpair(AF_UNIX, SOCK_STREAM, 0, MemorySegment.NULL));
            c(out, "readv_iovcnt_neg", () -> readv(sv[1], buf, -1));
            c(out, "readv_iovcnt_1025", () -> readv(sv[1], buf, 1025));
            c(out, "writev_iovcnt_neg", () -> writev(sv[0], buf, -1));
            c(out, "readv_null_1", () -> readv(sv[1], MemorySegment.NULL, 1));
            c(out, "poll_nfds_neg", () -> poll(buf, -1, 0));
            c(out, "poll_ro", () -> poll(ro, 1, 0));
            c(out, "poll_null_1", () -> poll(MemorySegment.NULL, 1, 0));
            c(out, "epoll_wait_maxevents_0", () -> epoll_wait(ep, buf, 0, 0));
            c(out, "epoll_wait_maxevents_neg", () -> epoll_wait(ep, buf, -1, 0));
            c(out, "epoll_wait_maxevents_max", () -> epoll_wait(ep, buf, Integer.MAX_VALUE, 0));
            c(out, "epoll_wait_ro", () -> epoll_wait(ep, ro, 1, 0));
            c(out, "epoll_wait_null", () -> epoll_wait(ep, MemorySegment.NULL, 1, 0));
            c(out, "epoll_ctl_add_null", () -> epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], MemorySegment.NULL));
            c(out, "epoll_ctl_mod_ro", () -> epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], ro));
            MemorySegment tv0 = arena.allocate(timeval.layout());
            c(out, "select_nfds_neg", () -> select(-1, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, tv0));
            c(out, "select_ro_set", () -> select(sv[1] + 1, ro, MemorySegment.NULL, MemorySegment.NULL, tv0));
            tv0.fill((byte) 0);
            c(out, "select_nfds_1025", () -> select(1025, buf, MemorySegment.NULL, MemorySegment.NULL, tv0));
            c(out, "fcntl_unknown_cmd", () -> fcntl(sv[0], 9999));
            c(out, "fcntl_getown_ex_null", () -> fcntl(sv[0], F_GETOWN_EX, MemorySegment.NULL));
            c(out, "fcntl_getown_ex_ro", () -> fcntl(sv[0], F_GETOWN_EX, ro));
            c(out, "fcntl_setown_ex_ro", () -> fcntl(sv[0], F_SETOWN_EX, ro));
            c(out, "fcntl_getlk_null", () -> fcntl(sv[0], F_GETLK, MemorySegment.NULL));
            c(out, "fcntl_ofd_getlk_null", () -> fcntl(sv[0], F_OFD_GETLK, MemorySegment.NULL));
            c(out, "fcntl_get_rw_hint_null", () -> fcntl(sv[0], F_GET_RW_HINT, MemorySegment.NULL));
            c(out, "stat_ro_buf", () -> stat("/", ro));
            c(out, "stat_null_path", () -> stat(null, buf));
            c(out, "stat_null_buf", () -> stat("/", MemorySegment.NULL));
            c(out, "stat_missing_ro_buf", () -> stat("/nonexistent-psock", ro));
            c(out, "unlink_null", () -> unlink(null));
            c(out, "rmdir_null", () -> rmdir(null));
            c(out, "waitpid_no_child_null", () -> waitpid(-1, MemorySegment.NULL, WNOHANG));
            c(out, "waitpid_no_child_ro_status", () -> waitpid(-1, ro, WNOHANG));
            MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
            c(out, "getaddrinfo_null_null", () -> getaddrinfo(null, null, MemorySegment.NULL, res));
            c(out, "inet_pton_bad_family", () -> inet_pton(9999, "1.2.3.4", buf));
            c(out, "inet_ntop_size_0", () -> inet_ntop(AF_INET, buf, buf.asSlice(64), 0).equals(MemorySegment.NULL) ? -1 : 0);
            c(out, "inet_ntop_size_3", () -> inet_ntop(AF_INET, buf, buf.asSlice(64), 3).equals(MemorySegment.NULL) ? -1 : 0);
            c(out, "sendmsg_null", () -> sendmsg(sv[0], MemorySegment.NULL, 0));
            c(out, "recvmsg_null", () -> recvmsg(sv[1], MemorySegment.NULL, 0));
        } finally {
            for (int fd : fds) Posix.close(fd);
        }
        return out;
    }

    private static void c(Map<String, String> out, String name, LongSupplier call) {
        errno(0);
        long r = call.getAsLong();
        out.put(name, r + " " + (r == -1 ? errno() : 0));
    }

    /** A call that returns a descriptor: "fd 0" (closed at once) or "-1 errno". */
    private static void fd(Map<String, String> out, String name, LongSupplier call) {
        errno(0);
        long r = call.getAsLong();
        if (r >= 0) {
            Posix.close((int) r);
            out.put(name, "fd 0");
        } else {
            out.put(name, r + " " + errno());
        }
    }
}
