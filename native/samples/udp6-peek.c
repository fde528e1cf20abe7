/* udp6-peek: UDP over IPv6 on ::1, and how big the next datagram is before reading it:
 * recv(2) with MSG_PEEK | MSG_TRUNC returns the datagram's real length and leaves it queued;
 * a read into a buffer too small truncates the datagram (the rest is lost), and MSG_TRUNC
 * makes recvfrom return the real length even then (Linux, udp(7)).
 *
 * usage: udp6-peek
 *
 * Two sockets in this one process, both bound to ::1 on ports the kernel chooses: the sender
 * sends three datagrams, the receiver peeks at each one's size, then reads it into a 16-byte
 * buffer. A machine without IPv6 fails at socket() or bind(): the program says so and exits
 * with status 77 (skipped).
 */
#define _GNU_SOURCE /* strerrorname_np(3) */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define SMALL 16

/* A UDP socket bound to ::1, on a port the kernel chooses; its address in *addr. */
static int bound_socket(struct sockaddr_in6 *addr)
{
    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    if (fd == -1) {
        printf("socket(AF_INET6) = -1 %s (%s)\nskipped: no IPv6 here\n", strerrorname_np(errno), strerror(errno));
        exit(77);
    }
    memset(addr, 0, sizeof(*addr));
    addr->sin6_family = AF_INET6;
    addr->sin6_port = htons(0);
    addr->sin6_addr = in6addr_loopback;
    if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) == -1) {
        printf("bind(::1) = -1 %s (%s)\nskipped: no IPv6 loopback here\n", strerrorname_np(errno), strerror(errno));
        exit(77);
    }
    socklen_t len = sizeof(*addr);
    if (getsockname(fd, (struct sockaddr *)addr, &len) == -1) {
        perror("getsockname");
        exit(1);
    }
    return fd;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "udp6-peek: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: udp6-peek\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    (void)argv;
    if (argc != 1)
        usage("takes no arguments, got %d", argc - 1);

    struct sockaddr_in6 raddr, saddr;
    int receiver = bound_socket(&raddr);
    int sender = bound_socket(&saddr);

    const char *messages[] = {"short", "exactly sixteen!", "a datagram longer than the receiver's buffer"};
    for (int i = 0; i < 3; i++) {
        ssize_t n = sendto(sender, messages[i], strlen(messages[i]), 0, (struct sockaddr *)&raddr, sizeof(raddr));
        if (n == -1) {
            perror("sendto");
            exit(1);
        }
        printf("sent %zd bytes\n", n);
    }

    char buf[SMALL + 1];
    char addrstr[INET6_ADDRSTRLEN];
    for (int i = 0; i < 3; i++) {
        /* How long is the next datagram? No buffer at all: MSG_TRUNC reports the length. */
        ssize_t size = recv(receiver, NULL, 0, MSG_PEEK | MSG_TRUNC);
        if (size == -1) {
            perror("recv");
            exit(1);
        }
        struct sockaddr_in6 from;
        socklen_t len = sizeof(from);
        ssize_t n = recvfrom(receiver, buf, SMALL, MSG_TRUNC, (struct sockaddr *)&from, &len);
        if (n == -1) {
            perror("recvfrom");
            exit(1);
        }
        size_t got = n < SMALL ? (size_t)n : SMALL;
        buf[got] = '\0';
        if (inet_ntop(AF_INET6, &from.sin6_addr, addrstr, sizeof(addrstr)) == NULL) {
            perror("inet_ntop");
            exit(1);
        }
        printf("peeked: %zd bytes; recvfrom(%d-byte buffer, MSG_TRUNC) = %zd from [%s] (loopback: %s), sender's port: %s\n",
               size, SMALL, n, addrstr, IN6_IS_ADDR_LOOPBACK(&from.sin6_addr) ? "yes" : "no",
               from.sin6_port == saddr.sin6_port ? "yes" : "no");
        printf("  kept \"%s\"%s\n", buf, n > SMALL ? ", the rest is gone" : "");
    }

    /* Nothing left: the three reads took three datagrams, whatever their sizes. */
    ssize_t n = recv(receiver, buf, SMALL, MSG_DONTWAIT);
    printf("recv(MSG_DONTWAIT) = %zd %s: the queue is empty\n", n, n == -1 ? strerrorname_np(errno) : "");
    close(sender);
    close(receiver);
    return 0;
}
