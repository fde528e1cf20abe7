package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * nonblock-connect: connect(2) on a non-blocking socket, as the textbooks do it to bound the
 * time a connect may take: connect returns -1 EINPROGRESS at once, poll(2) waits (with a
 * timeout) until the socket is writable, and getsockopt(SO_ERROR) says how the handshake
 * ended: 0, or the errno a blocking connect would have returned.
 * The Java port of native/samples/nonblock-connect.c, line for line.
 *
 * <pre>
 * usage: nonblock-connect
 * </pre>
 *
 * Two connects on 127.0.0.1: to a listening socket, which succeeds, and to a port where
 * nobody listens, which fails with ECONNREFUSED. (A connect that completes at once, as
 * loopback could, returns 0 and needs no poll: the program says so.)
 */
public final class NonblockConnect {
    private NonblockConnect() {}

    /** The names of the poll(2) events set in revents, "POLLOUT|POLLERR", into buf. */
    static MemorySegment events_str(int revents, MemorySegment buf, long size) {
        buf.set(JAVA_BYTE, 0, (byte) '\0');
        if ((revents & POLLIN) != 0)
            strncat(buf, "|POLLIN", size - strlen(buf) - 1);
        if ((revents & POLLOUT) != 0)
            strncat(buf, "|POLLOUT", size - strlen(buf) - 1);
        if ((revents & POLLERR) != 0)
            strncat(buf, "|POLLERR", size - strlen(buf) - 1);
        if ((revents & POLLHUP) != 0)
            strncat(buf, "|POLLHUP", size - strlen(buf) - 1);
        if (buf.get(JAVA_BYTE, 0) == '\0')
            snprintf(buf, size, "|0");
        return buf.asSlice(1);
    }

    /** A TCP socket bound to 127.0.0.1, on a port the kernel chooses. */
    static int bound_socket() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            if (fd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment addr = sockaddr_in.allocate(arena);
            memset(addr, 0, sizeof(addr));
            sin_family(addr, AF_INET);
            sin_port(addr, htons(0));
            s_addr(sin_addr(addr), inet_addr("127.0.0.1"));
            if (bind(fd, addr, sizeof(addr)) == -1) {
                perror("bind");
                exit(1);
            }
            return fd;
        }
    }

    /** The port a socket is bound to. */
    static int port_of(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = sockaddr_in.allocate(arena);
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(addr));
            if (getsockname(fd, addr, len) == -1) {
                perror("getsockname");
                exit(1);
            }
            return ntohs(sin_port(addr));
        }
    }

    /** The non-blocking connect to 127.0.0.1:port, with timeout_ms for the handshake. Returns the
     * connected socket, or -1 with errno set. Prints each step. */
    static int connect_nonblock(int port, int timeout_ms) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            int sockfd = socket(AF_INET, SOCK_STREAM, 0);
            if (sockfd == -1)
                return -1;
            int flags = fcntl(sockfd, F_GETFL);
            if (flags == -1 || fcntl(sockfd, F_SETFL, flags | O_NONBLOCK) == -1)
                return -1;
            MemorySegment addr = sockaddr_in.allocate(arena);
            memset(addr, 0, sizeof(addr));
            sin_family(addr, AF_INET);
            sin_port(addr, htons(port));
            s_addr(sin_addr(addr), inet_addr("127.0.0.1"));
            int r = connect(sockfd, addr, sizeof(addr));
            if (r == 0) {
                printf("connect() = 0: connected at once\n");
                return sockfd;
            }
            if (errno() != EINPROGRESS)
                return -1;
            printf("connect() = -1 %s (%s): the handshake goes on without us\n", strerrorname(errno()), strerror(errno()));

            MemorySegment pfd = pollfd.allocate(arena);
            fd(pfd, sockfd);
            pollfd.events(pfd, (short) POLLOUT);
            int ready = poll(pfd, 1, timeout_ms);
            if (ready == -1)
                return -1;
            if (ready == 0) {
                close(sockfd);
                errno(ETIMEDOUT);
                return -1;
            }
            printf("poll(POLLOUT) = %d, revents %s\n", ready, events_str(revents(pfd), buf, sizeof(buf)));

            /* Writable means the handshake has ended, not that it succeeded: SO_ERROR says. Reading
             * it also clears it. */
            MemorySegment error = arena.allocateFrom(C_INT, 0);
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(error));
            if (getsockopt(sockfd, SOL_SOCKET, SO_ERROR, error, len) == -1)
                return -1;
            printf("getsockopt(SO_ERROR) = %s (%s)\n", error.get(C_INT, 0) == 0 ? "0" : strerrorname(error.get(C_INT, 0)), strerror(error.get(C_INT, 0)));
            if (error.get(C_INT, 0) != 0) {
                close(sockfd);
                errno(error.get(C_INT, 0));
                return -1;
            }
            /* Blocking again, for the code that uses the socket now. */
            if (fcntl(sockfd, F_SETFL, flags) == -1)
                return -1;
            return sockfd;
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "nonblock-connect: " + format + "\nusage: nonblock-connect\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0)
                usage("takes no arguments, got %d", args.length);

            printf("1. to a listening socket\n");
            int listenfd = bound_socket();
            if (listen(listenfd, 5) == -1) {
                perror("listen");
                exit(1);
            }
            int sockfd = connect_nonblock(port_of(listenfd), 5000);
            if (sockfd == -1) {
                perror("connect_nonblock");
                exit(1);
            }
            MemorySegment local = sockaddr_in.allocate(arena), peer = sockaddr_in.allocate(arena);
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(local));
            if (getsockname(sockfd, local, len) == -1) {
                perror("getsockname");
                exit(1);
            }
            len.set(socklen_t, 0, sizeof(peer));
            int connfd = accept(listenfd, peer, len);
            if (connfd == -1) {
                perror("accept");
                exit(1);
            }
            printf("accept(): the peer is our socket: %s\n", sin_port(peer) == sin_port(local) ? "yes" : "no");
            close(connfd);
            close(sockfd);
            close(listenfd);

            printf("2. to a port where nobody listens\n");
            int closedfd = bound_socket(); /* bound, so the port is ours, but never listening */
            sockfd = connect_nonblock(port_of(closedfd), 5000);
            if (sockfd != -1) {
                fprintf(stderr, "nonblock-connect: connected to a closed port\n");
                exit(1);
            }
            printf("connect_nonblock() = -1 %s (%s)\n", strerrorname(errno()), strerror(errno()));
            close(closedfd);
        }
    }
}
