package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * select-server: the I/O multiplexing ("IO多路复用") server of seed 002: one process, one
 * thread, many clients, with select(2).
 * The Java port of native/samples/select-server.c, line for line.
 *
 * <pre>
 * usage: select-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server stops accepting after CLIENTS clients and
 *   exits when the last of them has closed.
 *
 *   socket() bind() listen()
 *   while (1) {
 *       fill the set of descriptors to watch (FD_ZERO, FD_SET)
 *       select()                              sleeps until one of them is readable
 *       if (FD_ISSET(listenfd, &amp;rset))        a connection is waiting: accept() won't block
 *       for each client fd with FD_ISSET      data or FIN is waiting: recv() won't block
 *   }
 * </pre>
 *
 * Partner: tcp-client (several at once, to see the point of it).
 */
public final class SelectServer {
    private SelectServer() {}

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "select-server: " + format + "\nusage: select-server PORT CLIENTS\n", args);
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
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            printf("listening on port %d\n", ntohs(sin_port(servaddr)));

            /* allset: every descriptor we watch. An fd_set is a bitmap of FD_SETSIZE (1024) bits:
             * select can only watch descriptors below FD_SETSIZE (poll and epoll have no such limit). */
            MemorySegment allset = fd_set.allocate(arena);
            FD_ZERO(allset);
            FD_SET(listenfd, allset);
            int maxfd = listenfd;

            /* What we know about each connected client, indexed by its descriptor. */
            MemorySegment peer = sockaddr_in.allocateArray(FD_SETSIZE, arena);
            long[] echoed = new long[FD_SETSIZE];

            /* C's locals of the loop's body: allocated once here, reused each turn. */
            MemorySegment rset = fd_set.allocate(arena);
            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            MemorySegment buf = arena.allocate(4096);
            int accepted = 0;
            int connected = 0;
            while (accepted < clients || connected > 0) {
                /* select(2) overwrites the sets it is given with the ready subset, so it gets a copy.
                 * Its first argument is the highest descriptor plus one, not a count. */
                rset.copyFrom(allset);
                if (select(maxfd + 1, rset, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL) == -1) {
                    perror("select");
                    exit(1);
                }

                /* The listening socket is "readable" when a completed connection is queued. */
                if (accepted < clients && FD_ISSET(listenfd, rset)) {
                    addrlen.set(socklen_t, 0, sizeof(cliaddr));
                    int connfd = accept(listenfd, cliaddr, addrlen);
                    if (connfd == -1) {
                        perror("accept");
                        exit(1);
                    }
                    if (connfd >= FD_SETSIZE) {
                        fprintf(stderr, "select-server: descriptor %d does not fit in an fd_set\n", connfd);
                        exit(1);
                    }
                    printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));
                    FD_SET(connfd, allset);
                    if (connfd > maxfd)
                        maxfd = connfd;
                    sockaddr_in.asSlice(peer, connfd).copyFrom(cliaddr);
                    echoed[connfd] = 0;
                    accepted++;
                    connected++;
                    /* Enough clients: stop watching the listening socket. Later connections would
                     * wait in its queue until it is closed (then they are reset). */
                    if (accepted == clients)
                        FD_CLR(listenfd, allset);
                }

                /* Every ready client: one recv, which will not block, then echo what came. */
                for (int fd = 0; fd <= maxfd; fd++) {
                    if (fd == listenfd || !FD_ISSET(fd, rset))
                        continue;
                    long n = recv(fd, buf, sizeof(buf), 0);
                    if (n == -1) {
                        perror("recv");
                        exit(1);
                    }
                    if (n == 0) {
                        /* FIN: the client is done. Forget the descriptor before closing it. */
                        printf("client port:%d closed, %d bytes echoed\n", ntohs(sin_port(sockaddr_in.asSlice(peer, fd))), echoed[fd]);
                        FD_CLR(fd, allset);
                        if (close(fd) == -1) {
                            perror("close");
                            exit(1);
                        }
                        connected--;
                        continue;
                    }
                    /* A blocking send to a client that does not read would stall every client; a
                     * production server makes the sockets non-blocking and also watches writability. */
                    for (long off = 0; off < n;) {
                        long w = send(fd, buf.asSlice(off), n - off, 0);
                        if (w == -1) {
                            perror("send");
                            exit(1);
                        }
                        off += w;
                    }
                    echoed[fd] += n;
                }
            }

            printf("served %d clients\n", clients);
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
