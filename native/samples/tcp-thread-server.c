/* tcp-thread-server: the concurrent TCP server of seed 004 ("使用多线程或者多进程来解决"), one
 * thread per client: tcp-fork-server's model with threads instead of processes.
 *
 * usage: tcp-thread-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; CLIENTS is 1..1000. After accepting CLIENTS clients the
 *   server joins its threads and exits.
 *
 *   listenfd = socket(); bind(); listen();
 *   while (1) {
 *       connfd = accept();
 *       pthread_create(serve, connfd);     the thread: serve(connfd); close(connfd);
 *   }
 *
 * Threads share the process's descriptor table, where forked children get copies of it. So
 * the main thread must NOT close connfd (that would close the thread's connection), and the
 * thread does not close listenfd; the thread closes connfd when its client is done. The
 * client's address is handed over in a struct of its own, since the main thread's cliaddr is
 * overwritten by the next accept. Partner: tcp-client.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_CLIENTS 1000

/* What a thread gets: its connection and who is at the other end. */
struct client {
    int connfd;
    struct sockaddr_in cliaddr;
};

/* A number from the command line in min..max, or -1 if the text is not one. */
static int parse_int(const char *s, int min, int max)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (end == s || *end != '\0' || value < min || value > max)
        return -1;
    return (int)value;
}

/* The thread's work: echo until the client sends FIN (recv returns 0), then close. */
static void *serve(void *arg)
{
    struct client *c = arg;
    char buf[4096];
    long echoed = 0;
    for (;;) {
        ssize_t n = recv(c->connfd, buf, sizeof(buf), 0);
        if (n == -1) {
            perror("recv");
            exit(1);
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(c->connfd, buf + off, n - off, 0);
            if (w == -1) {
                perror("send");
                exit(1);
            }
            off += w;
        }
        echoed += n;
    }
    printf("thread: client port:%d closed, %ld bytes echoed\n", ntohs(c->cliaddr.sin_port), echoed);
    if (close(c->connfd) == -1) {
        perror("close");
        exit(1);
    }
    free(c);
    return NULL;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "tcp-thread-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: tcp-thread-server PORT CLIENTS\n");
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
    int clients = parse_int(argv[2], 1, MAX_CLIENTS);
    if (clients < 0)
        usage("CLIENTS must be a number from %d to %d, not '%s'", 1, MAX_CLIENTS, argv[2]);

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
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    printf("listening on port %d\n", ntohs(servaddr.sin_port));

    static pthread_t threads[MAX_CLIENTS];
    for (int accepted = 0; accepted < clients; accepted++) {
        struct sockaddr_in cliaddr;
        addrlen = sizeof(cliaddr);
        int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &addrlen);
        if (connfd == -1) {
            perror("accept");
            exit(1);
        }
        printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));

        /* The thread's own copy of what it needs; it frees it. */
        struct client *c = malloc(sizeof(*c));
        if (c == NULL) {
            perror("malloc");
            exit(1);
        }
        c->connfd = connfd;
        c->cliaddr = cliaddr;
        int err = pthread_create(&threads[accepted], NULL, serve, c);
        if (err != 0) { /* pthread functions return the error number; they do not set errno */
            fprintf(stderr, "pthread_create: %s\n", strerror(err));
            exit(1);
        }
        /* No close(connfd) here: the thread uses this very descriptor. */
    }

    /* No more clients: stop listening, then wait for the threads still serving. pthread_join
     * is to a thread what waitpid is to a child process. */
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    int joined = 0;
    for (int i = 0; i < clients; i++) {
        int err = pthread_join(threads[i], NULL);
        if (err != 0) {
            fprintf(stderr, "pthread_join: %s\n", strerror(err));
            exit(1);
        }
        joined++;
    }
    printf("served %d clients, joined %d threads\n", clients, joined);
    return 0;
}
