package io.github.panamasockets.api;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.ip_mreq;
import io.github.panamasockets.bindings.ipv6_mreq;
import io.github.panamasockets.bindings.linger;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_storage;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.tcp_info;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.timeval;
import io.github.panamasockets.bindings.ucred;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The struct helpers: the bytes they write where C's field is, the values they read as C code reads them, used with real calls. */
@ExtendWith(NoLeaks.class)
class StructHelpersTest {

    @Test
    void anIpv6ServerAndClientOnLoopbackWithoutACast() {
        try (Arena arena = Arena.ofConfined()) {
            int l = ok("socket", socket(AF_INET6, SOCK_STREAM, 0));
            int c = -1, s = -1;
            try {
                MemorySegment addr = sockaddr_in6.allocate(arena);
                sin6_family(addr, AF_INET6);
                sin6_port(addr, htons(0));
                sin6_addr(addr).copyFrom(in6addr_loopback);                   // addr.sin6_addr = in6addr_loopback;
                assertEquals(0, bind(l, addr, sizeof(addr)));
                assertEquals(0, listen(l, 1));
                MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, sizeof(addr));
                assertEquals(0, getsockname(l, addr, len));
                int port = ntohs(sin6_port(addr));
                assertTrue(port > 0 && port < 65536);
                assertEquals(AF_INET6, sin6_family(addr));
                assertTrue(IN6_IS_ADDR_LOOPBACK(sin6_addr(addr)));

                MemorySegment to = sockaddr_in6.allocate(arena);
                sin6_family(to, AF_INET6);
                sin6_port(to, htons(port));
                assertEquals(1, inet_pton(AF_INET6, "::1", sin6_addr(to)));
                sin6_flowinfo(to, htonl(0));
                sin6_scope_id(to, 0);
                c = ok("socket", socket(AF_INET6, SOCK_STREAM, 0));
                assertEquals(0, connect(c, to, sizeof(to)));
                MemorySegment peer = sockaddr_storage.allocate(arena);
                MemorySegment plen = arena.allocateFrom(ValueLayout.JAVA_INT, sizeof(peer));
                s = ok("accept", accept(l, peer, plen));
                assertEquals(AF_INET6, ss_family(peer));
                assertEquals(AF_INET6, sa_family(peer));
                assertEquals(sockaddr_in6.sizeof(), plen.get(ValueLayout.JAVA_INT, 0));
                assertTrue(IN6_ARE_ADDR_EQUAL(sin6_addr(peer), in6addr_loopback));
            } finally {
                closeAll(l, c, s);
            }
        }
    }

    @Test
    void sin6PortAndFamilyWriteWhereCWritesThemAndReadBackUnsigned() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = sockaddr_in6.allocate(arena);
            sin6_port(a, htons(50000));
            assertEquals(50000, ntohs(sin6_port(a)));
            assertEquals(0xc3, Byte.toUnsignedInt(a.get(ValueLayout.JAVA_BYTE, sockaddr_in6.sin6_port$offset())), "network order: high byte first");
            sin6_flowinfo(a, htonl(0x12345));
            assertEquals(0x12345, ntohl(sin6_flowinfo(a)));
            sin6_scope_id(a, 7);
            assertEquals(7, a.get(ValueLayout.JAVA_INT, sockaddr_in6.sin6_scope_id$offset()));
            sin6_family(a, 0xffff);
            assertEquals(0xffff, sin6_family(a), "read as C reads a sa_family_t: unsigned");
            ss_family(a, AF_INET6);
            assertEquals(AF_INET6, sin6_family(a), "ss_family sits where sin6_family does");
            MemorySegment un = sockaddr_un.allocate(arena);
            sun_family(un, AF_UNIX);
            assertEquals(AF_UNIX, sun_family(un));
        }
    }

    @Test
    void ipv6MacrosMatchTheirAddresses() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = in6_addr.allocate(arena);
            String[] addrs = {"::", "::1", "ff02::1", "ff05::2", "ff0e::3", "ff01::1", "ff08::1", "fe80::1", "fec0::1", "::ffff:10.0.0.1", "::10.0.0.1", "2001:db8::1"};
            String[] expect = {"UNSPECIFIED", "LOOPBACK", "MULTICAST MC_LINKLOCAL", "MULTICAST MC_SITELOCAL", "MULTICAST MC_GLOBAL", "MULTICAST MC_NODELOCAL",
                    "MULTICAST MC_ORGLOCAL", "LINKLOCAL", "SITELOCAL", "V4MAPPED", "V4COMPAT", ""};
            for (int i = 0; i < addrs.length; i++) {
                assertEquals(1, inet_pton(AF_INET6, addrs[i], a), addrs[i]);
                StringBuilder got = new StringBuilder();
                if (IN6_IS_ADDR_UNSPECIFIED(a)) got.append(" UNSPECIFIED");
                if (IN6_IS_ADDR_LOOPBACK(a)) got.append(" LOOPBACK");
                if (IN6_IS_ADDR_MULTICAST(a)) got.append(" MULTICAST");
                if (IN6_IS_ADDR_MC_NODELOCAL(a)) got.append(" MC_NODELOCAL");
                if (IN6_IS_ADDR_MC_LINKLOCAL(a)) got.append(" MC_LINKLOCAL");
                if (IN6_IS_ADDR_MC_SITELOCAL(a)) got.append(" MC_SITELOCAL");
                if (IN6_IS_ADDR_MC_ORGLOCAL(a)) got.append(" MC_ORGLOCAL");
                if (IN6_IS_ADDR_MC_GLOBAL(a)) got.append(" MC_GLOBAL");
                if (IN6_IS_ADDR_LINKLOCAL(a)) got.append(" LINKLOCAL");
                if (IN6_IS_ADDR_SITELOCAL(a)) got.append(" SITELOCAL");
                if (IN6_IS_ADDR_V4MAPPED(a)) got.append(" V4MAPPED");
                if (IN6_IS_ADDR_V4COMPAT(a)) got.append(" V4COMPAT");
                assertEquals(expect[i], got.toString().trim(), addrs[i]);
            }
            assertArrayEquals(new byte[16], in6addr_any.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(1, s6_addr(in6addr_loopback).get(ValueLayout.JAVA_BYTE, 15));
            assertThrows(IllegalArgumentException.class, () -> in6addr_any.set(ValueLayout.JAVA_BYTE, 0, (byte) 1), "C's const in6addr_any");
        }
    }

    @Test
    void lingerMreqTimevalTimespecPollfdUcredWithRealCalls() {
        int[] sv = socketpair(SOCK_STREAM);
        int udp = ok("socket", socket(AF_INET, SOCK_DGRAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lg = linger.allocate(arena);
            l_onoff(lg, 1);
            l_linger(lg, 5);
            assertEquals(0, setsockopt(sv[0], SOL_SOCKET, SO_LINGER, lg, sizeof(lg)));
            MemorySegment back = linger.allocate(arena);
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, sizeof(back));
            assertEquals(0, getsockopt(sv[0], SOL_SOCKET, SO_LINGER, back, len));
            assertEquals(1, l_onoff(back));
            assertEquals(5, l_linger(back));

            MemorySegment tv = timeval.allocate(arena);
            tv_sec(tv, 3);
            tv_usec(tv, 500000); // a whole number of jiffies at any HZ, so the kernel gives it back unrounded
            assertEquals(0, setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, tv, sizeof(tv)));
            MemorySegment got = timeval.allocate(arena);
            len.set(ValueLayout.JAVA_INT, 0, sizeof(got));
            assertEquals(0, getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, got, len));
            assertEquals(3, tv_sec(got));
            assertEquals(500000, tv_usec(got));
            MemorySegment ts = timespec.allocate(arena);
            tv_sec(ts, 7);
            tv_nsec(ts, 9);
            assertEquals(7, timespec.tv_sec(ts));
            assertEquals(9, timespec.tv_nsec(ts));

            MemorySegment cred = ucred.allocate(arena);
            len.set(ValueLayout.JAVA_INT, 0, sizeof(cred));
            assertEquals(0, getsockopt(sv[1], SOL_SOCKET, SO_PEERCRED, cred, len));
            assertEquals(getpid(), pid(cred));
            assertEquals(geteuid(), uid(cred));
            assertEquals(getegid(), gid(cred));

            MemorySegment mreq = ip_mreq.allocate(arena);
            s_addr(imr_multiaddr(mreq), inet_addr("239.1.2.3"));
            s_addr(imr_interface(mreq), inet_addr("127.0.0.1"));
            assertEquals(inet_addr("239.1.2.3"), mreq.get(ValueLayout.JAVA_INT, ip_mreq.imr_multiaddr$offset()));
            assertEquals(inet_addr("127.0.0.1"), s_addr(imr_interface(mreq)));
            MemorySegment m6 = ipv6_mreq.allocate(arena);
            assertEquals(1, inet_pton(AF_INET6, "ff02::1", ipv6mr_multiaddr(m6)));
            ipv6mr_interface(m6, if_nametoindex("lo"));
            assertEquals(if_nametoindex("lo"), ipv6mr_interface(m6));
            assertTrue(IN6_IS_ADDR_MC_LINKLOCAL(ipv6mr_multiaddr(m6)));

            assertEquals(1, Posix.send(sv[1], arena.allocateFrom("x"), 1, 0));
            MemorySegment pfd = pollfd.allocate(arena);
            fd(pfd, sv[0]);
            pollfd.events(pfd, (short) POLLIN);
            revents(pfd, 0xffff);
            assertEquals(0xffff, revents(pfd), "revents read unsigned");
            assertEquals(1, poll(pfd, 1, 1000));
            assertEquals(sv[0], fd(pfd));
            assertEquals(POLLIN, revents(pfd));
        } finally {
            closeAll(sv[0], sv[1], udp);
        }
    }

    @Test
    void descriptorPassingWithMsghdrHelpersAndAnAlignedControlBuffer() {
        int[] sv = socketpair(SOCK_STREAM);
        int[] p = pipe();
        int received = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = cmsgBuffer(arena, CMSG_SPACE(Integer.BYTES));
            assertEquals(0, control.address() % cmsghdr.layout().byteAlignment(), "aligned for a cmsghdr");
            assertEquals(CMSG_SPACE(Integer.BYTES), control.byteSize());
            MemorySegment data = arena.allocateFrom("!");
            MemorySegment iov = iovec.allocate(arena);
            iov_base(iov, data);
            iov_len(iov, 1);
            MemorySegment msg = msghdr.allocate(arena);
            msg_iov(msg, iov);
            msg_iovlen(msg, 1);
            msg_control(msg, control);
            msg_controllen(msg, control.byteSize());
            MemorySegment cmsg = CMSG_FIRSTHDR(msg);
            cmsg_level(cmsg, SOL_SOCKET);
            cmsg_type(cmsg, SCM_RIGHTS);
            cmsg_len(cmsg, CMSG_LEN(Integer.BYTES));
            CMSG_DATA(cmsg).set(ValueLayout.JAVA_INT_UNALIGNED, 0, p[1]);
            assertEquals(1, sendmsg(sv[0], msg, 0));

            MemorySegment rcontrol = cmsgBuffer(arena, CMSG_SPACE(Integer.BYTES));
            MemorySegment rbuf = arena.allocate(4);
            MemorySegment riov = iovec.allocate(arena);
            iov_base(riov, rbuf);
            iov_len(riov, rbuf.byteSize());
            MemorySegment rmsg = msghdr.allocate(arena);
            msg_iov(rmsg, riov);
            msg_iovlen(rmsg, 1);
            msg_control(rmsg, rcontrol);
            msg_controllen(rmsg, rcontrol.byteSize());
            assertEquals(1, recvmsg(sv[1], rmsg, 0));
            assertEquals(0, msg_flags(rmsg));
            assertEquals(1, msg_iovlen(rmsg));
            assertEquals(rbuf, iov_base(msg_iov(rmsg).reinterpret(iovec.sizeof())));
            MemorySegment rc = CMSG_FIRSTHDR(rmsg);
            assertEquals(SOL_SOCKET, cmsg_level(rc));
            assertEquals(SCM_RIGHTS, cmsg_type(rc));
            assertEquals(CMSG_LEN(Integer.BYTES), cmsg_len(rc));
            received = CMSG_DATA(rc).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            assertNotEquals(p[1], received);
            assertEquals(Fork.target(p[1]), Fork.target(received), "the same pipe, at another number");
            assertEquals(0, msg_namelen(rmsg));
            assertEquals(MemorySegment.NULL, msg_name(rmsg));
        } finally {
            closeAll(sv[0], sv[1], p[0], p[1], received);
        }
    }

    @Test
    void addrinfoGettersWalkGetaddrinfosList() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hints = addrinfo.allocate(arena);
            ai_family(hints, AF_UNSPEC);
            ai_socktype(hints, SOCK_STREAM);
            ai_flags(hints, AI_NUMERICHOST | AI_NUMERICSERV | AI_CANONNAME);
            MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(0, getaddrinfo("::1", "8080", hints, res));
            MemorySegment first = res.get(ValueLayout.ADDRESS, 0);
            int n = 0;
            for (MemorySegment ai = first; !ai.equals(MemorySegment.NULL); ai = ai_next(ai)) {
                n++;
                assertEquals(AF_INET6, ai_family(ai));
                assertEquals(SOCK_STREAM, ai_socktype(ai));
                assertEquals(IPPROTO_TCP, ai_protocol(ai));
                assertEquals(sockaddr_in6.sizeof(), ai_addrlen(ai));
                assertEquals(sockaddr_in6.sizeof(), ai_addr(ai).byteSize());
                assertEquals(8080, ntohs(sin6_port(ai_addr(ai))));
                assertTrue(IN6_IS_ADDR_LOOPBACK(sin6_addr(ai_addr(ai))));
            }
            assertEquals(1, n);
            assertEquals("::1", ai_canonname(first), "AI_CANONNAME with a numeric host: the host as given");
            assertFalse(ai_flags(first) == -1);
            freeaddrinfo(first);
            ai_flags(hints, AI_NUMERICHOST);
            assertEquals(0, getaddrinfo("127.0.0.1", null, hints, res));
            first = res.get(ValueLayout.ADDRESS, 0);
            assertNull(ai_canonname(first));
            freeaddrinfo(first);
        }
    }

    @Test
    void tcpInfoFieldsReadUnsigned() {
        int[] pair = tcpPair();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = tcp_info.allocate(arena);
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, sizeof(info));
            assertEquals(0, getsockopt(pair[0], IPPROTO_TCP, TCP_INFO, info, len));
            assertEquals(TCP_ESTABLISHED, tcpi_state(info));
            assertEquals(0, tcpi_retransmits(info));
            assertTrue(tcpi_snd_mss(info) > 0 && tcpi_rcv_mss(info) > 0);
            assertEquals(0, tcpi_total_retrans(info));
            assertEquals(0, tcpi_unacked(info), "nothing sent yet");
            info.set(ValueLayout.JAVA_BYTE, tcp_info.tcpi_state$offset(), (byte) 0xfe);
            assertEquals(254, tcpi_state(info), "a __u8 above 127 reads as C reads it");
        } finally {
            closeAll(pair);
        }
    }

    /** The struct each integer field helper reads and writes, by the helper's name. */
    static Class<?> structOf(String helper) {
        if (helper.startsWith("tcpi_")) return tcp_info.class;
        if (helper.startsWith("sin6_")) return sockaddr_in6.class;
        if (helper.startsWith("l_")) return linger.class;
        if (helper.startsWith("msg_")) return msghdr.class;
        if (helper.startsWith("cmsg_")) return cmsghdr.class;
        if (helper.startsWith("iov_")) return iovec.class;
        if (helper.startsWith("ai_")) return addrinfo.class;
        if (helper.startsWith("ipv6mr_")) return ipv6_mreq.class;
        return switch (helper) {
            case "tv_sec", "tv_usec" -> timeval.class;
            case "tv_nsec" -> timespec.class;
            case "pid", "uid", "gid" -> ucred.class;
            case "fd", "revents" -> pollfd.class;
            case "sa_family" -> io.github.panamasockets.bindings.sockaddr.class;
            case "ss_family" -> sockaddr_storage.class;
            case "sun_family" -> sockaddr_un.class;
            default -> throw new AssertionError("which struct has " + helper + "?");
        };
    }

    /** The field's bytes as C reads them: unsigned for the kernel's __u8 and sa_family_t/in_port_t/short flags (0..255, 0..65535). */
    static long fieldAt(MemorySegment s, Class<?> struct, String field) throws ReflectiveOperationException {
        long offset = (long) struct.getMethod(field + "$offset").invoke(null);
        Object layout = struct.getMethod(field + "$layout").invoke(null);
        return switch (layout) {
            case ValueLayout.OfByte b -> Byte.toUnsignedInt(s.get(b, offset));
            case ValueLayout.OfShort h -> Short.toUnsignedInt(s.get(h, offset));
            case ValueLayout.OfInt i -> s.get(i, offset);
            case ValueLayout.OfLong l -> s.get(l, offset);
            default -> throw new AssertionError(struct.getSimpleName() + "." + field + " is a " + layout);
        };
    }

    /**
     * Every integer field helper reads the bytes at its field's offset in the generated struct (a
     * pattern with no zero byte, so a helper that returns 0 or another field's bytes is seen), and
     * every setter writes the value's bytes there and nowhere else.
     */
    @Test
    void everyIntegerFieldHelperReadsAndWritesItsFieldsBytes() throws Exception {
        int getters = 0, setters = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (java.lang.reflect.Method m : PosixStructs.class.getDeclaredMethods()) {
                if (!java.lang.reflect.Modifier.isPublic(m.getModifiers()) || m.getParameterCount() == 0 || m.getParameterTypes()[0] != MemorySegment.class) continue;
                Class<?> type = m.getParameterCount() == 1 ? m.getReturnType() : m.getParameterTypes()[1];
                if (type != int.class && type != long.class || m.getParameterCount() > 2) continue;
                Class<?> struct = structOf(m.getName());
                long size = (long) struct.getMethod("sizeof").invoke(null);
                MemorySegment s = arena.allocate(size, 8);
                if (m.getParameterCount() == 1) {
                    for (long i = 0; i < size; i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) (0x81 + i % 120));
                    long got = ((Number) m.invoke(null, s)).longValue();
                    assertEquals(fieldAt(s, struct, m.getName()), got, m.getName() + " of a patterned " + struct.getSimpleName());
                    getters++;
                } else {
                    s.fill((byte) 0);
                    long value = 0x1122334455667788L;
                    m.invoke(null, s, type == int.class ? (Object) (int) value : (Object) value);
                    long written = fieldAt(s, struct, m.getName());
                    long width = ((java.lang.foreign.MemoryLayout) struct.getMethod(m.getName() + "$layout").invoke(null)).byteSize();
                    assertEquals(width == 8 ? value : value & ((1L << (8 * width)) - 1), width == 4 ? written & 0xffffffffL : written, m.getName() + " into " + struct.getSimpleName());
                    long offset = (long) struct.getMethod(m.getName() + "$offset").invoke(null);
                    for (long i = 0; i < size; i++)
                        if (i < offset || i >= offset + width) assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i), m.getName() + " wrote byte " + i + " of " + struct.getSimpleName());
                    setters++;
                }
            }
        }
        assertTrue(getters >= 50 && setters >= 25, getters + " getters, " + setters + " setters");
    }
}
