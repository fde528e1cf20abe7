/* daytime-server: the daytime service (RFC 867) as the textbooks write it, one forked child
 * per client: the child writes the time as ctime(3) prints it, "%.24s\r\n", and closes.
 *
 * usage: daytime-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; after CLIENTS clients the server waits for its children
 *   and exits.
 *
 * The parent only accepts: after fork(2) it closes its copy of connfd at once, so that the
 * child's close is the last one and the client sees end of file. The child closes listenfd,
 * which it does not use, and exits with serve()'s status. The children are reaped at the
 * end (a server that runs for ever reaps them as they exit: see tcp-fork-server).
 * Partner: daytime-client.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXLINE 64

/* The child's work: one line, then close. Returns the exit status. */
static int serve(int connfd, int port)
{
    char buff[MAXLINE];
    time_t ticks = time(NULL);
    snprintf(buff, sizeof(buff), "%.24s\r\n", ctime(&ticks));
    size_t len = strlen(buff);
    if (write(connfd, buff, len) != (ssize_t)len) {
        perror("write");
        return 1;
    }
    printf("child: sent %zu bytes to port %d\n", len, port);
    if (close(connfd) == -1) {
        perror("close");
        return 1;
    }
    return 0;
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
    fprintf(stderr, "daytime-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: daytime-server PORT CLIENTS\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc != 3)
        usage("takes 2 arguments, got %d", argc - 1);
    int port = parse_int(argv[1], 0, 65535);
    if (port < 0)
        usage("PORT must be a number from %d to %d, not '%s'", 0, 65535, argv[1]);
    int clients = parse_int(argv[2], 1, 1000000);
    if (clients < 0)
        usage("CLIENTS must be a number from %d to %d, not '%s'", 1, 1000000, argv[2]);

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd == -1) {
        perror("socket");
        exit(1);
    }
    int on = 1;
    if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1) {
        perror("setsockopt");
        exit(1);
    }
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(listenfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("bind");
        exit(1);
    }
    if (listen(listenfd, 5) == -1) {
        perror("listen");
        exit(1);
    }
    socklen_t len = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &len) == -1) {
        perror("getsockname");
        exit(1);
    }
    printf("listening on port %d\n", ntohs(servaddr.sin_port));

    struct sockaddr_in cliaddr;
    for (int i = 0; i < clients; i++) {
        len = sizeof(cliaddr);
        int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &len);
        if (connfd == -1) {
            perror("accept");
            exit(1);
        }
        int cliport = ntohs(cliaddr.sin_port);
        printf("connection from %s, port %d\n", inet_ntoa(cliaddr.sin_addr), cliport);

        /* fork(2) returns twice: 0 in the child, the child's pid in the parent. */
        pid_t pid = fork();
        if (pid == 0) {
            close(listenfd);
            exit(serve(connfd, cliport));
        }
        if (pid == -1) {
            perror("fork");
            exit(1);
        }
        if (close(connfd) == -1) {
            perror("close");
            exit(1);
        }
    }

    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    int status, reaped = 0, failed = 0;
    while (waitpid(-1, &status, 0) > 0) {
        reaped++;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    printf("served %d clients, reaped %d children\n", clients, reaped);
    if (failed > 0) {
        fprintf(stderr, "daytime-server: %d children failed\n", failed);
        exit(1);
    }
    return 0;
}
