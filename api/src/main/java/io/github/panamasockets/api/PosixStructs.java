package io.github.panamasockets.api;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.ip_mreq;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.ipv6_mreq;
import io.github.panamasockets.bindings.linger;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_storage;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.tcp_info;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.timeval;
import io.github.panamasockets.bindings.ucred;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * Struct fields read and set as C code writes them, without casts: {@code sin6_port(addr, htons(8888))}
 * for {@code addr.sin6_port = htons(8888);}, {@code ai_next(ai)} for {@code ai->ai_next}. Small
 * unsigned fields (sa_family_t, in_port_t, a tcp_info __u8) read as ints that print unsigned;
 * fields that are structs give the segment inside ({@code sin6_addr(addr)} is {@code &addr.sin6_addr}).
 * Also the IPv6 address macros (IN6_IS_ADDR_*), in6addr_any/in6addr_loopback, and a control
 * buffer for sendmsg/recvmsg allocated aligned for a cmsghdr in one call.
 * Reached through {@code import static io.github.panamasockets.api.Posix.*;}.
 */
public abstract class PosixStructs extends PosixStdio {
    PosixStructs() {}

    // ---- struct sockaddr, sockaddr_storage, sockaddr_un --------------------------------------

    /** {@code sa->sa_family}, 0..65535. */
    public static int sa_family(MemorySegment sa) { return Short.toUnsignedInt(sockaddr.sa_family(sa)); }

    /** {@code sa->sa_family = family;} */
    public static void sa_family(MemorySegment sa, int family) { sockaddr.sa_family(sa, (short) family); }

    /** {@code ss.ss_family}, 0..65535: which sockaddr_* a sockaddr_storage holds. */
    public static int ss_family(MemorySegment ss) { return Short.toUnsignedInt(sockaddr_storage.ss_family(ss)); }

    /** {@code ss.ss_family = family;} */
    public static void ss_family(MemorySegment ss, int family) { sockaddr_storage.ss_family(ss, (short) family); }

    /** {@code addr.sun_family}, 0..65535. */
    public static int sun_family(MemorySegment addr) { return Short.toUnsignedInt(sockaddr_un.sun_family(addr)); }

    // ---- struct sockaddr_in6, in6_addr -------------------------------------------------------

    /** {@code addr.sin6_family}, 0..65535. */
    public static int sin6_family(MemorySegment addr) { return Short.toUnsignedInt(sockaddr_in6.sin6_family(addr)); }

    /** {@code addr.sin6_family = family;} */
    public static void sin6_family(MemorySegment addr, int family) { sockaddr_in6.sin6_family(addr, (short) family); }

    /** {@code addr.sin6_port}, in network order, 0..65535: {@code ntohs(sin6_port(addr))} is the port. */
    public static int sin6_port(MemorySegment addr) { return Short.toUnsignedInt(sockaddr_in6.sin6_port(addr)); }

    /** {@code addr.sin6_port = port;} with port in network order ({@code htons(8888)}). */
    public static void sin6_port(MemorySegment addr, int port) { sockaddr_in6.sin6_port(addr, (short) port); }

    /** {@code addr.sin6_flowinfo}, in network order ({@code ntohl(sin6_flowinfo(addr))}). */
    public static int sin6_flowinfo(MemorySegment addr) { return sockaddr_in6.sin6_flowinfo(addr); }

    /** {@code addr.sin6_flowinfo = flowinfo;} (network order: {@code htonl(...)}). */
    public static void sin6_flowinfo(MemorySegment addr, int flowinfo) { sockaddr_in6.sin6_flowinfo(addr, flowinfo); }

    /** {@code &addr.sin6_addr}: the struct in6_addr inside a sockaddr_in6 (for inet_pton, inet_ntop, IN6_IS_ADDR_*). */
    public static MemorySegment sin6_addr(MemorySegment addr) { return sockaddr_in6.sin6_addr(addr); }

    /** {@code addr.sin6_scope_id}: the interface index of a link-local address (as if_nametoindex gives it). */
    public static int sin6_scope_id(MemorySegment addr) { return sockaddr_in6.sin6_scope_id(addr); }

    /** {@code addr.sin6_scope_id = id;} ({@code if_nametoindex("eth0")}). */
    public static void sin6_scope_id(MemorySegment addr, int id) { sockaddr_in6.sin6_scope_id(addr, id); }

    /** {@code in6.s6_addr}: the address's 16 bytes, in network order. */
    public static MemorySegment s6_addr(MemorySegment in6) { return in6.asSlice(0, in6_addr.sizeof()); }

    /** {@code in6addr_any}, ::, as C's {@code const struct in6_addr} (read-only): {@code sin6_addr(addr).copyFrom(in6addr_any)}. */
    public static final MemorySegment in6addr_any = in6(0);

    /** {@code in6addr_loopback}, ::1, read-only. */
    public static final MemorySegment in6addr_loopback = in6(1);

    /**
     * 15 zero bytes and {@code last}. Filled, not copied from a byte[] nor set through a layout: at
     * Posix's class init, which every program's first call pays, either would make the JDK spin
     * classes (a type switch for the heap copy; its LayoutPath's LambdaForms for the layout's var handle).
     */
    private static MemorySegment in6(int last) {
        MemorySegment s = Arena.global().allocate(16, 4); // zeroed
        s.asSlice(15, 1).fill((byte) last);
        return s.asReadOnly();
    }

    private static int byteAt(MemorySegment in6, int i) { return Byte.toUnsignedInt(in6.get(ValueLayout.JAVA_BYTE, i)); }

    private static int wordAt(MemorySegment in6, int i) { return in6.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 4L * i); }

    /** {@code IN6_IS_ADDR_UNSPECIFIED(a)}, ::. */
    public static boolean IN6_IS_ADDR_UNSPECIFIED(MemorySegment a) { return wordAt(a, 0) == 0 && wordAt(a, 1) == 0 && wordAt(a, 2) == 0 && wordAt(a, 3) == 0; }

    /** {@code IN6_IS_ADDR_LOOPBACK(a)}, ::1. */
    public static boolean IN6_IS_ADDR_LOOPBACK(MemorySegment a) { return wordAt(a, 0) == 0 && wordAt(a, 1) == 0 && wordAt(a, 2) == 0 && wordAt(a, 3) == 1; }

    /** {@code IN6_IS_ADDR_MULTICAST(a)}, ff00::/8. */
    public static boolean IN6_IS_ADDR_MULTICAST(MemorySegment a) { return byteAt(a, 0) == 0xff; }

    /** {@code IN6_IS_ADDR_LINKLOCAL(a)}, fe80::/10. */
    public static boolean IN6_IS_ADDR_LINKLOCAL(MemorySegment a) { return (wordAt(a, 0) & 0xffc00000) == 0xfe800000; }

    /** {@code IN6_IS_ADDR_SITELOCAL(a)}, fec0::/10. */
    public static boolean IN6_IS_ADDR_SITELOCAL(MemorySegment a) { return (wordAt(a, 0) & 0xffc00000) == 0xfec00000; }

    /** {@code IN6_IS_ADDR_V4MAPPED(a)}, ::ffff:a.b.c.d. */
    public static boolean IN6_IS_ADDR_V4MAPPED(MemorySegment a) { return wordAt(a, 0) == 0 && wordAt(a, 1) == 0 && wordAt(a, 2) == 0xffff; }

    /** {@code IN6_IS_ADDR_V4COMPAT(a)}, ::a.b.c.d (but not :: nor ::1). */
    public static boolean IN6_IS_ADDR_V4COMPAT(MemorySegment a) { return wordAt(a, 0) == 0 && wordAt(a, 1) == 0 && wordAt(a, 2) == 0 && Integer.compareUnsigned(wordAt(a, 3), 1) > 0; }

    /** {@code IN6_ARE_ADDR_EQUAL(a, b)}. */
    public static boolean IN6_ARE_ADDR_EQUAL(MemorySegment a, MemorySegment b) { return s6_addr(a).mismatch(s6_addr(b)) == -1; }

    private static boolean multicastScope(MemorySegment a, int scope) { return IN6_IS_ADDR_MULTICAST(a) && (byteAt(a, 1) & 0xf) == scope; }

    /** {@code IN6_IS_ADDR_MC_NODELOCAL(a)}: multicast, scope 1. */
    public static boolean IN6_IS_ADDR_MC_NODELOCAL(MemorySegment a) { return multicastScope(a, 0x1); }

    /** {@code IN6_IS_ADDR_MC_LINKLOCAL(a)}: multicast, scope 2. */
    public static boolean IN6_IS_ADDR_MC_LINKLOCAL(MemorySegment a) { return multicastScope(a, 0x2); }

    /** {@code IN6_IS_ADDR_MC_SITELOCAL(a)}: multicast, scope 5. */
    public static boolean IN6_IS_ADDR_MC_SITELOCAL(MemorySegment a) { return multicastScope(a, 0x5); }

    /** {@code IN6_IS_ADDR_MC_ORGLOCAL(a)}: multicast, scope 8. */
    public static boolean IN6_IS_ADDR_MC_ORGLOCAL(MemorySegment a) { return multicastScope(a, 0x8); }

    /** {@code IN6_IS_ADDR_MC_GLOBAL(a)}: multicast, scope e. */
    public static boolean IN6_IS_ADDR_MC_GLOBAL(MemorySegment a) { return multicastScope(a, 0xe); }

    // ---- ip_mreq, ipv6_mreq, linger, ucred ---------------------------------------------------

    /** {@code &mreq.imr_multiaddr}: the group's struct in_addr ({@code s_addr(imr_multiaddr(mreq), inet_addr("239.1.1.1"))}). */
    public static MemorySegment imr_multiaddr(MemorySegment mreq) { return ip_mreq.imr_multiaddr(mreq); }

    /** {@code &mreq.imr_interface}: the local interface's struct in_addr (INADDR_ANY: the kernel chooses). */
    public static MemorySegment imr_interface(MemorySegment mreq) { return ip_mreq.imr_interface(mreq); }

    /** {@code &mreq.ipv6mr_multiaddr}: the group's struct in6_addr. */
    public static MemorySegment ipv6mr_multiaddr(MemorySegment mreq) { return ipv6_mreq.ipv6mr_multiaddr(mreq); }

    /** {@code mreq.ipv6mr_interface}: the interface index (0: the kernel chooses). */
    public static int ipv6mr_interface(MemorySegment mreq) { return ipv6_mreq.ipv6mr_interface(mreq); }

    /** {@code mreq.ipv6mr_interface = index;} */
    public static void ipv6mr_interface(MemorySegment mreq, int index) { ipv6_mreq.ipv6mr_interface(mreq, index); }

    /** {@code l.l_onoff}. */
    public static int l_onoff(MemorySegment l) { return linger.l_onoff(l); }

    /** {@code l.l_onoff = onoff;} */
    public static void l_onoff(MemorySegment l, int onoff) { linger.l_onoff(l, onoff); }

    /** {@code l.l_linger}, in seconds. */
    public static int l_linger(MemorySegment l) { return linger.l_linger(l); }

    /** {@code l.l_linger = seconds;} */
    public static void l_linger(MemorySegment l, int seconds) { linger.l_linger(l, seconds); }

    /** {@code cred.pid} (SO_PEERCRED, SCM_CREDENTIALS). */
    public static int pid(MemorySegment cred) { return ucred.pid(cred); }

    /** {@code cred.uid}. */
    public static int uid(MemorySegment cred) { return ucred.uid(cred); }

    /** {@code cred.gid}. */
    public static int gid(MemorySegment cred) { return ucred.gid(cred); }

    // ---- timeval, timespec, pollfd -----------------------------------------------------------

    /** Checked at the first tv_sec, not at Posix's class init (which every program's first call pays). */
    private static final class TvSec {
        static {
            // tv_sec is the first member, a time_t, of both timeval and timespec: one accessor serves both.
            if (timeval.tv_sec$offset() != timespec.tv_sec$offset() || timeval.tv_sec$layout().byteSize() != timespec.tv_sec$layout().byteSize())
                throw new AssertionError("timeval.tv_sec and timespec.tv_sec differ on this platform");
        }
        static void checked() {}
    }

    /** {@code tv.tv_sec} of a struct timeval or a struct timespec. */
    public static long tv_sec(MemorySegment tv) { TvSec.checked(); return timeval.tv_sec(tv); }

    /** {@code tv.tv_sec = sec;} for a struct timeval or a struct timespec. */
    public static void tv_sec(MemorySegment tv, long sec) { TvSec.checked(); timeval.tv_sec(tv, sec); }

    /** {@code tv.tv_usec} of a struct timeval. */
    public static long tv_usec(MemorySegment tv) { return timeval.tv_usec(tv); }

    /** {@code tv.tv_usec = usec;} */
    public static void tv_usec(MemorySegment tv, long usec) { timeval.tv_usec(tv, usec); }

    /** {@code ts.tv_nsec} of a struct timespec. */
    public static long tv_nsec(MemorySegment ts) { return timespec.tv_nsec(ts); }

    /** {@code ts.tv_nsec = nsec;} */
    public static void tv_nsec(MemorySegment ts, long nsec) { timespec.tv_nsec(ts, nsec); }

    /** {@code pfd.fd}. */
    public static int fd(MemorySegment pfd) { return pollfd.fd(pfd); }

    /** {@code pfd.fd = fd;} (negative: poll ignores the entry). */
    public static void fd(MemorySegment pfd, int fd) { pollfd.fd(pfd, fd); }

    /**
     * {@code pfd.revents}, 0..65535 ({@code (revents(pfd) & POLLIN) != 0}). pollfd's {@code events}
     * keeps the generated accessor, {@code pollfd.events(pfd, (short) POLLIN)}: the name events
     * is epoll_event's here ({@link #events(MemorySegment, int)}), and a segment cannot say which
     * struct it holds.
     */
    public static int revents(MemorySegment pfd) { return Short.toUnsignedInt(pollfd.revents(pfd)); }

    /** {@code pfd.revents = revents;} */
    public static void revents(MemorySegment pfd, int revents) { pollfd.revents(pfd, (short) revents); }

    // ---- iovec, msghdr, cmsghdr --------------------------------------------------------------

    /** {@code iov.iov_base}. */
    public static MemorySegment iov_base(MemorySegment iov) { return iovec.iov_base(iov); }

    /** {@code iov.iov_base = base;} */
    public static void iov_base(MemorySegment iov, MemorySegment base) { iovec.iov_base(iov, base); }

    /** {@code iov.iov_len}. */
    public static long iov_len(MemorySegment iov) { return iovec.iov_len(iov); }

    /** {@code iov.iov_len = len;} */
    public static void iov_len(MemorySegment iov, long len) { iovec.iov_len(iov, len); }

    /** {@code msg.msg_name}. */
    public static MemorySegment msg_name(MemorySegment msg) { return msghdr.msg_name(msg); }

    /** {@code msg.msg_name = name;} (a sockaddr, or NULL). */
    public static void msg_name(MemorySegment msg, MemorySegment name) { msghdr.msg_name(msg, name); }

    /** {@code msg.msg_namelen}. */
    public static int msg_namelen(MemorySegment msg) { return msghdr.msg_namelen(msg); }

    /** {@code msg.msg_namelen = len;} */
    public static void msg_namelen(MemorySegment msg, int len) { msghdr.msg_namelen(msg, len); }

    /** {@code msg.msg_iov}. */
    public static MemorySegment msg_iov(MemorySegment msg) { return msghdr.msg_iov(msg); }

    /** {@code msg.msg_iov = iov;} */
    public static void msg_iov(MemorySegment msg, MemorySegment iov) { msghdr.msg_iov(msg, iov); }

    /** {@code msg.msg_iovlen}. */
    public static long msg_iovlen(MemorySegment msg) { return msghdr.msg_iovlen(msg); }

    /** {@code msg.msg_iovlen = n;} */
    public static void msg_iovlen(MemorySegment msg, long n) { msghdr.msg_iovlen(msg, n); }

    /** {@code msg.msg_control}. */
    public static MemorySegment msg_control(MemorySegment msg) { return msghdr.msg_control(msg); }

    /** {@code msg.msg_control = control;} (a buffer from {@link #cmsgBuffer}). */
    public static void msg_control(MemorySegment msg, MemorySegment control) { msghdr.msg_control(msg, control); }

    /** {@code msg.msg_controllen}. */
    public static long msg_controllen(MemorySegment msg) { return msghdr.msg_controllen(msg); }

    /** {@code msg.msg_controllen = len;} */
    public static void msg_controllen(MemorySegment msg, long len) { msghdr.msg_controllen(msg, len); }

    /** {@code msg.msg_flags}: MSG_TRUNC, MSG_CTRUNC... after recvmsg. */
    public static int msg_flags(MemorySegment msg) { return msghdr.msg_flags(msg); }

    /** {@code msg.msg_flags = flags;} */
    public static void msg_flags(MemorySegment msg, int flags) { msghdr.msg_flags(msg, flags); }

    /** {@code cmsg->cmsg_len}. */
    public static long cmsg_len(MemorySegment cmsg) { return cmsghdr.cmsg_len(cmsg); }

    /** {@code cmsg->cmsg_len = len;} ({@code CMSG_LEN(sizeof(int))}). */
    public static void cmsg_len(MemorySegment cmsg, long len) { cmsghdr.cmsg_len(cmsg, len); }

    /** {@code cmsg->cmsg_level}: SOL_SOCKET, IPPROTO_IP... */
    public static int cmsg_level(MemorySegment cmsg) { return cmsghdr.cmsg_level(cmsg); }

    /** {@code cmsg->cmsg_level = level;} */
    public static void cmsg_level(MemorySegment cmsg, int level) { cmsghdr.cmsg_level(cmsg, level); }

    /** {@code cmsg->cmsg_type}: SCM_RIGHTS, SCM_CREDENTIALS... */
    public static int cmsg_type(MemorySegment cmsg) { return cmsghdr.cmsg_type(cmsg); }

    /** {@code cmsg->cmsg_type = type;} */
    public static void cmsg_type(MemorySegment cmsg, int type) { cmsghdr.cmsg_type(cmsg, type); }

    /**
     * A control buffer for msg_control, zeroed and aligned for a struct cmsghdr, in one call: what
     * C gets from {@code union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;}.
     * {@code space} is the total, {@code CMSG_SPACE(n)} summed over the messages it will hold.
     */
    public static MemorySegment cmsgBuffer(SegmentAllocator allocator, long space) {
        return allocator.allocate(space, cmsghdr.layout().byteAlignment()).fill((byte) 0);
    }

    // ---- addrinfo ----------------------------------------------------------------------------

    /** An entry of getaddrinfo's list: the head read with {@code res.get(C_POINTER, 0)} is a pointer of no size; it holds one struct addrinfo. */
    private static MemorySegment entry(MemorySegment ai) {
        return ai.byteSize() < addrinfo.sizeof() ? ai.reinterpret(addrinfo.sizeof()) : ai;
    }

    /** {@code ai->ai_flags}. */
    public static int ai_flags(MemorySegment ai) { return addrinfo.ai_flags(entry(ai)); }

    /** {@code hints.ai_flags = flags;} (AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST...). */
    public static void ai_flags(MemorySegment ai, int flags) { addrinfo.ai_flags(ai, flags); }

    /** {@code ai->ai_family}. */
    public static int ai_family(MemorySegment ai) { return addrinfo.ai_family(entry(ai)); }

    /** {@code hints.ai_family = family;} (AF_UNSPEC, AF_INET, AF_INET6). */
    public static void ai_family(MemorySegment ai, int family) { addrinfo.ai_family(ai, family); }

    /** {@code ai->ai_socktype}. */
    public static int ai_socktype(MemorySegment ai) { return addrinfo.ai_socktype(entry(ai)); }

    /** {@code hints.ai_socktype = type;} */
    public static void ai_socktype(MemorySegment ai, int type) { addrinfo.ai_socktype(ai, type); }

    /** {@code ai->ai_protocol}. */
    public static int ai_protocol(MemorySegment ai) { return addrinfo.ai_protocol(entry(ai)); }

    /** {@code hints.ai_protocol = protocol;} */
    public static void ai_protocol(MemorySegment ai, int protocol) { addrinfo.ai_protocol(ai, protocol); }

    /** {@code ai->ai_addrlen}: the size of ai_addr, for bind/connect. */
    public static int ai_addrlen(MemorySegment ai) { return addrinfo.ai_addrlen(entry(ai)); }

    /** {@code ai->ai_addr}: the socket address, a segment of ai_addrlen bytes ({@code connect(fd, ai_addr(ai), ai_addrlen(ai))}); NULL when there is none. */
    public static MemorySegment ai_addr(MemorySegment ai) {
        MemorySegment a = addrinfo.ai_addr(entry(ai));
        return a.equals(MemorySegment.NULL) ? MemorySegment.NULL : a.reinterpret(Integer.toUnsignedLong(addrinfo.ai_addrlen(entry(ai))));
    }

    /** {@code ai->ai_canonname} as a String (with AI_CANONNAME, on the first entry), or null for NULL. */
    public static String ai_canonname(MemorySegment ai) {
        MemorySegment n = addrinfo.ai_canonname(entry(ai));
        return n.equals(MemorySegment.NULL) ? null : n.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /** {@code ai->ai_next}: the next entry, a segment of one struct addrinfo, or NULL after the last. */
    public static MemorySegment ai_next(MemorySegment ai) {
        MemorySegment n = addrinfo.ai_next(entry(ai));
        return n.equals(MemorySegment.NULL) ? MemorySegment.NULL : n.reinterpret(addrinfo.sizeof());
    }

    // ---- tcp_info (TCP_INFO): every field, unsigned as the kernel fills them -----------------

    /** {@code info.tcpi_state}, 0..255 (a __u8). */
    public static int tcpi_state(MemorySegment info) { return Byte.toUnsignedInt(tcp_info.tcpi_state(info)); }

    /** {@code info.tcpi_ca_state}, 0..255 (a __u8). */
    public static int tcpi_ca_state(MemorySegment info) { return Byte.toUnsignedInt(tcp_info.tcpi_ca_state(info)); }

    /** {@code info.tcpi_retransmits}, 0..255 (a __u8). */
    public static int tcpi_retransmits(MemorySegment info) { return Byte.toUnsignedInt(tcp_info.tcpi_retransmits(info)); }

    /** {@code info.tcpi_probes}, 0..255 (a __u8). */
    public static int tcpi_probes(MemorySegment info) { return Byte.toUnsignedInt(tcp_info.tcpi_probes(info)); }

    /** {@code info.tcpi_backoff}, 0..255 (a __u8). */
    public static int tcpi_backoff(MemorySegment info) { return Byte.toUnsignedInt(tcp_info.tcpi_backoff(info)); }

    /** {@code info.tcpi_options}, 0..255 (a __u8). */
    public static int tcpi_options(MemorySegment info) { return Byte.toUnsignedInt(tcp_info.tcpi_options(info)); }

    /** {@code info.tcpi_rto} (a __u32). */
    public static int tcpi_rto(MemorySegment info) { return tcp_info.tcpi_rto(info); }

    /** {@code info.tcpi_ato} (a __u32). */
    public static int tcpi_ato(MemorySegment info) { return tcp_info.tcpi_ato(info); }

    /** {@code info.tcpi_snd_mss} (a __u32). */
    public static int tcpi_snd_mss(MemorySegment info) { return tcp_info.tcpi_snd_mss(info); }

    /** {@code info.tcpi_rcv_mss} (a __u32). */
    public static int tcpi_rcv_mss(MemorySegment info) { return tcp_info.tcpi_rcv_mss(info); }

    /** {@code info.tcpi_unacked} (a __u32). */
    public static int tcpi_unacked(MemorySegment info) { return tcp_info.tcpi_unacked(info); }

    /** {@code info.tcpi_sacked} (a __u32). */
    public static int tcpi_sacked(MemorySegment info) { return tcp_info.tcpi_sacked(info); }

    /** {@code info.tcpi_lost} (a __u32). */
    public static int tcpi_lost(MemorySegment info) { return tcp_info.tcpi_lost(info); }

    /** {@code info.tcpi_retrans} (a __u32). */
    public static int tcpi_retrans(MemorySegment info) { return tcp_info.tcpi_retrans(info); }

    /** {@code info.tcpi_fackets} (a __u32). */
    public static int tcpi_fackets(MemorySegment info) { return tcp_info.tcpi_fackets(info); }

    /** {@code info.tcpi_last_data_sent} (a __u32). */
    public static int tcpi_last_data_sent(MemorySegment info) { return tcp_info.tcpi_last_data_sent(info); }

    /** {@code info.tcpi_last_ack_sent} (a __u32). */
    public static int tcpi_last_ack_sent(MemorySegment info) { return tcp_info.tcpi_last_ack_sent(info); }

    /** {@code info.tcpi_last_data_recv} (a __u32). */
    public static int tcpi_last_data_recv(MemorySegment info) { return tcp_info.tcpi_last_data_recv(info); }

    /** {@code info.tcpi_last_ack_recv} (a __u32). */
    public static int tcpi_last_ack_recv(MemorySegment info) { return tcp_info.tcpi_last_ack_recv(info); }

    /** {@code info.tcpi_pmtu} (a __u32). */
    public static int tcpi_pmtu(MemorySegment info) { return tcp_info.tcpi_pmtu(info); }

    /** {@code info.tcpi_rcv_ssthresh} (a __u32). */
    public static int tcpi_rcv_ssthresh(MemorySegment info) { return tcp_info.tcpi_rcv_ssthresh(info); }

    /** {@code info.tcpi_rtt} (a __u32). */
    public static int tcpi_rtt(MemorySegment info) { return tcp_info.tcpi_rtt(info); }

    /** {@code info.tcpi_rttvar} (a __u32). */
    public static int tcpi_rttvar(MemorySegment info) { return tcp_info.tcpi_rttvar(info); }

    /** {@code info.tcpi_snd_ssthresh} (a __u32). */
    public static int tcpi_snd_ssthresh(MemorySegment info) { return tcp_info.tcpi_snd_ssthresh(info); }

    /** {@code info.tcpi_snd_cwnd} (a __u32). */
    public static int tcpi_snd_cwnd(MemorySegment info) { return tcp_info.tcpi_snd_cwnd(info); }

    /** {@code info.tcpi_advmss} (a __u32). */
    public static int tcpi_advmss(MemorySegment info) { return tcp_info.tcpi_advmss(info); }

    /** {@code info.tcpi_reordering} (a __u32). */
    public static int tcpi_reordering(MemorySegment info) { return tcp_info.tcpi_reordering(info); }

    /** {@code info.tcpi_rcv_rtt} (a __u32). */
    public static int tcpi_rcv_rtt(MemorySegment info) { return tcp_info.tcpi_rcv_rtt(info); }

    /** {@code info.tcpi_rcv_space} (a __u32). */
    public static int tcpi_rcv_space(MemorySegment info) { return tcp_info.tcpi_rcv_space(info); }

    /** {@code info.tcpi_total_retrans} (a __u32). */
    public static int tcpi_total_retrans(MemorySegment info) { return tcp_info.tcpi_total_retrans(info); }
}
