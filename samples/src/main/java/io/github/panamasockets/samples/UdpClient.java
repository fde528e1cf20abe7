package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * udp-client: the UDP client of seeds 000, 002 and 004.
 * The Java port of native/samples/udp-client.c, line for line.
 *
 * <pre>
 * usage: udp-client HOST PORT [MESSAGE...]
 *   HOST is a dotted IPv4 address (127.0.0.1); each MESSAGE is sent as one datagram.
 *
 *   sockfd = socket(AF_INET, SOCK_DGRAM, 0);
 *   while (...) { sendto(); recvfrom(); }
 *   close(sockfd);
 * </pre>
 *
 * Each MESSAGE goes out with sendto(2) and its echo comes back with recvfrom(2); then an
 * empty datagram says goodbye and its echo acknowledges it (see udp-server for the
 * protocol). If a reply comes from another port than the one we sent to, as with
 * udp-concurrent-server, the rest of the conversation goes to that port (TFTP works so).
 * Partners: udp-server, udp-concurrent-server.
 *
 * <p>C's argv[i] is args[i - 1] here: Java's args do not hold the program's name.
 */
public final class UdpClient {
    private UdpClient() {}

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "udp-client: " + format + "\nusage: udp-client HOST PORT [MESSAGE...]\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length < 2)
                usage("takes at least 2 arguments, got %d", args.length);
            int port = parse_port(args[1]);
            if (port < 0)
                usage("PORT must be a number from 0 to 65535, not '%s'", args[1]);
            for (int i = 2; i < args.length; i++)
                if (args[i].getBytes(StandardCharsets.UTF_8).length > 1024)
                    usage("MESSAGE %d must be at most 1024 bytes", i - 1);

            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            if (inet_pton(AF_INET, args[0], sin_addr(servaddr)) != 1)
                usage("HOST must be an IPv4 address such as 127.0.0.1, not '%s'", args[0]);

            /* 1. socket(2). No bind: the first sendto binds the socket to an ephemeral port. */
            int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
            if (sockfd == -1) {
                perror("socket");
                exit(1);
            }

            /* UDP is unreliable: a lost datagram, or no server at all, would leave recvfrom waiting
             * forever. SO_RCVTIMEO (socket(7)) makes it give up after 5 s with EAGAIN. */
            MemorySegment timeout = timeval.allocate(arena);
            timeval.tv_sec(timeout, 5);
            timeval.tv_usec(timeout, 0);
            if (setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, timeout, sizeof(timeout)) == -1) {
                perror("setsockopt");
                exit(1);
            }

            /* The messages, then the empty goodbye datagram (i == args.length). */
            MemorySegment buf = arena.allocate(2048);
            MemorySegment from = sockaddr_in.allocate(arena);
            MemorySegment fromlen = arena.allocate(socklen_t);
            for (int i = 2; i <= args.length; i++) {
                MemorySegment msg = arena.allocateFrom(i < args.length ? args[i] : "");
                long len = strnlen(msg);

                /* 2. sendto(2): every datagram names its destination. */
                if (sendto(sockfd, msg, len, 0, servaddr, sizeof(servaddr)) == -1) {
                    perror("sendto");
                    exit(1);
                }

                /* 3. recvfrom(2): the reply, and who sent it. An unconnected socket accepts
                 * datagrams from anyone; a careful client would check the sender's address. */
                fromlen.set(socklen_t, 0, sizeof(from));
                long n = recvfrom(sockfd, buf, sizeof(buf), 0, from, fromlen);
                if (n == -1) {
                    perror("recvfrom");
                    exit(1);
                }
                if (sin_port(from) != sin_port(servaddr)) {
                    printf("the reply came from port %d: talking to that port from now on\n", ntohs(sin_port(from)));
                    servaddr.copyFrom(from);
                }
                if (i < args.length)
                    printf("echo: %s\n", cstring(buf, n));
                else
                    printf("goodbye acknowledged (empty datagram)\n");
            }

            /* 4. close(2). */
            if (close(sockfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
