/* nonblock-connect: connect(2) on a non-blocking socket, as the textbooks do it to bound the
 * time a connect may take: connect returns -1 EINPROGRESS at once, poll(2) waits (with a
 * timeout) until the socket is writable, and getsockopt(SO_ERROR) says how the handshake
 * ended: 0, or the errno a blocking connect would have returned.
 *
 * usage: nonblock-connect
 *
 * Two connects on 127.0.0.1: to a listening socket, which succeeds, and to a port where
 * nobody listens, which fails with ECONNREFUSED. (A connect that completes at once, as
 * loopback could, returns 0 and needs no poll: the program says so.)
 */
#define _GNU_SOURCE /* strerrorname_np(3) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* The names of the poll(2) events set in revents, "POLLOUT|POLLERR", into buf. */
static char *events_str(int revents, char *buf, size_t size)
{
    buf[0] = '\0';
    if (revents & POLLIN)
        strncat(buf, "|POLLIN", size - strlen(buf) - 1);
    if (revents & POLLOUT)
        strncat(buf, "|POLLOUT", size - strlen(buf) - 1);
    if (revents & POLLERR)
        strncat(buf, "|POLLERR", size - strlen(buf) - 1);
    if (revents & POLLHUP)
        strncat(buf, "|POLLHUP", size - strlen(buf) - 1);
    if (buf[0] == '\0')
        snprintf(buf, size, "|0");
    return buf + 1;
}

/* A TCP socket bound to 127.0.0.1, on a port the kernel chooses. */
static int bound_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1) {
        perror("socket");
        exit(1);
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(0);
    addr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
        perror("bind");
        exit(1);
    }
    return fd;
}

/* The port a socket is bound to. */
static int port_of(int fd)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    if (getsockname(fd, (struct sockaddr *)&addr, &len) == -1) {
        perror("getsockname");
        exit(1);
    }
    return ntohs(addr.sin_port);
}

/* The non-blocking connect to 127.0.0.1:port, with timeout_ms for the handshake. Returns the
 * connected socket, or -1 with errno set. Prints each step. */
static int connect_nonblock(int port, int timeout_ms)
{
    char buf[64];
    int sockfd = socket(AF_INET, SOCK_STREAM, 0);
    if (sockfd == -1)
        return -1;
    int flags = fcntl(sockfd, F_GETFL);
    if (flags == -1 || fcntl(sockfd, F_SETFL, flags | O_NONBLOCK) == -1)
        return -1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = inet_addr("127.0.0.1");
    int r = connect(sockfd, (struct sockaddr *)&addr, sizeof(addr));
    if (r == 0) {
        printf("connect() = 0: connected at once\n");
        return sockfd;
    }
    if (errno != EINPROGRESS)
        return -1;
    printf("connect() = -1 %s (%s): the handshake goes on without us\n", strerrorname_np(errno), strerror(errno));

    struct pollfd pfd;
    pfd.fd = sockfd;
    pfd.events = POLLOUT;
    int ready = poll(&pfd, 1, timeout_ms);
    if (ready == -1)
        return -1;
    if (ready == 0) {
        close(sockfd);
        errno = ETIMEDOUT;
        return -1;
    }
    printf("poll(POLLOUT) = %d, revents %s\n", ready, events_str(pfd.revents, buf, sizeof(buf)));

    /* Writable means the handshake has ended, not that it succeeded: SO_ERROR says. Reading
     * it also clears it. */
    int error = 0;
    socklen_t len = sizeof(error);
    if (getsockopt(sockfd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
        return -1;
    printf("getsockopt(SO_ERROR) = %s (%s)\n", error == 0 ? "0" : strerrorname_np(error), strerror(error));
    if (error != 0) {
        close(sockfd);
        errno = error;
        return -1;
    }
    /* Blocking again, for the code that uses the socket now. */
    if (fcntl(sockfd, F_SETFL, flags) == -1)
        return -1;
    return sockfd;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "nonblock-connect: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: nonblock-connect\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    (void)argv;
    if (argc != 1)
        usage("takes no arguments, got %d", argc - 1);

    printf("1. to a listening socket\n");
    int listenfd = bound_socket();
    if (listen(listenfd, 5) == -1) {
        perror("listen");
        exit(1);
    }
    int sockfd = connect_nonblock(port_of(listenfd), 5000);
    if (sockfd == -1) {
        perror("connect_nonblock");
        exit(1);
    }
    struct sockaddr_in local, peer;
    socklen_t len = sizeof(local);
    if (getsockname(sockfd, (struct sockaddr *)&local, &len) == -1) {
        perror("getsockname");
        exit(1);
    }
    len = sizeof(peer);
    int connfd = accept(listenfd, (struct sockaddr *)&peer, &len);
    if (connfd == -1) {
        perror("accept");
        exit(1);
    }
    printf("accept(): the peer is our socket: %s\n", peer.sin_port == local.sin_port ? "yes" : "no");
    close(connfd);
    close(sockfd);
    close(listenfd);

    printf("2. to a port where nobody listens\n");
    int closedfd = bound_socket(); /* bound, so the port is ours, but never listening */
    sockfd = connect_nonblock(port_of(closedfd), 5000);
    if (sockfd != -1) {
        fprintf(stderr, "nonblock-connect: connected to a closed port\n");
        exit(1);
    }
    printf("connect_nonblock() = -1 %s (%s)\n", strerrorname_np(errno), strerror(errno));
    close(closedfd);
    return 0;
}
