package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.samples.Stdlib.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * daytime-client: the daytime client of the textbooks: connect, read until the server closes.
 * The Java port of native/samples/daytime-client.c, line for line.
 *
 * <pre>
 * usage: daytime-client HOST PORT
 *   HOST is a dotted IPv4 address (127.0.0.1).
 * </pre>
 *
 * The time differs from run to run, so the client prints what it checked about the line,
 * not the line: its length, its "\r\n" end, and the seven fields sscanf(3) finds in
 * ctime's format, "Thu Nov 26 01:02:03 2026". Partner: daytime-server.
 */
public final class DaytimeClient {
    private DaytimeClient() {}

    static final int MAXLINE = 64;

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "daytime-client: " + format + "\nusage: daytime-client HOST PORT\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 2)
                usage("takes 2 arguments, got %d", args.length);
            int port = parse_int(args[1], 0, 65535);
            if (port < 0)
                usage("PORT must be a number from %d to %d, not '%s'", 0, 65535, args[1]);
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            if (inet_pton(AF_INET, args[0], sin_addr(servaddr)) != 1)
                usage("HOST must be an IPv4 address such as 127.0.0.1, not '%s'", args[0]);

            int sockfd = socket(AF_INET, SOCK_STREAM, 0);
            if (sockfd == -1) {
                perror("socket");
                exit(1);
            }
            if (connect(sockfd, servaddr, sizeof(servaddr)) == -1) {
                perror("connect");
                exit(1);
            }

            /* The server writes one line and closes: read until read(2) returns 0. */
            MemorySegment recvline = arena.allocate(MAXLINE + 1);
            long got = 0;
            long n;
            while ((n = read(sockfd, recvline.asSlice(got), MAXLINE - got)) > 0)
                got += n;
            if (n == -1) {
                perror("read");
                exit(1);
            }
            recvline.set(JAVA_BYTE, got, (byte) '\0');
            printf("received %zu bytes, then end of file\n", got);

            MemorySegment wday = arena.allocate(4), mon = arena.allocate(4);
            MemorySegment mday = arena.allocate(C_INT), hour = arena.allocate(C_INT), min = arena.allocate(C_INT), sec = arena.allocate(C_INT), year = arena.allocate(C_INT);
            int fields = sscanf(recvline, "%3s %3s %d %d:%d:%d %d", wday, mon, mday, hour, min, sec, year);
            boolean crlf = got >= 2 && strcmp(recvline.asSlice(got - 2), "\r\n") == 0;
            printf("a ctime line: %d fields, ends in CR LF: %s\n", fields, crlf ? "yes" : "no");
            if (fields != 7 || !crlf) {
                fprintf(stderr, "daytime-client: not a daytime line: %s\n", recvline);
                exit(1);
            }
            if (close(sockfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
