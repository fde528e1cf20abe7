package io.github.panamasockets.api;

import io.github.panamasockets.bindings.ifaddrs;
import io.github.panamasockets.bindings.ifreq;
import io.github.panamasockets.bindings.mmsghdr;
import io.github.panamasockets.bindings.sockaddr;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_ll;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timespec;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.github.panamasockets.api.Trace.hex;
import static io.github.panamasockets.api.Trace.num;

/**
 * Interfaces and batches: ioctl (the requests socket programs make), getifaddrs/freeifaddrs,
 * if_indextoname, sendmmsg/recvmmsg. Reached through {@code import static io.github.panamasockets.api.Posix.*;}.
 */
public abstract class PosixInterfaces extends PosixMemoryMap {
    PosixInterfaces() {}

    // ---- ioctl -----------------------------------------------------------------------------

    private static final class Ioctl {
        // ioctl is variadic; every request the facade passes takes one pointer.
        static final MethodHandle H = Link.capturingErrno(sockets_h.ioctl.address(),
                FunctionDescriptor.of(sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_LONG, sockets_h.C_POINTER), Linker.Option.firstVariadicArg(2));
    }

    /**
     * {@code int ioctl(int fd, unsigned long request, ...)}, ioctl(2), for the requests socket
     * programs make, each with its argument checked: FIONREAD ({@code int *}: the bytes waiting
     * to be read), FIONBIO ({@code const int *}: non-blocking on or off), SIOCGIFADDR and
     * SIOCGIFINDEX ({@code struct ifreq *}, {@link #ifr_name(MemorySegment, String)} set: the
     * interface's IPv4 address, its index). An argument smaller than the request's gives EFAULT.
     * Differs from C: any other request gives -1 and EINVAL without a call, since the facade
     * cannot know what its argument must hold. errno: EBADF, EFAULT, EINVAL, ENODEV (no such
     * interface), EADDRNOTAVAIL (SIOCGIFADDR of an interface with no IPv4 address), ENOTTY (a
     * descriptor the request does not apply to).
     * Refused by the facade before the call: a request other than those -1 EINVAL; argp not holding the request's argument -1 EFAULT, also a read-only one for FIONREAD, SIOCGIFADDR and SIOCGIFINDEX, which write it.
     */
    public static int ioctl(int fd, long request, MemorySegment argp) {
        argp = Memory.orNull(argp); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        long need = request == FIONREAD || request == FIONBIO ? Integer.BYTES
                : request == SIOCGIFADDR || request == SIOCGIFINDEX ? ifreq.sizeof() : -1;
        int r;
        if (need == -1) r = e.refuse(EINVAL);
        else if (request == FIONBIO ? !Memory.holds(argp, need) : !Memory.writable(argp, need)) r = e.refuse(EFAULT); // FIONBIO only reads its int
        else try { r = done(e, (int) Ioctl.H.invokeExact(e.capture, fd, request, argp)); } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) {
            String req = request == FIONREAD ? "FIONREAD" : request == FIONBIO ? "FIONBIO" : request == SIOCGIFADDR ? "SIOCGIFADDR"
                    : request == SIOCGIFINDEX ? "SIOCGIFINDEX" : "0x" + Long.toHexString(request);
            String arg;
            if (need == Integer.BYTES && (r == 0 || request == FIONBIO)) arg = Trace.intAt(argp);
            else if (need == ifreq.sizeof() && Trace.readable(argp, need)) {
                arg = "{ifr_name=" + Trace.string(ifr_name(argp)) + (r != 0 ? "" : request == SIOCGIFINDEX ? ", ifr_ifindex=" + ifr_ifindex(argp)
                        : ", ifr_addr=" + Trace.sockaddr(ifr_addr(argp), sockaddr.sizeof())) + "}";
            } else arg = hex(argp);
            Trace.log("ioctl", r, e.errno, num(fd), req, arg);
        }
        return r;
    }

    /** {@code strncpy(ifr.ifr_name, name, IFNAMSIZ)}: -1 with errno ENAMETOOLONG (nothing written) for a name of IFNAMSIZ bytes or more, EINVAL for one holding a NUL, EFAULT for null. */
    public static int ifr_name(MemorySegment ifr, String name) {
        if (name == null) return ThreadErrno.current().refuse(EFAULT); // strncpy from NULL
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (name.indexOf('\0') >= 0) return ThreadErrno.current().refuse(EINVAL);
        if (b.length >= IFNAMSIZ) return ThreadErrno.current().refuse(ENAMETOOLONG);
        MemorySegment field = ifr.asSlice(ifreq.ifr_ifrn$offset(), IFNAMSIZ);
        field.fill((byte) 0);
        MemorySegment.copy(b, 0, field, ValueLayout.JAVA_BYTE, 0, b.length);
        return 0;
    }

    /** {@code ifr.ifr_name}, as a String. */
    public static String ifr_name(MemorySegment ifr) {
        return cstring(ifr.asSlice(ifreq.ifr_ifrn$offset(), IFNAMSIZ));
    }

    /** {@code ifr.ifr_ifindex} (what SIOCGIFINDEX answers). */
    public static int ifr_ifindex(MemorySegment ifr) {
        return ifr.get(ValueLayout.JAVA_INT_UNALIGNED, ifreq.ifr_ifru$offset());
    }

    /** {@code &ifr.ifr_addr}: the struct sockaddr in an ifreq (SIOCGIFADDR answers a sockaddr_in there: {@code sin_addr(ifr_addr(ifr))}). */
    public static MemorySegment ifr_addr(MemorySegment ifr) {
        return ifr.asSlice(ifreq.ifr_ifru$offset(), sockaddr.sizeof());
    }

    // ---- getifaddrs -------------------------------------------------------------------------

    /**
     * The lists getifaddrs made and freeifaddrs has not freed: head address to the addresses of
     * its nodes. freeifaddrs(3) of anything else would corrupt glibc's heap or abort the
     * process; the ifa_* getters refuse a node of a freed list as a closed arena's segment is.
     */
    private static final class Lists {
        static final Memory.Given<Set<Long>> LIVE = new Memory.Given<>();
        static final Set<Long> NODES = ConcurrentHashMap.newKeySet();

        static MemorySegment node(MemorySegment ifa) {
            if (!NODES.contains(ifa.address())) throw new IllegalStateException("not a node of a list getifaddrs returned, or freed already by freeifaddrs");
            return ifa.reinterpret(ifaddrs.sizeof());
        }

        /** The list getifaddrs wrote into *ifap, remembered for freeifaddrs; never throws (the call is done). */
        static void remember(MemorySegment ifap) {
            MemorySegment head;
            try {
                head = ifap.get(ValueLayout.ADDRESS_UNALIGNED, 0);
            } catch (IllegalStateException closedMeanwhile) {
                return; // another thread closed ifap's arena after the call: the list's address went with it, as in C
            }
            Set<Long> nodes = ConcurrentHashMap.newKeySet();
            for (MemorySegment n = head; !n.equals(MemorySegment.NULL); n = ifaddrs.ifa_next(n.reinterpret(ifaddrs.sizeof()))) nodes.add(n.address());
            NODES.addAll(nodes);
            LIVE.gave(head, nodes);
        }
    }

    private static final class Getifaddrs { static final Link.Shared H = Link.shared(sockets_h.getifaddrs$address(), sockets_h.getifaddrs$descriptor()); }

    /**
     * {@code int getifaddrs(struct ifaddrs **ifap)}, getifaddrs(3): the interfaces' addresses as a
     * linked list, whose head it stores in {@code *ifap} ({@code ifap = arena.allocate(C_POINTER)};
     * the head is {@code ifap.get(C_POINTER, 0)}); walk it with {@link #ifa_next}, read it with
     * {@link #ifa_name}, {@link #ifa_flags}, {@link #ifa_addr}, {@link #ifa_netmask}; free it with
     * {@link #freeifaddrs}. errno: EFAULT (ifap smaller than a pointer), and socket(2)'s, bind(2)'s,
     * recvmsg(2)'s, malloc's (ENOMEM).
     * Refused by the facade before the call: ifap not a writable pointer -1 EFAULT.
     */
    public static int getifaddrs(MemorySegment ifap) {
        ifap = Memory.orNull(ifap); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(ifap, ValueLayout.ADDRESS.byteSize())) r = e.refuse(EFAULT);
        else {
            r = done(e, (int) Link.call(Getifaddrs.H, e.capture, ifap));
            if (r == 0) Lists.remember(ifap);
        }
        if (Trace.on()) Trace.log("getifaddrs", r, e.errno, r == 0 ? Trace.pointerAt(ifap) : hex(ifap));
        return r;
    }

    /**
     * {@code void freeifaddrs(struct ifaddrs *ifa)}, getifaddrs(3): frees a list getifaddrs
     * returned; NULL does nothing, as in C. Differs from C: a list freed already, or anything
     * getifaddrs did not return (C: a double free, glibc's abort), frees nothing and sets errno
     * to EINVAL. After it, the ifa_* getters refuse the list's nodes with IllegalStateException.
     */
    public static void freeifaddrs(MemorySegment ifa) {
        ifa = Memory.orNull(ifa); // Java null is C's NULL
        if (ifa.equals(MemorySegment.NULL)) return;
        Set<Long> nodes = Lists.LIVE.takeBack(ifa);
        if (nodes == null) {
            ThreadErrno.current().refuse(EINVAL);
            return;
        }
        Lists.NODES.removeAll(nodes);
        sockets_h.freeifaddrs(ifa);
    }

    /** {@code ifa->ifa_next}: the next node, or NULL after the last. */
    public static MemorySegment ifa_next(MemorySegment ifa) {
        MemorySegment next = ifaddrs.ifa_next(Lists.node(ifa));
        return next.equals(MemorySegment.NULL) ? MemorySegment.NULL : next.reinterpret(ifaddrs.sizeof());
    }

    /** {@code ifa->ifa_name}, as a String ("lo", "eth0"). */
    public static String ifa_name(MemorySegment ifa) {
        return ifaddrs.ifa_name(Lists.node(ifa)).reinterpret(IFNAMSIZ).getString(0);
    }

    /** {@code ifa->ifa_flags}: IFF_UP, IFF_LOOPBACK, IFF_RUNNING... */
    public static int ifa_flags(MemorySegment ifa) {
        return ifaddrs.ifa_flags(Lists.node(ifa));
    }

    /** {@code ifa->ifa_addr}: the address as a sockaddr of its family's size (sockaddr_in, sockaddr_in6, sockaddr_ll for AF_PACKET), or NULL. */
    public static MemorySegment ifa_addr(MemorySegment ifa) {
        return sockaddrOfFamily(ifaddrs.ifa_addr(Lists.node(ifa)));
    }

    /** {@code ifa->ifa_netmask}, as {@link #ifa_addr}. */
    public static MemorySegment ifa_netmask(MemorySegment ifa) {
        return sockaddrOfFamily(ifaddrs.ifa_netmask(Lists.node(ifa)));
    }

    private static MemorySegment sockaddrOfFamily(MemorySegment sa) {
        if (sa.equals(MemorySegment.NULL)) return MemorySegment.NULL;
        int family = Short.toUnsignedInt(sa.reinterpret(2).get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
        return sa.reinterpret(family == AF_INET6 ? sockaddr_in6.sizeof() : family == AF_INET ? sockaddr_in.sizeof()
                : family == AF_PACKET ? sockaddr_ll.sizeof() : sockaddr.sizeof());
    }

    private static final class IfIndextoname { static final MethodHandle H = Link.capturingErrno(sockets_h.if_indextoname$address(), sockets_h.if_indextoname$descriptor()); }

    /**
     * {@code char *if_indextoname(unsigned int ifindex, char *ifname)}, if_nametoindex(3): the
     * interface's name, written into ifname (which must hold IF_NAMESIZE bytes, else EFAULT);
     * returns ifname, or NULL with errno. errno: ENXIO (no such index), EFAULT, and socket(2)'s.
     * Refused by the facade before the call: ifname not IF_NAMESIZE writable bytes, NULL with errno EFAULT.
     */
    public static MemorySegment if_indextoname(int ifindex, MemorySegment ifname) {
        ifname = Memory.orNull(ifname); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        MemorySegment r;
        if (!Memory.writable(ifname, IF_NAMESIZE)) {
            e.refuse(EFAULT);
            r = MemorySegment.NULL;
        } else {
            try { r = (MemorySegment) IfIndextoname.H.invokeExact(e.capture, ifindex, ifname); } catch (Throwable t) { throw Link.rethrow(t); }
            if (r.equals(MemorySegment.NULL)) e.tookCaptured();
            else r = ifname;
        }
        if (Trace.on()) Trace.LOG.debug("if_indextoname({}, {}) = {}", Integer.toUnsignedString(ifindex), hex(ifname),
                r.equals(MemorySegment.NULL) ? "NULL " + Errors.name(e.errno) + " (" + Errors.message(e.errno) + ")" : Trace.string(cstring(ifname)));
        return r;
    }

    // ---- sendmmsg, recvmmsg -----------------------------------------------------------------

    private static final class Sendmmsg { static final Link.Shared H = Link.shared(sockets_h.sendmmsg$address(), sockets_h.sendmmsg$descriptor()); }

    /**
     * {@code int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags)},
     * sendmmsg(2): vlen messages in one call; each msg_len is set to the bytes sent. Returns the
     * number of messages sent, or -1. The mmsghdr array is checked (vlen of them must fit, else
     * EFAULT); the pointers inside each msghdr are C's to get right, as for sendmsg.
     * errno: sendmsg(2)'s (EAGAIN, EBADF, ECONNREFUSED, EDESTADDRREQ, EFAULT, EINTR, EINVAL, EMSGSIZE, ENOBUFS, ENOTCONN, ENOTSOCK, EPIPE...).
     * Refused by the facade before the call: msgvec not vlen writable struct mmsghdr (each msg_len is written) -1 EFAULT.
     */
    public static int sendmmsg(int sockfd, MemorySegment msgvec, int vlen, int flags) {
        msgvec = Memory.orNull(msgvec); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(msgvec, Integer.toUnsignedLong(vlen) * mmsghdr.sizeof())) r = e.refuse(EFAULT); // the kernel writes each msg_len
        else r = done(e, (int) Link.call(Sendmmsg.H, e.capture, sockfd, msgvec, vlen, flags));
        if (Trace.on()) Trace.log("sendmmsg", r, e.errno, num(sockfd), TraceMsghdr.sentVector(msgvec, vlen, r), Integer.toUnsignedString(vlen), Names.flags("MSG_", flags));
        return r;
    }

    private static final class Recvmmsg { static final Link.Shared H = Link.shared(sockets_h.recvmmsg$address(), sockets_h.recvmmsg$descriptor()); }

    /**
     * {@code int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)},
     * recvmmsg(2); blocks. Up to vlen messages, each msg_len set to its length; timeout may be
     * NULL or hold a struct timespec (checked only after each message, as the man page warns).
     * Returns the number received, or -1. The mmsghdr array and the timeout are checked; the
     * pointers inside each msghdr are C's to get right. errno: recvmsg(2)'s (EAGAIN, EBADF,
     * ECONNREFUSED, EFAULT, EINTR, EINVAL, ENOMEM, ENOTCONN, ENOTSOCK).
     * Refused by the facade before the call: msgvec not vlen writable struct mmsghdr, or timeout neither NULL nor a struct timespec -1 EFAULT.
     */
    public static int recvmmsg(int sockfd, MemorySegment msgvec, int vlen, int flags, MemorySegment timeout) {
        msgvec = Memory.orNull(msgvec); // Java null is C's NULL
        timeout = Memory.orNull(timeout); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        // as strace shows them: each msg_namelen and the timeout as given ("msg_namelen=128 => 16", "(left {...})")
        int[] namelens = Trace.on() ? TraceMsghdr.namelens(msgvec, vlen) : null;
        String timeoutBefore = Trace.on() ? Trace.timespec(timeout) : null;
        if (!Memory.writable(msgvec, Integer.toUnsignedLong(vlen) * mmsghdr.sizeof()) || !Memory.nullOrHolds(timeout, timespec.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Recvmmsg.H, e.capture, sockfd, msgvec, vlen, flags, timeout));
        if (Trace.on()) {
            String left = r == 0 ? "Timeout" : timeout.equals(MemorySegment.NULL) ? null : "left " + Trace.timespec(timeout);
            Trace.logWithOutput("recvmmsg", r, e.errno, left, num(sockfd), TraceMsghdr.receivedVector(msgvec, r, namelens),
                    Integer.toUnsignedString(vlen), Names.flags("MSG_", flags), timeoutBefore != null ? timeoutBefore : Trace.timespec(timeout));
        }
        return r;
    }
}
