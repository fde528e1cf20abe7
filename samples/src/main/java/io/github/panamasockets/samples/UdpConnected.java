package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * udp-connected: what connect(2) does to a UDP socket, the question of seed 000
 * ("UDP的connect函数（看不懂）"), answered by trying it.
 * The Java port of native/samples/udp-connected.c, line for line.
 *
 * <pre>
 * usage: udp-connected
 * </pre>
 *
 * connect on a UDP socket sends nothing (there is no handshake): the kernel checks for
 * errors it can see at once, records the peer's address and port, and returns. From then on
 * the socket differs from an unconnected one in three ways, shown in three parts:
 * <ol>
 * <li>output needs no address: send/write instead of sendto (everything goes to the peer);
 *     input needs no address either: recv/read instead of recvfrom;
 * <li>only datagrams from the peer are delivered; those from anyone else are not;
 * <li>asynchronous errors (an ICMP "port unreachable" coming back) are reported to it;
 *     an unconnected socket never sees them.
 * </ol>
 * Everything runs in this one process, on 127.0.0.1.
 */
public final class UdpConnected {
    private UdpConnected() {}

    /** A UDP socket bound to 127.0.0.1 on a port the kernel chooses; its address in addr. */
    static int udp_socket_on_loopback(MemorySegment addr) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = socket(AF_INET, SOCK_DGRAM, 0);
            if (fd == -1) {
                perror("socket");
                exit(1);
            }
            memset(addr, 0, sizeof(addr));
            sin_family(addr, AF_INET);
            sin_port(addr, htons(0));
            s_addr(sin_addr(addr), inet_addr("127.0.0.1"));
            if (bind(fd, addr, sizeof(addr)) == -1) {
                perror("bind");
                exit(1);
            }
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(addr));
            if (getsockname(fd, addr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            return fd;
        }
    }

    /** A call that must fail with errno `expected`: stop if it did not. Prints nothing. */
    static void expect_error(String call, long result, int expected) {
        if (result != -1 || errno() != expected) {
            fprintf(stderr, "udp-connected: %s returned %d (%s), expected -1 %s\n", call, result,
                    result == -1 ? strerrorname(errno()) : "no error", strerrorname(expected));
            exit(1);
        }
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "udp-connected: takes no arguments, got %d\n", args.length);
                fprintf(stderr, "usage: udp-connected\n");
                exit(2);
            }

            MemorySegment buf = arena.allocate(256);
            long n;

            printf("1. connect() on a UDP socket sends nothing\n");
            /* a is the peer; b will be connected to a. */
            MemorySegment a_addr = sockaddr_in.allocate(arena), b_addr = sockaddr_in.allocate(arena);
            int a = udp_socket_on_loopback(a_addr);
            int b = udp_socket_on_loopback(b_addr);
            if (connect(b, a_addr, sizeof(a_addr)) == -1) {
                perror("connect");
                exit(1);
            }
            printf("b: connect(b, a) = 0: no handshake, the kernel only records a's address\n");

            /* send(2) takes no address: the datagram goes to the connected peer. */
            n = send(b, arena.allocateFrom("ping"), 4, 0);
            if (n == -1) {
                perror("send");
                exit(1);
            }
            printf("b: send(b, \"ping\") = %d: no address given, it goes to a\n", n);

            MemorySegment from = sockaddr_in.allocate(arena);
            MemorySegment fromlen = arena.allocateFrom(socklen_t, sizeof(from));
            n = recvfrom(a, buf, sizeof(buf), 0, from, fromlen);
            if (n == -1) {
                perror("recvfrom");
                exit(1);
            }
            printf("a: recvfrom(a) = %d \"%s\", sent by b: %s\n", n, cstring(buf, n),
                    sin_port(from) == sin_port(b_addr) ? "yes" : "no");

            n = sendto(a, arena.allocateFrom("pong"), 4, 0, b_addr, sizeof(b_addr));
            if (n == -1) {
                perror("sendto");
                exit(1);
            }
            printf("a: sendto(a, \"pong\", b) = %d\n", n);

            /* recv(2) needs no address either: only the peer can have sent it. */
            n = recv(b, buf, sizeof(buf), 0);
            if (n == -1) {
                perror("recv");
                exit(1);
            }
            printf("b: recv(b) = %d \"%s\"\n", n, cstring(buf, n));

            printf("2. a connected UDP socket only receives from its peer\n");
            /* c is a stranger: an unconnected socket that sends to b. */
            int c = socket(AF_INET, SOCK_DGRAM, 0);
            if (c == -1) {
                perror("socket");
                exit(1);
            }
            n = sendto(c, arena.allocateFrom("stranger"), 8, 0, b_addr, sizeof(b_addr));
            if (n == -1) {
                perror("sendto");
                exit(1);
            }
            printf("c: sendto(c, \"stranger\", b) = %d: the datagram left\n", n);

            /* The peer sends after the stranger did, and its datagram does arrive. */
            n = sendto(a, arena.allocateFrom("peer"), 4, 0, b_addr, sizeof(b_addr));
            if (n == -1) {
                perror("sendto");
                exit(1);
            }
            printf("a: sendto(a, \"peer\", b) = %d\n", n);
            n = recv(b, buf, sizeof(buf), 0);
            if (n == -1) {
                perror("recv");
                exit(1);
            }
            printf("b: recv(b) = %d \"%s\"\n", n, cstring(buf, n));

            /* MSG_DONTWAIT makes this one call non-blocking: with nothing queued it fails with
             * EAGAIN (EWOULDBLOCK is the same number on Linux) instead of waiting. The stranger's
             * datagram matched no socket: b accepts only a's address and port. The kernel dropped
             * it, and answered c with an ICMP port unreachable, which c, unconnected, never sees. */
            n = recv(b, buf, sizeof(buf), MSG_DONTWAIT);
            expect_error("recv(b, MSG_DONTWAIT)", n, EAGAIN);
            printf("b: recv(b, MSG_DONTWAIT) = -1 %s (%s): the stranger's datagram never arrived\n",
                    strerrorname(errno()), strerror(errno()));

            printf("3. asynchronous errors reach only connected sockets\n");
            /* A port where nobody listens: bind a socket to get a free port, then close it. */
            MemorySegment closed_addr = sockaddr_in.allocate(arena);
            int tmp = udp_socket_on_loopback(closed_addr);
            if (close(tmp) == -1) {
                perror("close");
                exit(1);
            }

            /* d is connected to the closed port. connect succeeds: nothing is sent, nothing checked. */
            int d = socket(AF_INET, SOCK_DGRAM, 0);
            if (d == -1) {
                perror("socket");
                exit(1);
            }
            /* If the error never came back, recv would wait forever: give up after 2 s (EAGAIN). */
            MemorySegment timeout = timeval.allocate(arena);
            timeval.tv_sec(timeout, 2);
            timeval.tv_usec(timeout, 0);
            if (setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, timeout, sizeof(timeout)) == -1) {
                perror("setsockopt");
                exit(1);
            }
            if (connect(d, closed_addr, sizeof(closed_addr)) == -1) {
                perror("connect");
                exit(1);
            }
            printf("d: connect(d, closed port) = 0\n");

            /* send succeeds: the datagram left. The error comes later, asynchronously: 127.0.0.1
             * answers with ICMP port unreachable, and the kernel stores ECONNREFUSED in d's pending
             * error (SO_ERROR), which the next call on d reports, once, and clears. */
            n = send(d, arena.allocateFrom("anyone?"), 7, 0);
            if (n == -1) {
                perror("send");
                exit(1);
            }
            printf("d: send(d, \"anyone?\") = %d: sent, no error yet\n", n);
            n = recv(d, buf, sizeof(buf), 0);
            expect_error("recv(d)", n, ECONNREFUSED);
            printf("d: recv(d) = -1 %s (%s): the ICMP port unreachable, reported to d\n",
                    strerrorname(errno()), strerror(errno()));

            /* e is unconnected and sends the same datagram to the same closed port. The same ICMP
             * comes back, but an unconnected socket may have sent to many addresses, and an errno
             * cannot say which one failed: so the kernel reports the error only to connected
             * sockets (unless the IP_RECVERR option asks for the details, see ip(7)). */
            int e = socket(AF_INET, SOCK_DGRAM, 0);
            if (e == -1) {
                perror("socket");
                exit(1);
            }
            n = sendto(e, arena.allocateFrom("anyone?"), 7, 0, closed_addr, sizeof(closed_addr));
            if (n == -1) {
                perror("sendto");
                exit(1);
            }
            printf("e: sendto(e, \"anyone?\", closed port) = %d\n", n);
            fromlen.set(socklen_t, 0, sizeof(from));
            n = recvfrom(e, buf, sizeof(buf), MSG_DONTWAIT, from, fromlen);
            expect_error("recvfrom(e, MSG_DONTWAIT)", n, EAGAIN);
            printf("e: recvfrom(e, MSG_DONTWAIT) = -1 %s (%s): the unconnected socket never sees the error\n",
                    strerrorname(errno()), strerror(errno()));

            int[] fds = { a, b, c, d, e };
            for (int i = 0; i < 5; i++) {
                if (close(fds[i]) == -1) {
                    perror("close");
                    exit(1);
                }
            }
        }
    }
}
