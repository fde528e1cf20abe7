package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * tcp-loop-server: the iterative ("循环") TCP server of seed 002.
 * The Java port of native/samples/tcp-loop-server.c, line for line.
 *
 * <pre>
 * usage: tcp-loop-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after serving CLIENTS clients.
 *
 *   listenfd = socket(); bind(); listen();
 *   while (1) {
 *       connfd = accept();                      blocks
 *       while (1) { recv(); send(); }           until recv returns 0
 *       close(connfd);
 *   }
 * </pre>
 *
 * One client at a time: while it serves one, the next ones wait in the listen queue
 * (their connect has already succeeded: the kernel did the handshake). Partner: tcp-client.
 */
public final class TcpLoopServer {
    private TcpLoopServer() {}

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "tcp-loop-server: " + format + "\nusage: tcp-loop-server PORT CLIENTS\n", args);
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

            /* C's arrays on the stack of the loop's body: allocated once here, reused each turn. */
            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            MemorySegment buf = arena.allocate(4096);
            for (int served = 0; served < clients; served++) {
                /* accept(2) blocks until a client's handshake has completed. */
                addrlen.set(socklen_t, 0, sizeof(cliaddr)); /* value-result: reset before every call */
                int connfd = accept(listenfd, cliaddr, addrlen);
                if (connfd == -1) {
                    perror("accept");
                    exit(1);
                }
                printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));

                /* Echo whatever arrives, in the pieces it arrives in, until recv(2) returns 0: the
                 * client has sent FIN (close or shutdown). The server does not care about lines. */
                long echoed = 0;
                for (;;) {
                    long n = recv(connfd, buf, sizeof(buf), 0);
                    if (n == -1) {
                        perror("recv");
                        exit(1);
                    }
                    if (n == 0)
                        break;
                    for (long off = 0; off < n;) {
                        long w = send(connfd, buf.asSlice(off), n - off, 0);
                        if (w == -1) {
                            perror("send");
                            exit(1);
                        }
                        off += w;
                    }
                    echoed += n;
                }
                printf("client port:%d closed, %d bytes echoed\n", ntohs(sin_port(cliaddr)), echoed);
                if (close(connfd) == -1) {
                    perror("close");
                    exit(1);
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
