package io.github.panamasockets.api;

import io.github.panamasockets.bindings.SocketsConstants;
import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.in_addr;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_un;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What C code writes by hand around the calls, in Java: the byte-order functions, the FD_* and
 * CMSG_* macros, sizeof, memset, C strings, the W* status macros, and struct fields set without
 * casts. Reached through {@code import static io.github.panamasockets.api.Posix.*;}, together
 * with every constant of the headers ({@link SocketsConstants}), so that {@code case EINTR:} compiles.
 */
public abstract class PosixMacros implements SocketsConstants {
    /** A call's result, after which a -1 takes the errno the call captured: every facade file's calls end here. */
    static int done(ThreadErrno e, int r) {
        if (r == -1) e.tookCaptured();
        return r;
    }

    /** As {@link #done(ThreadErrno, int)}, for ssize_t and off_t results. */
    static long done(ThreadErrno e, long r) {
        if (r == -1) e.tookCaptured();
        return r;
    }

    PosixMacros() {}

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** {@code INADDR_ANY} as the int that {@code s_addr} holds (0.0.0.0, the same in either byte order). */
    public static final int INADDR_ANY = SocketsConstants.INADDR_ANY;

    // ---- byte order: C's are functions of uint16_t/uint32_t; here, ints that print unsigned ----

    /** {@code uint16_t htons(uint16_t hostshort)}, byteorder(3): 8888 to network order, as an int 0..65535. */
    public static int htons(int hostshort) {
        return LITTLE_ENDIAN ? Short.toUnsignedInt(Short.reverseBytes((short) hostshort)) : hostshort & 0xffff;
    }

    /** {@code uint16_t ntohs(uint16_t netshort)}: the port in host order, 0..65535 (50000 prints as 50000). */
    public static int ntohs(int netshort) {
        return htons(netshort);
    }

    /** {@code uint32_t htonl(uint32_t hostlong)}, byteorder(3). */
    public static int htonl(int hostlong) {
        return LITTLE_ENDIAN ? Integer.reverseBytes(hostlong) : hostlong;
    }

    /** {@code uint32_t ntohl(uint32_t netlong)}, byteorder(3). */
    public static int ntohl(int netlong) {
        return htonl(netlong);
    }

    // ---- sizeof, memset, strings ----------------------------------------------------------

    /** C's {@code sizeof(x)} for a struct the caller allocated: the segment's size, as the int socklen_t wants. */
    public static int sizeof(MemorySegment object) {
        return Math.toIntExact(object.byteSize());
    }

    /** C's {@code sizeof(struct sockaddr_in)}: {@code sizeof(sockaddr_in.layout())}. */
    public static int sizeof(MemoryLayout type) {
        return Math.toIntExact(type.byteSize());
    }

    /** {@code void *memset(void *s, int c, size_t n)}, memset(3); n past the segment throws IndexOutOfBoundsException. */
    public static MemorySegment memset(MemorySegment s, int c, long n) {
        s.asSlice(0, n).fill((byte) c);
        return s;
    }

    /** {@code void bzero(void *s, size_t n)}, bzero(3). */
    public static void bzero(MemorySegment s, long n) {
        memset(s, 0, n);
    }

    /** {@code size_t strnlen(const char *s, size_t maxlen)} over the whole segment: where the first NUL is, or its size. */
    public static long strnlen(MemorySegment s) {
        for (long i = 0; i < s.byteSize(); i++) if (s.get(ValueLayout.JAVA_BYTE, i) == 0) return i;
        return s.byteSize();
    }

    /** The C string at the start of {@code buf}, read up to its NUL and never past the segment ({@code printf("%s", buf)}). */
    public static String cstring(MemorySegment buf) {
        return new String(buf.asSlice(0, strnlen(buf)).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** The first {@code len} bytes of {@code buf} as text ({@code printf("%.*s", len, buf)}). */
    public static String cstring(MemorySegment buf, long len) {
        return cstring(buf.asSlice(0, len));
    }

    // ---- fd_set: FD_ZERO, FD_SET, FD_CLR, FD_ISSET -----------------------------------------

    /** fd_set's numbers, in a holder: initialising fd_set at Posix's class init cost the first call of any program a few ms. */
    private static final class FdSet {
        static final long FD_BITS = fd_set.sizeof() * 8;
        static final long FD_WORD = fd_set.fds_bits$layout().elementLayout().byteSize(); // __fd_mask
    }
    // The words of fds_bits, read and written in the platform's order at any address: an fd_set in
    // a slice that is not 8-aligned (select(2) takes it) works as it does in C.
    private static final ValueLayout.OfLong MASK = ValueLayout.JAVA_LONG_UNALIGNED;

    private static boolean inSet(int fd, MemorySegment set) {
        return fd >= 0 && fd < FdSet.FD_BITS && fd < FD_SETSIZE && isSet(set);
    }

    /** A segment that holds an fd_set (null, NULL or a shorter one does not); FD_SET, FD_CLR and FD_ZERO also need it writable. */
    private static boolean isSet(MemorySegment set) {
        return set != null && set.byteSize() >= fd_set.sizeof() && !set.equals(MemorySegment.NULL);
    }

    private static long wordOffset(int fd) {
        return fd_set.fds_bits$offset() + fd / (FdSet.FD_WORD * 8) * FdSet.FD_WORD;
    }

    private static long bit(int fd) {
        return 1L << (fd % (FdSet.FD_WORD * 8));
    }

    /**
     * {@code void FD_ZERO(fd_set *set)}, select(2). A set that is not one (null, NULL, smaller than an fd_set, read-only)
     * is left alone: -1 with errno EINVAL (C would write through it); 0 otherwise.
     */
    public static int FD_ZERO(MemorySegment set) {
        if (!isSet(set) || set.isReadOnly()) return ThreadErrno.current().refuse(EINVAL);
        set.asSlice(0, fd_set.sizeof()).fill((byte) 0);
        return 0;
    }

    /**
     * {@code void FD_SET(int fd, fd_set *set)}, select(2). C writes out of bounds for an fd outside
     * 0..FD_SETSIZE-1; here such an fd (or a segment smaller than an fd_set) writes nothing and
     * returns -1 with errno EINVAL (0 otherwise).
     */
    public static int FD_SET(int fd, MemorySegment set) {
        if (!inSet(fd, set) || set.isReadOnly()) return ThreadErrno.current().refuse(EINVAL);
        long at = wordOffset(fd);
        set.set(MASK, at, set.get(MASK, at) | bit(fd));
        return 0;
    }

    /** {@code void FD_CLR(int fd, fd_set *set)}: as {@link #FD_SET}, an fd outside the set gives -1 and EINVAL. */
    public static int FD_CLR(int fd, MemorySegment set) {
        if (!inSet(fd, set) || set.isReadOnly()) return ThreadErrno.current().refuse(EINVAL);
        long at = wordOffset(fd);
        set.set(MASK, at, set.get(MASK, at) & ~bit(fd));
        return 0;
    }

    /** {@code int FD_ISSET(int fd, fd_set *set)}: true when fd is in the set; an fd outside the set is never in it. */
    public static boolean FD_ISSET(int fd, MemorySegment set) {
        return inSet(fd, set) && (set.get(MASK, wordOffset(fd)) & bit(fd)) != 0;
    }

    // ---- control messages: CMSG_* ----------------------------------------------------------

    private static long CMSG_ALIGN(long len) {
        long a = ValueLayout.JAVA_LONG.byteSize(); // sizeof(size_t)
        return (len + a - 1) & ~(a - 1);
    }

    /** {@code size_t CMSG_SPACE(size_t length)}, cmsg(3). */
    public static long CMSG_SPACE(long length) {
        return CMSG_ALIGN(length) + CMSG_ALIGN(cmsghdr.sizeof());
    }

    /** {@code size_t CMSG_LEN(size_t length)}, cmsg(3). */
    public static long CMSG_LEN(long length) {
        return CMSG_ALIGN(cmsghdr.sizeof()) + length;
    }

    /**
     * {@code unsigned char *CMSG_DATA(struct cmsghdr *cmsg)}, cmsg(3): the data after the header, to the end of the message
     * and never past the segment. NULL for a cmsg that holds no header (null, NULL, shorter).
     */
    public static MemorySegment CMSG_DATA(MemorySegment cmsg) {
        if (cmsg == null || cmsg.byteSize() < cmsghdr.sizeof()) return MemorySegment.NULL;
        long data = CMSG_ALIGN(cmsghdr.sizeof());
        long len = cmsghdr.cmsg_len(cmsg);
        return cmsg.asSlice(data, Math.max(0, Math.min(len, cmsg.byteSize()) - data));
    }

    /**
     * {@code struct cmsghdr *CMSG_FIRSTHDR(struct msghdr *msgh)}, cmsg(3), as C's macro: msg_control when msg_controllen
     * holds a struct cmsghdr, else NULL; also NULL when msg_control is NULL, and for a msgh that holds no msghdr (null, NULL,
     * shorter). The segment returned is the control buffer the msghdr names, msg_controllen bytes, never more.
     */
    public static MemorySegment CMSG_FIRSTHDR(MemorySegment msgh) {
        MemorySegment control = controlBuffer(msgh);
        return control.byteSize() < cmsghdr.sizeof() ? MemorySegment.NULL : control;
    }

    /** msg_control as a segment of msg_controllen bytes, or NULL (no msghdr, NULL msg_control, or a length past any address). */
    private static MemorySegment controlBuffer(MemorySegment msgh) {
        if (msgh == null || msgh.equals(MemorySegment.NULL) || msgh.byteSize() < msghdr.sizeof()) return MemorySegment.NULL;
        MemorySegment control = msgh.get(ValueLayout.ADDRESS_UNALIGNED, msghdr.msg_control$offset());
        long controllen = msgh.get(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_controllen$offset());
        if (control.equals(MemorySegment.NULL) || controllen <= 0 || controllen > Long.MAX_VALUE - control.address()) return MemorySegment.NULL;
        return control.reinterpret(controllen);
    }

    /**
     * {@code struct cmsghdr *CMSG_NXTHDR(struct msghdr *msgh, struct cmsghdr *cmsg)}, cmsg(3), as glibc's: the header after
     * cmsg when it and the whole of its cmsg_len lie inside the control buffer msgh names, else NULL. cmsg is found by its
     * address inside that buffer (a segment CMSG_FIRSTHDR/CMSG_NXTHDR returned, or a slice of the caller's own control
     * buffer); a cmsg outside it, null or NULL gives NULL (C would walk wherever it points). The segment returned runs to the
     * end of the control buffer, never past it.
     */
    public static MemorySegment CMSG_NXTHDR(MemorySegment msgh, MemorySegment cmsg) {
        MemorySegment control = controlBuffer(msgh);
        if (control.equals(MemorySegment.NULL) || cmsg == null || cmsg.equals(MemorySegment.NULL)) return MemorySegment.NULL;
        long at = cmsg.address() - control.address();
        long header = cmsghdr.sizeof();
        if (at < 0 || at > control.byteSize() - header) return MemorySegment.NULL;
        long len = control.get(ValueLayout.JAVA_LONG_UNALIGNED, at + cmsghdr.cmsg_len$offset());
        if (len < header) return MemorySegment.NULL;
        long left = control.byteSize() - at;
        // size_t lengths, compared unsigned first: CMSG_ALIGN of one within 7 of 2^63 would wrap to a negative offset
        if (Long.compareUnsigned(len, left - header) > 0 || CMSG_ALIGN(len) > left - header) return MemorySegment.NULL; // the next header would not fit
        long next = at + CMSG_ALIGN(len);
        long rest = control.byteSize() - next;
        long nextLen = control.get(ValueLayout.JAVA_LONG_UNALIGNED, next + cmsghdr.cmsg_len$offset());
        if (Long.compareUnsigned(nextLen, rest) > 0 || CMSG_ALIGN(nextLen) > rest) return MemorySegment.NULL;
        return control.asSlice(next);
    }

    // ---- wait status: W* -------------------------------------------------------------------

    /** {@code WIFEXITED(wstatus)}, waitpid(2). */
    public static boolean WIFEXITED(int wstatus) { return (wstatus & 0x7f) == 0; }

    /** {@code WEXITSTATUS(wstatus)}, waitpid(2). */
    public static int WEXITSTATUS(int wstatus) { return (wstatus >> 8) & 0xff; }

    /** {@code WIFSIGNALED(wstatus)}, waitpid(2). */
    public static boolean WIFSIGNALED(int wstatus) { return ((byte) ((wstatus & 0x7f) + 1)) >> 1 > 0; } // glibc's signed char: 0x7f (stopped) is not signalled

    /** {@code WTERMSIG(wstatus)}, waitpid(2). */
    public static int WTERMSIG(int wstatus) { return wstatus & 0x7f; }

    // ---- file type: S_IS* -------------------------------------------------------------------

    /** {@code S_ISSOCK(m)}, inode(7): true when a stat(2) st_mode is a socket's (the file bind(2) makes for an AF_UNIX path). */
    public static boolean S_ISSOCK(int m) { return (m & S_IFMT) == S_IFSOCK; }

    // ---- struct fields, set and read without casts -----------------------------------------

    /** {@code addr.sin_family = family;} */
    public static void sin_family(MemorySegment addr, int family) { sockaddr_in.sin_family(addr, (short) family); }

    /** {@code addr.sin_family}, 0..65535. */
    public static int sin_family(MemorySegment addr) { return Short.toUnsignedInt(sockaddr_in.sin_family(addr)); }

    /** {@code addr.sin_port = port;} with port already in network order ({@code htons(8888)}). */
    public static void sin_port(MemorySegment addr, int port) { sockaddr_in.sin_port(addr, (short) port); }

    /** {@code addr.sin_port}, in network order, 0..65535: {@code ntohs(sin_port(addr))} is the port. */
    public static int sin_port(MemorySegment addr) { return Short.toUnsignedInt(sockaddr_in.sin_port(addr)); }

    /** {@code &addr.sin_addr}: the struct in_addr inside a sockaddr_in. */
    public static MemorySegment sin_addr(MemorySegment addr) { return sockaddr_in.sin_addr(addr); }

    /** {@code in.s_addr = value;} (network order, as inet_addr returns it). */
    public static void s_addr(MemorySegment in, int value) { in_addr.s_addr(in, value); }

    /** {@code in.s_addr}. */
    public static int s_addr(MemorySegment in) { return in_addr.s_addr(in); }

    /** {@code addr.sun_family = family;} */
    public static void sun_family(MemorySegment addr, int family) { sockaddr_un.sun_family(addr, (short) family); }

    /** {@code addr.sun_path}: the char array inside a sockaddr_un ({@code cstring(sun_path(addr))} is the path). */
    public static MemorySegment sun_path(MemorySegment addr) { return sockaddr_un.sun_path(addr); }

    /**
     * {@code strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);}: a path, or with a leading
     * '\0' a name in Linux's abstract namespace. Returns -1 with errno ENAMETOOLONG when it does not fit.
     */
    public static int sun_path(MemorySegment addr, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        MemorySegment field = sockaddr_un.sun_path(addr);
        if (bytes.length >= field.byteSize()) return ThreadErrno.current().refuse(ENAMETOOLONG);
        field.fill((byte) 0);
        MemorySegment.copy(bytes, 0, field, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return 0;
    }

    // epoll_event is packed on x86_64 (data sits at offset 4), so its 8-byte members are read unaligned here.

    /** {@code ev.events = events;} */
    public static void events(MemorySegment ev, int events) { ev.set(ValueLayout.JAVA_INT_UNALIGNED, epoll_event.events$offset(), events); }

    /** {@code ev.events}. */
    public static int events(MemorySegment ev) { return ev.get(ValueLayout.JAVA_INT_UNALIGNED, epoll_event.events$offset()); }

    /** {@code ev.data.fd = fd;} */
    public static void data_fd(MemorySegment ev, int fd) { ev.set(ValueLayout.JAVA_INT_UNALIGNED, epoll_event.data$offset(), fd); }

    /** {@code ev.data.fd}. */
    public static int data_fd(MemorySegment ev) { return ev.get(ValueLayout.JAVA_INT_UNALIGNED, epoll_event.data$offset()); }

    /** {@code ev.data.u64 = u64;} */
    public static void data_u64(MemorySegment ev, long u64) { ev.set(ValueLayout.JAVA_LONG_UNALIGNED, epoll_event.data$offset(), u64); }

    /** {@code ev.data.u64}. */
    public static long data_u64(MemorySegment ev) { return ev.get(ValueLayout.JAVA_LONG_UNALIGNED, epoll_event.data$offset()); }

    /** An IPv6 address in its usual text form (for the trace): "::1". */
    static String inet6(MemorySegment in6) {
        try {
            return java.net.InetAddress.getByAddress(in6.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE)).getHostAddress()
                    .replaceAll("((?::0\\b){2,}):?(?!\\S*\\b\\1:0\\b)(\\S*)", "::$2").replaceFirst("^0::", "::");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
