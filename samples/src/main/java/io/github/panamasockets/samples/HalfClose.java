package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.C_LONG;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * half-close: shutdown(2) with SHUT_WR, the half-close of a TCP connection: "I have no more
 * to send, but I still read". The textbooks' request-to-EOF exchange: the client sends its
 * whole request and half-closes; the server reads until read(2) returns 0 (end of file is
 * the end of the request), answers, and closes; the client reads the answer to end of file.
 * The Java port of native/samples/half-close.c, line for line.
 *
 * <pre>
 * usage: half-close
 * </pre>
 *
 * Both ends live in this one process on 127.0.0.1, one step after the other: everything
 * fits in the socket buffers, so no step waits for the other end. The request is three lines;
 * the answer, built with snprintf(3), counts them and their bytes, and the client reads the
 * counts back with sscanf(3). After its half-close the client's own send fails with EPIPE
 * (MSG_NOSIGNAL: no SIGPIPE), while the server can still send to it.
 */
public final class HalfClose {
    private HalfClose() {}

    static final int MAXLINE = 256;

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "half-close: " + format + "\nusage: half-close\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0)
                usage("takes no arguments, got %d", args.length);

            int listenfd = socket(AF_INET, SOCK_STREAM, 0);
            if (listenfd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment addr = sockaddr_in.allocate(arena);
            memset(addr, 0, sizeof(addr));
            sin_family(addr, AF_INET);
            sin_port(addr, htons(0));
            s_addr(sin_addr(addr), inet_addr("127.0.0.1"));
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(addr));
            if (bind(listenfd, addr, sizeof(addr)) == -1 || listen(listenfd, 1) == -1
                || getsockname(listenfd, addr, len) == -1) {
                perror("bind");
                exit(1);
            }
            int client = socket(AF_INET, SOCK_STREAM, 0);
            if (client == -1 || connect(client, addr, sizeof(addr)) == -1) {
                perror("connect");
                exit(1);
            }
            int server = accept(listenfd, MemorySegment.NULL, MemorySegment.NULL);
            if (server == -1) {
                perror("accept");
                exit(1);
            }

            /* The client: the request, then the half-close. */
            String[] request = {"first line", "second line", "third and last line"};
            MemorySegment line = arena.allocate(MAXLINE);
            for (int i = 0; i < 3; i++) {
                int n = snprintf(line, sizeof(line), "%s\n", request[i]);
                if (write(client, line, n) != n) {
                    perror("write");
                    exit(1);
                }
            }
            if (shutdown(client, SHUT_WR) == -1) {
                perror("shutdown");
                exit(1);
            }
            printf("client: sent 3 lines, then shutdown(SHUT_WR)\n");
            long r = send(client, arena.allocateFrom("more"), 4, MSG_NOSIGNAL);
            printf("client: send() after the half-close = %zd %s (%s)\n", r, strerrorname(errno()), strerror(errno()));

            /* The server: read to end of file, counting lines and bytes. */
            MemorySegment buf = arena.allocate(MAXLINE);
            int lines = 0;
            long bytes = 0;
            long n;
            while ((n = read(server, buf, sizeof(buf))) > 0) {
                for (long i = 0; i < n; i++)
                    if (buf.get(JAVA_BYTE, i) == '\n')
                        lines++;
                bytes += n;
            }
            if (n == -1) {
                perror("read");
                exit(1);
            }
            printf("server: read() = 0, end of file: the request is complete\n");
            int answer = snprintf(line, sizeof(line), "lines=%d bytes=%ld\n", lines, bytes);
            if (write(server, line, answer) != answer) {
                perror("write");
                exit(1);
            }
            printf("server: answered on the half-closed connection and closed it\n");
            if (close(server) == -1) {
                perror("close");
                exit(1);
            }

            /* The client: read the answer to end of file. */
            long got = 0;
            while ((n = read(client, buf.asSlice(got), sizeof(buf) - 1 - got)) > 0)
                got += n;
            if (n == -1) {
                perror("read");
                exit(1);
            }
            buf.set(JAVA_BYTE, got, (byte) '\0');
            buf.set(JAVA_BYTE, strcspn(buf, "\n"), (byte) '\0');
            MemorySegment rlines = arena.allocate(C_INT);
            MemorySegment rbytes = arena.allocate(C_LONG);
            if (sscanf(buf, "lines=%d bytes=%ld", rlines, rbytes) != 2) {
                fprintf(stderr, "half-close: a bad answer: %s\n", buf);
                exit(1);
            }
            printf("client: read the answer \"%s\" to end of file: %d lines, %ld bytes\n", buf, rlines.get(C_INT, 0), rbytes.get(C_LONG, 0));
            close(client);
            close(listenfd);
        }
    }
}
