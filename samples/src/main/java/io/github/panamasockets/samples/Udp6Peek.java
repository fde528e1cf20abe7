package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in6;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * udp6-peek: UDP over IPv6 on ::1, and how big the next datagram is before reading it:
 * recv(2) with MSG_PEEK | MSG_TRUNC returns the datagram's real length and leaves it queued;
 * a read into a buffer too small truncates the datagram (the rest is lost), and MSG_TRUNC
 * makes recvfrom return the real length even then (Linux, udp(7)).
 * The Java port of native/samples/udp6-peek.c, line for line.
 *
 * <pre>
 * usage: udp6-peek
 * </pre>
 *
 * Two sockets in this one process, both bound to ::1 on ports the kernel chooses: the sender
 * sends three datagrams, the receiver peeks at each one's size, then reads it into a 16-byte
 * buffer. A machine without IPv6 fails at socket() or bind(): the program says so and exits
 * with status 77 (skipped).
 */
public final class Udp6Peek {
    private Udp6Peek() {}

    static final int SMALL = 16;

    /** A UDP socket bound to ::1, on a port the kernel chooses; its address in addr. */
    static int bound_socket(MemorySegment addr) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = socket(AF_INET6, SOCK_DGRAM, 0);
            if (fd == -1) {
                printf("socket(AF_INET6) = -1 %s (%s)\nskipped: no IPv6 here\n", strerrorname(errno()), strerror(errno()));
                exit(77);
            }
            memset(addr, 0, sizeof(addr));
            sin6_family(addr, AF_INET6);
            sin6_port(addr, htons(0));
            sin6_addr(addr).copyFrom(in6addr_loopback);
            if (bind(fd, addr, sizeof(addr)) == -1) {
                printf("bind(::1) = -1 %s (%s)\nskipped: no IPv6 loopback here\n", strerrorname(errno()), strerror(errno()));
                exit(77);
            }
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(addr));
            if (getsockname(fd, addr, len) == -1) {
                perror("getsockname");
                exit(1);
            }
            return fd;
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "udp6-peek: " + format + "\nusage: udp6-peek\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0)
                usage("takes no arguments, got %d", args.length);

            MemorySegment raddr = sockaddr_in6.allocate(arena), saddr = sockaddr_in6.allocate(arena);
            int receiver = bound_socket(raddr);
            int sender = bound_socket(saddr);

            String[] messages = {"short", "exactly sixteen!", "a datagram longer than the receiver's buffer"};
            for (int i = 0; i < 3; i++) {
                long n = sendto(sender, arena.allocateFrom(messages[i]), strlen(messages[i]), 0, raddr, sizeof(raddr));
                if (n == -1) {
                    perror("sendto");
                    exit(1);
                }
                printf("sent %zd bytes\n", n);
            }

            MemorySegment buf = arena.allocate(SMALL + 1);
            MemorySegment addrstr = arena.allocate(INET6_ADDRSTRLEN);
            MemorySegment from = sockaddr_in6.allocate(arena);
            MemorySegment len = arena.allocate(socklen_t);
            for (int i = 0; i < 3; i++) {
                /* How long is the next datagram? No buffer at all: MSG_TRUNC reports the length. */
                long size = recv(receiver, MemorySegment.NULL, 0, MSG_PEEK | MSG_TRUNC);
                if (size == -1) {
                    perror("recv");
                    exit(1);
                }
                len.set(socklen_t, 0, sizeof(from));
                long n = recvfrom(receiver, buf, SMALL, MSG_TRUNC, from, len);
                if (n == -1) {
                    perror("recvfrom");
                    exit(1);
                }
                long got = n < SMALL ? n : SMALL;
                buf.set(JAVA_BYTE, got, (byte) '\0');
                if (inet_ntop(AF_INET6, sin6_addr(from), addrstr, sizeof(addrstr)).equals(MemorySegment.NULL)) {
                    perror("inet_ntop");
                    exit(1);
                }
                printf("peeked: %zd bytes; recvfrom(%d-byte buffer, MSG_TRUNC) = %zd from [%s] (loopback: %s), sender's port: %s\n",
                       size, SMALL, n, addrstr, IN6_IS_ADDR_LOOPBACK(sin6_addr(from)) ? "yes" : "no",
                       sin6_port(from) == sin6_port(saddr) ? "yes" : "no");
                printf("  kept \"%s\"%s\n", buf, n > SMALL ? ", the rest is gone" : "");
            }

            /* Nothing left: the three reads took three datagrams, whatever their sizes. */
            long n = recv(receiver, buf, SMALL, MSG_DONTWAIT);
            printf("recv(MSG_DONTWAIT) = %zd %s: the queue is empty\n", n, n == -1 ? strerrorname(errno()) : "");
            close(sender);
            close(receiver);
        }
    }
}
