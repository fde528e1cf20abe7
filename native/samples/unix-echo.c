/* unix-echo: AF_UNIX stream sockets ("本地套接字", seeds 001 and 004), the local IPC that
 * uses the socket calls: same socket - bind - listen - accept - connect, but the address is
 * a name on this machine instead of an IP address and a port.
 *
 * usage: unix-echo
 *
 * Two kinds of names (unix(7)), each used once for an echo:
 *   1. a pathname: bind creates a socket file (type 's' in ls -l) at that path, in a
 *      temporary directory here. The file outlives the socket: bind to an existing path
 *      fails with EADDRINUSE, so a server must unlink(2) it when done.
 *   2. an abstract name (Linux only): sun_path starts with a '\0' byte and the name is the
 *      bytes after it, as many as addrlen says; no file is created, and the name vanishes
 *      with the last socket bound to it. ss -x shows it with an '@' in front.
 *
 * Server and client live in this one process, one step after the other, without fork or
 * threads: connect succeeds before anyone calls accept (the kernel queues the connection,
 * see backlog), and the message waits in the server's receive buffer until it is read.
 */
#define _GNU_SOURCE /* strerrorname_np(3) */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#define MESSAGE "hello over AF_UNIX"

/* Read exactly len bytes: a stream socket may hand them over in pieces. */
static void read_exactly(int fd, char *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n == -1) {
            perror("read");
            exit(1);
        }
        if (n == 0) {
            fprintf(stderr, "unix-echo: unexpected end of file\n");
            exit(1);
        }
        got += n;
    }
}

/* A listening AF_UNIX stream socket bound to addr. */
static int unix_listener(const struct sockaddr_un *addr, socklen_t addrlen)
{
    int listenfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listenfd == -1) {
        perror("socket");
        exit(1);
    }
    if (bind(listenfd, (const struct sockaddr *)addr, addrlen) == -1) {
        perror("bind");
        exit(1);
    }
    if (listen(listenfd, 5) == -1) {
        perror("listen");
        exit(1);
    }
    return listenfd;
}

/* One echo through the name in addr: the client connects and writes, the server accepts,
 * reads and sends the message back, the client receives it. */
static void echo_once(int listenfd, const struct sockaddr_un *addr, socklen_t addrlen)
{
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    if (client == -1) {
        perror("socket");
        exit(1);
    }
    if (connect(client, (const struct sockaddr *)addr, addrlen) == -1) {
        perror("connect");
        exit(1);
    }
    printf("client: connect() = 0, before the server has called accept()\n");
    size_t len = strlen(MESSAGE);
    ssize_t n = write(client, MESSAGE, len);
    if (n == -1) {
        perror("write");
        exit(1);
    }
    if ((size_t)n != len) { /* cannot happen with an empty socket buffer: say so if it does */
        fprintf(stderr, "unix-echo: short write\n");
        exit(1);
    }

    /* The client never bound a name: accept reports an address that is only the family,
     * addrlen == sizeof(sa_family_t). (A TCP client always has an address and a port.) */
    struct sockaddr_un peer;
    socklen_t peerlen = sizeof(peer);
    int connfd = accept(listenfd, (struct sockaddr *)&peer, &peerlen);
    if (connfd == -1) {
        perror("accept");
        exit(1);
    }
    printf("server: accept(): the client is unnamed, addrlen %d\n", (int)peerlen);

    char buf[64];
    read_exactly(connfd, buf, len);
    printf("server: received: %.*s\n", (int)len, buf);
    n = send(connfd, buf, len, 0);
    if (n == -1) {
        perror("send");
        exit(1);
    }
    if ((size_t)n != len) {
        fprintf(stderr, "unix-echo: short send\n");
        exit(1);
    }

    char echo[64];
    for (size_t got = 0; got < len;) {
        n = recv(client, echo + got, len - got, 0);
        if (n == -1) {
            perror("recv");
            exit(1);
        }
        if (n == 0) {
            fprintf(stderr, "unix-echo: unexpected end of file\n");
            exit(1);
        }
        got += n;
    }
    printf("client: echo: %.*s\n", (int)len, echo);

    if (close(connfd) == -1 || close(client) == -1) {
        perror("close");
        exit(1);
    }
}

/* Bind a new socket to addr and report the result; close the socket. */
static void try_bind(const char *who, const struct sockaddr_un *addr, socklen_t addrlen)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1) {
        perror("socket");
        exit(1);
    }
    if (bind(fd, (const struct sockaddr *)addr, addrlen) == -1)
        printf("%s: bind() = -1 %s (%s)\n", who, strerrorname_np(errno), strerror(errno));
    else
        printf("%s: bind() = 0\n", who);
    if (close(fd) == -1) {
        perror("close");
        exit(1);
    }
}

int main(int argc, char *argv[])
{
    (void)argv;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 1) {
        fprintf(stderr, "unix-echo: takes no arguments, got %d\n", argc - 1);
        fprintf(stderr, "usage: unix-echo\n");
        exit(2);
    }

    printf("1. a pathname in a temporary directory\n");
    char dir[] = "/tmp/unix-echo.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        exit(1);
    }
    /* sun_path holds a NUL-terminated path of at most 107 bytes. addrlen counts the family
     * and the path with its NUL: offsetof(struct sockaddr_un, sun_path) + strlen + 1. */
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/echo.sock", dir);
    socklen_t addrlen = offsetof(struct sockaddr_un, sun_path) + strlen(addr.sun_path) + 1;

    int listenfd = unix_listener(&addr, addrlen);
    struct stat st;
    if (stat(addr.sun_path, &st) == -1) {
        perror("stat");
        exit(1);
    }
    printf("server: bind() created the file echo.sock, a socket: %s\n", S_ISSOCK(st.st_mode) ? "yes" : "no");
    echo_once(listenfd, &addr, addrlen);
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    /* The socket is closed, its file is not gone. */
    try_bind("after close", &addr, addrlen);
    if (unlink(addr.sun_path) == -1) {
        perror("unlink");
        exit(1);
    }
    try_bind("after unlink", &addr, addrlen);
    /* try_bind created the file again: remove it, then the directory. */
    if (unlink(addr.sun_path) == -1) {
        perror("unlink");
        exit(1);
    }
    if (rmdir(dir) == -1) {
        perror("rmdir");
        exit(1);
    }

    printf("2. an abstract name\n");
    /* sun_path[0] = '\0', then the name, not NUL-terminated: addrlen says where it ends.
     * Abstract names are shared by the whole network namespace, so make this one unique. */
    char name[64];
    snprintf(name, sizeof(name), "panama-sockets-unix-echo-%d", (int)getpid());
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    addr.sun_path[0] = '\0';
    memcpy(addr.sun_path + 1, name, strlen(name));
    addrlen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);

    listenfd = unix_listener(&addr, addrlen);
    printf("server: bind() to an abstract name, no file created\n");
    echo_once(listenfd, &addr, addrlen);
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    /* The name went away with the socket. */
    try_bind("after close", &addr, addrlen);
    return 0;
}
