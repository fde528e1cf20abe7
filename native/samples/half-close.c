/* half-close: shutdown(2) with SHUT_WR, the half-close of a TCP connection: "I have no more
 * to send, but I still read". The textbooks' request-to-EOF exchange: the client sends its
 * whole request and half-closes; the server reads until read(2) returns 0 (end of file is
 * the end of the request), answers, and closes; the client reads the answer to end of file.
 *
 * usage: half-close
 *
 * Both ends live in this one process on 127.0.0.1, one step after the other: everything
 * fits in the socket buffers, so no step waits for the other end. The request is three lines;
 * the answer, built with snprintf(3), counts them and their bytes, and the client reads the
 * counts back with sscanf(3). After its half-close the client's own send fails with EPIPE
 * (MSG_NOSIGNAL: no SIGPIPE), while the server can still send to it.
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

#define MAXLINE 256

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "half-close: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: half-close\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    (void)argv;
    if (argc != 1)
        usage("takes no arguments, got %d", argc - 1);

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd == -1) {
        perror("socket");
        exit(1);
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(0);
    addr.sin_addr.s_addr = inet_addr("127.0.0.1");
    socklen_t len = sizeof(addr);
    if (bind(listenfd, (struct sockaddr *)&addr, sizeof(addr)) == -1 || listen(listenfd, 1) == -1
        || getsockname(listenfd, (struct sockaddr *)&addr, &len) == -1) {
        perror("bind");
        exit(1);
    }
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (client == -1 || connect(client, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
        perror("connect");
        exit(1);
    }
    int server = accept(listenfd, NULL, NULL);
    if (server == -1) {
        perror("accept");
        exit(1);
    }

    /* The client: the request, then the half-close. */
    const char *request[] = {"first line", "second line", "third and last line"};
    char line[MAXLINE];
    for (int i = 0; i < 3; i++) {
        int n = snprintf(line, sizeof(line), "%s\n", request[i]);
        if (write(client, line, n) != n) {
            perror("write");
            exit(1);
        }
    }
    if (shutdown(client, SHUT_WR) == -1) {
        perror("shutdown");
        exit(1);
    }
    printf("client: sent 3 lines, then shutdown(SHUT_WR)\n");
    ssize_t r = send(client, "more", 4, MSG_NOSIGNAL);
    printf("client: send() after the half-close = %zd %s (%s)\n", r, strerrorname_np(errno), strerror(errno));

    /* The server: read to end of file, counting lines and bytes. */
    char buf[MAXLINE];
    int lines = 0;
    long bytes = 0;
    ssize_t n;
    while ((n = read(server, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] == '\n')
                lines++;
        bytes += n;
    }
    if (n == -1) {
        perror("read");
        exit(1);
    }
    printf("server: read() = 0, end of file: the request is complete\n");
    int answer = snprintf(line, sizeof(line), "lines=%d bytes=%ld\n", lines, bytes);
    if (write(server, line, answer) != answer) {
        perror("write");
        exit(1);
    }
    printf("server: answered on the half-closed connection and closed it\n");
    if (close(server) == -1) {
        perror("close");
        exit(1);
    }

    /* The client: read the answer to end of file. */
    size_t got = 0;
    while ((n = read(client, buf + got, sizeof(buf) - 1 - got)) > 0)
        got += n;
    if (n == -1) {
        perror("read");
        exit(1);
    }
    buf[got] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    int rlines;
    long rbytes;
    if (sscanf(buf, "lines=%d bytes=%ld", &rlines, &rbytes) != 2) {
        fprintf(stderr, "half-close: a bad answer: %s\n", buf);
        exit(1);
    }
    printf("client: read the answer \"%s\" to end of file: %d lines, %ld bytes\n", buf, rlines, rbytes);
    close(client);
    close(listenfd);
    return 0;
}
