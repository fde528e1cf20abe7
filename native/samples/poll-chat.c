/* poll-chat: a chat server with poll(2), and its clients, forked from it.
 *
 * usage: poll-chat CLIENTS
 *   CLIENTS in 2..8 clients take part; the program ends when each has spoken once.
 *
 * The server listens on 127.0.0.1 (a port the kernel chooses), then forks its clients. Its
 * one thread waits in poll(2) on the listening socket and on every client: a connection
 * waiting is accepted, a line from a client is relayed to every other client.
 *
 * To make the conversation the same in every run, the clients take turns: once all have
 * joined, the server sends each "start"; client 1 speaks at once, client k when it has heard
 * client k-1. When every client has spoken, the server closes all connections; each client
 * reads to end of file and exits with the number of lines it heard, which the server checks
 * with waitpid(2). The clients read one byte at a time, as the textbooks' readline does.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXCLIENTS 8
#define MAXLINE 256

/* Reads one line, a byte at a time, without its '\n'. Returns its length, 0 at end of file
 * (or a line cut short by it), -1 on error. */
static int read_line(int fd, char *line, int size)
{
    int len = 0;
    while (len < size - 1) {
        ssize_t n = read(fd, line + len, 1);
        if (n == -1)
            return -1;
        if (n == 0 || line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    return len;
}

/* Client number me (1..clients): connect, wait for "start", speak when client me - 1 has
 * spoken, then hear the others until the server closes. Returns the lines heard. */
static int client(int port, int me, int clients)
{
    int sockfd = socket(AF_INET, SOCK_STREAM, 0);
    if (sockfd == -1) {
        perror("client: socket");
        return 100;
    }
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (connect(sockfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("client: connect");
        return 100;
    }
    char line[MAXLINE];
    char prev[32];
    snprintf(prev, sizeof(prev), "client %d:", me - 1);
    int heard = 0;
    int spoken = 0;
    int len;
    while ((len = read_line(sockfd, line, sizeof(line))) > 0) {
        heard++;
        if (!spoken && (strcmp(line, "start") == 0 ? me == 1 : strncmp(line, prev, strlen(prev)) == 0)) {
            len = snprintf(line, sizeof(line), "client %d: hello from client %d of %d\n", me, me, clients);
            if (write(sockfd, line, len) != len) {
                perror("client: write");
                return 100;
            }
            spoken = 1;
        }
    }
    if (len == -1) {
        perror("client: read");
        return 100;
    }
    close(sockfd);
    return heard;
}

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
    fprintf(stderr, "poll-chat: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: poll-chat CLIENTS\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc != 2)
        usage("takes 1 argument, got %d", argc - 1);
    int clients = parse_int(argv[1], 2, MAXCLIENTS);
    if (clients < 0)
        usage("CLIENTS must be a number from %d to %d, not '%s'", 2, MAXCLIENTS, argv[1]);

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
    if (listen(listenfd, MAXCLIENTS) == -1) {
        perror("listen");
        exit(1);
    }
    socklen_t len = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &len) == -1) {
        perror("getsockname");
        exit(1);
    }
    int port = ntohs(servaddr.sin_port);

    /* The clients: each a child that closes the listening socket it inherited. */
    pid_t pids[MAXCLIENTS];
    for (int i = 0; i < clients; i++) {
        int me = i + 1;
        pids[i] = fork();
        if (pids[i] == 0) {
            close(listenfd);
            exit(client(port, me, clients));
        }
        if (pids[i] == -1) {
            perror("fork");
            exit(1);
        }
    }

    /* fds[0] is the listening socket, fds[1..joined] the clients. */
    struct pollfd fds[MAXCLIENTS + 1];
    fds[0].fd = listenfd;
    fds[0].events = POLLIN;
    int joined = 0;
    int spoken = 0;
    char buf[MAXLINE];
    while (spoken < clients) {
        int ready = poll(fds, joined + 1, 20000);
        if (ready == -1) {
            perror("poll");
            exit(1);
        }
        if (ready == 0) {
            fprintf(stderr, "poll-chat: nothing happened for 20 s\n");
            exit(1);
        }
        if (fds[0].revents & POLLIN) {
            int connfd = accept(listenfd, NULL, NULL);
            if (connfd == -1) {
                perror("accept");
                exit(1);
            }
            joined++;
            fds[joined].fd = connfd;
            fds[joined].events = POLLIN;
            fds[joined].revents = 0; /* not in the poll that just returned */
            printf("server: a client joined, %d of %d\n", joined, clients);
            if (joined == clients) {
                fds[0].events = 0; /* everyone is here: stop watching for connections */
                int n = snprintf(buf, sizeof(buf), "start\n");
                for (int j = 1; j <= joined; j++)
                    if (write(fds[j].fd, buf, n) != n) {
                        perror("write");
                        exit(1);
                    }
                printf("server: sent start to %d clients\n", joined);
            }
        }
        for (int i = 1; i <= joined; i++) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(fds[i].fd, buf, sizeof(buf) - 1);
            if (n <= 0) {
                fprintf(stderr, "poll-chat: a client left before its turn\n");
                exit(1);
            }
            buf[n] = '\0';
            int relayed = 0;
            for (int j = 1; j <= joined; j++) {
                if (j == i)
                    continue;
                if (write(fds[j].fd, buf, n) != n) {
                    perror("write");
                    exit(1);
                }
                relayed++;
            }
            buf[strcspn(buf, "\n")] = '\0';
            printf("server: relayed \"%s\" to %d clients\n", buf, relayed);
            spoken++;
        }
    }

    /* Everyone has spoken: close every connection, so that each client reads end of file. */
    for (int i = 1; i <= joined; i++)
        if (close(fds[i].fd) == -1) {
            perror("close");
            exit(1);
        }
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    int failed = 0;
    for (int i = 0; i < clients; i++) {
        int status;
        if (waitpid(pids[i], &status, 0) == -1) {
            perror("waitpid");
            exit(1);
        }
        int heard = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        printf("client %d exited, it heard %d lines\n", i + 1, heard);
        if (heard != clients)
            failed++;
    }
    if (failed > 0) {
        fprintf(stderr, "poll-chat: %d clients did not hear every line\n", failed);
        exit(1);
    }
    return 0;
}
