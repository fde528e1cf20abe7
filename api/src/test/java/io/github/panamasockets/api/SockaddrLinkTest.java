package io.github.panamasockets.api;

import io.github.panamasockets.bindings.__SOCKADDR_ARG;
import io.github.panamasockets.bindings.epoll_data;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockets_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodType;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * bind, connect, sendto, recvfrom, accept, accept4, getsockname and getpeername take glibc's
 * transparent {@code __SOCKADDR_ARG}: ./psock generate describes that parameter as a pointer,
 * jextract as the union passed by value. The facade links them so that either works; here the
 * jextract shape is built by hand, so that ./psock test shows it without jextract installed.
 */
@ExtendWith(NoLeaks.class)
class SockaddrLinkTest {

    /** bind's descriptor as jextract writes it: (int, __SOCKADDR_ARG by value, socklen_t) -> int. */
    private static final FunctionDescriptor JEXTRACT_BIND = FunctionDescriptor.of(C_INT, C_INT, __SOCKADDR_ARG.layout(), C_INT);

    @Test
    void aUnionOfPointersBecomesAPointerAndNothingElseChanges() {
        assertEquals(FunctionDescriptor.of(C_INT, C_INT, ADDRESS, C_INT), Link.pointerForPointerUnion(JEXTRACT_BIND));
        // A union that holds anything but pointers is passed as what it is.
        FunctionDescriptor byValue = FunctionDescriptor.ofVoid(C_INT, epoll_data.layout());
        assertEquals(byValue, Link.pointerForPointerUnion(byValue));
        // The committed bindings' own descriptor keeps its pointer (or gets one, if jextract wrote them).
        FunctionDescriptor ours = Link.pointerForPointerUnion(sockets_h.getsockname$descriptor());
        assertInstanceOf(AddressLayout.class, ours.argumentLayouts().get(1));
        assertEquals(3, ours.argumentLayouts().size());
    }

    @Test
    void theExactLinksForWhatTheSharedDescriptorCannotCarryTakeThePointerToo() {
        // (capture, int, sockaddr *, socklen_t) -> int; and one pointer more, kept alive only
        assertEquals(MethodType.methodType(int.class, MemorySegment.class, int.class, MemorySegment.class, int.class),
                Link.capturingErrnoSockaddr(sockets_h.bind$address(), JEXTRACT_BIND).type());
        assertEquals(MethodType.methodType(int.class, MemorySegment.class, int.class, MemorySegment.class, int.class, MemorySegment.class),
                Link.capturingErrnoKeepingAlive(sockets_h.bind$address(), JEXTRACT_BIND).type());
    }

    @Test
    void bindAndGetsocknameLinkedFromJextractsDescriptorPassTheSockaddrItself() {
        Link.Shared bind = Link.shared(sockets_h.bind$address(), JEXTRACT_BIND);
        Link.Shared getsockname = Link.shared(sockets_h.getsockname$address(),
                FunctionDescriptor.of(C_INT, C_INT, __SOCKADDR_ARG.layout(), ADDRESS));
        assertEquals("LPL", bind.args());
        assertEquals("LPP", getsockname.args());
        try (Arena arena = Arena.ofConfined()) {
            ThreadErrno e = ThreadErrno.current();
            int fd = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            try {
                assertEquals(0, (int) Link.call(bind, e.capture, fd, addr(arena, 0), sizeofSockaddrIn()));
                MemorySegment bound = sockaddr_in.allocate(arena);
                MemorySegment len = arena.allocateFrom(C_INT, sizeofSockaddrIn());
                assertEquals(0, (int) Link.call(getsockname, e.capture, fd, bound, len));
                assertEquals(sizeofSockaddrIn(), len.get(C_INT, 0));
                assertEquals(AF_INET, sin_family(bound));
                assertEquals(inet_addr("127.0.0.1"), s_addr(sin_addr(bound)));
                assertNotEquals(0, ntohs(sin_port(bound)), "the kernel chose no port");

                // The facade's getsockname, linked from the committed descriptor the same way, agrees.
                MemorySegment again = sockaddr_in.allocate(arena);
                MemorySegment againLen = arena.allocateFrom(C_INT, sizeofSockaddrIn());
                assertEquals(0, Posix.getsockname(fd, again, againLen));
                assertEquals(sin_port(bound), sin_port(again));
            } finally {
                ok("close", close(fd));
            }
        }
    }
}
