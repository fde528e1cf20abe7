package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * daytime-server: the daytime service (RFC 867) as the textbooks write it, one forked child
 * per client: the child writes the time as ctime(3) prints it, "%.24s\r\n", and closes.
 * The Java port of native/samples/daytime-server.c, line for line, fork included:
 *
 * <pre>
 * C:    pid_t pid = fork();    if (pid == 0) { close(listenfd); exit(serve(connfd, cliport)); }
 * Java: int pid = fork(() -> {                 close(listenfd); exit(serve(connfd, cliport)); });
 * </pre>
 *
 * <pre>
 * usage: daytime-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; after CLIENTS clients the server waits for its children
 *   and exits.
 * </pre>
 *
 * The parent only accepts: after fork(2) it closes its copy of connfd at once, so that the
 * child's close is the last one and the client sees end of file. The child closes listenfd,
 * which it does not use, and exits with serve()'s status. The children are reaped at the
 * end (a server that runs for ever reaps them as they exit: see tcp-fork-server).
 * Partner: daytime-client.
 */
public final class DaytimeServer {
    private DaytimeServer() {}

    static final int MAXLINE = 64;

    /** The child's work: one line, then close. Returns the exit status. */
    static int serve(int connfd, int port) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buff = arena.allocate(MAXLINE);
            long ticks = time(MemorySegment.NULL);
            snprintf(buff, sizeof(buff), "%.24s\r\n", ctime(ticks));
            long len = strlen(buff);
            if (write(connfd, buff, len) != len) {
                perror("write");
                return 1;
            }
            printf("child: sent %zu bytes to port %d\n", len, port);
            if (close(connfd) == -1) {
                perror("close");
                return 1;
            }
            return 0;
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "daytime-server: " + format + "\nusage: daytime-server PORT CLIENTS\n", args);
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

            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            for (int i = 0; i < clients; i++) {
                len.set(socklen_t, 0, sizeof(cliaddr));
                int connfd = accept(listenfd, cliaddr, len);
                if (connfd == -1) {
                    perror("accept");
                    exit(1);
                }
                int cliport = ntohs(sin_port(cliaddr));
                printf("connection from %s, port %d\n", inet_ntoa(sin_addr(cliaddr)), cliport);

                /* fork(2) returns twice: 0 in the child, the child's pid in the parent. */
                int pid = fork(() -> {
                    close(listenfd);
                    exit(serve(connfd, cliport));
                });
                if (pid == -1) {
                    perror("fork");
                    exit(1);
                }
                if (close(connfd) == -1) {
                    perror("close");
                    exit(1);
                }
            }

            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            MemorySegment status = arena.allocate(C_INT);
            int reaped = 0, failed = 0;
            while (waitpid(-1, status, 0) > 0) {
                reaped++;
                if (!WIFEXITED(status.get(C_INT, 0)) || WEXITSTATUS(status.get(C_INT, 0)) != 0)
                    failed++;
            }
            printf("served %d clients, reaped %d children\n", clients, reaped);
            if (failed > 0) {
                fprintf(stderr, "daytime-server: %d children failed\n", failed);
                exit(1);
            }
        }
    }
}
