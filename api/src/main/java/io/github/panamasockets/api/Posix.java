package io.github.panamasockets.api;

import io.github.panamasockets.bindings.f_owner_ex;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.flock;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.posix_spawn_file_actions_t;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static io.github.panamasockets.api.Trace.hex;
import static io.github.panamasockets.api.Trace.num;

/**
 * C's socket calls under their C names, with C's argument order and return values and errno
 * kept per thread: {@code import static io.github.panamasockets.api.Posix.*;} and a C socket
 * walkthrough ports line for line.
 *
 * <p>Pointers are {@link MemorySegment}s; Java null is C's NULL, for a segment and for a String.
 * Every pointer + length pair is checked against its segment before the call: one that would
 * reach outside it, a heap segment, or a read-only segment for a buffer the kernel writes returns
 * -1 with errno {@code EFAULT}, as the kernel does for a bad pointer, and touches nothing. A String
 * with a NUL inside is refused (-1 EINVAL, or what the call's javadoc says), where C would see it
 * cut. A length the kernel itself refuses before reading (a negative {@code socklen_t}) goes to
 * the kernel, which answers EINVAL as in C. Every check happens before the system call; after it
 * nothing throws: the caller's segments are kept alive for the whole call, so a descriptor, a
 * datagram or bytes are never lost to an exception. A segment of a closed arena, or of another
 * thread's confined arena, gives Java's own {@code IllegalStateException} or
 * {@code WrongThreadException}, before the call. The addresses stored inside a
 * {@code msghdr}/{@code iovec} are C's to get right: the facade checks the arrays, not where their
 * pointers point. Each call's javadoc lists what the facade refuses and with which errno; the
 * README's Safety section lists where that differs from what C would do.
 *
 * <p>SIGPIPE: the JVM ignores it, so {@code write}, {@code writev}, {@code send}, {@code sendto}
 * and {@code sendmsg} to a peer that has gone return -1 with {@code EPIPE} where C would be killed.
 *
 * <p>A blocking call (accept, read, recv, poll, select, epoll_wait, connect, waitpid) blocks the
 * calling thread in the kernel: on a virtual thread it pins the carrier for that time.
 */
public final class Posix extends PosixNetdb {
    private Posix() {}

    // ---- errno -----------------------------------------------------------------------------

    /** C's {@code errno}: what this thread's last failed call left, as C would see it now. */
    public static int errno() {
        return ThreadErrno.mine().errno;
    }

    /** C's {@code errno = value;} (as before strtol): a call that succeeds leaves it as set. */
    public static void errno(int value) {
        ThreadErrno.mine().errno = value;
    }

    /** {@code char *strerror(int errnum)}, strerror(3): the text glibc gives in the C locale. */
    public static String strerror(int errnum) {
        return Errors.message(errnum);
    }

    /** errno's name, "EADDRINUSE", as strace prints it (the number when the platform has none). */
    public static String strerrorname(int errnum) {
        return Errors.name(errnum);
    }

    /** {@code void perror(const char *s)}, perror(3): "s: text" on standard error, as C prints it. */
    public static void perror(String s) {
        String text = strerror(errno());
        System.err.println(s == null || s.isEmpty() ? text : s + ": " + text);
        System.err.flush();
    }

    /** Opt-in: returns {@code result}, or throws an {@link ErrnoException} for this thread's errno when it is -1. */
    public static long throwIfFailed(String call, long result) throws ErrnoException {
        if (result == -1) throw new ErrnoException(call, errno());
        return result;
    }

    /** Opt-in: as {@link #throwIfFailed(String, long)} for an int result. */
    public static int throwIfFailed(String call, int result) throws ErrnoException {
        if (result == -1) throw new ErrnoException(call, errno());
        return result;
    }

    /**
     * Opt-in, in the style of PEP 475: repeats {@code call} while it fails with EINTR. Never
     * repeats a call in which {@link #close} ran: Linux frees the descriptor even when close is
     * interrupted, so a second close could close a descriptor another thread has just been given.
     * Which call it was is known from close itself (it marks this thread's state), not from
     * {@code name}, which only names the call for the reader.
     */
    public static int retryOnEintr(String name, IntSupplier call) {
        return retryOnEintr(call);
    }

    /** As {@link #retryOnEintr(String, IntSupplier)} for calls that return ssize_t. */
    public static long retryOnEintr(String name, LongSupplier call) {
        return retryOnEintr(call);
    }

    /** As {@link #retryOnEintr(String, IntSupplier)}, without a name. */
    public static int retryOnEintr(IntSupplier call) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        long closes;
        do {
            closes = e.closes;
            r = call.getAsInt();
        } while (r == -1 && e.errno == EINTR && e.closes == closes);
        return r;
    }

    /** As {@link #retryOnEintr(IntSupplier)} for calls that return ssize_t. */
    public static long retryOnEintr(LongSupplier call) {
        ThreadErrno e = ThreadErrno.current();
        long r;
        long closes;
        do {
            closes = e.closes;
            r = call.getAsLong();
        } while (r == -1 && e.errno == EINTR && e.closes == closes);
        return r;
    }

    // ---- sockets ---------------------------------------------------------------------------

    private static final class Socket { static final Link.Shared H = Link.shared(sockets_h.socket$address(), sockets_h.socket$descriptor()); }

    /**
     * {@code int socket(int domain, int type, int protocol)}, socket(2). Returns a descriptor or -1.
     * errno: EACCES (an ICMP "ping" socket, SOCK_DGRAM with IPPROTO_ICMP, for a group outside sysctl net.ipv4.ping_group_range),
     * EAFNOSUPPORT, EINVAL, EMFILE, ENFILE, ENOBUFS, ENOMEM, EPERM (SOCK_RAW or AF_PACKET without the CAP_NET_RAW capability),
     * EPROTONOSUPPORT.
     */
    public static int socket(int domain, int type, int protocol) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = (int) Link.call(Socket.H, e.capture, domain, type, protocol);
        done(e, r);
        if (Trace.on()) Trace.log("socket", r, e.errno, Names.value("AF_", domain), socketType(type),
                domain == AF_INET || domain == AF_INET6 ? Names.value("IPPROTO_", protocol) : num(protocol)); // strace: socket(AF_UNIX, SOCK_STREAM, 0)
        return r;
    }

    static String socketType(int type) {
        int base = type & 0xf;
        String flags = Names.flags("SOCK_", type & ~0xf);
        return Names.value("SOCK_", base) + (flags.equals("0") ? "" : "|" + flags);
    }

    private static final class Socketpair { static final Link.Shared H = Link.shared(sockets_h.socketpair$address(), sockets_h.socketpair$descriptor()); }

    /**
     * {@code int socketpair(int domain, int type, int protocol, int sv[2])}, socketpair(2).
     * Refused by the facade before the call: sv not 8 writable bytes (NULL, null, shorter, heap, read-only) -1 EFAULT.
     * errno: EAFNOSUPPORT, EFAULT, EMFILE, ENFILE, EOPNOTSUPP, EPROTONOSUPPORT.
     */
    public static int socketpair(int domain, int type, int protocol, MemorySegment sv) {
        ThreadErrno e = ThreadErrno.current();
        sv = Memory.orNull(sv);
        int r;
        if (!Memory.writable(sv, 2L * Integer.BYTES)) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Socketpair.H, e.capture, domain, type, protocol, sv));
        if (Trace.on()) Trace.log("socketpair", r, e.errno, Names.value("AF_", domain), socketType(type), num(protocol),
                r == 0 ? Trace.intPair(sv) : hex(sv));
        return r;
    }

    private static final class Bind { static final Link.Shared H = Link.shared(sockets_h.bind$address(), sockets_h.bind$descriptor()); }

    /**
     * {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}, bind(2).
     * Refused by the facade before the call: addrlen in 0..sizeof(struct sockaddr_storage) running past addr (or addr NULL, null, heap) -1 EFAULT
     * (also when sockfd is bad: C would say EBADF). Any other addrlen (negative, larger) is the kernel's EINVAL.
     * errno: EACCES (a port below 1024, or below sysctl net.ipv4.ip_unprivileged_port_start, without the CAP_NET_BIND_SERVICE
     * capability; an AF_UNIX path in a directory the caller may not write), EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EBADF, EFAULT (also when addrlen runs past addr), EINVAL, ENOTSOCK.
     */
    public static int bind(int sockfd, MemorySegment addr, int addrlen) {
        ThreadErrno e = ThreadErrno.current();
        addr = Memory.orNull(addr);
        int r;
        if (!Memory.nativeOrNull(addr) || (addressLengthInRange(addrlen) && !Memory.holds(addr, addrlen))) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Bind.H, e.capture, sockfd, addr, addrlen));
        if (Trace.on()) Trace.log("bind", r, e.errno, num(sockfd), Trace.sockaddr(addr, addrlen), num(addrlen));
        return r;
    }

    private static final class Listen { static final Link.Shared H = Link.shared(sockets_h.listen$address(), sockets_h.listen$descriptor()); }

    /** {@code int listen(int sockfd, int backlog)}, listen(2). errno: EADDRINUSE, EBADF, ENOTSOCK, EOPNOTSUPP. */
    public static int listen(int sockfd, int backlog) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Listen.H, e.capture, sockfd, backlog));
        if (Trace.on()) Trace.log("listen", r, e.errno, num(sockfd), num(backlog));
        return r;
    }

    private static final class Accept { static final Link.Shared H = Link.shared(sockets_h.accept$address(), sockets_h.accept$descriptor()); }

    /**
     * {@code int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}, accept(2); blocks.
     * addr and addrlen may both be NULL. The call gets *addrlen checked (a copy of it if addrlen is not confined to this thread); addrlen's arena is held for the whole call.
     * Refused by the facade before the call: addrlen not 4 writable bytes, addr with a NULL addrlen, *addrlen above 0 running past addr or addr read-only:
     * -1 EFAULT, the connection left queued (C would take it and then fail, losing it). A negative *addrlen goes to the kernel
     * (EINVAL after taking the connection, as in C).
     * errno: EAGAIN, EBADF, ECONNABORTED, EFAULT, EINTR, EINVAL, EMFILE, ENFILE, ENOTSOCK, EOPNOTSUPP.
     */
    public static int accept(int sockfd, MemorySegment addr, MemorySegment addrlen) {
        ThreadErrno e = ThreadErrno.current();
        addr = Memory.orNull(addr);
        addrlen = Memory.orNull(addrlen);
        int r;
        MemorySegment len = Memory.valueResult(e, addr, addrlen);
        if (len == null) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Accept.H, e.capture, sockfd, addr, len, Memory.keptAlive(len, addrlen)));
        if (len != null) Memory.copyBack(len, addrlen);
        if (Trace.on()) Trace.log("accept", r, e.errno, num(sockfd), r >= 0 ? Trace.sockaddr(addr, lengthOf(addrlen)) : hex(addr), Trace.socklen(addrlen));
        return r;
    }

    private static final class Accept4 { static final Link.Shared H = Link.shared(sockets_h.accept4$address(), sockets_h.accept4$descriptor()); }

    /**
     * {@code int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)}, accept4(2): accept with SOCK_NONBLOCK/SOCK_CLOEXEC.
     * Refused by the facade as {@link #accept}.
     * errno: EAGAIN, EBADF, ECONNABORTED, EFAULT, EINTR, EINVAL (also for an unknown flag), EMFILE, ENFILE, ENOTSOCK, EOPNOTSUPP.
     */
    public static int accept4(int sockfd, MemorySegment addr, MemorySegment addrlen, int flags) {
        ThreadErrno e = ThreadErrno.current();
        addr = Memory.orNull(addr);
        addrlen = Memory.orNull(addrlen);
        int r;
        MemorySegment len = Memory.valueResult(e, addr, addrlen);
        if (len == null) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Accept4.H, e.capture, sockfd, addr, len, flags, Memory.keptAlive(len, addrlen)));
        if (len != null) Memory.copyBack(len, addrlen);
        if (Trace.on()) Trace.log("accept4", r, e.errno, num(sockfd), r >= 0 ? Trace.sockaddr(addr, lengthOf(addrlen)) : hex(addr),
                Trace.socklen(addrlen), Names.flags("SOCK_", flags));
        return r;
    }

    private static final class Connect { static final Link.Shared H = Link.shared(sockets_h.connect$address(), sockets_h.connect$descriptor()); }

    /**
     * {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}, connect(2); blocks.
     * Refused by the facade as {@link #bind}.
     * errno: EACCES, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, ECONNABORTED, ECONNREFUSED, ECONNRESET, EFAULT, EHOSTUNREACH, EINPROGRESS, EINTR,
     * EINVAL (an addrlen too short for the family), EISCONN, ENETUNREACH, ENOENT (an AF_UNIX path that does not exist), ENOTSOCK, EPERM, EPIPE, EPROTOTYPE, ETIMEDOUT.
     */
    public static int connect(int sockfd, MemorySegment addr, int addrlen) {
        ThreadErrno e = ThreadErrno.current();
        addr = Memory.orNull(addr);
        int r;
        if (!Memory.nativeOrNull(addr) || (addressLengthInRange(addrlen) && !Memory.holds(addr, addrlen))) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Connect.H, e.capture, sockfd, addr, addrlen));
        if (Trace.on()) Trace.log("connect", r, e.errno, num(sockfd), Trace.sockaddr(addr, addrlen), num(addrlen));
        return r;
    }

    private static final class Shutdown { static final Link.Shared H = Link.shared(sockets_h.shutdown$address(), sockets_h.shutdown$descriptor()); }

    /** {@code int shutdown(int sockfd, int how)}, shutdown(2). errno: EBADF, EINVAL, ENOTCONN, ENOTSOCK. */
    public static int shutdown(int sockfd, int how) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Shutdown.H, e.capture, sockfd, how));
        if (Trace.on()) Trace.log("shutdown", r, e.errno, num(sockfd), Names.value("SHUT_", how));
        return r;
    }

    private static final class Close { static final Link.Shared H = Link.shared(sockets_h.close$address(), sockets_h.close$descriptor()); }

    /**
     * {@code int close(int fd)}, close(2). errno: EBADF, EINTR, EIO. Never retry it: {@link #retryOnEintr} knows
     * that close ran (it marks this thread) and does not repeat the call, whatever its label.
     */
    public static int close(int fd) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        e.closes++; // before the call: retryOnEintr must not repeat it, whatever happens next
        r = done(e, (int) Link.call(Close.H, e.capture, fd));
        if (Trace.on()) Trace.log("close", r, e.errno, num(fd));
        return r;
    }

    // ---- reading and writing ---------------------------------------------------------------

    private static final class Read { static final Link.Shared H = Link.shared(sockets_h.read$address(), sockets_h.read$descriptor()); }

    /** {@code ssize_t read(int fd, void *buf, size_t count)}, read(2); blocks. Returns 0 at end of file (peer closed).
     * Refused by the facade before the call: count past buf (a negative count is a size_t past any segment), buf NULL/null with a count, heap or read-only:
     * -1 EFAULT, nothing read.
     * errno: EAGAIN, EBADF, EFAULT, EINTR, EINVAL, EIO, EISDIR, ENOTCONN (a socket that is not connected), and for a socket the error
     * pending on it (SO_ERROR): ECONNREFUSED (connected UDP), ECONNRESET, EPIPE, ETIMEDOUT. */
    public static long read(int fd, MemorySegment buf, long count) {
        ThreadErrno e = ThreadErrno.current();
        buf = Memory.orNull(buf);
        long r;
        if (!Memory.writable(buf, count)) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Read.H, e.capture, fd, buf, count));
        if (Trace.on()) Trace.log("read", r, e.errno, num(fd), r >= 0 ? Trace.buffer(buf, r) : hex(buf), num(count));
        return r;
    }

    private static final class Write { static final Link.Shared H = Link.shared(sockets_h.write$address(), sockets_h.write$descriptor()); }

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}, write(2). SIGPIPE: the JVM ignores it, so writing to a
     * socket or pipe whose reader has gone returns -1 EPIPE where a C program would be killed by the signal.
     * Refused by the facade before the call: count past buf (negative: a size_t past any segment), buf NULL/null with a count or on the heap: -1 EFAULT, nothing sent.
     * errno: EAGAIN, EBADF, ECONNREFUSED (connected UDP), ECONNRESET, EDESTADDRREQ, EDQUOT, EFAULT, EFBIG, EINTR, EINVAL, EIO, ENOSPC, ENOTCONN, EPERM,
     * EPIPE (SIGPIPE is ignored by the JVM). */
    public static long write(int fd, MemorySegment buf, long count) {
        ThreadErrno e = ThreadErrno.current();
        buf = Memory.orNull(buf);
        long r;
        if (!Memory.holds(buf, count)) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Write.H, e.capture, fd, buf, count));
        if (Trace.on()) Trace.log("write", r, e.errno, num(fd), Trace.buffer(buf, count), num(count));
        return r;
    }

    private static final class Readv { static final Link.Shared H = Link.shared(sockets_h.readv$address(), sockets_h.readv$descriptor()); }

    /**
     * {@code ssize_t readv(int fd, const struct iovec *iov, int iovcnt)}, readv(2). The iovec array is checked; the buffers it points to are C's to get right.
     * Refused by the facade before the call: iovcnt in 0..UIO_MAXIOV running past iov (or iov NULL, null, heap) -1 EFAULT. Any other iovcnt is the kernel's EINVAL.
     * errno: EAGAIN, EBADF, EFAULT (also when iovcnt runs past iov), EINTR, EINVAL (also for a negative iovcnt), EIO, EISDIR, ENOTCONN,
     * and as {@link #read} the error pending on a socket: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT.
     */
    public static long readv(int fd, MemorySegment iov, int iovcnt) {
        ThreadErrno e = ThreadErrno.current();
        iov = Memory.orNull(iov);
        long r;
        // an iovcnt outside 0..UIO_MAXIOV is the kernel's to refuse (EINVAL, after EBADF): it reads no iovec then
        if (!Memory.nativeOrNull(iov) || (iovcnt >= 0 && iovcnt <= UIO_MAXIOV && !Memory.holds(iov, iovcnt * io.github.panamasockets.bindings.iovec.sizeof()))) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Readv.H, e.capture, fd, iov, iovcnt));
        if (Trace.on()) Trace.log("readv", r, e.errno, num(fd), TraceMsghdr.iovArray(iov, iovcnt, r >= 0 ? r : TraceMsghdr.ADDRESSES), num(iovcnt));
        return r;
    }

    private static final class Writev { static final Link.Shared H = Link.shared(sockets_h.writev$address(), sockets_h.writev$descriptor()); }

    /**
     * {@code ssize_t writev(int fd, const struct iovec *iov, int iovcnt)}, writev(2). As {@link #readv}. SIGPIPE as {@link #write}: -1 EPIPE.
     * errno: EAGAIN, EBADF, ECONNREFUSED, ECONNRESET, EDESTADDRREQ, EFAULT (also when iovcnt runs past iov), EINTR, EINVAL (also for a negative iovcnt), EIO, ENOTCONN, EPIPE.
     */
    public static long writev(int fd, MemorySegment iov, int iovcnt) {
        ThreadErrno e = ThreadErrno.current();
        iov = Memory.orNull(iov);
        long r;
        // an iovcnt outside 0..UIO_MAXIOV is the kernel's to refuse (EINVAL, after EBADF): it reads no iovec then
        if (!Memory.nativeOrNull(iov) || (iovcnt >= 0 && iovcnt <= UIO_MAXIOV && !Memory.holds(iov, iovcnt * io.github.panamasockets.bindings.iovec.sizeof()))) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Writev.H, e.capture, fd, iov, iovcnt));
        if (Trace.on()) Trace.log("writev", r, e.errno, num(fd), TraceMsghdr.iovArray(iov, iovcnt, TraceMsghdr.UNLIMITED), num(iovcnt));
        return r;
    }

    private static final class Send { static final Link.Shared H = Link.shared(sockets_h.send$address(), sockets_h.send$descriptor()); }

    /** {@code ssize_t send(int sockfd, const void *buf, size_t len, int flags)}, send(2). SIGPIPE as {@link #write}: without
     * MSG_NOSIGNAL, a peer that has closed gives -1 EPIPE here, where C would be killed.
     * Refused by the facade before the call: len past buf (or buf NULL/null with a len, heap) -1 EFAULT, nothing sent.
     * errno: EACCES, EAGAIN, EALREADY, EBADF, ECONNREFUSED (connected UDP), ECONNRESET,
     * EDESTADDRREQ, EFAULT, EINTR, EINVAL, EISCONN, EMSGSIZE, ENOBUFS, ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP (a flag the socket type lacks), EPIPE. */
    public static long send(int sockfd, MemorySegment buf, long len, int flags) {
        ThreadErrno e = ThreadErrno.current();
        buf = Memory.orNull(buf);
        long r;
        if (!Memory.holds(buf, len)) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Send.H, e.capture, sockfd, buf, len, flags));
        if (Trace.on()) Trace.log("sendto", r, e.errno, num(sockfd), Trace.buffer(buf, len), num(len), Names.flags("MSG_", flags), "NULL", "0");
        return r;
    }

    private static final class Recv { static final Link.Shared H = Link.shared(sockets_h.recv$address(), sockets_h.recv$descriptor()); }

    /** {@code ssize_t recv(int sockfd, void *buf, size_t len, int flags)}, recv(2); blocks. Returns 0 when the peer has closed.
     * Refused by the facade before the call: len past buf (a negative len too: C's kernel would write up to 2 GiB there), buf NULL/null with a len, heap or
     * read-only: -1 EFAULT, nothing consumed.
     * errno: EAGAIN, EBADF, EFAULT, EINTR, EINVAL (MSG_OOB with no urgent data), ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP (a flag the socket type lacks),
     * and the error pending on the socket (SO_ERROR): ECONNABORTED (a connection destroyed by SOCK_DESTROY, ss -K), ECONNREFUSED (connected UDP), ECONNRESET, EPIPE, ETIMEDOUT. */
    public static long recv(int sockfd, MemorySegment buf, long len, int flags) {
        ThreadErrno e = ThreadErrno.current();
        buf = Memory.orNull(buf);
        long r;
        if (!Memory.writable(buf, len)) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Recv.H, e.capture, sockfd, buf, len, flags));
        if (Trace.on()) Trace.log("recvfrom", r, e.errno, num(sockfd), r >= 0 ? Trace.buffer(buf, r) : hex(buf), num(len), Names.flags("MSG_", flags), "NULL", "NULL");
        return r;
    }

    private static final class Sendto { static final Link.Shared H = Link.shared(sockets_h.sendto$address(), sockets_h.sendto$descriptor()); }

    /** {@code ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr, socklen_t addrlen)}, sendto(2). dest_addr may be NULL with addrlen 0.
     * SIGPIPE as {@link #send}: -1 EPIPE. Refused by the facade before the call: len past buf, dest_addr on the heap, or an addrlen in
     * 0..sizeof(struct sockaddr_storage) running past dest_addr: -1 EFAULT, nothing sent. Any other addrlen is the kernel's EINVAL.
     * errno: as {@link #send}: EACCES, EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, ECONNREFUSED, ECONNRESET, EDESTADDRREQ, EFAULT (also when addrlen runs past dest_addr),
     * EHOSTUNREACH, EINTR, EINVAL, EISCONN, EMSGSIZE, ENETUNREACH, ENOBUFS, ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP, EPIPE. */
    public static long sendto(int sockfd, MemorySegment buf, long len, int flags, MemorySegment dest_addr, int addrlen) {
        ThreadErrno e = ThreadErrno.current();
        buf = Memory.orNull(buf);
        dest_addr = Memory.orNull(dest_addr);
        long r;
        if (!Memory.holds(buf, len) || !Memory.nativeOrNull(dest_addr) || (addressLengthInRange(addrlen) && !Memory.nullOrHolds(dest_addr, addrlen))) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Sendto.H, e.capture, sockfd, buf, len, flags, dest_addr, addrlen));
        if (Trace.on()) Trace.log("sendto", r, e.errno, num(sockfd), Trace.buffer(buf, len), num(len), Names.flags("MSG_", flags), Trace.sockaddr(dest_addr, addrlen), num(addrlen));
        return r;
    }

    private static final class Recvfrom { static final Link.Shared H = Link.shared(sockets_h.recvfrom$address(), sockets_h.recvfrom$descriptor()); }

    /** {@code ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct sockaddr *src_addr, socklen_t *addrlen)}, recvfrom(2); blocks. src_addr and addrlen may both be NULL.
     * The call gets *addrlen checked (a copy of it if addrlen is not confined to this thread); addrlen's arena is held for the whole call.
     * Refused by the facade before the call: buf as {@link #recv}; addrlen not 4 writable bytes, src_addr with a NULL addrlen, *addrlen above 0 running
     * past src_addr or src_addr read-only (also on a stream socket, where the kernel writes no address): -1 EFAULT, nothing
     * consumed. A negative *addrlen goes to the kernel: EINVAL after it took the datagram, as in C.
     * errno: as {@link #recv}: EAGAIN, EBADF, EFAULT (also when *addrlen runs past src_addr), EINTR, EINVAL, ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP,
     * and the error pending on the socket: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT. */
    public static long recvfrom(int sockfd, MemorySegment buf, long len, int flags, MemorySegment src_addr, MemorySegment addrlen) {
        ThreadErrno e = ThreadErrno.current();
        buf = Memory.orNull(buf);
        src_addr = Memory.orNull(src_addr);
        addrlen = Memory.orNull(addrlen);
        long r;
        MemorySegment srclen = Memory.writable(buf, len) ? Memory.valueResult(e, src_addr, addrlen, buf) : null;
        if (srclen == null) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Recvfrom.H, e.capture, sockfd, buf, len, flags, src_addr, srclen, Memory.keptAlive(srclen, addrlen)));
        if (srclen != null) Memory.copyBack(srclen, addrlen);
        if (Trace.on()) Trace.log("recvfrom", r, e.errno, num(sockfd), r >= 0 ? Trace.buffer(buf, r) : hex(buf), num(len), Names.flags("MSG_", flags),
                r >= 0 ? Trace.sockaddr(src_addr, lengthOf(addrlen)) : hex(src_addr), Trace.socklen(addrlen));
        return r;
    }

    private static final class Sendmsg { static final Link.Shared H = Link.shared(sockets_h.sendmsg$address(), sockets_h.sendmsg$descriptor()); }

    /** {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}, sendmsg(2). The msghdr is checked; the buffers it points to are C's to get right.
     * SIGPIPE as {@link #send}: -1 EPIPE. Refused by the facade before the call: msg not holding a struct msghdr (NULL, null, shorter, heap) -1 EFAULT.
     * errno: as {@link #sendto}: EACCES, EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, ECONNREFUSED, ECONNRESET, EDESTADDRREQ, EFAULT, EHOSTUNREACH, EINTR, EINVAL (also for a malformed control message),
     * EISCONN, EMSGSIZE, ENETUNREACH, ENOBUFS, ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP, EPERM (SCM_CREDENTIALS naming another process,
     * or a firewall rule), EPIPE. */
    public static long sendmsg(int sockfd, MemorySegment msg, int flags) {
        ThreadErrno e = ThreadErrno.current();
        msg = Memory.orNull(msg);
        long r;
        if (!Memory.holds(msg, io.github.panamasockets.bindings.msghdr.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Sendmsg.H, e.capture, sockfd, msg, flags));
        if (Trace.on()) Trace.log("sendmsg", r, e.errno, num(sockfd), TraceMsghdr.sent(msg), Names.flags("MSG_", flags));
        return r;
    }

    private static final class Recvmsg { static final Link.Shared H = Link.shared(sockets_h.recvmsg$address(), sockets_h.recvmsg$descriptor()); }

    /** {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}, recvmsg(2); blocks. As {@link #sendmsg}.
     * Refused by the facade before the call: msg not a writable struct msghdr (the kernel writes msg_namelen, msg_controllen, msg_flags) -1 EFAULT, nothing consumed.
     * errno: as {@link #recv}: EAGAIN, EBADF, EFAULT, EINTR, EINVAL, EMSGSIZE, ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP,
     * and the error pending on the socket: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT. */
    public static long recvmsg(int sockfd, MemorySegment msg, int flags) {
        ThreadErrno e = ThreadErrno.current();
        msg = Memory.orNull(msg);
        long r;
        int namelen = Trace.on() ? TraceMsghdr.namelen(msg) : 0; // msg_namelen as given, for the trace's "msg_namelen=128 => 16"
        if (!Memory.writable(msg, io.github.panamasockets.bindings.msghdr.sizeof())) r = e.refuse(EFAULT); // the kernel writes msg_namelen, msg_controllen, msg_flags
        else r = done(e, Link.call(Recvmsg.H, e.capture, sockfd, msg, flags));
        if (Trace.on()) Trace.log("recvmsg", r, e.errno, num(sockfd), TraceMsghdr.received(msg, namelen, r), Names.flags("MSG_", flags));
        return r;
    }

    // ---- options and names -----------------------------------------------------------------

    private static final class Getsockopt { static final Link.Shared H = Link.shared(sockets_h.getsockopt$address(), sockets_h.getsockopt$descriptor()); }

    /** {@code int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen)}, getsockopt(2). The kernel writes at
     * most *optlen bytes of any option: the facade checks that optval holds them. Refused by the facade before the call: optlen not 4 writable bytes (NULL
     * too), *optlen running past optval or optval read-only: -1 EFAULT; *optlen negative: -1 EINVAL (some kernels' TCP would write 4 bytes).
     * errno: EBADF, EFAULT, EINVAL, ENOPROTOOPT, ENOTSOCK, EOPNOTSUPP (a level the socket's family lacks). */
    public static int getsockopt(int sockfd, int level, int optname, MemorySegment optval, MemorySegment optlen) {
        ThreadErrno e = ThreadErrno.current();
        optval = Memory.orNull(optval);
        optlen = Memory.orNull(optlen);
        int r;
        MemorySegment len = optlen.equals(MemorySegment.NULL) ? null : Memory.valueResult(e, optval, optlen);
        if (len == null) r = e.refuse(EFAULT);
        else if (Memory.valueOf(len) < 0) { r = e.refuse(EINVAL); len = null; } // some protocols (TCP) would write 4 bytes for it
        else r = done(e, (int) Link.call(Getsockopt.H, e.capture, sockfd, level, optname, optval, len, Memory.keptAlive(len, optlen)));
        if (len != null) Memory.copyBack(len, optlen);
        if (Trace.on()) Trace.log("getsockopt", r, e.errno, num(sockfd), level(level),
                Names.value(optionPrefix(level), optname), r == 0 ? Trace.option(level, optname, optval, lengthOf(optlen)) : hex(optval), Trace.socklen(optlen));
        return r;
    }

    private static final class Setsockopt { static final Link.Shared H = Link.shared(sockets_h.setsockopt$address(), sockets_h.setsockopt$descriptor()); }

    /** {@code int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)}, setsockopt(2). The kernel reads
     * at most optlen bytes of any option. Refused by the facade before the call: optlen running past optval, optval NULL with an optlen, or on the heap:
     * -1 EFAULT. A negative optlen is the kernel's EINVAL.
     * errno: EACCES (SO_DEBUG turned on without the CAP_NET_ADMIN capability), EBADF, EFAULT, EINVAL, ENOBUFS (IP_ADD_MEMBERSHIP past net.ipv4.igmp_max_memberships), ENOMEM, ENOPROTOOPT, ENOTSOCK, EOPNOTSUPP (a level the socket's family lacks), EPERM (an option that needs a capability: SO_RCVBUFFORCE, SO_SNDBUFFORCE,
     * TCP_REPAIR and a congestion control not in sysctl net.ipv4.tcp_allowed_congestion_control need CAP_NET_ADMIN; SO_MARK,
     * IP_TRANSPARENT and SO_PRIORITY outside 0..6 need CAP_NET_ADMIN or CAP_NET_RAW; changing SO_BINDTODEVICE needs CAP_NET_RAW). */
    public static int setsockopt(int sockfd, int level, int optname, MemorySegment optval, int optlen) {
        ThreadErrno e = ThreadErrno.current();
        optval = Memory.orNull(optval);
        int r;
        // a negative optlen is the kernel's to refuse (EINVAL): it reads nothing then
        if (!Memory.nativeOrNull(optval) || (optlen >= 0 && (!Memory.nullOrHolds(optval, optlen) || (optval.equals(MemorySegment.NULL) && optlen != 0)))) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Setsockopt.H, e.capture, sockfd, level, optname, optval, optlen));
        if (Trace.on()) Trace.log("setsockopt", r, e.errno, num(sockfd), level(level),
                Names.value(optionPrefix(level), optname), Trace.option(level, optname, optval, optlen), num(optlen));
        return r;
    }

    /** An option level as strace prints it: SOL_SOCKET, SOL_TCP, SOL_IP (the IPPROTO_ name for a level with no SOL_ name). */
    private static String level(int level) {
        String n = Names.value("SOL_", level);
        return n.startsWith("SOL_") ? n : Names.value("IPPROTO_", level);
    }

    private static String optionPrefix(int level) {
        return level == SOL_SOCKET ? "SO_" : level == IPPROTO_TCP ? "TCP_" : level == IPPROTO_IPV6 ? "IPV6_" : "IP_";
    }

    private static final class Getsockname { static final Link.Shared H = Link.shared(sockets_h.getsockname$address(), sockets_h.getsockname$descriptor()); }

    /**
     * {@code int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}, getsockname(2).
     * Refused by the facade before the call: addrlen NULL or not 4 writable bytes, *addrlen running past addr or addr read-only: -1 EFAULT.
     * A negative *addrlen is the kernel's EINVAL. errno: EBADF, EFAULT, EINVAL, ENOBUFS, ENOTSOCK.
     */
    public static int getsockname(int sockfd, MemorySegment addr, MemorySegment addrlen) {
        ThreadErrno e = ThreadErrno.current();
        addr = Memory.orNull(addr);
        addrlen = Memory.orNull(addrlen);
        int r;
        MemorySegment len = addrlen.equals(MemorySegment.NULL) ? null : Memory.valueResult(e, addr, addrlen);
        if (len == null) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Getsockname.H, e.capture, sockfd, addr, len, Memory.keptAlive(len, addrlen)));
        if (len != null) Memory.copyBack(len, addrlen);
        if (Trace.on()) Trace.log("getsockname", r, e.errno, num(sockfd), r == 0 ? Trace.sockaddr(addr, lengthOf(addrlen)) : hex(addr), Trace.socklen(addrlen));
        return r;
    }

    private static final class Getpeername { static final Link.Shared H = Link.shared(sockets_h.getpeername$address(), sockets_h.getpeername$descriptor()); }

    /**
     * {@code int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}, getpeername(2). Refused by the facade as {@link #getsockname}.
     * errno: EBADF, EFAULT, EINVAL, ENOBUFS, ENOTCONN, ENOTSOCK.
     */
    public static int getpeername(int sockfd, MemorySegment addr, MemorySegment addrlen) {
        ThreadErrno e = ThreadErrno.current();
        addr = Memory.orNull(addr);
        addrlen = Memory.orNull(addrlen);
        int r;
        MemorySegment len = addrlen.equals(MemorySegment.NULL) ? null : Memory.valueResult(e, addr, addrlen);
        if (len == null) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Getpeername.H, e.capture, sockfd, addr, len, Memory.keptAlive(len, addrlen)));
        if (len != null) Memory.copyBack(len, addrlen);
        if (Trace.on()) Trace.log("getpeername", r, e.errno, num(sockfd), r == 0 ? Trace.sockaddr(addr, lengthOf(addrlen)) : hex(addr), Trace.socklen(addrlen));
        return r;
    }

    // ---- multiplexing ----------------------------------------------------------------------

    private static final class Select { static final Link.Shared H = Link.shared(sockets_h.select$address(), sockets_h.select$descriptor()); }

    /**
     * {@code int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)}, select(2); blocks.
     * Each set and the timeout may be NULL. Refused by the facade before the call: nfds above FD_SETSIZE -1 EINVAL (the kernel would read and write past
     * the sets); a set or the timeout not NULL and not a writable fd_set/timeval -1 EFAULT (Linux writes the time left into it).
     * errno: EBADF, EINTR, EINVAL (nfds negative or above FD_SETSIZE), ENOMEM, EFAULT.
     */
    public static int select(int nfds, MemorySegment readfds, MemorySegment writefds, MemorySegment exceptfds, MemorySegment timeout) {
        ThreadErrno e = ThreadErrno.current();
        readfds = Memory.orNull(readfds);
        writefds = Memory.orNull(writefds);
        exceptfds = Memory.orNull(exceptfds);
        timeout = Memory.orNull(timeout);
        String before = Trace.on() ? Trace.fdSet(readfds, nfds) + ", " + Trace.fdSet(writefds, nfds) + ", " + Trace.fdSet(exceptfds, nfds)
                + ", " + Trace.timeval(timeout) : null; // as passed: Linux writes the time left into *timeout
        int r;
        long setSize = fd_set.sizeof();
        if (nfds < 0 || nfds > FD_SETSIZE) r = e.refuse(EINVAL);
        else if (!Memory.nullOrWritable(readfds, setSize) || !Memory.nullOrWritable(writefds, setSize) || !Memory.nullOrWritable(exceptfds, setSize)
                || !Memory.nullOrWritable(timeout, timeval.sizeof())) r = e.refuse(EFAULT); // Linux writes the time left into *timeout
        else r = done(e, (int) Link.call(Select.H, e.capture, nfds, readfds, writefds, exceptfds, timeout));
        if (Trace.on()) Trace.logWithOutput("select", r, e.errno, r > 0 ? Trace.selected(nfds, readfds, writefds, exceptfds, timeout)
                : r == 0 && !timeout.equals(MemorySegment.NULL) ? "Timeout" : null, num(nfds), before);
        return r;
    }

    private static final class Poll { static final Link.Shared H = Link.shared(sockets_h.poll$address(), sockets_h.poll$descriptor()); }

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}, poll(2); blocks. Refused by the facade before the call: nfds negative -1 EINVAL;
     * nfds running past fds, or fds read-only (the kernel writes revents) -1 EFAULT. errno: EFAULT, EINTR, EINVAL, ENOMEM.
     */
    public static int poll(MemorySegment fds, long nfds, int timeout) {
        ThreadErrno e = ThreadErrno.current();
        fds = Memory.orNull(fds);
        int r;
        boolean fits = nfds >= 0 && nfds <= Integer.MAX_VALUE / pollfd.sizeof() && Memory.writable(fds, nfds * pollfd.sizeof());
        String before = Trace.on() && fits ? Trace.pollfds(fds, nfds, false) : null;
        if (!fits) r = e.refuse(nfds < 0 ? EINVAL : EFAULT);
        else r = done(e, (int) Link.call(Poll.H, e.capture, fds, nfds, timeout));
        if (Trace.on()) Trace.logWithOutput("poll", r, e.errno, r > 0 ? Trace.pollfds(fds, nfds, true) : r == 0 ? "Timeout" : null, before == null ? hex(fds) : before, num(nfds), num(timeout));
        return r;
    }

    private static final class EpollCreate1 { static final Link.Shared H = Link.shared(sockets_h.epoll_create1$address(), sockets_h.epoll_create1$descriptor()); }

    /** {@code int epoll_create1(int flags)}, epoll_create1(2). errno: EINVAL, EMFILE, ENFILE, ENOMEM. */
    public static int epoll_create1(int flags) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(EpollCreate1.H, e.capture, flags));
        if (Trace.on()) Trace.log("epoll_create1", r, e.errno, Names.flags("EPOLL_", flags));
        return r;
    }

    private static final class EpollCtl { static final Link.Shared H = Link.shared(sockets_h.epoll_ctl$address(), sockets_h.epoll_ctl$descriptor()); }

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}, epoll_ctl(2). event may be NULL for EPOLL_CTL_DEL
     * (NULL otherwise is the kernel's EFAULT). Refused by the facade before the call: event not NULL and shorter than a struct epoll_event or on the heap -1 EFAULT. errno: EBADF, EEXIST, EINVAL, ELOOP, ENOENT, ENOMEM, ENOSPC, EPERM, EFAULT. */
    public static int epoll_ctl(int epfd, int op, int fd, MemorySegment event) {
        ThreadErrno e = ThreadErrno.current();
        event = Memory.orNull(event);
        int r;
        if (!Memory.nullOrHolds(event, io.github.panamasockets.bindings.epoll_event.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(EpollCtl.H, e.capture, epfd, op, fd, event));
        if (Trace.on()) Trace.log("epoll_ctl", r, e.errno, num(epfd), Names.value("EPOLL_CTL_", op), num(fd), event.equals(MemorySegment.NULL) ? "NULL"
                : Trace.readable(event, io.github.panamasockets.bindings.epoll_event.sizeof()) ? epollEvent(event, 0) : hex(event));
        return r;
    }

    private static final class EpollWait {
        static final Link.Shared H = Link.shared(sockets_h.epoll_wait$address(), sockets_h.epoll_wait$descriptor());
        static final long EVENT_SIZE = io.github.panamasockets.bindings.epoll_event.sizeof();
        /** The kernel's EP_MAX_EVENTS, computed once: the check at every call compares with a constant instead of dividing. */
        static final int MAX_EVENTS = (int) (Integer.MAX_VALUE / EVENT_SIZE);
    }

    /** {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}, epoll_wait(2); blocks.
     * Refused by the facade before the call: maxevents not in 1..INT_MAX / sizeof(struct epoll_event) -1 EINVAL, as the kernel; maxevents running past
     * events, or events read-only -1 EFAULT. errno: EBADF, EFAULT (also when maxevents runs past events), EINTR, EINVAL. */
    public static int epoll_wait(int epfd, MemorySegment events, int maxevents, int timeout) {
        ThreadErrno e = ThreadErrno.current();
        events = Memory.orNull(events);
        int r;
        if (maxevents <= 0 || maxevents > EpollWait.MAX_EVENTS) r = e.refuse(EINVAL); // the kernel's EP_MAX_EVENTS
        else if (!Memory.writable(events, maxevents * EpollWait.EVENT_SIZE)) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(EpollWait.H, e.capture, epfd, events, maxevents, timeout));
        if (Trace.on()) Trace.log("epoll_wait", r, e.errno, num(epfd), r >= 0 && Trace.readable(events, r * io.github.panamasockets.bindings.epoll_event.sizeof()) ? epollEvents(events, r) : hex(events), num(maxevents), num(timeout));
        return r;
    }

    /**
     * The epoll_event at {@code index}, as strace prints it: "{events=EPOLLIN, data={u32=5, u64=5}}". Read unaligned: the
     * struct is packed on x86_64 (data at offset 4), and the caller's array may sit anywhere.
     */
    private static String epollEvent(MemorySegment events, long index) {
        try {
            return epollEventAt(events, index);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(events); // another thread closed its arena after the call: the trace does not throw
        }
    }

    private static String epollEventAt(MemorySegment events, long index) {
        long at = index * io.github.panamasockets.bindings.epoll_event.sizeof();
        long data = at + io.github.panamasockets.bindings.epoll_event.data$offset();
        return "{events=" + Names.flags("EPOLL", events.get(ValueLayout.JAVA_INT_UNALIGNED, at + io.github.panamasockets.bindings.epoll_event.events$offset()))
                + ", data={u32=" + Integer.toUnsignedString(events.get(ValueLayout.JAVA_INT_UNALIGNED, data))
                + ", u64=" + Long.toUnsignedString(events.get(ValueLayout.JAVA_LONG_UNALIGNED, data)) + "}}";
    }

    private static String epollEvents(MemorySegment events, int n) {
        try {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < n; i++) s.append(i > 0 ? ", " : "").append(epollEvent(events, i));
            return s.append(']').toString();
        } catch (IllegalStateException closedMeanwhile) {
            return hex(events);
        }
    }

    // ---- descriptors -----------------------------------------------------------------------

    private static final class Fcntl {
        // fcntl is variadic; F_GETFL/F_SETFL/F_GETFD/F_SETFD take one int (or none, which is the same in the ABI).
        static final MethodHandle H = Link.capturingErrno(sockets_h.fcntl.address(),
                FunctionDescriptor.of(sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_INT), Linker.Option.firstVariadicArg(2));
    }

    private static final class FcntlPointer {
        // the commands whose third argument is a pointer: the same variadic call with a pointer there
        static final MethodHandle H = Link.capturingErrno(sockets_h.fcntl.address(),
                FunctionDescriptor.of(sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_POINTER), Linker.Option.firstVariadicArg(2));
    }

    /**
     * Whether fcntl's third argument is an int (or absent) for {@code cmd}: the commands of fcntl(2)
     * that take none (F_GETFD, F_GETFL, F_GETOWN, F_GETSIG, F_GETLEASE, F_GETPIPE_SZ, F_GET_SEALS)
     * or an int (F_DUPFD, F_DUPFD_CLOEXEC, F_SETFD, F_SETFL, F_SETOWN, F_SETSIG, F_SETLEASE,
     * F_NOTIFY, F_SETPIPE_SZ, F_ADD_SEALS).
     */
    static boolean fcntlTakesInt(int cmd) {
        return switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETOWN, F_SETOWN, F_GETSIG, F_SETSIG,
                 F_GETLEASE, F_SETLEASE, F_NOTIFY, F_GETPIPE_SZ, F_SETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS -> true;
            default -> false;
        };
    }

    /**
     * The size of what fcntl's pointer argument points to for {@code cmd}, or -1 when cmd takes no
     * pointer: struct flock (F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW),
     * struct f_owner_ex (F_GETOWN_EX, F_SETOWN_EX), uint64_t (F_GET_RW_HINT, F_SET_RW_HINT,
     * F_GET_FILE_RW_HINT, F_SET_FILE_RW_HINT).
     */
    static long fcntlPointee(int cmd) {
        return switch (cmd) {
            case F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW -> flock.sizeof();
            case F_GETOWN_EX, F_SETOWN_EX -> f_owner_ex.sizeof();
            case F_GET_RW_HINT, F_SET_RW_HINT, F_GET_FILE_RW_HINT, F_SET_FILE_RW_HINT -> Long.BYTES; // uint64_t
            default -> -1;
        };
    }

    /** Whether the kernel writes through fcntl's pointer for {@code cmd} (the GET commands). */
    static boolean fcntlWrites(int cmd) {
        return cmd == F_GETLK || cmd == F_OFD_GETLK || cmd == F_GETOWN_EX || cmd == F_GET_RW_HINT || cmd == F_GET_FILE_RW_HINT;
    }

    /**
     * {@code int fcntl(int fd, int cmd, ...)}, fcntl(2), for commands that take no argument (F_GETFL, F_GETFD, F_GETOWN, ...).
     * errno: EACCES, EAGAIN, EBADF, EBUSY, EINVAL (also, refused by the facade, for a command that takes a pointer:
     * use {@link #fcntl(int, int, MemorySegment)}), EMFILE, ENOTDIR (F_NOTIFY), EPERM, ESRCH.
     */
    public static int fcntl(int fd, int cmd) {
        return fcntl(fd, cmd, 0, false);
    }

    /**
     * {@code int fcntl(int fd, int cmd, int arg)}, fcntl(2), for commands that take an int (F_SETFL, F_SETFD, F_DUPFD,
     * F_DUPFD_CLOEXEC, F_SETOWN, F_SETSIG, F_SETLEASE, F_NOTIFY, F_SETPIPE_SZ, F_ADD_SEALS) or none. The int is never
     * handed to a command that takes a pointer (F_GETLK, F_GETOWN_EX, F_GET_RW_HINT, ...: the kernel would write
     * where the int points), nor to a command the facade does not know: both are refused with -1 EINVAL.
     * errno: EACCES, EAGAIN, EBADF, EBUSY, EINVAL, EMFILE, ENOTDIR (F_NOTIFY on a file that is not a directory), EPERM, ESRCH.
     */
    public static int fcntl(int fd, int cmd, int arg) {
        return fcntl(fd, cmd, arg, true);
    }

    /**
     * {@code int fcntl(int fd, int cmd, void *arg)}, fcntl(2), for the commands whose argument is a pointer:
     * a struct flock for F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW ({@code flock.allocate(arena)});
     * a struct f_owner_ex for F_GETOWN_EX, F_SETOWN_EX; a uint64_t for F_GET_RW_HINT, F_SET_RW_HINT, F_GET_FILE_RW_HINT,
     * F_SET_FILE_RW_HINT. F_SETLKW and F_OFD_SETLKW block.
     * Refused by the facade: another command (one that takes an int, or one it does not know) -1 EINVAL; arg not
     * holding the command's struct (NULL, shorter, on the heap, or read-only for a GET command) -1 EFAULT.
     * errno: EACCES, EAGAIN, EBADF, EDEADLK, EFAULT, EINTR, EINVAL, ENOLCK, EPERM, ESRCH.
     */
    public static int fcntl(int fd, int cmd, MemorySegment arg) {
        ThreadErrno e = ThreadErrno.current();
        arg = Memory.orNull(arg);
        long size = fcntlPointee(cmd);
        int r;
        if (size < 0) r = e.refuse(EINVAL);
        else if (fcntlWrites(cmd) ? !Memory.writable(arg, size) : !Memory.holds(arg, size)) r = e.refuse(EFAULT);
        else try { r = done(e, (int) FcntlPointer.H.invokeExact(e.capture, fd, cmd, arg)); } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("fcntl", r, e.errno, num(fd), Names.value("F_", cmd), hex(arg));
        return r;
    }

    private static int fcntl(int fd, int cmd, int arg, boolean hasArg) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!fcntlTakesInt(cmd)) r = e.refuse(EINVAL); // a pointer command would write where the int points
        else try { r = done(e, (int) Fcntl.H.invokeExact(e.capture, fd, cmd, arg)); } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) {
            String c = Names.value("F_", cmd);
            boolean flags = cmd == F_SETFL;
            if (hasArg) Trace.log("fcntl", r, e.errno, num(fd), c, flags ? Names.flags("O_", arg) : num(arg));
            else if (cmd == F_GETFL || cmd == F_GETFD) Trace.logFlags("fcntl", r, e.errno, cmd == F_GETFL ? "O_" : "FD_", num(fd), c); // strace: = 0x2 (flags O_RDWR)
            else Trace.log("fcntl", r, e.errno, num(fd), c);
        }
        return r;
    }

    private static final class Dup { static final Link.Shared H = Link.shared(sockets_h.dup$address(), sockets_h.dup$descriptor()); }

    /** {@code int dup(int oldfd)}, dup(2). errno: EBADF, EMFILE. */
    public static int dup(int oldfd) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Dup.H, e.capture, oldfd));
        if (Trace.on()) Trace.log("dup", r, e.errno, num(oldfd));
        return r;
    }

    private static final class Dup2 { static final Link.Shared H = Link.shared(sockets_h.dup2$address(), sockets_h.dup2$descriptor()); }

    /** {@code int dup2(int oldfd, int newfd)}, dup2(2). errno: EBADF, EBUSY, EINTR, EMFILE. */
    public static int dup2(int oldfd, int newfd) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Dup2.H, e.capture, oldfd, newfd));
        if (Trace.on()) Trace.log("dup2", r, e.errno, num(oldfd), num(newfd));
        return r;
    }

    private static final class Pipe { static final Link.Shared H = Link.shared(sockets_h.pipe$address(), sockets_h.pipe$descriptor()); }

    /** {@code int pipe(int pipefd[2])}, pipe(2). Refused by the facade before the call: pipefd not 8 writable bytes -1 EFAULT. errno: EFAULT, EMFILE, ENFILE. */
    public static int pipe(MemorySegment pipefd) {
        ThreadErrno e = ThreadErrno.current();
        pipefd = Memory.orNull(pipefd);
        int r;
        if (!Memory.writable(pipefd, 2L * Integer.BYTES)) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Pipe.H, e.capture, pipefd));
        if (Trace.on()) Trace.log("pipe", r, e.errno, r == 0 ? Trace.intPair(pipefd) : hex(pipefd));
        return r;
    }

    // ---- files: the name an AF_UNIX socket leaves behind -----------------------------------

    private static final class Unlink { static final Link.Shared H = Link.shared(sockets_h.unlink$address(), sockets_h.unlink$descriptor()); }

    /**
     * {@code int unlink(const char *pathname)}, unlink(2): removes a name, such as the socket file a
     * bind(2) to an AF_UNIX path created. pathname null is C's NULL (the kernel's EFAULT).
     * Refused by the facade before the call: pathname with a NUL inside -1 EINVAL (C would remove the name cut there).
     * errno: EACCES, EBUSY, EFAULT, EINVAL, EISDIR, ENOENT, ENOTDIR, EPERM, EROFS.
     */
    public static int unlink(String pathname) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (Memory.hasNul(pathname)) r = e.refuse(EINVAL);
        else try (Arena arena = Arena.ofConfined()) {
            r = done(e, (int) Link.call(Unlink.H, e.capture, Memory.cString(arena, pathname)));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("unlink", r, e.errno, Trace.string(pathname));
        return r;
    }

    private static final class Rmdir { static final Link.Shared H = Link.shared(sockets_h.rmdir$address(), sockets_h.rmdir$descriptor()); }

    /**
     * {@code int rmdir(const char *pathname)}, rmdir(2): removes an empty directory. Refused by the facade as {@link #unlink}.
     * errno: EACCES, EBUSY, EFAULT, EINVAL, ENOENT, ENOTDIR, ENOTEMPTY, EPERM.
     */
    public static int rmdir(String pathname) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (Memory.hasNul(pathname)) r = e.refuse(EINVAL);
        else try (Arena arena = Arena.ofConfined()) {
            r = done(e, (int) Link.call(Rmdir.H, e.capture, Memory.cString(arena, pathname)));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("rmdir", r, e.errno, Trace.string(pathname));
        return r;
    }

    private static final class Mkdtemp { static final MethodHandle H = Link.capturingErrno(sockets_h.mkdtemp$address(), sockets_h.mkdtemp$descriptor()); }

    /**
     * {@code char *mkdtemp(char *template)}, mkdtemp(3): creates a directory named after template,
     * whose last six characters "XXXXXX" it replaces in place. template is a C string in a native
     * segment ({@code arena.allocateFrom("/tmp/name.XXXXXX")}). Refused by the facade with NULL and EFAULT: template NULL, null,
     * read-only, on the heap, or without a NUL inside the segment (glibc would read and write past it). Returns template, or NULL with errno EEXIST, EINVAL (no trailing XXXXXX) or mkdir's.
     */
    public static MemorySegment mkdtemp(MemorySegment template) {
        ThreadErrno e = ThreadErrno.current();
        template = Memory.orNull(template);
        MemorySegment r;
        String before = Trace.on() && Trace.readable(template, 1) ? Trace.cstringOrNull(template) : null;
        if (!Memory.writable(template, 1) || strnlen(template) == template.byteSize()) {
            e.refuse(EFAULT);
            r = MemorySegment.NULL;
        } else {
            try { r = (MemorySegment) Mkdtemp.H.invokeExact(e.capture, template); } catch (Throwable t) { throw Link.rethrow(t); }
            if (r.equals(MemorySegment.NULL)) e.tookCaptured();
            else r = template;
        }
        if (Trace.on()) Trace.logLibrary("mkdtemp", r.equals(MemorySegment.NULL) ? "NULL " + Errors.name(e.errno) + " (" + Errors.message(e.errno) + ")" : Trace.string(Trace.cstringOrNull(template)),
                before == null ? hex(template) : Trace.string(before));
        return r;
    }

    private static final class Stat { static final Link.Shared H = Link.shared(sockets_h.stat$address(), sockets_h.stat$descriptor()); }

    /**
     * {@code int stat(const char *pathname, struct stat *statbuf)}, stat(2): the file's type and mode
     * in {@code stat.st_mode(statbuf)} ({@link #S_ISSOCK}), its size, times... pathname null is C's NULL (the kernel's EFAULT).
     * Refused by the facade: pathname with a NUL inside -1 EINVAL (C would stat the name cut there); statbuf not holding a writable
     * {@code struct stat} ({@code stat.allocate(arena)}) -1 EFAULT, also where the kernel would first have said ENOENT.
     * errno: EACCES, EFAULT, EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOMEM, ENOTDIR, EOVERFLOW.
     */
    public static int stat(String pathname, MemorySegment statbuf) {
        ThreadErrno e = ThreadErrno.current();
        statbuf = Memory.orNull(statbuf);
        int r;
        if (Memory.hasNul(pathname)) r = e.refuse(EINVAL);
        else if (!Memory.writable(statbuf, io.github.panamasockets.bindings.stat.sizeof())) r = e.refuse(EFAULT);
        else try (Arena arena = Arena.ofConfined()) {
            r = done(e, (int) Link.call(Stat.H, e.capture, Memory.cString(arena, pathname), statbuf));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("stat", r, e.errno, Trace.string(pathname), statResult(r, statbuf));
        return r;
    }

    // ---- processes -------------------------------------------------------------------------

    private static final class Getpid { static final MethodHandle H = Link.plain(sockets_h.getpid$address(), sockets_h.getpid$descriptor()); }

    /** {@code pid_t getpid(void)}, getpid(2). Never fails. */
    public static int getpid() {
        try { return (int) Getpid.H.invokeExact(); } catch (Throwable t) { throw Link.rethrow(t); }
    }

    private static final class Waitpid { static final Link.Shared H = Link.shared(sockets_h.waitpid$address(), sockets_h.waitpid$descriptor()); }

    /**
     * {@code pid_t waitpid(pid_t pid, int *wstatus, int options)}, waitpid(2); blocks unless WNOHANG. wstatus may be NULL.
     * Refused by the facade before the call: wstatus not NULL and not 4 writable bytes -1 EFAULT (also with no child, where the kernel writes nothing).
     * errno: ECHILD, EFAULT, EINTR, EINVAL.
     */
    public static int waitpid(int pid, MemorySegment wstatus, int options) {
        ThreadErrno e = ThreadErrno.current();
        wstatus = Memory.orNull(wstatus);
        int r;
        if (!Memory.nullOrWritable(wstatus, Integer.BYTES)) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Waitpid.H, e.capture, pid, wstatus, options));
        TraceTasks.waited(pid, wstatus, options, r, e.errno); // before its line: a reaped child no longer counts
        if (Trace.on()) Trace.log("wait4", r, e.errno, num(pid), r > 0 ? Trace.intAt(wstatus) : hex(wstatus),
                Names.flags("WNOHANG", options), "NULL");
        return r;
    }

    private static final class Kill { static final Link.Shared H = Link.shared(sockets_h.kill$address(), sockets_h.kill$descriptor()); }

    /**
     * {@code int kill(pid_t pid, int sig)}, kill(2). errno: EINVAL (also SIGSEGV, SIGBUS, SIGFPE,
     * SIGILL or SIGUSR2 sent where this JVM is among the receivers: they would break it), EPERM, ESRCH.
     */
    public static int kill(int pid, int sig) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if ((pid <= 0 || pid == getpid()) && mustNotBlock(sig)) r = e.refuse(EINVAL);
        else r = done(e, (int) Link.call(Kill.H, e.capture, pid, sig));
        if (Trace.on()) Trace.log("kill", r, e.errno, num(pid), PosixSignals.signalName(sig)); // strace: kill(pid, 0), not SIGEV_SIGNAL
        return r;
    }

    /**
     * {@code int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *file_actions,
     * const posix_spawnattr_t *attrp, char *const argv[], char *const envp[])}, posix_spawn(3).
     * Returns 0 or an error number (not -1 and errno). pid may be NULL (the child's pid is not wanted). file_actions may be NULL
     * or one that {@link #posix_spawn_file_actions_init} made (else EINVAL); attrp must be NULL (else EINVAL: the bindings have
     * no posix_spawnattr_t to check it against). envp null passes this process's environment; a null element of argv or envp ends
     * it, as C's NULL. Refused by the facade: pid not 4 writable bytes, file_actions shorter than the object, path or argv null
     * (glibc would crash): EFAULT; a NUL inside path, an argv or envp string: EINVAL. This is how a JVM starts a child process with chosen descriptors, where C would fork().
     */
    public static int posix_spawn(MemorySegment pid, String path, MemorySegment file_actions, MemorySegment attrp, String[] argv, String[] envp) {
        pid = Memory.orNull(pid);
        file_actions = Memory.orNull(file_actions);
        attrp = Memory.orNull(attrp);
        int r;
        if (!Memory.nullOrWritable(pid, Integer.BYTES) || !Memory.nullOrHolds(file_actions, posix_spawn_file_actions_t.sizeof())
                || path == null || argv == null) r = EFAULT;
        else if (!(file_actions.equals(MemorySegment.NULL) || FileActions.live(file_actions)) || !attrp.equals(MemorySegment.NULL)
                || Memory.hasNul(path) || Memory.anyHasNul(argv) || Memory.anyHasNul(envp)) r = EINVAL;
        else try (Arena arena = Arena.ofConfined()) {
            MemorySegment env = envp == null ? Environ.current() : strings(arena, envp);
            r = sockets_h.posix_spawn(pid, Memory.cString(arena, path), file_actions, attrp, strings(arena, argv), env);
        }
        if (Trace.on()) Trace.logLibrary("posix_spawn", r == 0 ? "0" : r + " " + Errors.name(r) + " (" + Errors.message(r) + ")",
                r == 0 && !pid.equals(MemorySegment.NULL) ? Trace.intAt(pid) : hex(pid), Trace.string(path), "...");
        if (r == 0 && !pid.equals(MemorySegment.NULL)) TraceTasks.started(pid); // a child whose pid the caller did not ask for is not counted
        return r;
    }

    private static MemorySegment strings(Arena arena, String[] values) {
        MemorySegment array = arena.allocate(sockets_h.C_POINTER, values.length + 1L);
        for (int i = 0; i < values.length; i++) array.setAtIndex(sockets_h.C_POINTER, i, Memory.cString(arena, values[i])); // null: C's NULL, the end
        array.setAtIndex(sockets_h.C_POINTER, values.length, MemorySegment.NULL);
        return array;
    }

    /**
     * The posix_spawn_file_actions_t objects this facade has initialized and not yet destroyed, by
     * address, with their arena and their bytes as libc last left them. glibc keeps a malloc'ed
     * array in each and reallocates or frees it, so one that is not initialized (a segment of
     * garbage), already destroyed, overlapping another live one, or changed behind libc's back
     * would crash the process (C's double free): the facade answers those with EINVAL instead.
     */
    private static final class FileActions {
        record Live(MemorySegment.Scope scope, byte[] bytes) {}
        static final java.util.Map<Long, Live> LIVE = new java.util.HashMap<>();

        /** Initialized here, not destroyed, its arena alive and its bytes as libc left them. */
        static synchronized boolean live(MemorySegment fa) {
            Live l = LIVE.get(fa.address());
            return l != null && fa.scope().equals(l.scope()) && fa.scope().isAlive()
                    && java.util.Arrays.equals(l.bytes(), object(fa).toArray(ValueLayout.JAVA_BYTE));
        }

        /** Whether fa's bytes overlap a live object's (one whose arena is gone no longer counts). */
        static synchronized boolean overlapsLive(MemorySegment fa) {
            LIVE.values().removeIf(l -> !l.scope().isAlive()); // its memory is gone (glibc's array with it leaked, as in C)
            long size = posix_spawn_file_actions_t.sizeof();
            for (long at : LIVE.keySet()) if (Memory.overlap(at, size, fa.address(), size)) return true;
            return false;
        }

        /** After a call: the bytes libc left. Never throws: an arena closed meanwhile took the object with it. */
        static synchronized void remember(MemorySegment fa) {
            try {
                LIVE.put(fa.address(), new Live(fa.scope(), object(fa).toArray(ValueLayout.JAVA_BYTE)));
            } catch (IllegalStateException closedMeanwhile) {
                LIVE.remove(fa.address());
            }
        }

        /** After destroy: forgotten, and its bytes cleared (never throws, as {@link #remember}). */
        static synchronized void forget(MemorySegment fa) {
            LIVE.remove(fa.address());
            try {
                object(fa).fill((byte) 0);
            } catch (IllegalStateException closedMeanwhile) {
                // nothing left to clear
            }
        }

        static MemorySegment object(MemorySegment fa) {
            return fa.asSlice(0, posix_spawn_file_actions_t.sizeof());
        }
    }

    /**
     * {@code int posix_spawn_file_actions_init(posix_spawn_file_actions_t *file_actions)}, posix_spawn_file_actions_init(3).
     * Returns 0 or an error number: EFAULT for a segment smaller than the object, null, NULL or read-only; EINVAL for one already
     * initialized or overlapping (by address range) one that is, where glibc would leak or corrupt the other.
     */
    public static int posix_spawn_file_actions_init(MemorySegment file_actions) {
        file_actions = Memory.orNull(file_actions);
        if (!Memory.writable(file_actions, posix_spawn_file_actions_t.sizeof())) return EFAULT;
        synchronized (FileActions.class) {
            if (FileActions.overlapsLive(file_actions)) return EINVAL; // C would leak its actions, or break a neighbour's: destroy it first
            int r = sockets_h.posix_spawn_file_actions_init(file_actions);
            if (r == 0) FileActions.remember(file_actions);
            return r;
        }
    }

    /**
     * {@code int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *file_actions)}, posix_spawn_file_actions_destroy(3).
     * Returns 0 or an error number: EFAULT, or EINVAL for one not initialized by {@link #posix_spawn_file_actions_init}, destroyed
     * already, or whose bytes were changed since libc last wrote them (glibc would free garbage and abort the process).
     */
    public static int posix_spawn_file_actions_destroy(MemorySegment file_actions) {
        file_actions = Memory.orNull(file_actions);
        if (!Memory.writable(file_actions, posix_spawn_file_actions_t.sizeof())) return EFAULT;
        synchronized (FileActions.class) {
            if (!FileActions.live(file_actions)) return EINVAL;
            int r = sockets_h.posix_spawn_file_actions_destroy(file_actions);
            FileActions.forget(file_actions);
            return r;
        }
    }

    /**
     * {@code int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *file_actions, int fildes, int newfildes)},
     * posix_spawn_file_actions_adddup2(3): the child gets fildes as newfildes. Returns 0 or an error number (EBADF, ENOMEM;
     * EFAULT, or EINVAL for file_actions not initialized by {@link #posix_spawn_file_actions_init}).
     */
    public static int posix_spawn_file_actions_adddup2(MemorySegment file_actions, int fildes, int newfildes) {
        file_actions = Memory.orNull(file_actions);
        if (!Memory.writable(file_actions, posix_spawn_file_actions_t.sizeof())) return EFAULT;
        synchronized (FileActions.class) {
            if (!FileActions.live(file_actions)) return EINVAL;
            int r = sockets_h.posix_spawn_file_actions_adddup2(file_actions, fildes, newfildes);
            FileActions.remember(file_actions); // glibc may have grown its array: these are the bytes it left
            return r;
        }
    }

    /**
     * {@code int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *file_actions, int fildes)},
     * posix_spawn_file_actions_addclose(3). Returns 0 or an error number, as {@link #posix_spawn_file_actions_adddup2}.
     */
    public static int posix_spawn_file_actions_addclose(MemorySegment file_actions, int fildes) {
        file_actions = Memory.orNull(file_actions);
        if (!Memory.writable(file_actions, posix_spawn_file_actions_t.sizeof())) return EFAULT;
        synchronized (FileActions.class) {
            if (!FileActions.live(file_actions)) return EINVAL;
            int r = sockets_h.posix_spawn_file_actions_addclose(file_actions, fildes);
            FileActions.remember(file_actions); // glibc may have grown its array: these are the bytes it left
            return r;
        }
    }

    // ---- helpers for the trace -------------------------------------------------------------


    private static int lengthOf(MemorySegment socklen) {
        try {
            return Trace.readable(socklen, 4) ? socklen.get(ValueLayout.JAVA_INT_UNALIGNED, 0) : 0;
        } catch (IllegalStateException closedMeanwhile) {
            return 0;
        }
    }

    /** An address length the kernel reads an address for (0..sizeof(struct sockaddr_storage)); any other it refuses with EINVAL, reading nothing. */
    private static boolean addressLengthInRange(int addrlen) {
        return addrlen >= 0 && addrlen <= io.github.panamasockets.bindings.sockaddr_storage.sizeof();
    }

}
