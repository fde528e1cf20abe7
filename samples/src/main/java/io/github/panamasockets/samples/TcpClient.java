package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.samples.Stdlib.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * tcp-client: the TCP client of seeds 001, 002 and 004: socket - connect.
 * The Java port of native/samples/tcp-client.c, line for line.
 *
 * <pre>
 * usage: tcp-client HOST PORT [MESSAGE...]
 *   HOST is a dotted IPv4 address (127.0.0.1); each MESSAGE is sent as one line.
 * </pre>
 *
 * For each MESSAGE it write(2)s the line MESSAGE + '\n', then recv(2)s until the whole line
 * has come back, and prints it. Then it shuts down its sending side, waits for the server
 * to close, and exits. It works with every TCP server sample: tcp-server, tcp-loop-server,
 * tcp-fork-server, tcp-thread-server and select-server.
 *
 * <p>C's argv[i] is args[i - 1] here: Java's args do not hold the program's name.
 */
public final class TcpClient {
    private TcpClient() {}

    static final int MAXLINE = 1024;

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "tcp-client: " + format + "\nusage: tcp-client HOST PORT [MESSAGE...]\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length < 2)
                usage("takes at least 2 arguments, got %d", args.length);
            int port = parse_port(args[1]);
            if (port < 0)
                usage("PORT must be a number from 0 to 65535, not '%s'", args[1]);
            /* A message travels as one line: it must not hold a newline and must fit in the line. */
            for (int i = 2; i < args.length; i++)
                if (args[i].indexOf('\n') >= 0 || args[i].getBytes(StandardCharsets.UTF_8).length > MAXLINE - 2)
                    usage("MESSAGE %d must be one line of at most %d bytes", i - 1, MAXLINE - 2);

            /* The server's address. inet_pton(3) reports a malformed address (it returns 0), where
             * inet_addr(3) answers INADDR_NONE, which is also the valid address 255.255.255.255. */
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            if (inet_pton(AF_INET, args[0], sin_addr(servaddr)) != 1)
                usage("HOST must be an IPv4 address such as 127.0.0.1, not '%s'", args[0]);

            /* 1. socket(2). */
            int sockfd = socket(AF_INET, SOCK_STREAM, 0);
            if (sockfd == -1) {
                perror("socket");
                exit(1);
            }

            /* 2. connect(2): the three-way handshake. A client need not bind(2): connect picks an
             * ephemeral local port. It fails with ECONNREFUSED if nobody listens on that port. */
            if (connect(sockfd, servaddr, sizeof(servaddr)) == -1) {
                perror("connect");
                exit(1);
            }
            printf("connected to %s port %d\n", args[0], port);

            /* 3. One line out with write(2), the echo back with recv(2). */
            MemorySegment line = arena.allocate(MAXLINE);
            for (int i = 2; i < args.length; i++) {
                MemorySegment arg = arena.allocateFrom(args[i]); /* argv[i]: a C string */
                long len = strnlen(arg);
                MemorySegment.copy(arg, 0, line, 0, len);
                line.set(JAVA_BYTE, len++, (byte) '\n');
                for (long off = 0; off < len;) {
                    long n = write(sockfd, line.asSlice(off), len - off);
                    if (n == -1) {
                        perror("write");
                        exit(1);
                    }
                    off += n;
                }

                /* The echo may arrive in pieces (TCP keeps no message boundaries): recv until the
                 * '\n'. recv returning 0 means the server closed the connection. */
                long got = 0;
                while (got == 0 || line.get(JAVA_BYTE, got - 1) != '\n') {
                    long n = recv(sockfd, line.asSlice(got), sizeof(line) - got, 0);
                    if (n == -1) {
                        perror("recv");
                        exit(1);
                    }
                    if (n == 0) {
                        fprintf(stderr, "tcp-client: the server closed the connection before the echo\n");
                        exit(1);
                    }
                    got += n;
                }
                printf("echo: %s\n", cstring(line, got - 1));
            }

            /* 4. shutdown(2) with SHUT_WR: "no more data from me". It sends FIN, so the server's
             * read returns 0, but we can still receive. Waiting for the server's own FIN (recv
             * returns 0) means the server has finished with us before we exit. */
            if (shutdown(sockfd, SHUT_WR) == -1) {
                perror("shutdown");
                exit(1);
            }
            for (;;) {
                long n = recv(sockfd, line, sizeof(line), 0);
                if (n == -1) {
                    perror("recv");
                    exit(1);
                }
                if (n == 0)
                    break;
            }
            printf("server closed the connection\n");

            /* 5. close(2). */
            if (close(sockfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
