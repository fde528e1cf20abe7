package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * udp-server: the UDP server ("UDP 循环服务器") of seeds 000, 002 and 004.
 * The Java port of native/samples/udp-server.c, line for line.
 *
 * <pre>
 * usage: udp-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after CLIENTS clients have said goodbye.
 *
 *   sockfd = socket(AF_INET, SOCK_DGRAM, 0); bind();
 *   while (1) { recvfrom(&amp;cliaddr); process(); sendto(cliaddr); }
 * </pre>
 *
 * No listen, no accept, no connection: one socket receives the datagrams of every client,
 * and recvfrom(2) says who sent each one, so that sendto(2) can answer it.
 *
 * <p>The echo protocol (shared with udp-client and udp-concurrent-server): each datagram is
 * echoed back as it came. A client ends with an empty (0-byte) datagram, which is echoed
 * too, as an acknowledgement. UDP keeps message boundaries, so an empty datagram is a real
 * message: recvfrom returning 0 means "an empty datagram", not end of file as in TCP.
 */
public final class UdpServer {
    private UdpServer() {}

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "udp-server: " + format + "\nusage: udp-server PORT CLIENTS\n", args);
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

            /* 1. socket(2) with SOCK_DGRAM: UDP. */
            int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
            if (sockfd == -1) {
                perror("socket");
                exit(1);
            }

            /* 2. bind(2): the address clients send to. */
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
            int done = 0;
            while (done < clients) {
                /* 3. recvfrom(2): one datagram, and its sender in cliaddr (addrlen is value-result,
                 * so it is reset before every call). A datagram longer than buf is truncated: the
                 * rest is lost, not kept for the next call as TCP would. */
                addrlen.set(socklen_t, 0, sizeof(cliaddr));
                long n = recvfrom(sockfd, buf, sizeof(buf), 0, cliaddr, addrlen);
                if (n == -1) {
                    perror("recvfrom");
                    exit(1);
                }
                printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));
                if (n == 0) {
                    printf("empty datagram: the client is done\n");
                    done++;
                } else {
                    printf("received: %s\n", cstring(buf, n));
                }

                /* 4. sendto(2): the reply goes to whoever sent the datagram. A datagram is sent
                 * whole or not at all, so there is no short count to loop over. */
                if (sendto(sockfd, buf, n, 0, cliaddr, addrlen.get(socklen_t, 0)) == -1) {
                    perror("sendto");
                    exit(1);
                }
            }

            printf("served %d clients\n", clients);
            /* 5. close(2). */
            if (close(sockfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
