/* eintr: the classic lesson of errno handling. A signal that arrives while a call blocks runs
 * its handler; what the call does then depends on how the handler was installed.
 *
 * usage: eintr
 *
 * Three parts, each an alarm(1) while recvfrom blocks on a UDP socket nothing sends to:
 *   1. SA_RESTART clear: recvfrom returns -1 with errno EINTR ("Interrupted system call");
 *   2. SA_RESTART set: the kernel restarts recvfrom after the handler; the handler ends it by
 *      sending a datagram to the socket (sendto is async-signal-safe);
 *   3. SA_RESTART clear, and the program retries on EINTR: the first alarm's handler sets a
 *      second alarm, the second sends the datagram; the loop retries once, then receives it.
 * The handlers write with write(2): printf is not async-signal-safe. Everything runs on 127.0.0.1.
 */
#define _GNU_SOURCE /* strerrorname_np(3), glibc 2.32 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static int sockfd = -1;            /* the socket recvfrom blocks on */
static int wakefd = -1;            /* the handler sends its datagram from this one */
static struct sockaddr_in servaddr;
static volatile sig_atomic_t alarms;
static int alarms_before_wake;     /* how many alarms before the handler sends the datagram */

static void say(const char *s)
{
    ssize_t ignored = write(STDOUT_FILENO, s, strlen(s));
    (void)ignored;
}

static void on_alarm(int sig)
{
    (void)sig;
    int saved = errno; /* a handler must leave errno as it found it */
    alarms++;
    if (alarms < alarms_before_wake) {
        say("handler: caught SIGALRM, alarm(1) again\n");
        alarm(1);
    } else if (alarms_before_wake > 0) {
        say("handler: caught SIGALRM, sending a datagram to wake the socket\n");
        sendto(wakefd, "wake", 4, 0, (struct sockaddr *)&servaddr, sizeof(servaddr));
    } else {
        say("handler: caught SIGALRM\n");
    }
    errno = saved;
}

/* SIGALRM's handler, with or without SA_RESTART. */
static void install(int flags)
{
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    act.sa_handler = on_alarm;
    sigemptyset(&act.sa_mask);
    act.sa_flags = flags;
    if (sigaction(SIGALRM, &act, NULL) == -1) {
        perror("sigaction");
        exit(1);
    }
}

int main(int argc, char *argv[])
{
    (void)argv;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 1) {
        fprintf(stderr, "eintr: takes no arguments, got %d\nusage: eintr\n", argc - 1);
        exit(2);
    }
    sockfd = socket(AF_INET, SOCK_DGRAM, 0);
    wakefd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sockfd == -1 || wakefd == -1) {
        perror("socket");
        exit(1);
    }
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(0);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(sockfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("bind");
        exit(1);
    }
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(sockfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    char buf[64];

    printf("1. SA_RESTART clear: alarm(1), then recvfrom blocks\n");
    install(0);
    alarms = 0;
    alarms_before_wake = 0;
    alarm(1);
    ssize_t n = recvfrom(sockfd, buf, sizeof(buf), 0, NULL, NULL);
    if (n == -1) {
        int err = errno;    /* perror may change errno (its stdio calls can fail): keep it first */
        perror("recvfrom"); /* recvfrom: Interrupted system call */
        printf("recvfrom returned -1, errno %s\n", strerrorname_np(err));
    } else {
        printf("recvfrom returned %zd: expected -1 EINTR\n", n);
        exit(1);
    }

    printf("2. SA_RESTART set: alarm(1), then recvfrom blocks\n");
    install(SA_RESTART);
    alarms = 0;
    alarms_before_wake = 1;
    alarm(1);
    n = recvfrom(sockfd, buf, sizeof(buf), 0, NULL, NULL);
    if (n == -1) {
        perror("recvfrom");
        exit(1);
    }
    printf("recvfrom returned %zd bytes \"%.*s\": restarted after the handler\n", n, (int)n, buf);

    printf("3. SA_RESTART clear, retried on EINTR: alarm(1), then recvfrom blocks\n");
    install(0);
    alarms = 0;
    alarms_before_wake = 2;
    alarm(1);
    do {
        n = recvfrom(sockfd, buf, sizeof(buf), 0, NULL, NULL);
    } while (n == -1 && errno == EINTR);
    if (n == -1) {
        perror("recvfrom");
        exit(1);
    }
    printf("recvfrom returned %zd bytes \"%.*s\" after %d signals\n", n, (int)n, buf, (int)alarms);

    close(wakefd);
    close(sockfd);
    return 0;
}
