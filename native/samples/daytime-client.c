/* daytime-client: the daytime client of the textbooks: connect, read until the server closes.
 *
 * usage: daytime-client HOST PORT
 *   HOST is a dotted IPv4 address (127.0.0.1).
 *
 * The time differs from run to run, so the client prints what it checked about the line,
 * not the line: its length, its "\r\n" end, and the seven fields sscanf(3) finds in
 * ctime's format, "Thu Nov 26 01:02:03 2026". Partner: daytime-server.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXLINE 64

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
    fprintf(stderr, "daytime-client: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: daytime-client HOST PORT\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc != 3)
        usage("takes 2 arguments, got %d", argc - 1);
    int port = parse_int(argv[2], 0, 65535);
    if (port < 0)
        usage("PORT must be a number from %d to %d, not '%s'", 0, 65535, argv[2]);
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    if (inet_pton(AF_INET, argv[1], &servaddr.sin_addr) != 1)
        usage("HOST must be an IPv4 address such as 127.0.0.1, not '%s'", argv[1]);

    int sockfd = socket(AF_INET, SOCK_STREAM, 0);
    if (sockfd == -1) {
        perror("socket");
        exit(1);
    }
    if (connect(sockfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("connect");
        exit(1);
    }

    /* The server writes one line and closes: read until read(2) returns 0. */
    char recvline[MAXLINE + 1];
    size_t got = 0;
    ssize_t n;
    while ((n = read(sockfd, recvline + got, MAXLINE - got)) > 0)
        got += n;
    if (n == -1) {
        perror("read");
        exit(1);
    }
    recvline[got] = '\0';
    printf("received %zu bytes, then end of file\n", got);

    char wday[4], mon[4];
    int mday, hour, min, sec, year;
    int fields = sscanf(recvline, "%3s %3s %d %d:%d:%d %d", wday, mon, &mday, &hour, &min, &sec, &year);
    int crlf = got >= 2 && strcmp(recvline + got - 2, "\r\n") == 0;
    printf("a ctime line: %d fields, ends in CR LF: %s\n", fields, crlf ? "yes" : "no");
    if (fields != 7 || !crlf) {
        fprintf(stderr, "daytime-client: not a daytime line: %s\n", recvline);
        exit(1);
    }
    if (close(sockfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
