/* errno-atlas: one small experiment per errno, each making one socket call fail with exactly
 * that errno on this machine. The C twin of samples/.../ErrnoAtlas.java, experiment for experiment.
 *
 * usage: errno-atlas NAME        (ECONNREFUSED, EAI_NONAME, ...)
 *
 * `./psock errno` lists the experiments and runs them (`./psock errno NAME --c` runs this
 * program). Some need a setting that the runner gives them from outside, the same for C and
 * Java: a network namespace of their own (unshare -n, with routes set by ip), a user namespace
 * that holds no privilege over the host (unshare --user), a lowered RLIMIT_NOFILE (ulimit -n).
 * Run bare, such an experiment gives the errno only where that setting holds.
 *
 * Each experiment ends with one line on stdout: "failed: CALL = -1 ERRNO (text)" when the call
 * failed as it should (exit 0), "skipped: WHY" when it cannot run here (exit 77), or
 * "unexpected: ..." (exit 1). A call made to set the scene that fails: perror, exit 1.
 * The call that is to fail carries the comment "fails: ERRNO"; `./psock errno` shows that line.
 */
#define _GNU_SOURCE /* strerrorname_np(3), AI_IDN */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The experiment's end: the call failed with errno `want` (0), or not (1). Reads errno first. */
static int verdict(const char *call, long result, int want)
{
    int e = errno;
    if (result == -1 && e == want) {
        printf("failed: %s = -1 %s (%s)\n", call, strerrorname_np(e), strerror(e));
        return 0;
    }
    if (result == -1)
        printf("unexpected: %s = -1 %s (%s), not %s\n", call, strerrorname_np(e), strerror(e), strerrorname_np(want));
    else
        printf("unexpected: %s = %ld, not -1 %s\n", call, result, strerrorname_np(want));
    return 1;
}

/* As verdict, for a call that reports failure with another value: NULL (inet_ntop), 0 (if_nametoindex). */
static int verdict_as(const char *call, const char *failure, int failed, int want)
{
    int e = errno;
    if (failed && e == want) {
        printf("failed: %s = %s %s (%s)\n", call, failure, strerrorname_np(e), strerror(e));
        return 0;
    }
    printf("unexpected: %s %s, errno %s, not %s %s\n", call, failed ? failure : "succeeded", strerrorname_np(e), failure, strerrorname_np(want));
    return 1;
}

/* The names of getaddrinfo's codes, which have no strerrorname_np. */
static const char *eai_name(int code)
{
    static const struct { int code; const char *name; } names[] = {
        {EAI_BADFLAGS, "EAI_BADFLAGS"}, {EAI_NONAME, "EAI_NONAME"}, {EAI_AGAIN, "EAI_AGAIN"},
        {EAI_FAIL, "EAI_FAIL"}, {EAI_FAMILY, "EAI_FAMILY"}, {EAI_SOCKTYPE, "EAI_SOCKTYPE"},
        {EAI_SERVICE, "EAI_SERVICE"}, {EAI_MEMORY, "EAI_MEMORY"}, {EAI_SYSTEM, "EAI_SYSTEM"},
        {EAI_OVERFLOW, "EAI_OVERFLOW"}, {EAI_NODATA, "EAI_NODATA"}, {EAI_ADDRFAMILY, "EAI_ADDRFAMILY"},
        {EAI_IDN_ENCODE, "EAI_IDN_ENCODE"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].code == code)
            return names[i].name;
    return "?";
}

/* As verdict, for getaddrinfo and getnameinfo: they return an EAI_* code instead of -1 and errno. */
static int gai_verdict(const char *call, int result, int want)
{
    if (result == want) {
        printf("failed: %s = %s (%s)\n", call, eai_name(result), gai_strerror(result));
        return 0;
    }
    printf("unexpected: %s = %d (%s), not %s\n", call, result, gai_strerror(result), eai_name(want));
    return 1;
}

static void die(const char *call)
{
    perror(call);
    exit(1);
}

static int skip(const char *why)
{
    printf("skipped: %s\n", why);
    return 77;
}

/* addr = 127.0.0.1:port */
static void loopback(struct sockaddr_in *addr, int port)
{
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_port = htons(port);
    addr->sin_addr.s_addr = inet_addr("127.0.0.1");
}

/* addr = ip:port, for an address that only a network namespace of the experiment's own routes. */
static void remote(struct sockaddr_in *addr, const char *ip, int port)
{
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_port = htons(port);
    addr->sin_addr.s_addr = inet_addr(ip);
}

/* A socket of the given type bound to 127.0.0.1 on a port the kernel chooses, listening when backlog >= 0; its address in *addr. */
static int bound(int type, struct sockaddr_in *addr, int backlog)
{
    int fd = socket(AF_INET, type, 0);
    if (fd == -1)
        die("socket");
    loopback(addr, 0);
    if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) == -1)
        die("bind");
    socklen_t len = sizeof(*addr);
    if (getsockname(fd, (struct sockaddr *)addr, &len) == -1)
        die("getsockname");
    if (backlog >= 0 && listen(fd, backlog) == -1)
        die("listen");
    return fd;
}

/* A TCP socket connected to addr. */
static int connected(const struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) == -1)
        die("connect");
    return fd;
}

/* A connected pair of AF_UNIX stream sockets. */
static void pair(int sv[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
        die("socketpair");
}

/* Starts argv[0] (a path) with argv, this process's environment; returns its pid. */
static pid_t spawn(char *const argv[])
{
    pid_t pid;
    int r = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (r != 0) {
        errno = r;
        die("posix_spawn");
    }
    return pid;
}

static int wait_for(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) == -1)
        die("waitpid");
    return status;
}

/* A name in a fresh directory for an AF_UNIX socket: dir must hold "/tmp/errno-atlas.XXXXXX". */
static void unix_path(struct sockaddr_un *addr, char *dir, const char *name)
{
    if (mkdtemp(dir) == NULL)
        die("mkdtemp");
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    snprintf(addr->sun_path, sizeof(addr->sun_path), "%s/%s", dir, name);
}

/* ---- the experiments, in the order of ./psock errno ---------------------------------------- */

static int e_EACCES(void)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    loopback(&addr, 80); /* below net.ipv4.ip_unprivileged_port_start (1024) */
    int r = bind(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EACCES */
    return verdict("bind", r, EACCES);
}

static int e_EADDRINUSE(void)
{
    struct sockaddr_in addr;
    bound(SOCK_STREAM, &addr, 1); /* listening on 127.0.0.1:P */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    int r = bind(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EADDRINUSE */
    return verdict("bind", r, EADDRINUSE);
}

static int e_EADDRNOTAVAIL(void)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    remote(&addr, "192.0.2.1", 0); /* TEST-NET-1: no interface of this host has it */
    int r = bind(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EADDRNOTAVAIL */
    return verdict("bind", r, EADDRNOTAVAIL);
}

static int e_EAFNOSUPPORT(void)
{
    struct sockaddr_un addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX; /* an AF_UNIX address for an AF_INET socket */
    strcpy(addr.sun_path, "/tmp/x");
    int r = bind(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EAFNOSUPPORT */
    return verdict("bind", r, EAFNOSUPPORT);
}

static int e_EAGAIN(void)
{
    int sv[2];
    char buf[16];
    pair(sv); /* nobody writes to sv[1] */
    ssize_t n = recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT); /* fails: EAGAIN */
    return verdict("recv", n, EAGAIN);
}

static int e_EALREADY(void)
{
    struct sockaddr_in addr;
    bound(SOCK_STREAM, &addr, 0); /* backlog 0: room for one connection */
    connected(&addr);             /* takes it: the queue is full, SYNs are dropped */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd == -1)
        die("socket");
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != -1 || errno != EINPROGRESS)
        die("connect");
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EALREADY */
    return verdict("connect", r, EALREADY);
}

static int e_EBADF(void)
{
    char buf[16];
    int sv[2];
    pair(sv);
    if (close(sv[0]) == -1)
        die("close");
    ssize_t n = recv(sv[0], buf, sizeof(buf), 0); /* fails: EBADF */
    return verdict("recv", n, EBADF);
}

static int e_ECONNABORTED(void)
{
    struct sockaddr_in addr;
    char buf[16], port[64];
    bound(SOCK_STREAM, &addr, 1);
    int fd = connected(&addr);
    /* ss -K asks the kernel (SOCK_DESTROY, needs CAP_NET_ADMIN) to abort our connection. */
    snprintf(port, sizeof(port), "%d", ntohs(addr.sin_port));
    char *argv[] = {"/bin/sh", "-c", "ss -K -t -n dst 127.0.0.1 dport = \"$0\" >/dev/null", port, NULL};
    int status = wait_for(spawn(argv));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return skip("ss -K (iproute2, CAP_NET_ADMIN) could not destroy the connection");
    ssize_t n = recv(fd, buf, sizeof(buf), 0); /* fails: ECONNABORTED */
    return verdict("recv", n, ECONNABORTED);
}

static int e_ECONNREFUSED(void)
{
    struct sockaddr_in addr;
    bound(SOCK_STREAM, &addr, -1); /* bound, not listening: its port answers a SYN with RST */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: ECONNREFUSED */
    return verdict("connect", r, ECONNREFUSED);
}

static int e_ECONNRESET(void)
{
    struct sockaddr_in addr;
    struct linger lg;
    char buf[16];
    int listener = bound(SOCK_STREAM, &addr, 1);
    int fd = connected(&addr);
    int peer = accept(listener, NULL, NULL);
    if (peer == -1)
        die("accept");
    lg.l_onoff = 1;
    lg.l_linger = 0; /* close sends RST instead of FIN */
    if (setsockopt(peer, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == -1)
        die("setsockopt");
    if (close(peer) == -1)
        die("close");
    ssize_t n = recv(fd, buf, sizeof(buf), 0); /* fails: ECONNRESET */
    return verdict("recv", n, ECONNRESET);
}

static int e_EDESTADDRREQ(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0); /* not connected: send has nowhere to go */
    if (fd == -1)
        die("socket");
    ssize_t n = send(fd, "hello", 5, 0); /* fails: EDESTADDRREQ */
    return verdict("send", n, EDESTADDRREQ);
}

static int e_EFAULT(void)
{
    int sv[2];
    pair(sv);
    if (send(sv[1], "hello", 5, 0) == -1)
        die("send");
    ssize_t n = recv(sv[0], NULL, 16, 0); /* fails: EFAULT */
    return verdict("recv", n, EFAULT);
}

static int e_EHOSTUNREACH(void)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    remote(&addr, "198.51.100.1", 80); /* the namespace's route: unreachable 198.51.100.0/24 */
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EHOSTUNREACH */
    return verdict("connect", r, EHOSTUNREACH);
}

static int e_EINPROGRESS(void)
{
    struct sockaddr_in addr;
    bound(SOCK_STREAM, &addr, 0);
    connected(&addr); /* the listener's queue is full: our SYN waits for a retransmission */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd == -1)
        die("socket");
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EINPROGRESS */
    return verdict("connect", r, EINPROGRESS);
}

static int e_EINTR(void)
{
    int sv[2];
    char buf[16], pid[32];
    struct timeval tv;
    pair(sv);
    tv.tv_sec = 5;
    tv.tv_usec = 0; /* with a timeout, a stop and continue is not restarted: see signal(7) */
    if (setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1)
        die("setsockopt");
    snprintf(pid, sizeof(pid), "%d", getpid());
    char *argv[] = {"/bin/sh", "-c", "sleep 0.5; kill -STOP \"$0\"; sleep 0.2; kill -CONT \"$0\"", pid, NULL};
    pid_t child = spawn(argv);
    ssize_t n = recv(sv[0], buf, sizeof(buf), 0); /* fails: EINTR */
    int e = errno;
    wait_for(child);
    errno = e;
    return verdict("recv", n, EINTR);
}

static int e_EINVAL(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0); /* never listen()ed */
    if (fd == -1)
        die("socket");
    int r = accept(fd, NULL, NULL); /* fails: EINVAL */
    return verdict("accept", r, EINVAL);
}

static int e_EISCONN(void)
{
    struct sockaddr_in addr;
    bound(SOCK_STREAM, &addr, 1);
    int fd = connected(&addr);
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EISCONN */
    return verdict("connect", r, EISCONN);
}

static int e_EMFILE(void)
{
    int fd, last = -1;
    /* RLIMIT_NOFILE was lowered for this process: take descriptors until there are none. */
    while ((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1) /* fails: EMFILE */
        last = fd;
    int e = errno;
    close(last); /* one descriptor free again for what follows (a JVM opens a class file with it) */
    errno = e;
    return verdict("socket", fd, EMFILE);
}

static int e_EMSGSIZE(void)
{
    struct sockaddr_in addr;
    static char big[70000]; /* more than a UDP datagram can carry (65507 bytes of data) */
    bound(SOCK_DGRAM, &addr, -1);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd == -1)
        die("socket");
    ssize_t n = sendto(fd, big, sizeof(big), 0, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EMSGSIZE */
    return verdict("sendto", n, EMSGSIZE);
}

static int e_ENETUNREACH(void)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    remote(&addr, "192.0.2.1", 80); /* a fresh network namespace has no route at all */
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: ENETUNREACH */
    return verdict("connect", r, ENETUNREACH);
}

static int e_ENOBUFS(void)
{
    struct ip_mreq mreq;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd == -1)
        die("socket");
    int r;
    /* One socket may join net.ipv4.igmp_max_memberships (20) multicast groups. */
    for (int group = 0;; group++) {
        mreq.imr_multiaddr.s_addr = htonl(0xe0000100 + group); /* 224.0.1.0 and on */
        mreq.imr_interface.s_addr = inet_addr("127.0.0.1");
        r = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)); /* fails: ENOBUFS */
        if (r == -1 || group == 1000)
            break;
    }
    return verdict("setsockopt", r, ENOBUFS);
}

static int e_ENOENT(void)
{
    struct sockaddr_un addr;
    char dir[] = "/tmp/errno-atlas.XXXXXX";
    unix_path(&addr, dir, "nobody-listens"); /* a fresh directory: the name does not exist */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: ENOENT */
    int e = errno;
    rmdir(dir);
    errno = e;
    return verdict("connect", r, ENOENT);
}

static int e_ENOPROTOOPT(void)
{
    int value;
    socklen_t len = sizeof(value);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    int r = getsockopt(fd, SOL_SOCKET, 12345, &value, &len); /* fails: ENOPROTOOPT */
    return verdict("getsockopt", r, ENOPROTOOPT);
}

static int e_ENOTCONN(void)
{
    char buf[16];
    int fd = socket(AF_INET, SOCK_STREAM, 0); /* never connected */
    if (fd == -1)
        die("socket");
    ssize_t n = recv(fd, buf, sizeof(buf), 0); /* fails: ENOTCONN */
    return verdict("recv", n, ENOTCONN);
}

static int e_ENOTSOCK(void)
{
    int p[2];
    if (pipe(p) == -1)
        die("pipe");
    int r = listen(p[0], 1); /* fails: ENOTSOCK */
    return verdict("listen", r, ENOTSOCK);
}

static int e_EOPNOTSUPP(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0); /* UDP has no connections to accept */
    if (fd == -1)
        die("socket");
    int r = listen(fd, 1); /* fails: EOPNOTSUPP */
    return verdict("listen", r, EOPNOTSUPP);
}

static int e_EPERM(void)
{
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); /* fails: EPERM */
    return verdict("socket", fd, EPERM);
}

static int e_EPIPE(void)
{
    int sv[2];
    pair(sv);
    if (close(sv[1]) == -1)
        die("close");
    ssize_t n = send(sv[0], "hello", 5, MSG_NOSIGNAL); /* fails: EPIPE */
    return verdict("send", n, EPIPE);
}

static int e_EPROTONOSUPPORT(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_UDP); /* fails: EPROTONOSUPPORT */
    return verdict("socket", fd, EPROTONOSUPPORT);
}

static int e_EPROTOTYPE(void)
{
    struct sockaddr_un addr;
    char dir[] = "/tmp/errno-atlas.XXXXXX";
    unix_path(&addr, dir, "dgram");
    int dgram = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (dgram == -1)
        die("socket");
    if (bind(dgram, (struct sockaddr *)&addr, sizeof(addr)) == -1)
        die("bind");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0); /* a stream socket, to a datagram socket's name */
    if (fd == -1)
        die("socket");
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: EPROTOTYPE */
    int e = errno;
    unlink(addr.sun_path);
    rmdir(dir);
    errno = e;
    return verdict("connect", r, EPROTOTYPE);
}

static int e_ETIMEDOUT(void)
{
    struct sockaddr_in addr;
    int syncnt = 1; /* one SYN retransmission: gives up after 1 + 2 s */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    if (setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt)) == -1)
        die("setsockopt");
    remote(&addr, "203.0.113.1", 80); /* the namespace routes 203.0.113.0/24 into lo, where nothing answers */
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr)); /* fails: ETIMEDOUT */
    return verdict("connect", r, ETIMEDOUT);
}

/* ---- the calls around sockets: names, epoll, files, processes ------------------------------ */

static int e_ENOSPC(void)
{
    struct in_addr in;
    char text[4]; /* "127.0.0.1" needs 10 bytes */
    in.s_addr = inet_addr("127.0.0.1");
    const char *p = inet_ntop(AF_INET, &in, text, sizeof(text)); /* fails: ENOSPC */
    return verdict_as("inet_ntop", "NULL", p == NULL, ENOSPC);
}

static int e_ENODEV(void)
{
    unsigned int index = if_nametoindex("nosuch0"); /* fails: ENODEV */
    return verdict_as("if_nametoindex", "0", index == 0, ENODEV);
}

static int e_EEXIST(void)
{
    struct epoll_event ev;
    int sv[2];
    pair(sv);
    int ep = epoll_create1(0);
    if (ep == -1)
        die("epoll_create1");
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.fd = sv[0];
    if (epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) == -1)
        die("epoll_ctl");
    int r = epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev); /* fails: EEXIST */
    return verdict("epoll_ctl", r, EEXIST);
}

static int e_ELOOP(void)
{
    struct epoll_event ev;
    int a = epoll_create1(0);
    int b = epoll_create1(0);
    if (a == -1 || b == -1)
        die("epoll_create1");
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    if (epoll_ctl(a, EPOLL_CTL_ADD, b, &ev) == -1) /* a watches b */
        die("epoll_ctl");
    int r = epoll_ctl(b, EPOLL_CTL_ADD, a, &ev); /* fails: ELOOP */
    return verdict("epoll_ctl", r, ELOOP);
}

static int e_ENOTEMPTY(void)
{
    struct sockaddr_un addr;
    char dir[] = "/tmp/errno-atlas.XXXXXX";
    unix_path(&addr, dir, "server");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1) /* leaves a socket file in dir */
        die("bind");
    int r = rmdir(dir); /* fails: ENOTEMPTY */
    int e = errno;
    unlink(addr.sun_path);
    rmdir(dir);
    errno = e;
    return verdict("rmdir", r, ENOTEMPTY);
}

static int e_EISDIR(void)
{
    char dir[] = "/tmp/errno-atlas.XXXXXX";
    if (mkdtemp(dir) == NULL)
        die("mkdtemp");
    int r = unlink(dir); /* fails: EISDIR */
    int e = errno;
    rmdir(dir);
    errno = e;
    return verdict("unlink", r, EISDIR);
}

static int e_ENOTDIR(void)
{
    struct stat st;
    int r = stat("/dev/null/socket", &st); /* fails: ENOTDIR */
    return verdict("stat", r, ENOTDIR);
}

static int e_ENAMETOOLONG(void)
{
    struct stat st;
    static char path[5000]; /* PATH_MAX is 4096, with its NUL */
    memset(path, 'a', sizeof(path) - 1);
    int r = stat(path, &st); /* fails: ENAMETOOLONG */
    return verdict("stat", r, ENAMETOOLONG);
}

static int e_ECHILD(void)
{
    int status;
    int r = waitpid(-1, &status, 0); /* fails: ECHILD */
    return verdict("waitpid", r, ECHILD);
}

static int e_ESRCH(void)
{
    char *argv[] = {"/bin/true", NULL};
    pid_t pid = spawn(argv);
    wait_for(pid); /* reaped: the pid names no process now */
    int r = kill(pid, 0); /* fails: ESRCH */
    return verdict("kill", r, ESRCH);
}

/* ---- getaddrinfo(3) and getnameinfo(3): EAI_* codes, not errno ---------------------------- */

static int gai(const char *node, const char *service, int family, int socktype, int flags, int want)
{
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_flags = flags;
    int r = getaddrinfo(node, service, &hints, &res); /* fails: EAI */
    if (r == 0)
        freeaddrinfo(res);
    return gai_verdict("getaddrinfo", r, want);
}

static int e_EAI_ADDRFAMILY(void) { return gai("::1", NULL, AF_INET, 0, AI_NUMERICHOST, EAI_ADDRFAMILY); }
static int e_EAI_AGAIN(void) { return gai("errno-atlas.invalid", NULL, AF_UNSPEC, 0, 0, EAI_AGAIN); }
static int e_EAI_BADFLAGS(void) { return gai(NULL, "80", AF_UNSPEC, 0, AI_CANONNAME, EAI_BADFLAGS); }
static int e_EAI_FAMILY(void) { return gai("127.0.0.1", NULL, 12345, 0, 0, EAI_FAMILY); }
static int e_EAI_IDN_ENCODE(void) { return gai("\xff.example", NULL, AF_UNSPEC, 0, AI_IDN, EAI_IDN_ENCODE); }
static int e_EAI_NONAME(void) { return gai("not-a-number", NULL, AF_UNSPEC, 0, AI_NUMERICHOST, EAI_NONAME); }
static int e_EAI_SERVICE(void) { return gai("127.0.0.1", "no-such-service", AF_UNSPEC, SOCK_STREAM, 0, EAI_SERVICE); }
static int e_EAI_SOCKTYPE(void) { return gai("127.0.0.1", NULL, AF_UNSPEC, 12345, 0, EAI_SOCKTYPE); }

static int e_EAI_OVERFLOW(void)
{
    struct sockaddr_in addr;
    char host[4]; /* "127.0.0.1" needs 10 bytes */
    loopback(&addr, 80);
    int r = getnameinfo((struct sockaddr *)&addr, sizeof(addr), host, sizeof(host), NULL, 0, NI_NUMERICHOST); /* fails: EAI_OVERFLOW */
    return gai_verdict("getnameinfo", r, EAI_OVERFLOW);
}

static const struct {
    const char *name;
    int (*run)(void);
} experiments[] = {
    {"EACCES", e_EACCES}, {"EADDRINUSE", e_EADDRINUSE}, {"EADDRNOTAVAIL", e_EADDRNOTAVAIL},
    {"EAFNOSUPPORT", e_EAFNOSUPPORT}, {"EAGAIN", e_EAGAIN}, {"EALREADY", e_EALREADY}, {"EBADF", e_EBADF},
    {"ECONNABORTED", e_ECONNABORTED}, {"ECONNREFUSED", e_ECONNREFUSED}, {"ECONNRESET", e_ECONNRESET},
    {"EDESTADDRREQ", e_EDESTADDRREQ}, {"EFAULT", e_EFAULT}, {"EHOSTUNREACH", e_EHOSTUNREACH},
    {"EINPROGRESS", e_EINPROGRESS}, {"EINTR", e_EINTR}, {"EINVAL", e_EINVAL}, {"EISCONN", e_EISCONN},
    {"EMFILE", e_EMFILE}, {"EMSGSIZE", e_EMSGSIZE}, {"ENETUNREACH", e_ENETUNREACH}, {"ENOBUFS", e_ENOBUFS},
    {"ENOENT", e_ENOENT}, {"ENOPROTOOPT", e_ENOPROTOOPT}, {"ENOTCONN", e_ENOTCONN}, {"ENOTSOCK", e_ENOTSOCK},
    {"EOPNOTSUPP", e_EOPNOTSUPP}, {"EPERM", e_EPERM}, {"EPIPE", e_EPIPE}, {"EPROTONOSUPPORT", e_EPROTONOSUPPORT},
    {"EPROTOTYPE", e_EPROTOTYPE}, {"ETIMEDOUT", e_ETIMEDOUT},
    {"ENOSPC", e_ENOSPC}, {"ENODEV", e_ENODEV}, {"EEXIST", e_EEXIST}, {"ELOOP", e_ELOOP}, {"ENOTEMPTY", e_ENOTEMPTY},
    {"EISDIR", e_EISDIR}, {"ENOTDIR", e_ENOTDIR}, {"ENAMETOOLONG", e_ENAMETOOLONG}, {"ECHILD", e_ECHILD}, {"ESRCH", e_ESRCH},
    {"EAI_ADDRFAMILY", e_EAI_ADDRFAMILY}, {"EAI_AGAIN", e_EAI_AGAIN}, {"EAI_BADFLAGS", e_EAI_BADFLAGS},
    {"EAI_FAMILY", e_EAI_FAMILY}, {"EAI_IDN_ENCODE", e_EAI_IDN_ENCODE}, {"EAI_NONAME", e_EAI_NONAME},
    {"EAI_OVERFLOW", e_EAI_OVERFLOW}, {"EAI_SERVICE", e_EAI_SERVICE}, {"EAI_SOCKTYPE", e_EAI_SOCKTYPE},
};

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 2) {
        for (size_t i = 0; i < sizeof(experiments) / sizeof(experiments[0]); i++)
            if (strcmp(argv[1], experiments[i].name) == 0)
                return experiments[i].run();
    }
    fprintf(stderr, "usage: errno-atlas NAME\n");
    return 2;
}
