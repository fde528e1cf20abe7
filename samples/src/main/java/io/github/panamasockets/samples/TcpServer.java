package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * tcp-server: the TCP server of seeds 001, 002 and 004: socket - bind - listen - accept.
 * The Java port of native/samples/tcp-server.c, line for line.
 *
 * <pre>
 * usage: tcp-server PORT
 *   PORT 0 lets the kernel choose a free port; the first line printed says which.
 * </pre>
 *
 * It accepts one client, prints the client's address, and echoes every line the client
 * sends until the client closes its side of the connection. Its partner is tcp-client.
 *
 * <p>The echo protocol: the client write(2)s one line ending in '\n' and waits for it to come
 * back; this server read(2)s the line and sends it back with send(2); the client takes the
 * reply with recv(2). So both pairs appear: write/read one way, send/recv the other.
 * send and recv are write and read with a flags argument; with flags 0 they do the same.
 */
public final class TcpServer {
    private TcpServer() {}

    static final int MAXLINE = 1024;

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "tcp-server: " + format + "\nusage: tcp-server PORT\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 1)
                usage("takes 1 argument, got %d", args.length);
            int port = parse_port(args[0]);
            if (port < 0)
                usage("PORT must be a number from 0 to 65535, not '%s'", args[0]);

            /* 1. socket(2): a TCP endpoint. It is only a file descriptor: no address, no port yet. */
            int listenfd = socket(AF_INET, SOCK_STREAM, 0);
            if (listenfd == -1) {
                perror("socket");
                exit(1);
            }

            /* SO_REUSEADDR (socket(7)): without it, restarting the server on a fixed port fails with
             * EADDRINUSE while connections of the previous run sit in TIME_WAIT (see tcp-states). */
            MemorySegment on = arena.allocateFrom(C_INT, 1);
            if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, on, sizeof(on)) == -1) {
                perror("setsockopt");
                exit(1);
            }

            /* 2. bind(2): give the socket our address. sockaddr_in holds the port and the address in
             * network byte order (big endian): htons() converts the port, inet_addr() the dotted quad.
             * The samples stay on loopback; INADDR_ANY would listen on every interface. */
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(listenfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }

            /* 3. listen(2): from active to passive socket. The kernel now completes three-way
             * handshakes on its own and queues the connections; backlog (5, as in the seeds) bounds
             * that queue (see backlog). */
            if (listen(listenfd, 5) == -1) {
                perror("listen");
                exit(1);
            }

            /* With port 0, bind chose the port: getsockname(2) tells which. addrlen is value-result:
             * in, the size of our buffer; out, the size of the address the kernel wrote. */
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            printf("listening on port %d\n", ntohs(sin_port(servaddr)));

            /* 4. accept(2): block until the queue of completed connections holds one, take it off
             * the queue and return a NEW descriptor for it. listenfd keeps listening. */
            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            addrlen.set(socklen_t, 0, sizeof(cliaddr));
            int connfd = accept(listenfd, cliaddr, addrlen);
            if (connfd == -1) {
                perror("accept");
                exit(1);
            }
            printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));

            /* 5. Exchange data on connfd. */
            MemorySegment line = arena.allocate(MAXLINE);
            for (;;) {
                /* TCP is a byte stream, not a stream of messages: one read(2) may return part of a
                 * line. Read until the line is complete. Whatever arrives belongs to this line,
                 * because the client sends one line and then waits for the echo. */
                long len = 0;
                while (len < sizeof(line) && (len == 0 || line.get(JAVA_BYTE, len - 1) != '\n')) {
                    long n = read(connfd, line.asSlice(len), sizeof(line) - len);
                    if (n == -1) {
                        perror("read");
                        exit(1);
                    }
                    if (n == 0)
                        break; /* end of file: the client sent FIN (shutdown or close) */
                    len += n;
                }
                if (len == 0)
                    break;

                long shown = line.get(JAVA_BYTE, len - 1) == '\n' ? len - 1 : len;
                printf("received: %s\n", cstring(line, shown));

                /* send(2) on a blocking socket returns once all bytes are queued, unless a signal
                 * interrupts it; loop so that a short count is never lost. */
                for (long off = 0; off < len;) {
                    long n = send(connfd, line.asSlice(off), len - off, 0);
                    if (n == -1) {
                        perror("send");
                        exit(1);
                    }
                    off += n;
                }
            }
            printf("client closed the connection\n");

            /* 6. close(2): our FIN goes out; the client's recv returns 0. */
            if (close(connfd) == -1) {
                perror("close");
                exit(1);
            }
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
