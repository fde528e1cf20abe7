package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.addrinfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_LONG;
import static io.github.panamasockets.bindings.sockets_h.C_POINTER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * gai-client: the client half of gai-server: getaddrinfo(3) turns a name (or a numeric
 * address of either family) and a port into a list of addresses to try, one after another,
 * until a connect succeeds, as the textbooks (and Beej's guide) write it.
 * The Java port of native/samples/gai-client.c, line for line.
 *
 * <pre>
 * usage: gai-client HOST PORT [MESSAGE...]
 *   HOST: a name (localhost) or an address (::1, 127.0.0.1); each MESSAGE is sent as a line.
 * </pre>
 *
 * hints.ai_family = AF_UNSPEC: IPv6 and IPv4 results alike, in the order getaddrinfo sorts
 * them (RFC 6724). Each attempt is printed, so a refused address shows before the next one.
 * For each MESSAGE the server answers "LENGTH MESSAGE"; the client checks the length with
 * sscanf(3) and prints the reply. Partner: gai-server.
 */
public final class GaiClient {
    private GaiClient() {}

    static final int MAXLINE = 1024;

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "gai-client: " + format + "\nusage: gai-client HOST PORT [MESSAGE...]\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length < 2)
                usage("takes at least 2 arguments, got %d", args.length);

            MemorySegment hints = addrinfo.allocate(arena);
            memset(hints, 0, sizeof(hints));
            ai_family(hints, AF_UNSPEC);
            ai_socktype(hints, SOCK_STREAM);
            ai_flags(hints, AI_NUMERICSERV);
            MemorySegment res = arena.allocate(C_POINTER);
            int err = getaddrinfo(args[0], args[1], hints, res);
            if (err != 0) {
                fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
                exit(1);
            }

            int sockfd = -1;
            MemorySegment host = arena.allocate(NI_MAXHOST);
            for (MemorySegment p = res.get(C_POINTER, 0); !p.equals(MemorySegment.NULL); p = ai_next(p)) {
                getnameinfo(ai_addr(p), ai_addrlen(p), host, sizeof(host), MemorySegment.NULL, 0, NI_NUMERICHOST);
                String family = ai_family(p) == AF_INET6 ? "IPv6" : "IPv4";
                sockfd = socket(ai_family(p), ai_socktype(p), ai_protocol(p));
                if (sockfd == -1) {
                    printf("socket(%s): %s\n", family, strerror(errno()));
                    continue;
                }
                if (connect(sockfd, ai_addr(p), ai_addrlen(p)) == -1) {
                    printf("connect to %s: %s\n", host, strerror(errno()));
                    close(sockfd);
                    sockfd = -1;
                    continue;
                }
                printf("connected to %s port %s (%s)\n", host, args[1], family);
                break;
            }
            freeaddrinfo(res.get(C_POINTER, 0));
            if (sockfd == -1) {
                fprintf(stderr, "gai-client: could not connect to %s port %s\n", args[0], args[1]);
                exit(1);
            }

            MemorySegment line = arena.allocate(MAXLINE);
            MemorySegment reply = arena.allocate(MAXLINE + 32);
            MemorySegment count = arena.allocate(C_LONG);
            for (int i = 3; i < args.length + 1; i++) { /* C's argc and argv[i]: args has no program name */
                int len = snprintf(line, sizeof(line), "%s\n", args[i - 1]);
                if (len >= (int)sizeof(line)) {
                    fprintf(stderr, "gai-client: message %d is too long\n", i - 2);
                    exit(1);
                }
                if (write(sockfd, line, len) != len) {
                    perror("write");
                    exit(1);
                }
                long got = 0;
                while (got == 0 || reply.get(JAVA_BYTE, got - 1) != '\n') {
                    long n = read(sockfd, reply.asSlice(got), sizeof(reply) - 1 - got);
                    if (n == -1) {
                        perror("read");
                        exit(1);
                    }
                    if (n == 0) {
                        fprintf(stderr, "gai-client: the server closed the connection\n");
                        exit(1);
                    }
                    got += n;
                }
                reply.set(JAVA_BYTE, got, (byte) '\0');
                reply.set(JAVA_BYTE, strcspn(reply, "\n"), (byte) '\0');
                if (sscanf(reply, "%zu", count) != 1 || count.get(C_LONG, 0) != strlen(args[i - 1])) {
                    fprintf(stderr, "gai-client: bad reply: %s\n", reply);
                    exit(1);
                }
                printf("reply: %s\n", reply);
            }
            if (close(sockfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
