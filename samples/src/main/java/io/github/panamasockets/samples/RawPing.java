package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * raw-ping: SOCK_RAW, the third socket type of seed 003 ("原始套接字"): an ICMP echo
 * request to 127.0.0.1 built by hand, and the reply taken apart by hand, as ping(8) does.
 * The Java port of native/samples/raw-ping.c, line for line.
 *
 * <pre>
 * usage: raw-ping
 * </pre>
 *
 * A raw socket skips the transport layer: with IPPROTO_ICMP we write the ICMP message
 * ourselves (the kernel still adds the IP header), and we read whole IP packets, IP header
 * included, of every ICMP packet the host receives: not only the reply to us.
 *
 * <p>Raw sockets need the CAP_NET_RAW capability (root has it), since they can forge packets
 * and see other programs' traffic. Without it socket() fails with EPERM; this sample then
 * says so and exits with status 77 ("skipped", as automake's test harness counts it).
 * Unprivileged programs can ping through an ICMP datagram socket instead,
 * socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), if net.ipv4.ping_group_range allows their group.
 */
public final class RawPing {
    private RawPing() {}

    static final int ICMP_ECHOREPLY_TYPE = 0;
    static final int ICMP_ECHO_TYPE = 8;
    static final String DATA = "panama-sockets ping";

    /** C's {@code unsigned char} p[i]: a byte read as 0..255. */
    static int u8(MemorySegment p, long i) {
        return Byte.toUnsignedInt(p.get(JAVA_BYTE, i));
    }

    /** The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
     * message as 16-bit big-endian words (an odd last byte is padded with a zero). Summing a
     * message that holds its correct checksum gives 0xffff, so this returns 0 for it. */
    static int checksum(MemorySegment p, long len) {
        long sum = 0;
        for (long i = 0; i + 1 < len; i += 2)
            sum += u8(p, i) << 8 | u8(p, i + 1);
        if (len % 2 == 1)
            sum += u8(p, len - 1) << 8;
        while (sum >> 16 != 0) /* fold the carries back in */
            sum = (sum & 0xffff) + (sum >> 16);
        return (int) ~sum & 0xffff;
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "raw-ping: takes no arguments, got %d\n", args.length);
                fprintf(stderr, "usage: raw-ping\n");
                exit(2);
            }

            /* socket(2) with SOCK_RAW and the protocol we want to see: ICMP (1). */
            int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
            if (fd == -1) {
                if (errno() == EPERM || errno() == EACCES) {
                    printf("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = -1 %s (%s)\n", strerrorname(errno()), strerror(errno()));
                    printf("skipped: raw sockets need the CAP_NET_RAW capability (run as root)\n");
                    exit(77);
                }
                perror("socket");
                exit(1);
            }

            /* A reply that never comes must not hang us: recvfrom gives up after 2 s (EAGAIN). */
            MemorySegment timeout = timeval.allocate(arena);
            timeval.tv_sec(timeout, 2);
            timeval.tv_usec(timeout, 0);
            if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, sizeof(timeout)) == -1) {
                perror("setsockopt");
                exit(1);
            }

            /* The echo request, byte by byte (RFC 792); multi-byte fields are big-endian:
             *   0 type (8: echo request)   1 code (0)   2-3 checksum
             *   4-5 identifier             6-7 sequence number          8... data, echoed back
             * The identifier tells our replies from other pings' (ping uses its pid too). */
            int id = getpid() & 0xffff;
            int seq = 1;
            MemorySegment packet = arena.allocate(8 + DATA.length());
            memset(packet, 0, sizeof(packet));
            packet.set(JAVA_BYTE, 0, (byte) ICMP_ECHO_TYPE);
            packet.set(JAVA_BYTE, 1, (byte) 0);
            packet.set(JAVA_BYTE, 4, (byte) (id >> 8));
            packet.set(JAVA_BYTE, 5, (byte) (id & 0xff));
            packet.set(JAVA_BYTE, 6, (byte) (seq >> 8));
            packet.set(JAVA_BYTE, 7, (byte) (seq & 0xff));
            MemorySegment.copy(arena.allocateFrom(DATA), 0, packet, 8, DATA.length());
            int sum = checksum(packet, sizeof(packet)); /* computed with the field at 0 */
            packet.set(JAVA_BYTE, 2, (byte) (sum >> 8));
            packet.set(JAVA_BYTE, 3, (byte) (sum & 0xff));

            MemorySegment dest = sockaddr_in.allocate(arena);
            memset(dest, 0, sizeof(dest));
            sin_family(dest, AF_INET);
            sin_port(dest, 0); /* raw sockets have no ports */
            s_addr(sin_addr(dest), inet_addr("127.0.0.1"));
            long n = sendto(fd, packet, sizeof(packet), 0, dest, sizeof(dest));
            if (n == -1) {
                perror("sendto");
                exit(1);
            }
            printf("sent: ICMP echo request to 127.0.0.1, seq %d, %d bytes (8 header + %d data)\n", seq, n,
                    DATA.length());

            /* Read packets until our reply. Each is a whole IP packet: its header first. */
            MemorySegment buf = arena.allocate(1500);
            MemorySegment from = sockaddr_in.allocate(arena);
            MemorySegment fromlen = arena.allocate(socklen_t);
            for (;;) {
                fromlen.set(socklen_t, 0, sizeof(from));
                n = recvfrom(fd, buf, sizeof(buf), 0, from, fromlen);
                if (n == -1) {
                    perror("recvfrom");
                    exit(1);
                }

                /* The IP header (RFC 791): byte 0 holds the version (high 4 bits) and the header
                 * length IHL in 32-bit words (low 4 bits): 5 words, 20 bytes, without options.
                 * Byte 8 is the TTL, byte 9 the protocol, bytes 12-15 the source address. */
                int version = u8(buf, 0) >> 4;
                int ihl = u8(buf, 0) & 0x0f;
                int iphdrlen = ihl * 4;
                if (n < iphdrlen + 8)
                    continue; /* too short to hold an ICMP echo message */
                int ttl = u8(buf, 8);
                int protocol = u8(buf, 9);

                /* The ICMP message starts after the IP header, wherever IHL says it does. */
                MemorySegment icmp = buf.asSlice(iphdrlen);
                long icmplen = n - iphdrlen;
                int type = u8(icmp, 0);
                int code = u8(icmp, 1);
                int rid = u8(icmp, 4) << 8 | u8(icmp, 5);
                int rseq = u8(icmp, 6) << 8 | u8(icmp, 7);
                if (rid != id || rseq != seq)
                    continue; /* another program's ping: a raw socket sees every ICMP packet */
                if (type == ICMP_ECHO_TYPE) {
                    /* On loopback our own request comes in too, before the reply. */
                    printf("skipped: our own echo request (type 8), received like any incoming packet\n");
                    continue;
                }
                if (type != ICMP_ECHOREPLY_TYPE)
                    continue;

                printf("reply: IP header %d bytes (version %d, ihl %d), ttl %d, protocol %d (ICMP), from %s\n",
                        iphdrlen, version, ihl, ttl, protocol, inet_ntoa(sin_addr(from)));
                printf("reply: ICMP type %d (echo reply), code %d, checksum %s, id ours, seq %d, data \"%s\"\n",
                        type, code, checksum(icmp, icmplen) == 0 ? "ok" : "BAD", rseq, cstring(icmp.asSlice(8), icmplen - 8));
                break;
            }

            if (close(fd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
