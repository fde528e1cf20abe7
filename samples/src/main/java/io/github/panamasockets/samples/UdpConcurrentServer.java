package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * udp-concurrent-server: the "UDP 并发服务器" of seed 002: the first datagram of a client
 * plays the part of accept, and a new socket, connect()ed to that client, serves it.
 * The Java port of native/samples/udp-concurrent-server.c, line for line.
 *
 * <pre>
 * usage: udp-concurrent-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after serving CLIENTS clients.
 *
 *   sockfd = socket(); bind();
 *   while (1) {
 *       recvfrom(sockfd, &amp;cliaddr);                 like accept: learn who the client is
 *       fork();  child: close(sockfd);
 *                       fd = socket(); connect(fd, &amp;cliaddr);
 *                       while (1) { send(fd); recv(fd); }
 *                       close(fd);
 *   }
 * </pre>
 *
 * The new socket gets its own ephemeral port, so the client sees the replies come from a
 * new port and sends the rest there (udp-client does; TFTP works this way). Being
 * connected, the new socket uses send/recv and only receives from its client (see
 * udp-connected), while sockfd stays free for the first datagrams of other clients.
 *
 * <p>This port, like its twin, does not fork: it runs the child's part itself, so clients are
 * served one after another (the next client's first datagram waits in sockfd's receive queue).
 * The model is the seed's: one new connected socket per client. Partner: udp-client.
 */
public final class UdpConcurrentServer {
    private UdpConcurrentServer() {}

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "udp-concurrent-server: " + format + "\nusage: udp-concurrent-server PORT CLIENTS\n", args);
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

            int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
            if (sockfd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(sockfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(sockfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            printf("listening on port %d\n", ntohs(sin_port(servaddr)));

            /* C's locals of the loop's body: allocated once here, reused each turn. */
            MemorySegment buf = arena.allocate(2048);
            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            MemorySegment local = sockaddr_in.allocate(arena);
            MemorySegment locallen = arena.allocate(socklen_t);
            for (int served = 0; served < clients; served++) {
                /* The client's first datagram, on the well-known socket: it tells us who the client is. */
                addrlen.set(socklen_t, 0, sizeof(cliaddr));
                long n = recvfrom(sockfd, buf, sizeof(buf), 0, cliaddr, addrlen);
                if (n == -1) {
                    perror("recvfrom");
                    exit(1);
                }
                printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));

                /* Here the seed forks, and the child goes on. */

                /* A new socket for this client. connect(2) on UDP sends nothing: it binds the socket
                 * to an ephemeral port (we did not bind it) and records the client as its only peer. */
                int fd = socket(AF_INET, SOCK_DGRAM, 0);
                if (fd == -1) {
                    perror("socket");
                    exit(1);
                }
                if (connect(fd, cliaddr, addrlen.get(socklen_t, 0)) == -1) {
                    perror("connect");
                    exit(1);
                }
                locallen.set(socklen_t, 0, sizeof(local));
                if (getsockname(fd, local, locallen) == -1) {
                    perror("getsockname");
                    exit(1);
                }
                printf("serving it from a new connected socket on port %d\n", ntohs(sin_port(local)));

                /* Serve: echo the datagram in hand, then take the next one, until the empty one,
                 * which is acknowledged with an empty datagram too. send/recv need no address:
                 * the socket is connected. */
                for (;;) {
                    if (n == 0) {
                        printf("empty datagram: the client is done\n");
                        if (send(fd, buf, 0, 0) == -1) {
                            perror("send");
                            exit(1);
                        }
                        break;
                    }
                    printf("received: %s\n", cstring(buf, n));
                    if (send(fd, buf, n, 0) == -1) {
                        perror("send");
                        exit(1);
                    }
                    n = recv(fd, buf, sizeof(buf), 0);
                    if (n == -1) {
                        perror("recv");
                        exit(1);
                    }
                }
                if (close(fd) == -1) {
                    perror("close");
                    exit(1);
                }
            }

            printf("served %d clients\n", clients);
            if (close(sockfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
