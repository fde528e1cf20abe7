/* udp-client: the UDP client of seeds 000, 002 and 004.
 *
 * usage: udp-client HOST PORT [MESSAGE...]
 *   HOST is a dotted IPv4 address (127.0.0.1); each MESSAGE is sent as one datagram.
 *
 *   sockfd = socket(AF_INET, SOCK_DGRAM, 0);
 *   while (...) { sendto(); recvfrom(); }
 *   close(sockfd);
 *
 * Each MESSAGE goes out with sendto(2) and its echo comes back with recvfrom(2); then an
 * empty datagram says goodbye and its echo acknowledges it (see udp-server for the
 * protocol). If a reply comes from another port than the one we sent to, as with
 * udp-concurrent-server, the rest of the conversation goes to that port (TFTP works so).
 * Partners: udp-server, udp-concurrent-server.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

/* A port number from the command line: 0..65535, or -1 if the text is not one. */
static int parse_port(const char *s)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (end == s || *end != '\0' || value < 0 || value > 65535)
        return -1;
    return (int)value;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "udp-client: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: udp-client HOST PORT [MESSAGE...]\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc < 3)
        usage("takes at least 2 arguments, got %d", argc - 1);
    int port = parse_port(argv[2]);
    if (port < 0)
        usage("PORT must be a number from 0 to 65535, not '%s'", argv[2]);
    for (int i = 3; i < argc; i++)
        if (strlen(argv[i]) > 1024)
            usage("MESSAGE %d must be at most 1024 bytes", i - 2);

    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    if (inet_pton(AF_INET, argv[1], &servaddr.sin_addr) != 1)
        usage("HOST must be an IPv4 address such as 127.0.0.1, not '%s'", argv[1]);

    /* 1. socket(2). No bind: the first sendto binds the socket to an ephemeral port. */
    int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sockfd == -1) {
        perror("socket");
        exit(1);
    }

    /* UDP is unreliable: a lost datagram, or no server at all, would leave recvfrom waiting
     * forever. SO_RCVTIMEO (socket(7)) makes it give up after 5 s with EAGAIN. */
    struct timeval timeout;
    timeout.tv_sec = 5;
    timeout.tv_usec = 0;
    if (setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == -1) {
        perror("setsockopt");
        exit(1);
    }

    /* The messages, then the empty goodbye datagram (i == argc). */
    for (int i = 3; i <= argc; i++) {
        const char *msg = i < argc ? argv[i] : "";
        size_t len = strlen(msg);

        /* 2. sendto(2): every datagram names its destination. */
        if (sendto(sockfd, msg, len, 0, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
            perror("sendto");
            exit(1);
        }

        /* 3. recvfrom(2): the reply, and who sent it. An unconnected socket accepts
         * datagrams from anyone; a careful client would check the sender's address. */
        char buf[2048];
        struct sockaddr_in from;
        socklen_t fromlen = sizeof(from);
        ssize_t n = recvfrom(sockfd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
        if (n == -1) {
            perror("recvfrom");
            exit(1);
        }
        if (from.sin_port != servaddr.sin_port) {
            printf("the reply came from port %d: talking to that port from now on\n", ntohs(from.sin_port));
            servaddr = from;
        }
        if (i < argc)
            printf("echo: %.*s\n", (int)n, buf);
        else
            printf("goodbye acknowledged (empty datagram)\n");
    }

    /* 4. close(2). */
    if (close(sockfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
