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
public abstract class PosixNetdb extends PosixSignals {
    PosixNetdb() {}

    /**
     * {@code in_addr_t inet_addr(const char *cp)}, inet(3): network order; INADDR_NONE (-1) for a bad address.
     * Refused by the facade, with INADDR_NONE: cp null (C would crash) or with a NUL inside (C would read it cut there).
     */
    public static int inet_addr(String cp) {
        if (cp == null || Memory.hasNul(cp)) return (int) INADDR_NONE;
        try (Arena arena = Arena.ofConfined()) {
            return sockets_h.inet_addr(Memory.cString(arena, cp));
        }
    }

    /**
     * {@code int inet_aton(const char *cp, struct in_addr *inp)}, inet(3): 1 when valid, 0 when not (errno untouched, as in C).
     * Refused by the facade: cp null or with a NUL inside gives 0 (C would crash, or read it cut); inp not holding a writable
     * struct in_addr (NULL, shorter, heap, read-only) gives -1 with errno EFAULT (C would write past it).
     * errno: EFAULT.
     */
    public static int inet_aton(String cp, MemorySegment inp) {
        inp = Memory.orNull(inp);
        if (!Memory.writable(inp, in_addr.sizeof())) return ThreadErrno.current().refuse(EFAULT);
        if (cp == null || Memory.hasNul(cp)) return 0;
        try (Arena arena = Arena.ofConfined()) {
            return sockets_h.inet_aton(Memory.cString(arena, cp), inp);
        }
    }

    /**
     * {@code char *inet_ntoa(struct in_addr in)}, inet(3): dotted decimal ("127.0.0.1"), as a String.
     * C takes the struct by value; a segment that does not hold one (null, shorter, closed) gives null.
     */
    public static String inet_ntoa(MemorySegment in) {
        if (in == null || in.byteSize() < in_addr.sizeof() || !in.scope().isAlive() || !in.isAccessibleBy(Thread.currentThread())) return null;
        return sockets_h.inet_ntoa(in.asSlice(0, in_addr.sizeof())).reinterpret(16).getString(0);
    }

    private static final class InetPton { static final Link.Shared H = Link.shared(sockets_h.inet_pton$address(), sockets_h.inet_pton$descriptor()); }

    /**
     * {@code int inet_pton(int af, const char *src, void *dst)}, inet_pton(3): 1, 0 for a bad address, -1 and errno.
     * Refused by the facade: src null (C would crash) -1 EFAULT; src with a NUL inside -1 EINVAL; dst not holding the
     * family's writable address (NULL, shorter, heap, read-only) -1 EFAULT.
     * errno: EAFNOSUPPORT, EFAULT, EINVAL.
     */
    public static int inet_pton(int af, String src, MemorySegment dst) {
        ThreadErrno e = ThreadErrno.current();
        dst = Memory.orNull(dst);
        long need = af == AF_INET6 ? in6_addr.sizeof() : in_addr.sizeof();
        int r;
        if (src == null || !Memory.writable(dst, need)) r = e.refuse(EFAULT);
        else if (Memory.hasNul(src)) r = e.refuse(EINVAL);
        else {
            try (Arena arena = Arena.ofConfined()) {
                r = (int) Link.call(InetPton.H, e.capture, af, Memory.cString(arena, src), dst);
            } catch (Throwable t) { throw Link.rethrow(t); }
            if (r == -1) e.tookCaptured();
        }
        if (Trace.on()) Trace.logLibrary("inet_pton", Trace.result(r, e.errno), Names.value("AF_", af), Trace.string(src), Trace.hex(dst));
        return r;
    }

    private static final class InetNtop { static final MethodHandle H = Link.capturingErrno(sockets_h.inet_ntop$address(), sockets_h.inet_ntop$descriptor()); }

    /**
     * {@code const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)}, inet_ntop(3): dst, or NULL and errno.
     * Refused by the facade with NULL and EFAULT: src smaller than the family's address (or NULL), size past dst, dst read-only.
     * errno: EAFNOSUPPORT, ENOSPC, EFAULT.
     */
    public static MemorySegment inet_ntop(int af, MemorySegment src, MemorySegment dst, int size) {
        ThreadErrno e = ThreadErrno.current();
        src = Memory.orNull(src);
        dst = Memory.orNull(dst);
        long need = af == AF_INET6 ? in6_addr.sizeof() : in_addr.sizeof();
        if (!Memory.holds(src, need) || !Memory.writable(dst, size)) {
            e.refuse(EFAULT);
            return MemorySegment.NULL;
        }
        MemorySegment r;
        try { r = (MemorySegment) InetNtop.H.invokeExact(e.capture, af, src, dst, size); } catch (Throwable t) { throw Link.rethrow(t); }
        if (r.equals(MemorySegment.NULL)) e.tookCaptured();
        if (Trace.on()) Trace.logLibrary("inet_ntop", r.equals(MemorySegment.NULL) ? "NULL " + Errors.name(e.errno) + " (" + Errors.message(e.errno) + ")" : Trace.string(cstring(dst)),
                Names.value("AF_", af), Trace.hex(src), Trace.hex(dst), Trace.num(size));
        return r.equals(MemorySegment.NULL) ? MemorySegment.NULL : dst;
    }

    private static final class Getaddrinfo { static final Link.Shared H = Link.shared(sockets_h.getaddrinfo$address(), sockets_h.getaddrinfo$descriptor()); }

    /**
     * The address lists getaddrinfo returned that have not been handed to freeaddrinfo yet: glibc's
     * free() of anything else (a struct addrinfo ** segment, a list freed already, a node inside a
     * list) aborts the process, so freeaddrinfo gives only these back.
     */
    private static final Memory.Given<Boolean> ADDRINFO_LISTS = new Memory.Given<>();

    /**
     * {@code int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)}, getaddrinfo(3).
     * Returns 0 or an EAI_* code (errno is set only with EAI_SYSTEM). node or service may be null (NULL).
     * Free the list with {@link #freeaddrinfo}; read {@code *res} as {@code res.get(C_POINTER, 0)}.
     * Refused by the facade with EAI_SYSTEM: errno EFAULT for hints shorter than a struct addrinfo, or res not 8 writable
     * bytes; errno EINVAL for node or service with a NUL inside (C would read it cut there).
     * errno: with EAI_SYSTEM only: EFAULT, EINVAL (the facade's refusals), or what glibc met (EAGAIN, EMFILE, ENFILE, ENOMEM).
     */
    public static int getaddrinfo(String node, String service, MemorySegment hints, MemorySegment res) {
        ThreadErrno e = ThreadErrno.current();
        hints = Memory.orNull(hints);
        res = Memory.orNull(res);
        int r;
        if (!Memory.nullOrHolds(hints, io.github.panamasockets.bindings.addrinfo.sizeof()) || !Memory.writable(res, sockets_h.C_POINTER.byteSize())) {
            e.refuse(EFAULT);
            r = EAI_SYSTEM;
        } else if (Memory.hasNul(node) || Memory.hasNul(service)) {
            e.refuse(EINVAL);
            r = EAI_SYSTEM;
        } else {
            try (Arena arena = Arena.ofConfined()) {
                r = (int) Link.call(Getaddrinfo.H, e.capture, Memory.cString(arena, node), Memory.cString(arena, service), hints, res);
            } catch (Throwable t) { throw Link.rethrow(t); }
            if (r == 0) remember(res);
            if (r == EAI_SYSTEM) e.tookCaptured();
        }
        if (Trace.on()) Trace.logLibrary("getaddrinfo", gaiResult(r), Trace.string(node), Trace.string(service), Trace.hex(hints), Trace.hex(res));
        return r;
    }

    /** The list getaddrinfo wrote into *res, remembered for freeaddrinfo; never throws (the call is done). */
    private static void remember(MemorySegment res) {
        try {
            ADDRINFO_LISTS.gave(res.get(java.lang.foreign.ValueLayout.ADDRESS_UNALIGNED, 0), true); // any alignment
        } catch (IllegalStateException closedMeanwhile) {
            // another thread closed res's arena after the call: the list's address went with it, as in C
        }
    }

    /**
     * {@code void freeaddrinfo(struct addrinfo *res)}, getaddrinfo(3). NULL (or null) does nothing, as in C.
     * Refused by the facade, doing nothing and setting errno to EINVAL: any res that is not a list getaddrinfo returned
     * and that was not freed yet (a double free, the {@code struct addrinfo **} segment itself, a node inside a list);
     * glibc would abort the process. errno: EINVAL.
     */
    public static void freeaddrinfo(MemorySegment res) {
        res = Memory.orNull(res);
        if (res.equals(MemorySegment.NULL)) return;
        if (ADDRINFO_LISTS.takeBack(res) == null) {
            ThreadErrno.current().refuse(EINVAL);
            if (Trace.on()) Trace.LOG.debug("freeaddrinfo({}) = ? EINVAL (not a list getaddrinfo returned, or freed already: not freed)", Trace.hex(res));
            return;
        }
        sockets_h.freeaddrinfo(res);
        if (Trace.on()) Trace.logLibrary("freeaddrinfo", "void", Trace.hex(res));
    }

    /** getaddrinfo's and getnameinfo's result as the trace prints it: 0, or the EAI_ code with its name and text. */
    private static String gaiResult(int r) {
        return r == 0 ? "0" : r + " " + Names.value("EAI_", r) + " (" + gai_strerror(r) + ")";
    }

    /** {@code const char *gai_strerror(int errcode)}, getaddrinfo(3). */
    public static String gai_strerror(int errcode) {
        return sockets_h.gai_strerror(errcode).reinterpret(256).getString(0);
    }

    private static final class Getnameinfo { static final MethodHandle H = Link.capturingErrno(sockets_h.getnameinfo$address(), sockets_h.getnameinfo$descriptor()); }

    /**
     * {@code int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen, char *serv, socklen_t servlen, int flags)},
     * getnameinfo(3). Returns 0 or an EAI_* code: EAI_OVERFLOW when host or serv is too small for the answer; errno is set only with EAI_SYSTEM.
     * host and serv may be NULL (not wanted).
     * Refused by the facade with EAI_SYSTEM and errno EFAULT: addrlen past addr, hostlen past host, servlen past serv, host or serv read-only.
     */
    public static int getnameinfo(MemorySegment addr, int addrlen, MemorySegment host, int hostlen, MemorySegment serv, int servlen, int flags) {
        ThreadErrno e = ThreadErrno.current();
        addr = Memory.orNull(addr);
        host = Memory.orNull(host);
        serv = Memory.orNull(serv);
        if (!Memory.holds(addr, addrlen) || !Memory.nullOrWritable(host, hostlen) || !Memory.nullOrWritable(serv, servlen)) {
            e.refuse(EFAULT);
            return EAI_SYSTEM;
        }
        int r;
        try { r = (int) Getnameinfo.H.invokeExact(e.capture, addr, addrlen, host, hostlen, serv, servlen, flags); } catch (Throwable t) { throw Link.rethrow(t); }
        if (r == EAI_SYSTEM) e.tookCaptured();
        if (Trace.on()) Trace.logLibrary("getnameinfo", gaiResult(r), Trace.sockaddr(addr, addrlen), Trace.num(addrlen),
                r == 0 && !host.equals(MemorySegment.NULL) ? Trace.string(cstring(host)) : Trace.hex(host), Trace.num(hostlen),
                r == 0 && !serv.equals(MemorySegment.NULL) ? Trace.string(cstring(serv)) : Trace.hex(serv), Trace.num(servlen), Names.flags("NI_", flags));
        return r;
    }

    private static final class IfNametoindex { static final Link.Shared H = Link.shared(sockets_h.if_nametoindex$address(), sockets_h.if_nametoindex$descriptor()); }

    /**
     * {@code unsigned int if_nametoindex(const char *ifname)}, if_nametoindex(3): the index, or 0 with errno ENODEV.
     * Refused by the facade with 0: ifname null (C would crash) errno EFAULT; ifname with a NUL inside errno EINVAL.
     * errno: EFAULT, EINVAL, ENODEV.
     */
    public static int if_nametoindex(String ifname) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (ifname == null) r = e.refuse(EFAULT) + 1;
        else if (Memory.hasNul(ifname)) r = e.refuse(EINVAL) + 1;
        else {
            try (Arena arena = Arena.ofConfined()) {
                r = (int) Link.call(IfNametoindex.H, e.capture, Memory.cString(arena, ifname));
            } catch (Throwable t) { throw Link.rethrow(t); }
            if (r == 0) e.tookCaptured();
        }
        if (Trace.on()) Trace.logLibrary("if_nametoindex", r == 0 ? "0 " + Errors.name(e.errno) + " (" + Errors.message(e.errno) + ")" : Integer.toUnsignedString(r), Trace.string(ifname));
        return r;
    }
}
