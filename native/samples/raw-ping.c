/* raw-ping: SOCK_RAW, the third socket type of seed 003 ("原始套接字"): an ICMP echo
 * request to 127.0.0.1 built by hand, and the reply taken apart by hand, as ping(8) does.
 *
 * usage: raw-ping
 *
 * A raw socket skips the transport layer: with IPPROTO_ICMP we write the ICMP message
 * ourselves (the kernel still adds the IP header), and we read whole IP packets, IP header
 * included, of every ICMP packet the host receives: not only the reply to us.
 *
 * Raw sockets need the CAP_NET_RAW capability (root has it), since they can forge packets
 * and see other programs' traffic. Without it socket() fails with EPERM; this sample then
 * says so and exits with status 77 ("skipped", as automake's test harness counts it).
 * Unprivileged programs can ping through an ICMP datagram socket instead,
 * socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), if net.ipv4.ping_group_range allows their group.
 */
#define _GNU_SOURCE /* strerrorname_np(3) */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#define ICMP_ECHOREPLY_TYPE 0
#define ICMP_ECHO_TYPE 8
#define DATA "panama-sockets ping"

/* The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
 * message as 16-bit big-endian words (an odd last byte is padded with a zero). Summing a
 * message that holds its correct checksum gives 0xffff, so this returns 0 for it. */
static unsigned short checksum(const unsigned char *p, size_t len)
{
    unsigned long sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (unsigned long)(p[i] << 8 | p[i + 1]);
    if (len % 2 == 1)
        sum += (unsigned long)(p[len - 1] << 8);
    while (sum >> 16) /* fold the carries back in */
        sum = (sum & 0xffff) + (sum >> 16);
    return (unsigned short)~sum;
}

int main(int argc, char *argv[])
{
    (void)argv;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 1) {
        fprintf(stderr, "raw-ping: takes no arguments, got %d\n", argc - 1);
        fprintf(stderr, "usage: raw-ping\n");
        exit(2);
    }

    /* socket(2) with SOCK_RAW and the protocol we want to see: ICMP (1). */
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd == -1) {
        if (errno == EPERM || errno == EACCES) {
            printf("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = -1 %s (%s)\n", strerrorname_np(errno), strerror(errno));
            printf("skipped: raw sockets need the CAP_NET_RAW capability (run as root)\n");
            exit(77);
        }
        perror("socket");
        exit(1);
    }

    /* A reply that never comes must not hang us: recvfrom gives up after 2 s (EAGAIN). */
    struct timeval timeout;
    timeout.tv_sec = 2;
    timeout.tv_usec = 0;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == -1) {
        perror("setsockopt");
        exit(1);
    }

    /* The echo request, byte by byte (RFC 792); multi-byte fields are big-endian:
     *   0 type (8: echo request)   1 code (0)   2-3 checksum
     *   4-5 identifier             6-7 sequence number          8... data, echoed back
     * The identifier tells our replies from other pings' (ping uses its pid too). */
    unsigned short id = (unsigned short)(getpid() & 0xffff);
    unsigned short seq = 1;
    unsigned char packet[8 + sizeof(DATA) - 1];
    memset(packet, 0, sizeof(packet));
    packet[0] = ICMP_ECHO_TYPE;
    packet[1] = 0;
    packet[4] = id >> 8;
    packet[5] = id & 0xff;
    packet[6] = seq >> 8;
    packet[7] = seq & 0xff;
    memcpy(packet + 8, DATA, sizeof(DATA) - 1);
    unsigned short sum = checksum(packet, sizeof(packet)); /* computed with the field at 0 */
    packet[2] = sum >> 8;
    packet[3] = sum & 0xff;

    struct sockaddr_in dest;
    memset(&dest, 0, sizeof(dest));
    dest.sin_family = AF_INET;
    dest.sin_port = 0; /* raw sockets have no ports */
    dest.sin_addr.s_addr = inet_addr("127.0.0.1");
    ssize_t n = sendto(fd, packet, sizeof(packet), 0, (struct sockaddr *)&dest, sizeof(dest));
    if (n == -1) {
        perror("sendto");
        exit(1);
    }
    printf("sent: ICMP echo request to 127.0.0.1, seq %d, %zd bytes (8 header + %zu data)\n", seq, n,
           sizeof(DATA) - 1);

    /* Read packets until our reply. Each is a whole IP packet: its header first. */
    for (;;) {
        unsigned char buf[1500];
        struct sockaddr_in from;
        socklen_t fromlen = sizeof(from);
        n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
        if (n == -1) {
            perror("recvfrom");
            exit(1);
        }

        /* The IP header (RFC 791): byte 0 holds the version (high 4 bits) and the header
         * length IHL in 32-bit words (low 4 bits): 5 words, 20 bytes, without options.
         * Byte 8 is the TTL, byte 9 the protocol, bytes 12-15 the source address. */
        int version = buf[0] >> 4;
        int ihl = buf[0] & 0x0f;
        int iphdrlen = ihl * 4;
        if (n < iphdrlen + 8)
            continue; /* too short to hold an ICMP echo message */
        int ttl = buf[8];
        int protocol = buf[9];

        /* The ICMP message starts after the IP header, wherever IHL says it does. */
        const unsigned char *icmp = buf + iphdrlen;
        size_t icmplen = (size_t)n - iphdrlen;
        int type = icmp[0];
        int code = icmp[1];
        unsigned short rid = (unsigned short)(icmp[4] << 8 | icmp[5]);
        unsigned short rseq = (unsigned short)(icmp[6] << 8 | icmp[7]);
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
               iphdrlen, version, ihl, ttl, protocol, inet_ntoa(from.sin_addr));
        printf("reply: ICMP type %d (echo reply), code %d, checksum %s, id ours, seq %d, data \"%.*s\"\n",
               type, code, checksum(icmp, icmplen) == 0 ? "ok" : "BAD", rseq, (int)(icmplen - 8),
               (const char *)icmp + 8);
        break;
    }

    if (close(fd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
