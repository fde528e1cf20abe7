package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.SocketsConstants;
import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.in_addr;
import io.github.panamasockets.bindings.ip_mreq;
import io.github.panamasockets.bindings.linger;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.stat;
import io.github.panamasockets.bindings.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_POINTER;
import static io.github.panamasockets.samples.Stdlib.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * errno-atlas: one small experiment per errno, each making one socket call fail with exactly
 * that errno on this machine. The Java port of native/samples/errno-atlas.c, experiment for
 * experiment; {@link ErrnoAtlasCommand} (./psock errno) lists and runs them.
 *
 * <pre>
 * usage: errno-atlas NAME        (ECONNREFUSED, EAI_NONAME, ...)
 * </pre>
 *
 * Some experiments need a setting the runner gives them from outside, the same for C and Java
 * (a network namespace of their own, a user namespace without privilege over the host, a lowered
 * RLIMIT_NOFILE): see {@link ErrnoAtlasCommand.Setting}. Each ends with one line on stdout:
 * "failed: CALL = -1 ERRNO (text)" (exit 0), "skipped: WHY" (exit 77) or "unexpected: ..." (exit 1).
 * The call that is to fail carries the comment "fails: ERRNO".
 */
public final class ErrnoAtlas {
    private ErrnoAtlas() {}

    interface Experiment {
        int run(Arena arena);
    }

    /** The experiment's end: the call failed with errno {@code want} (0), or not (1). */
    static int verdict(String call, long result, int want) {
        int e = errno();
        if (result == -1 && e == want) {
            printf("failed: %s = -1 %s (%s)\n", call, strerrorname(e), strerror(e));
            return 0;
        }
        if (result == -1)
            printf("unexpected: %s = -1 %s (%s), not %s\n", call, strerrorname(e), strerror(e), strerrorname(want));
        else
            printf("unexpected: %s = %d, not -1 %s\n", call, result, strerrorname(want));
        return 1;
    }

    /** As verdict, for a call that reports failure with another value: NULL (inet_ntop), 0 (if_nametoindex). */
    static int verdict_as(String call, String failure, boolean failed, int want) {
        int e = errno();
        if (failed && e == want) {
            printf("failed: %s = %s %s (%s)\n", call, failure, strerrorname(e), strerror(e));
            return 0;
        }
        printf("unexpected: %s %s, errno %s, not %s %s\n", call, failed ? failure : "succeeded", strerrorname(e), failure, strerrorname(want));
        return 1;
    }

    /** The names of getaddrinfo's codes: the EAI_ constants of the headers. */
    static String eai_name(int code) {
        for (Field f : SocketsConstants.class.getFields()) {
            try {
                if (f.getName().startsWith("EAI_") && f.getType() == int.class && f.getInt(null) == code) return f.getName();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return "?";
    }

    /** As verdict, for getaddrinfo and getnameinfo: they return an EAI_* code instead of -1 and errno. */
    static int gai_verdict(String call, int result, int want) {
        if (result == want) {
            printf("failed: %s = %s (%s)\n", call, eai_name(result), gai_strerror(result));
            return 0;
        }
        printf("unexpected: %s = %d (%s), not %s\n", call, result, gai_strerror(result), eai_name(want));
        return 1;
    }

    static void die(String call) {
        perror(call);
        exit(1);
    }

    static int skip(String why) {
        printf("skipped: %s\n", why);
        return 77;
    }

    /** addr = 127.0.0.1:port */
    static void loopback(MemorySegment addr, int port) {
        memset(addr, 0, sizeof(addr));
        sin_family(addr, AF_INET);
        sin_port(addr, htons(port));
        s_addr(sin_addr(addr), inet_addr("127.0.0.1"));
    }

    /** addr = ip:port, for an address that only a network namespace of the experiment's own routes. */
    static void remote(MemorySegment addr, String ip, int port) {
        memset(addr, 0, sizeof(addr));
        sin_family(addr, AF_INET);
        sin_port(addr, htons(port));
        s_addr(sin_addr(addr), inet_addr(ip));
    }

    /** A socket of the given type bound to 127.0.0.1 on a port the kernel chooses, listening when backlog >= 0; its address in addr. */
    static int bound(Arena arena, int type, MemorySegment addr, int backlog) {
        int fd = socket(AF_INET, type, 0);
        if (fd == -1)
            die("socket");
        loopback(addr, 0);
        if (bind(fd, addr, sizeof(addr)) == -1)
            die("bind");
        MemorySegment len = arena.allocateFrom(JAVA_INT, sizeof(addr));
        if (getsockname(fd, addr, len) == -1)
            die("getsockname");
        if (backlog >= 0 && listen(fd, backlog) == -1)
            die("listen");
        return fd;
    }

    /** A TCP socket connected to addr. */
    static int connected(MemorySegment addr) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        if (connect(fd, addr, sizeof(addr)) == -1)
            die("connect");
        return fd;
    }

    /** A connected pair of AF_UNIX stream sockets. */
    static void pair(MemorySegment sv) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
            die("socketpair");
    }

    /** Starts argv[0] (a path) with argv, this process's environment; returns its pid. */
    static int spawn(Arena arena, String... argv) {
        MemorySegment pid = arena.allocate(JAVA_INT);
        int r = posix_spawn(pid, argv[0], MemorySegment.NULL, MemorySegment.NULL, argv, null);
        if (r != 0) {
            errno(r);
            die("posix_spawn");
        }
        return pid.get(JAVA_INT, 0);
    }

    static int wait_for(Arena arena, int pid) {
        MemorySegment status = arena.allocate(JAVA_INT);
        if (waitpid(pid, status, 0) == -1)
            die("waitpid");
        return status.get(JAVA_INT, 0);
    }

    /** A name in a fresh directory for an AF_UNIX socket: dir must hold "/tmp/errno-atlas.XXXXXX". */
    static void unix_path(MemorySegment addr, MemorySegment dir, String name) {
        if (mkdtemp(dir).equals(MemorySegment.NULL))
            die("mkdtemp");
        memset(addr, 0, sizeof(addr));
        sun_family(addr, AF_UNIX);
        sun_path(addr, cstring(dir) + "/" + name);
    }

    // ---- the experiments, in the order of ./psock errno ---------------------------------------

    static int e_EACCES(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        loopback(addr, 80); /* below net.ipv4.ip_unprivileged_port_start (1024) */
        int r = bind(fd, addr, sizeof(addr)); /* fails: EACCES */
        return verdict("bind", r, EACCES);
    }

    static int e_EADDRINUSE(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        bound(arena, SOCK_STREAM, addr, 1); /* listening on 127.0.0.1:P */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        int r = bind(fd, addr, sizeof(addr)); /* fails: EADDRINUSE */
        return verdict("bind", r, EADDRINUSE);
    }

    static int e_EADDRNOTAVAIL(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        remote(addr, "192.0.2.1", 0); /* TEST-NET-1: no interface of this host has it */
        int r = bind(fd, addr, sizeof(addr)); /* fails: EADDRNOTAVAIL */
        return verdict("bind", r, EADDRNOTAVAIL);
    }

    static int e_EAFNOSUPPORT(Arena arena) {
        MemorySegment addr = sockaddr_un.allocate(arena);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        memset(addr, 0, sizeof(addr));
        sun_family(addr, AF_UNIX); /* an AF_UNIX address for an AF_INET socket */
        sun_path(addr, "/tmp/x");
        int r = bind(fd, addr, sizeof(addr)); /* fails: EAFNOSUPPORT */
        return verdict("bind", r, EAFNOSUPPORT);
    }

    static int e_EAGAIN(Arena arena) {
        MemorySegment sv = arena.allocate(JAVA_INT, 2);
        MemorySegment buf = arena.allocate(16);
        pair(sv); /* nobody writes to sv[1] */
        long n = recv(sv.getAtIndex(JAVA_INT, 0), buf, sizeof(buf), MSG_DONTWAIT); /* fails: EAGAIN */
        return verdict("recv", n, EAGAIN);
    }

    static int e_EALREADY(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        bound(arena, SOCK_STREAM, addr, 0); /* backlog 0: room for one connection */
        connected(addr);                    /* takes it: the queue is full, SYNs are dropped */
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd == -1)
            die("socket");
        if (connect(fd, addr, sizeof(addr)) != -1 || errno() != EINPROGRESS)
            die("connect");
        int r = connect(fd, addr, sizeof(addr)); /* fails: EALREADY */
        return verdict("connect", r, EALREADY);
    }

    static int e_EBADF(Arena arena) {
        MemorySegment buf = arena.allocate(16);
        MemorySegment sv = arena.allocate(JAVA_INT, 2);
        pair(sv);
        if (close(sv.getAtIndex(JAVA_INT, 0)) == -1)
            die("close");
        long n = recv(sv.getAtIndex(JAVA_INT, 0), buf, sizeof(buf), 0); /* fails: EBADF */
        return verdict("recv", n, EBADF);
    }

    static int e_ECONNABORTED(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        MemorySegment buf = arena.allocate(16);
        bound(arena, SOCK_STREAM, addr, 1);
        int fd = connected(addr);
        /* ss -K asks the kernel (SOCK_DESTROY, needs CAP_NET_ADMIN) to abort our connection. */
        String port = String.valueOf(ntohs(sin_port(addr)));
        int status = wait_for(arena, spawn(arena, "/bin/sh", "-c", "ss -K -t -n dst 127.0.0.1 dport = \"$0\" >/dev/null", port));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            return skip("ss -K (iproute2, CAP_NET_ADMIN) could not destroy the connection");
        long n = recv(fd, buf, sizeof(buf), 0); /* fails: ECONNABORTED */
        return verdict("recv", n, ECONNABORTED);
    }

    static int e_ECONNREFUSED(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        bound(arena, SOCK_STREAM, addr, -1); /* bound, not listening: its port answers a SYN with RST */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        int r = connect(fd, addr, sizeof(addr)); /* fails: ECONNREFUSED */
        return verdict("connect", r, ECONNREFUSED);
    }

    static int e_ECONNRESET(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        MemorySegment lg = linger.allocate(arena);
        MemorySegment buf = arena.allocate(16);
        int listener = bound(arena, SOCK_STREAM, addr, 1);
        int fd = connected(addr);
        int peer = accept(listener, MemorySegment.NULL, MemorySegment.NULL);
        if (peer == -1)
            die("accept");
        linger.l_onoff(lg, 1);
        linger.l_linger(lg, 0); /* close sends RST instead of FIN */
        if (setsockopt(peer, SOL_SOCKET, SO_LINGER, lg, sizeof(lg)) == -1)
            die("setsockopt");
        if (close(peer) == -1)
            die("close");
        long n = recv(fd, buf, sizeof(buf), 0); /* fails: ECONNRESET */
        return verdict("recv", n, ECONNRESET);
    }

    static int e_EDESTADDRREQ(Arena arena) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0); /* not connected: send has nowhere to go */
        if (fd == -1)
            die("socket");
        long n = send(fd, arena.allocateFrom("hello"), 5, 0); /* fails: EDESTADDRREQ */
        return verdict("send", n, EDESTADDRREQ);
    }

    static int e_EFAULT(Arena arena) {
        MemorySegment sv = arena.allocate(JAVA_INT, 2);
        pair(sv);
        if (send(sv.getAtIndex(JAVA_INT, 1), arena.allocateFrom("hello"), 5, 0) == -1)
            die("send");
        long n = recv(sv.getAtIndex(JAVA_INT, 0), MemorySegment.NULL, 16, 0); /* fails: EFAULT */
        return verdict("recv", n, EFAULT);
    }

    static int e_EHOSTUNREACH(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        remote(addr, "198.51.100.1", 80); /* the namespace's route: unreachable 198.51.100.0/24 */
        int r = connect(fd, addr, sizeof(addr)); /* fails: EHOSTUNREACH */
        return verdict("connect", r, EHOSTUNREACH);
    }

    static int e_EINPROGRESS(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        bound(arena, SOCK_STREAM, addr, 0);
        connected(addr); /* the listener's queue is full: our SYN waits for a retransmission */
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd == -1)
            die("socket");
        int r = connect(fd, addr, sizeof(addr)); /* fails: EINPROGRESS */
        return verdict("connect", r, EINPROGRESS);
    }

    static int e_EINTR(Arena arena) {
        MemorySegment sv = arena.allocate(JAVA_INT, 2);
        MemorySegment buf = arena.allocate(16);
        MemorySegment tv = timeval.allocate(arena);
        pair(sv);
        timeval.tv_sec(tv, 5);
        timeval.tv_usec(tv, 0); /* with a timeout, a stop and continue is not restarted: see signal(7) */
        if (setsockopt(sv.getAtIndex(JAVA_INT, 0), SOL_SOCKET, SO_RCVTIMEO, tv, sizeof(tv)) == -1)
            die("setsockopt");
        String pid = String.valueOf(getpid());
        int child = spawn(arena, "/bin/sh", "-c", "sleep 0.5; kill -STOP \"$0\"; sleep 0.2; kill -CONT \"$0\"", pid);
        long n = recv(sv.getAtIndex(JAVA_INT, 0), buf, sizeof(buf), 0); /* fails: EINTR */
        int e = errno();
        wait_for(arena, child);
        errno(e);
        return verdict("recv", n, EINTR);
    }

    static int e_EINVAL(Arena arena) {
        int fd = socket(AF_INET, SOCK_STREAM, 0); /* never listen()ed */
        if (fd == -1)
            die("socket");
        int r = accept(fd, MemorySegment.NULL, MemorySegment.NULL); /* fails: EINVAL */
        return verdict("accept", r, EINVAL);
    }

    static int e_EISCONN(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        bound(arena, SOCK_STREAM, addr, 1);
        int fd = connected(addr);
        int r = connect(fd, addr, sizeof(addr)); /* fails: EISCONN */
        return verdict("connect", r, EISCONN);
    }

    static int e_EMFILE(Arena arena) {
        int fd, last = -1;
        /* RLIMIT_NOFILE was lowered for this process: take descriptors until there are none. */
        while ((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1) /* fails: EMFILE */
            last = fd;
        int e = errno();
        close(last); /* one descriptor free again for what follows (a JVM opens a class file with it) */
        errno(e);
        return verdict("socket", fd, EMFILE);
    }

    static int e_EMSGSIZE(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        MemorySegment big = arena.allocate(70000); /* more than a UDP datagram can carry (65507 bytes of data) */
        bound(arena, SOCK_DGRAM, addr, -1);
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd == -1)
            die("socket");
        long n = sendto(fd, big, sizeof(big), 0, addr, sizeof(addr)); /* fails: EMSGSIZE */
        return verdict("sendto", n, EMSGSIZE);
    }

    static int e_ENETUNREACH(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        remote(addr, "192.0.2.1", 80); /* a fresh network namespace has no route at all */
        int r = connect(fd, addr, sizeof(addr)); /* fails: ENETUNREACH */
        return verdict("connect", r, ENETUNREACH);
    }

    static int e_ENOBUFS(Arena arena) {
        MemorySegment mreq = ip_mreq.allocate(arena);
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd == -1)
            die("socket");
        int r;
        /* One socket may join net.ipv4.igmp_max_memberships (20) multicast groups. */
        for (int group = 0;; group++) {
            s_addr(ip_mreq.imr_multiaddr(mreq), htonl(0xe0000100 + group)); /* 224.0.1.0 and on */
            s_addr(ip_mreq.imr_interface(mreq), inet_addr("127.0.0.1"));
            r = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, sizeof(mreq)); /* fails: ENOBUFS */
            if (r == -1 || group == 1000)
                break;
        }
        return verdict("setsockopt", r, ENOBUFS);
    }

    static int e_ENOENT(Arena arena) {
        MemorySegment addr = sockaddr_un.allocate(arena);
        MemorySegment dir = arena.allocateFrom("/tmp/errno-atlas.XXXXXX");
        unix_path(addr, dir, "nobody-listens"); /* a fresh directory: the name does not exist */
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        int r = connect(fd, addr, sizeof(addr)); /* fails: ENOENT */
        int e = errno();
        rmdir(cstring(dir));
        errno(e);
        return verdict("connect", r, ENOENT);
    }

    static int e_ENOPROTOOPT(Arena arena) {
        MemorySegment value = arena.allocate(JAVA_INT);
        MemorySegment len = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        int r = getsockopt(fd, SOL_SOCKET, 12345, value, len); /* fails: ENOPROTOOPT */
        return verdict("getsockopt", r, ENOPROTOOPT);
    }

    static int e_ENOTCONN(Arena arena) {
        MemorySegment buf = arena.allocate(16);
        int fd = socket(AF_INET, SOCK_STREAM, 0); /* never connected */
        if (fd == -1)
            die("socket");
        long n = recv(fd, buf, sizeof(buf), 0); /* fails: ENOTCONN */
        return verdict("recv", n, ENOTCONN);
    }

    static int e_ENOTSOCK(Arena arena) {
        MemorySegment p = arena.allocate(JAVA_INT, 2);
        if (pipe(p) == -1)
            die("pipe");
        int r = listen(p.getAtIndex(JAVA_INT, 0), 1); /* fails: ENOTSOCK */
        return verdict("listen", r, ENOTSOCK);
    }

    static int e_EOPNOTSUPP(Arena arena) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0); /* UDP has no connections to accept */
        if (fd == -1)
            die("socket");
        int r = listen(fd, 1); /* fails: EOPNOTSUPP */
        return verdict("listen", r, EOPNOTSUPP);
    }

    static int e_EPERM(Arena arena) {
        int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); /* fails: EPERM */
        return verdict("socket", fd, EPERM);
    }

    static int e_EPIPE(Arena arena) {
        MemorySegment sv = arena.allocate(JAVA_INT, 2);
        pair(sv);
        if (close(sv.getAtIndex(JAVA_INT, 1)) == -1)
            die("close");
        long n = send(sv.getAtIndex(JAVA_INT, 0), arena.allocateFrom("hello"), 5, MSG_NOSIGNAL); /* fails: EPIPE */
        return verdict("send", n, EPIPE);
    }

    static int e_EPROTONOSUPPORT(Arena arena) {
        int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_UDP); /* fails: EPROTONOSUPPORT */
        return verdict("socket", fd, EPROTONOSUPPORT);
    }

    static int e_EPROTOTYPE(Arena arena) {
        MemorySegment addr = sockaddr_un.allocate(arena);
        MemorySegment dir = arena.allocateFrom("/tmp/errno-atlas.XXXXXX");
        unix_path(addr, dir, "dgram");
        int dgram = socket(AF_UNIX, SOCK_DGRAM, 0);
        if (dgram == -1)
            die("socket");
        if (bind(dgram, addr, sizeof(addr)) == -1)
            die("bind");
        int fd = socket(AF_UNIX, SOCK_STREAM, 0); /* a stream socket, to a datagram socket's name */
        if (fd == -1)
            die("socket");
        int r = connect(fd, addr, sizeof(addr)); /* fails: EPROTOTYPE */
        int e = errno();
        unlink(cstring(sun_path(addr)));
        rmdir(cstring(dir));
        errno(e);
        return verdict("connect", r, EPROTOTYPE);
    }

    static int e_ETIMEDOUT(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        MemorySegment syncnt = arena.allocateFrom(JAVA_INT, 1); /* one SYN retransmission: gives up after 1 + 2 s */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        if (setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, syncnt, sizeof(syncnt)) == -1)
            die("setsockopt");
        remote(addr, "203.0.113.1", 80); /* the namespace routes 203.0.113.0/24 into lo, where nothing answers */
        int r = connect(fd, addr, sizeof(addr)); /* fails: ETIMEDOUT */
        return verdict("connect", r, ETIMEDOUT);
    }

    // ---- the calls around sockets: names, epoll, files, processes ------------------------------

    static int e_ENOSPC(Arena arena) {
        MemorySegment in = in_addr.allocate(arena);
        MemorySegment text = arena.allocate(4); /* "127.0.0.1" needs 10 bytes */
        s_addr(in, inet_addr("127.0.0.1"));
        MemorySegment p = inet_ntop(AF_INET, in, text, sizeof(text)); /* fails: ENOSPC */
        return verdict_as("inet_ntop", "NULL", p.equals(MemorySegment.NULL), ENOSPC);
    }

    static int e_ENODEV(Arena arena) {
        int index = if_nametoindex("nosuch0"); /* fails: ENODEV */
        return verdict_as("if_nametoindex", "0", index == 0, ENODEV);
    }

    static int e_EEXIST(Arena arena) {
        MemorySegment ev = epoll_event.allocate(arena);
        MemorySegment sv = arena.allocate(JAVA_INT, 2);
        pair(sv);
        int ep = epoll_create1(0);
        if (ep == -1)
            die("epoll_create1");
        memset(ev, 0, sizeof(ev));
        events(ev, EPOLLIN);
        data_fd(ev, sv.getAtIndex(JAVA_INT, 0));
        if (epoll_ctl(ep, EPOLL_CTL_ADD, sv.getAtIndex(JAVA_INT, 0), ev) == -1)
            die("epoll_ctl");
        int r = epoll_ctl(ep, EPOLL_CTL_ADD, sv.getAtIndex(JAVA_INT, 0), ev); /* fails: EEXIST */
        return verdict("epoll_ctl", r, EEXIST);
    }

    static int e_ELOOP(Arena arena) {
        MemorySegment ev = epoll_event.allocate(arena);
        int a = epoll_create1(0);
        int b = epoll_create1(0);
        if (a == -1 || b == -1)
            die("epoll_create1");
        memset(ev, 0, sizeof(ev));
        events(ev, EPOLLIN);
        if (epoll_ctl(a, EPOLL_CTL_ADD, b, ev) == -1) /* a watches b */
            die("epoll_ctl");
        int r = epoll_ctl(b, EPOLL_CTL_ADD, a, ev); /* fails: ELOOP */
        return verdict("epoll_ctl", r, ELOOP);
    }

    static int e_ENOTEMPTY(Arena arena) {
        MemorySegment addr = sockaddr_un.allocate(arena);
        MemorySegment dir = arena.allocateFrom("/tmp/errno-atlas.XXXXXX");
        unix_path(addr, dir, "server");
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd == -1)
            die("socket");
        if (bind(fd, addr, sizeof(addr)) == -1) /* leaves a socket file in dir */
            die("bind");
        int r = rmdir(cstring(dir)); /* fails: ENOTEMPTY */
        int e = errno();
        unlink(cstring(sun_path(addr)));
        rmdir(cstring(dir));
        errno(e);
        return verdict("rmdir", r, ENOTEMPTY);
    }

    static int e_EISDIR(Arena arena) {
        MemorySegment dir = arena.allocateFrom("/tmp/errno-atlas.XXXXXX");
        if (mkdtemp(dir).equals(MemorySegment.NULL))
            die("mkdtemp");
        int r = unlink(cstring(dir)); /* fails: EISDIR */
        int e = errno();
        rmdir(cstring(dir));
        errno(e);
        return verdict("unlink", r, EISDIR);
    }

    static int e_ENOTDIR(Arena arena) {
        MemorySegment st = stat.allocate(arena);
        int r = stat("/dev/null/socket", st); /* fails: ENOTDIR */
        return verdict("stat", r, ENOTDIR);
    }

    static int e_ENAMETOOLONG(Arena arena) {
        MemorySegment st = stat.allocate(arena);
        String path = "a".repeat(4999); /* PATH_MAX is 4096, with its NUL */
        int r = stat(path, st); /* fails: ENAMETOOLONG */
        return verdict("stat", r, ENAMETOOLONG);
    }

    static int e_ECHILD(Arena arena) {
        MemorySegment status = arena.allocate(JAVA_INT);
        int r = waitpid(-1, status, 0); /* fails: ECHILD */
        return verdict("waitpid", r, ECHILD);
    }

    static int e_ESRCH(Arena arena) {
        int pid = spawn(arena, "/bin/true");
        wait_for(arena, pid); /* reaped: the pid names no process now */
        int r = kill(pid, 0); /* fails: ESRCH */
        return verdict("kill", r, ESRCH);
    }

    // ---- getaddrinfo(3) and getnameinfo(3): EAI_* codes, not errno -----------------------------

    static int gai(Arena arena, String node, String service, int family, int socktype, int flags, int want) {
        MemorySegment hints = addrinfo.allocate(arena);
        MemorySegment res = arena.allocate(C_POINTER);
        memset(hints, 0, sizeof(hints));
        addrinfo.ai_family(hints, family);
        addrinfo.ai_socktype(hints, socktype);
        addrinfo.ai_flags(hints, flags);
        int r = getaddrinfo(node, service, hints, res); /* fails: EAI */
        if (r == 0)
            freeaddrinfo(res.get(C_POINTER, 0));
        return gai_verdict("getaddrinfo", r, want);
    }

    static int e_EAI_ADDRFAMILY(Arena a) { return gai(a, "::1", null, AF_INET, 0, AI_NUMERICHOST, EAI_ADDRFAMILY); }
    static int e_EAI_AGAIN(Arena a) { return gai(a, "errno-atlas.invalid", null, AF_UNSPEC, 0, 0, EAI_AGAIN); }
    static int e_EAI_BADFLAGS(Arena a) { return gai(a, null, "80", AF_UNSPEC, 0, AI_CANONNAME, EAI_BADFLAGS); }
    static int e_EAI_FAMILY(Arena a) { return gai(a, "127.0.0.1", null, 12345, 0, 0, EAI_FAMILY); }
    static int e_EAI_IDN_ENCODE(Arena a) { return gai(a, "\u00ff.example", null, AF_UNSPEC, 0, AI_IDN, EAI_IDN_ENCODE); }
    static int e_EAI_NONAME(Arena a) { return gai(a, "not-a-number", null, AF_UNSPEC, 0, AI_NUMERICHOST, EAI_NONAME); }
    static int e_EAI_SERVICE(Arena a) { return gai(a, "127.0.0.1", "no-such-service", AF_UNSPEC, SOCK_STREAM, 0, EAI_SERVICE); }
    static int e_EAI_SOCKTYPE(Arena a) { return gai(a, "127.0.0.1", null, AF_UNSPEC, 12345, 0, EAI_SOCKTYPE); }

    static int e_EAI_OVERFLOW(Arena arena) {
        MemorySegment addr = sockaddr_in.allocate(arena);
        MemorySegment host = arena.allocate(4); /* "127.0.0.1" needs 10 bytes */
        loopback(addr, 80);
        int r = getnameinfo(addr, sizeof(addr), host, sizeof(host), MemorySegment.NULL, 0, NI_NUMERICHOST); /* fails: EAI_OVERFLOW */
        return gai_verdict("getnameinfo", r, EAI_OVERFLOW);
    }

    /** The experiments by name, in the C twin's order. */
    static final Map<String, Experiment> EXPERIMENTS = new LinkedHashMap<>();
    static {
        EXPERIMENTS.put("EACCES", ErrnoAtlas::e_EACCES);
        EXPERIMENTS.put("EADDRINUSE", ErrnoAtlas::e_EADDRINUSE);
        EXPERIMENTS.put("EADDRNOTAVAIL", ErrnoAtlas::e_EADDRNOTAVAIL);
        EXPERIMENTS.put("EAFNOSUPPORT", ErrnoAtlas::e_EAFNOSUPPORT);
        EXPERIMENTS.put("EAGAIN", ErrnoAtlas::e_EAGAIN);
        EXPERIMENTS.put("EALREADY", ErrnoAtlas::e_EALREADY);
        EXPERIMENTS.put("EBADF", ErrnoAtlas::e_EBADF);
        EXPERIMENTS.put("ECONNABORTED", ErrnoAtlas::e_ECONNABORTED);
        EXPERIMENTS.put("ECONNREFUSED", ErrnoAtlas::e_ECONNREFUSED);
        EXPERIMENTS.put("ECONNRESET", ErrnoAtlas::e_ECONNRESET);
        EXPERIMENTS.put("EDESTADDRREQ", ErrnoAtlas::e_EDESTADDRREQ);
        EXPERIMENTS.put("EFAULT", ErrnoAtlas::e_EFAULT);
        EXPERIMENTS.put("EHOSTUNREACH", ErrnoAtlas::e_EHOSTUNREACH);
        EXPERIMENTS.put("EINPROGRESS", ErrnoAtlas::e_EINPROGRESS);
        EXPERIMENTS.put("EINTR", ErrnoAtlas::e_EINTR);
        EXPERIMENTS.put("EINVAL", ErrnoAtlas::e_EINVAL);
        EXPERIMENTS.put("EISCONN", ErrnoAtlas::e_EISCONN);
        EXPERIMENTS.put("EMFILE", ErrnoAtlas::e_EMFILE);
        EXPERIMENTS.put("EMSGSIZE", ErrnoAtlas::e_EMSGSIZE);
        EXPERIMENTS.put("ENETUNREACH", ErrnoAtlas::e_ENETUNREACH);
        EXPERIMENTS.put("ENOBUFS", ErrnoAtlas::e_ENOBUFS);
        EXPERIMENTS.put("ENOENT", ErrnoAtlas::e_ENOENT);
        EXPERIMENTS.put("ENOPROTOOPT", ErrnoAtlas::e_ENOPROTOOPT);
        EXPERIMENTS.put("ENOTCONN", ErrnoAtlas::e_ENOTCONN);
        EXPERIMENTS.put("ENOTSOCK", ErrnoAtlas::e_ENOTSOCK);
        EXPERIMENTS.put("EOPNOTSUPP", ErrnoAtlas::e_EOPNOTSUPP);
        EXPERIMENTS.put("EPERM", ErrnoAtlas::e_EPERM);
        EXPERIMENTS.put("EPIPE", ErrnoAtlas::e_EPIPE);
        EXPERIMENTS.put("EPROTONOSUPPORT", ErrnoAtlas::e_EPROTONOSUPPORT);
        EXPERIMENTS.put("EPROTOTYPE", ErrnoAtlas::e_EPROTOTYPE);
        EXPERIMENTS.put("ETIMEDOUT", ErrnoAtlas::e_ETIMEDOUT);
        EXPERIMENTS.put("ENOSPC", ErrnoAtlas::e_ENOSPC);
        EXPERIMENTS.put("ENODEV", ErrnoAtlas::e_ENODEV);
        EXPERIMENTS.put("EEXIST", ErrnoAtlas::e_EEXIST);
        EXPERIMENTS.put("ELOOP", ErrnoAtlas::e_ELOOP);
        EXPERIMENTS.put("ENOTEMPTY", ErrnoAtlas::e_ENOTEMPTY);
        EXPERIMENTS.put("EISDIR", ErrnoAtlas::e_EISDIR);
        EXPERIMENTS.put("ENOTDIR", ErrnoAtlas::e_ENOTDIR);
        EXPERIMENTS.put("ENAMETOOLONG", ErrnoAtlas::e_ENAMETOOLONG);
        EXPERIMENTS.put("ECHILD", ErrnoAtlas::e_ECHILD);
        EXPERIMENTS.put("ESRCH", ErrnoAtlas::e_ESRCH);
        EXPERIMENTS.put("EAI_ADDRFAMILY", ErrnoAtlas::e_EAI_ADDRFAMILY);
        EXPERIMENTS.put("EAI_AGAIN", ErrnoAtlas::e_EAI_AGAIN);
        EXPERIMENTS.put("EAI_BADFLAGS", ErrnoAtlas::e_EAI_BADFLAGS);
        EXPERIMENTS.put("EAI_FAMILY", ErrnoAtlas::e_EAI_FAMILY);
        EXPERIMENTS.put("EAI_IDN_ENCODE", ErrnoAtlas::e_EAI_IDN_ENCODE);
        EXPERIMENTS.put("EAI_NONAME", ErrnoAtlas::e_EAI_NONAME);
        EXPERIMENTS.put("EAI_OVERFLOW", ErrnoAtlas::e_EAI_OVERFLOW);
        EXPERIMENTS.put("EAI_SERVICE", ErrnoAtlas::e_EAI_SERVICE);
        EXPERIMENTS.put("EAI_SOCKTYPE", ErrnoAtlas::e_EAI_SOCKTYPE);
    }

    public static void main(String[] args) {
        Experiment experiment = args.length == 1 ? EXPERIMENTS.get(args[0]) : null;
        if (experiment == null) {
            fprintf(stderr, "usage: errno-atlas NAME\n");
            exit(2);
        }
        try (Arena arena = Arena.ofConfined()) {
            exit(experiment.run(arena));
        }
    }
}
