package io.github.panamasockets.api;

import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.in_addr;
import io.github.panamasockets.bindings.sockets_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Addresses and names: inet_*, getaddrinfo and friends, if_nametoindex. {@code const char *}
 * arguments take a Java String (copied to native memory for the call) or a MemorySegment.
 */
public abstract class PosixNetdb extends PosixInterfaces {
    PosixNetdb() {}

    /** {@code in_addr_t inet_addr(const char *cp)}, inet(3): network order; INADDR_NONE (-1) for a bad address. */
    public static int inet_addr(String cp) {
        try (Arena arena = Arena.ofConfined()) {
            return sockets_h.inet_addr(arena.allocateFrom(cp));
        }
    }

    /**
     * {@code int inet_aton(const char *cp, struct in_addr *inp)}, inet(3): 1 when valid, 0 when not (errno untouched, as in C).
     * errno: EFAULT, with -1, when inp is smaller than a struct in_addr (C would write past it).
     */
    public static int inet_aton(String cp, MemorySegment inp) {
        if (!Memory.holds(inp, in_addr.sizeof())) return ThreadErrno.current().refuse(EFAULT);
        try (Arena arena = Arena.ofConfined()) {
            return sockets_h.inet_aton(arena.allocateFrom(cp), inp);
        }
    }

    /** {@code char *inet_ntoa(struct in_addr in)}, inet(3): dotted decimal ("127.0.0.1"), as a String. */
    public static String inet_ntoa(MemorySegment in) {
        return sockets_h.inet_ntoa(in.asSlice(0, in_addr.sizeof())).reinterpret(16).getString(0);
    }

    private static final class InetPton { static final MethodHandle H = Link.capturingErrno(sockets_h.inet_pton$address(), sockets_h.inet_pton$descriptor()); }

    /**
     * {@code int inet_pton(int af, const char *src, void *dst)}, inet_pton(3): 1, 0 for a bad address, -1 and errno.
     * errno: EAFNOSUPPORT, EFAULT (dst smaller than the family's address).
     */
    public static int inet_pton(int af, String src, MemorySegment dst) {
        ThreadErrno e = ThreadErrno.current();
        long need = af == AF_INET6 ? in6_addr.sizeof() : in_addr.sizeof();
        if (!Memory.holds(dst, need)) return e.refuse(EFAULT);
        int r;
        try (Arena arena = Arena.ofConfined()) {
            r = (int) InetPton.H.invokeExact(e.capture, af, arena.allocateFrom(src), dst);
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (r == -1) e.tookCaptured();
        if (Trace.on()) Trace.log("inet_pton", r, e.errno, Names.value("AF_", af), Trace.string(src), Trace.hex(dst));
        return r;
    }

    private static final class InetNtop { static final MethodHandle H = Link.capturingErrno(sockets_h.inet_ntop$address(), sockets_h.inet_ntop$descriptor()); }

    /**
     * {@code const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)}, inet_ntop(3): dst, or NULL and errno.
     * errno: EAFNOSUPPORT, ENOSPC, EFAULT (src smaller than the family's address, or size past dst).
     */
    public static MemorySegment inet_ntop(int af, MemorySegment src, MemorySegment dst, int size) {
        ThreadErrno e = ThreadErrno.current();
        long need = af == AF_INET6 ? in6_addr.sizeof() : in_addr.sizeof();
        if (!Memory.holds(src, need) || !Memory.holds(dst, size)) {
            e.refuse(EFAULT);
            return MemorySegment.NULL;
        }
        MemorySegment r;
        try { r = (MemorySegment) InetNtop.H.invokeExact(e.capture, af, src, dst, size); } catch (Throwable t) { throw Link.rethrow(t); }
        if (r.equals(MemorySegment.NULL)) { e.tookCaptured(); return MemorySegment.NULL; }
        return dst;
    }

    private static final class Getaddrinfo { static final MethodHandle H = Link.capturingErrno(sockets_h.getaddrinfo$address(), sockets_h.getaddrinfo$descriptor()); }

    /**
     * {@code int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)}, getaddrinfo(3).
     * Returns 0 or an EAI_* code (errno is set only with EAI_SYSTEM). node or service may be null (NULL).
     * Free the list with {@link #freeaddrinfo}; read {@code *res} as {@code res.get(C_POINTER, 0)}.
     */
    public static int getaddrinfo(String node, String service, MemorySegment hints, MemorySegment res) {
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.nullOrHolds(hints, io.github.panamasockets.bindings.addrinfo.sizeof()) || !Memory.holds(res, sockets_h.C_POINTER.byteSize())) {
            e.refuse(EFAULT);
            return EAI_SYSTEM;
        }
        int r;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = node == null ? MemorySegment.NULL : arena.allocateFrom(node);
            MemorySegment s = service == null ? MemorySegment.NULL : arena.allocateFrom(service);
            r = (int) Getaddrinfo.H.invokeExact(e.capture, n, s, hints, res);
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (r == EAI_SYSTEM) e.tookCaptured();
        if (Trace.on()) Trace.LOG.debug("getaddrinfo({}, {}, {}, {}) = {}", Trace.string(node), Trace.string(service), Trace.hex(hints), Trace.hex(res),
                r == 0 ? "0" : r + " " + Names.value("EAI_", r) + " (" + gai_strerror(r) + ")");
        return r;
    }

    /** {@code void freeaddrinfo(struct addrinfo *res)}, getaddrinfo(3). */
    public static void freeaddrinfo(MemorySegment res) {
        sockets_h.freeaddrinfo(res);
    }

    /** {@code const char *gai_strerror(int errcode)}, getaddrinfo(3). */
    public static String gai_strerror(int errcode) {
        return sockets_h.gai_strerror(errcode).reinterpret(256).getString(0);
    }

    private static final class Getnameinfo { static final MethodHandle H = Link.capturingErrno(sockets_h.getnameinfo$address(), sockets_h.getnameinfo$descriptor()); }

    /** {@code int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen, char *serv, socklen_t servlen, int flags)}, getnameinfo(3). */
    public static int getnameinfo(MemorySegment addr, int addrlen, MemorySegment host, int hostlen, MemorySegment serv, int servlen, int flags) {
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.holds(addr, addrlen) || !Memory.nullOrHolds(host, hostlen) || !Memory.nullOrHolds(serv, servlen)) {
            e.refuse(EFAULT);
            return EAI_SYSTEM;
        }
        int r;
        try { r = (int) Getnameinfo.H.invokeExact(e.capture, addr, addrlen, host, hostlen, serv, servlen, flags); } catch (Throwable t) { throw Link.rethrow(t); }
        if (r == EAI_SYSTEM) e.tookCaptured();
        return r;
    }

    private static final class IfNametoindex { static final MethodHandle H = Link.capturingErrno(sockets_h.if_nametoindex$address(), sockets_h.if_nametoindex$descriptor()); }

    /** {@code unsigned int if_nametoindex(const char *ifname)}, if_nametoindex(3): the index, or 0 with errno ENODEV. */
    public static int if_nametoindex(String ifname) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        try (Arena arena = Arena.ofConfined()) {
            r = (int) IfNametoindex.H.invokeExact(e.capture, arena.allocateFrom(ifname));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (r == 0) e.tookCaptured();
        if (Trace.on()) Trace.LOG.debug("if_nametoindex({}) = {}", Trace.string(ifname), r == 0 ? "0 " + Errors.name(e.errno) + " (" + Errors.message(e.errno) + ")" : r);
        return r;
    }
}
