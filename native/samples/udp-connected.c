/* udp-connected: what connect(2) does to a UDP socket, the question of seed 000
 * ("UDP的connect函数（看不懂）"), answered by trying it.
 *
 * usage: udp-connected
 *
 * connect on a UDP socket sends nothing (there is no handshake): the kernel checks for
 * errors it can see at once, records the peer's address and port, and returns. From then on
 * the socket differs from an unconnected one in three ways, shown in three parts:
 *   1. output needs no address: send/write instead of sendto (everything goes to the peer);
 *      input needs no address either: recv/read instead of recvfrom;
 *   2. only datagrams from the peer are delivered; those from anyone else are not;
 *   3. asynchronous errors (an ICMP "port unreachable" coming back) are reported to it;
 *      an unconnected socket never sees them.
 * Everything runs in this one process, on 127.0.0.1.
 */
#define _GNU_SOURCE /* strerrorname_np(3), glibc 2.32 */
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

/* A UDP socket bound to 127.0.0.1 on a port the kernel chooses; its address in *addr. */
static int udp_socket_on_loopback(struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd == -1) {
        perror("socket");
        exit(1);
    }
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_port = htons(0);
    addr->sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) == -1) {
        perror("bind");
        exit(1);
    }
    socklen_t addrlen = sizeof(*addr);
    if (getsockname(fd, (struct sockaddr *)addr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    return fd;
}

/* A call that must fail with errno `expected`: stop if it did not. Prints nothing. */
static void expect_error(const char *call, ssize_t result, int expected)
{
    if (result != -1 || errno != expected) {
        fprintf(stderr, "udp-connected: %s returned %zd (%s), expected -1 %s\n", call, result,
                result == -1 ? strerrorname_np(errno) : "no error", strerrorname_np(expected));
        exit(1);
    }
}

int main(int argc, char *argv[])
{
    (void)argv;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 1) {
        fprintf(stderr, "udp-connected: takes no arguments, got %d\n", argc - 1);
        fprintf(stderr, "usage: udp-connected\n");
        exit(2);
    }

    char buf[256];
    ssize_t n;

    printf("1. connect() on a UDP socket sends nothing\n");
    /* a is the peer; b will be connected to a. */
    struct sockaddr_in a_addr, b_addr;
    int a = udp_socket_on_loopback(&a_addr);
    int b = udp_socket_on_loopback(&b_addr);
    if (connect(b, (struct sockaddr *)&a_addr, sizeof(a_addr)) == -1) {
        perror("connect");
        exit(1);
    }
    printf("b: connect(b, a) = 0: no handshake, the kernel only records a's address\n");

    /* send(2) takes no address: the datagram goes to the connected peer. */
    n = send(b, "ping", 4, 0);
    if (n == -1) {
        perror("send");
        exit(1);
    }
    printf("b: send(b, \"ping\") = %zd: no address given, it goes to a\n", n);

    struct sockaddr_in from;
    socklen_t fromlen = sizeof(from);
    n = recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
    if (n == -1) {
        perror("recvfrom");
        exit(1);
    }
    printf("a: recvfrom(a) = %zd \"%.*s\", sent by b: %s\n", n, (int)n, buf,
           from.sin_port == b_addr.sin_port ? "yes" : "no");

    n = sendto(a, "pong", 4, 0, (struct sockaddr *)&b_addr, sizeof(b_addr));
    if (n == -1) {
        perror("sendto");
        exit(1);
    }
    printf("a: sendto(a, \"pong\", b) = %zd\n", n);

    /* recv(2) needs no address either: only the peer can have sent it. */
    n = recv(b, buf, sizeof(buf), 0);
    if (n == -1) {
        perror("recv");
        exit(1);
    }
    printf("b: recv(b) = %zd \"%.*s\"\n", n, (int)n, buf);

    printf("2. a connected UDP socket only receives from its peer\n");
    /* c is a stranger: an unconnected socket that sends to b. */
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    if (c == -1) {
        perror("socket");
        exit(1);
    }
    n = sendto(c, "stranger", 8, 0, (struct sockaddr *)&b_addr, sizeof(b_addr));
    if (n == -1) {
        perror("sendto");
        exit(1);
    }
    printf("c: sendto(c, \"stranger\", b) = %zd: the datagram left\n", n);

    /* The peer sends after the stranger did, and its datagram does arrive. */
    n = sendto(a, "peer", 4, 0, (struct sockaddr *)&b_addr, sizeof(b_addr));
    if (n == -1) {
        perror("sendto");
        exit(1);
    }
    printf("a: sendto(a, \"peer\", b) = %zd\n", n);
    n = recv(b, buf, sizeof(buf), 0);
    if (n == -1) {
        perror("recv");
        exit(1);
    }
    printf("b: recv(b) = %zd \"%.*s\"\n", n, (int)n, buf);

    /* MSG_DONTWAIT makes this one call non-blocking: with nothing queued it fails with
     * EAGAIN (EWOULDBLOCK is the same number on Linux) instead of waiting. The stranger's
     * datagram matched no socket: b accepts only a's address and port. The kernel dropped
     * it, and answered c with an ICMP port unreachable, which c, unconnected, never sees. */
    n = recv(b, buf, sizeof(buf), MSG_DONTWAIT);
    expect_error("recv(b, MSG_DONTWAIT)", n, EAGAIN);
    printf("b: recv(b, MSG_DONTWAIT) = -1 %s (%s): the stranger's datagram never arrived\n",
           strerrorname_np(errno), strerror(errno));

    printf("3. asynchronous errors reach only connected sockets\n");
    /* A port where nobody listens: bind a socket to get a free port, then close it. */
    struct sockaddr_in closed_addr;
    int tmp = udp_socket_on_loopback(&closed_addr);
    if (close(tmp) == -1) {
        perror("close");
        exit(1);
    }

    /* d is connected to the closed port. connect succeeds: nothing is sent, nothing checked. */
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    if (d == -1) {
        perror("socket");
        exit(1);
    }
    /* If the error never came back, recv would wait forever: give up after 2 s (EAGAIN). */
    struct timeval timeout;
    timeout.tv_sec = 2;
    timeout.tv_usec = 0;
    if (setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == -1) {
        perror("setsockopt");
        exit(1);
    }
    if (connect(d, (struct sockaddr *)&closed_addr, sizeof(closed_addr)) == -1) {
        perror("connect");
        exit(1);
    }
    printf("d: connect(d, closed port) = 0\n");

    /* send succeeds: the datagram left. The error comes later, asynchronously: 127.0.0.1
     * answers with ICMP port unreachable, and the kernel stores ECONNREFUSED in d's pending
     * error (SO_ERROR), which the next call on d reports, once, and clears. */
    n = send(d, "anyone?", 7, 0);
    if (n == -1) {
        perror("send");
        exit(1);
    }
    printf("d: send(d, \"anyone?\") = %zd: sent, no error yet\n", n);
    n = recv(d, buf, sizeof(buf), 0);
    expect_error("recv(d)", n, ECONNREFUSED);
    printf("d: recv(d) = -1 %s (%s): the ICMP port unreachable, reported to d\n",
           strerrorname_np(errno), strerror(errno));

    /* e is unconnected and sends the same datagram to the same closed port. The same ICMP
     * comes back, but an unconnected socket may have sent to many addresses, and an errno
     * cannot say which one failed: so the kernel reports the error only to connected
     * sockets (unless the IP_RECVERR option asks for the details, see ip(7)). */
    int e = socket(AF_INET, SOCK_DGRAM, 0);
    if (e == -1) {
        perror("socket");
        exit(1);
    }
    n = sendto(e, "anyone?", 7, 0, (struct sockaddr *)&closed_addr, sizeof(closed_addr));
    if (n == -1) {
        perror("sendto");
        exit(1);
    }
    printf("e: sendto(e, \"anyone?\", closed port) = %zd\n", n);
    fromlen = sizeof(from);
    n = recvfrom(e, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    expect_error("recvfrom(e, MSG_DONTWAIT)", n, EAGAIN);
    printf("e: recvfrom(e, MSG_DONTWAIT) = -1 %s (%s): the unconnected socket never sees the error\n",
           strerrorname_np(errno), strerror(errno));

    int fds[] = { a, b, c, d, e };
    for (int i = 0; i < 5; i++) {
        if (close(fds[i]) == -1) {
            perror("close");
            exit(1);
        }
    }
    return 0;
}
