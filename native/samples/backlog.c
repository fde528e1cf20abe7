/* backlog: what listen(2)'s backlog does when nobody calls accept (seeds 001, 002, 004).
 *
 * usage: backlog BACKLOG CONNECTIONS
 *   BACKLOG is given to listen; CONNECTIONS (1..1000) connections are attempted.
 *
 * The seeds describe two queues kept by the kernel for a listening socket: the incomplete
 * connections (SYN received, handshake under way) and the completed ones waiting for
 * accept. On Linux, since 2.2, backlog bounds only the queue of completed connections
 * (listen(2), NOTES), and the kernel silently lowers it to /proc/sys/net/core/somaxconn.
 *
 * This sample listens, never accepts, and opens CONNECTIONS non-blocking connections. Each
 * connect(2) returns at once (EINPROGRESS); poll(2) tells which completed. On loopback a
 * handshake takes microseconds, so every connection that can complete has done so within
 * the 200 ms we wait. Expect min(BACKLOG, somaxconn) + 1 to complete: the kernel refuses a
 * new SYN only when the queue holds MORE than backlog connections (the test is ">", not
 * ">="). The next SYNs are dropped without an answer, so those clients stay in SYN_SENT and
 * retransmit the SYN (after 1 s, 2 s, 4 s, ...) hoping that accept makes room; a dropped
 * SYN, rather than a reset, is what lets a busy server catch up. The server could have
 * answered with RST instead: /proc/sys/net/ipv4/tcp_abort_on_overflow.
 */
#define _GNU_SOURCE /* strerrorname_np(3) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_CONNECTIONS 1000

/* A number from the command line in min..max, or -1 if the text is not one. */
static int parse_int(const char *s, int min, int max)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (end == s || *end != '\0' || value < min || value > max)
        return -1;
    return (int)value;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "backlog: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: backlog BACKLOG CONNECTIONS\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc != 3)
        usage("takes 2 arguments, got %d", argc - 1);
    int backlog = parse_int(argv[1], 0, 65535);
    if (backlog < 0)
        usage("BACKLOG must be a number from %d to %d, not '%s'", 0, 65535, argv[1]);
    int connections = parse_int(argv[2], 1, MAX_CONNECTIONS);
    if (connections < 0)
        usage("CONNECTIONS must be a number from %d to %d, not '%s'", 1, MAX_CONNECTIONS, argv[2]);

    /* The system-wide ceiling on any backlog. */
    FILE *f = fopen("/proc/sys/net/core/somaxconn", "r");
    if (f == NULL) {
        perror("fopen");
        exit(1);
    }
    int somaxconn;
    if (fscanf(f, "%d", &somaxconn) != 1) {
        fprintf(stderr, "backlog: cannot read /proc/sys/net/core/somaxconn\n");
        exit(1);
    }
    fclose(f);
    int effective = backlog < somaxconn ? backlog : somaxconn;
    printf("somaxconn: %d\n", somaxconn);
    printf("listen backlog: %d (the kernel uses min(backlog, somaxconn) = %d)\n", backlog, effective);

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd == -1) {
        perror("socket");
        exit(1);
    }
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(0);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(listenfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("bind");
        exit(1);
    }
    if (listen(listenfd, backlog) == -1) {
        perror("listen");
        exit(1);
    }
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    /* ... and we never call accept. */

    /* Start every connection without waiting for any: a non-blocking connect sends the
     * SYN and returns -1 with EINPROGRESS; poll reports the socket writable when the
     * handshake is over (then SO_ERROR says whether it succeeded). */
    static int fds[MAX_CONNECTIONS];
    static struct pollfd pfds[MAX_CONNECTIONS];
    for (int i = 0; i < connections; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (fds[i] == -1) {
            perror("socket");
            exit(1);
        }
        int flags = fcntl(fds[i], F_GETFL);
        if (flags == -1 || fcntl(fds[i], F_SETFL, flags | O_NONBLOCK) == -1) {
            perror("fcntl");
            exit(1);
        }
        if (connect(fds[i], (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1 && errno != EINPROGRESS) {
            perror("connect");
            exit(1);
        }
        pfds[i].fd = fds[i];
        pfds[i].events = POLLOUT;
        pfds[i].revents = 0;
    }
    printf("connections attempted: %d\n", connections);

    /* Wait until nothing more completes for 200 ms (shorter than the first SYN
     * retransmission, 1 s). poll ignores entries whose fd is negative: a finished
     * connection is taken out of the next round by negating its fd. */
    int completed = 0;
    for (;;) {
        int ready = poll(pfds, connections, 200);
        if (ready == -1) {
            perror("poll");
            exit(1);
        }
        if (ready == 0)
            break;
        for (int i = 0; i < connections; i++) {
            if (pfds[i].fd < 0 || pfds[i].revents == 0)
                continue;
            int error;
            socklen_t len = sizeof(error);
            if (getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &error, &len) == -1) {
                perror("getsockopt");
                exit(1);
            }
            if (error != 0) {
                fprintf(stderr, "backlog: connection %d failed: %s\n", i, strerrorname_np(error));
                exit(1);
            }
            completed++;
            pfds[i].fd = -1;
        }
    }

    /* Ask the kernel how the others are doing: TCP_INFO (tcp(7)) gives the TCP state. */
    int syn_sent = 0;
    for (int i = 0; i < connections; i++) {
        if (pfds[i].fd < 0)
            continue;
        struct tcp_info info;
        socklen_t len = sizeof(info);
        if (getsockopt(fds[i], IPPROTO_TCP, TCP_INFO, &info, &len) == -1) {
            perror("getsockopt");
            exit(1);
        }
        if (info.tcpi_state == TCP_SYN_SENT)
            syn_sent++;
    }

    printf("completed: %d\n", completed);
    printf("still in SYN_SENT: %d\n", syn_sent);
    int expected = effective + 1 < connections ? effective + 1 : connections;
    printf("expected on Linux: %d (min(backlog, somaxconn) + 1, at most the connections attempted)\n", expected);

    /* Closing the listening socket resets the queued connections; closing ours ends them. */
    for (int i = 0; i < connections; i++) {
        if (close(fds[i]) == -1) {
            perror("close");
            exit(1);
        }
    }
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
