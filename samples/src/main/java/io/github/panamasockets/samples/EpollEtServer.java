package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * epoll-et-server: an echo server on epoll(7) in edge-triggered mode (EPOLLET).
 * The Java port of native/samples/epoll-et-server.c, line for line.
 *
 * <pre>
 * usage: epoll-et-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server stops accepting after CLIENTS clients and
 *   exits when the last of them has closed.
 * </pre>
 *
 * Edge-triggered, epoll_wait reports a descriptor when it becomes ready, not while it stays
 * ready: after an event the server must drain it, accept(2) or read(2) until -1 EAGAIN, or
 * what is left is never reported again. So every socket is non-blocking (a blocking read
 * past the last byte would hang the whole server). Partner: tcp-client.
 */
public final class EpollEtServer {
    private EpollEtServer() {}

    static final int MAXEVENTS = 16;
    static final int MAXFD = 1024;

    static final long[] echoed = new long[MAXFD]; /* per descriptor: bytes echoed so far */
    static final int[] ports = new int[MAXFD];    /* per descriptor: the client's port */

    static void set_nonblocking(int fd) {
        int flags = fcntl(fd, F_GETFL);
        if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
            perror("fcntl");
            exit(1);
        }
    }

    /** Echo what a client sent, reading until EAGAIN, counting in echoed[fd]. Returns 0, or -1
     * when the client has closed (read returned 0). */
    static int drain(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            for (;;) {
                long n = read(fd, buf, sizeof(buf));
                if (n == -1) {
                    if (errno() == EAGAIN || errno() == EWOULDBLOCK)
                        return 0;
                    perror("read");
                    exit(1);
                }
                if (n == 0)
                    return -1;
                /* A client that reads what we send keeps our send buffer from filling: one write. */
                if (write(fd, buf, n) != n) {
                    perror("write");
                    exit(1);
                }
                echoed[fd] += n;
            }
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "epoll-et-server: " + format + "\nusage: epoll-et-server PORT CLIENTS\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 2)
                usage("takes 2 arguments, got %d", args.length);
            int port = parse_int(args[0], 0, 65535);
            if (port < 0)
                usage("PORT must be a number from %d to %d, not '%s'", 0, 65535, args[0]);
            int clients = parse_int(args[1], 1, 1000000);
            if (clients < 0)
                usage("CLIENTS must be a number from %d to %d, not '%s'", 1, 1000000, args[1]);

            int listenfd = socket(AF_INET, SOCK_STREAM, 0);
            if (listenfd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment on = arena.allocateFrom(C_INT, 1);
            if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, on, sizeof(on)) == -1) {
                perror("setsockopt");
                exit(1);
            }
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(listenfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }
            if (listen(listenfd, 5) == -1) {
                perror("listen");
                exit(1);
            }
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, len) == -1) {
                perror("getsockname");
                exit(1);
            }
            printf("listening on port %d\n", ntohs(sin_port(servaddr)));
            set_nonblocking(listenfd);

            int epfd = epoll_create1(0);
            if (epfd == -1) {
                perror("epoll_create1");
                exit(1);
            }
            MemorySegment ev = epoll_event.allocate(arena);
            memset(ev, 0, sizeof(ev));
            events(ev, EPOLLIN | EPOLLET);
            data_fd(ev, listenfd);
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, listenfd, ev) == -1) {
                perror("epoll_ctl");
                exit(1);
            }

            MemorySegment events = epoll_event.allocateArray(MAXEVENTS, arena);
            int accepted = 0, open = 0;
            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            while (accepted < clients || open > 0) {
                int n = epoll_wait(epfd, events, MAXEVENTS, -1);
                if (n == -1) {
                    perror("epoll_wait");
                    exit(1);
                }
                for (int i = 0; i < n; i++) {
                    int fd = data_fd(epoll_event.asSlice(events, i));
                    if (fd == listenfd) {
                        /* Every connection waiting, until accept says EAGAIN. */
                        for (;;) {
                            len.set(socklen_t, 0, sizeof(cliaddr));
                            int connfd = accept(listenfd, cliaddr, len);
                            if (connfd == -1) {
                                if (errno() == EAGAIN || errno() == EWOULDBLOCK)
                                    break;
                                perror("accept");
                                exit(1);
                            }
                            if (connfd >= MAXFD) {
                                fprintf(stderr, "epoll-et-server: descriptor %d too high\n", connfd);
                                exit(1);
                            }
                            printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));
                            set_nonblocking(connfd);
                            events(ev, EPOLLIN | EPOLLET);
                            data_fd(ev, connfd);
                            if (epoll_ctl(epfd, EPOLL_CTL_ADD, connfd, ev) == -1) {
                                perror("epoll_ctl");
                                exit(1);
                            }
                            echoed[connfd] = 0;
                            ports[connfd] = ntohs(sin_port(cliaddr));
                            accepted++;
                            open++;
                        }
                        if (accepted >= clients && epoll_ctl(epfd, EPOLL_CTL_DEL, listenfd, MemorySegment.NULL) == -1) {
                            perror("epoll_ctl");
                            exit(1);
                        }
                    } else {
                        if (drain(fd) == 0)
                            continue;
                        /* Closing the descriptor also takes it out of the epoll set. */
                        printf("client port:%d closed, %ld bytes echoed\n", ports[fd], echoed[fd]);
                        if (close(fd) == -1) {
                            perror("close");
                            exit(1);
                        }
                        open--;
                    }
                }
            }
            close(epfd);
            close(listenfd);
            printf("served %d clients\n", clients);
        }
    }
}
