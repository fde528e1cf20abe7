/* udp-server: the UDP server ("UDP 循环服务器") of seeds 000, 002 and 004.
 *
 * usage: udp-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after CLIENTS clients have said goodbye.
 *
 *   sockfd = socket(AF_INET, SOCK_DGRAM, 0); bind();
 *   while (1) { recvfrom(&cliaddr); process(); sendto(cliaddr); }
 *
 * No listen, no accept, no connection: one socket receives the datagrams of every client,
 * and recvfrom(2) says who sent each one, so that sendto(2) can answer it.
 *
 * The echo protocol (shared with udp-client and udp-concurrent-server): each datagram is
 * echoed back as it came. A client ends with an empty (0-byte) datagram, which is echoed
 * too, as an acknowledgement. UDP keeps message boundaries, so an empty datagram is a real
 * message: recvfrom returning 0 means "an empty datagram", not end of file as in TCP.
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
    fprintf(stderr, "udp-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: udp-server PORT CLIENTS\n");
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

    /* 1. socket(2) with SOCK_DGRAM: UDP. */
    int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sockfd == -1) {
        perror("socket");
        exit(1);
    }

    /* 2. bind(2): the address clients send to. */
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
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
    printf("listening on port %d\n", ntohs(servaddr.sin_port));

    int done = 0;
    while (done < clients) {
        /* 3. recvfrom(2): one datagram, and its sender in cliaddr (addrlen is value-result,
         * so it is reset before every call). A datagram longer than buf is truncated: the
         * rest is lost, not kept for the next call as TCP would. */
        char buf[2048];
        struct sockaddr_in cliaddr;
        addrlen = sizeof(cliaddr);
        ssize_t n = recvfrom(sockfd, buf, sizeof(buf), 0, (struct sockaddr *)&cliaddr, &addrlen);
        if (n == -1) {
            perror("recvfrom");
            exit(1);
        }
        printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));
        if (n == 0) {
            printf("empty datagram: the client is done\n");
            done++;
        } else {
            printf("received: %.*s\n", (int)n, buf);
        }

        /* 4. sendto(2): the reply goes to whoever sent the datagram. A datagram is sent
         * whole or not at all, so there is no short count to loop over. */
        if (sendto(sockfd, buf, n, 0, (struct sockaddr *)&cliaddr, addrlen) == -1) {
            perror("sendto");
            exit(1);
        }
    }

    printf("served %d clients\n", clients);
    /* 5. close(2). */
    if (close(sockfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
