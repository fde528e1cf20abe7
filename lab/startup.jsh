// ./psock shell's start-up script: what a C socket program has after its #includes.
import java.lang.foreign.*;
import io.github.panamasockets.api.*;        // Errno, ErrnoException
import io.github.panamasockets.bindings.*;   // the structs: sockaddr_in, fd_set, timeval, pollfd, epoll_event, ...
import static io.github.panamasockets.api.Posix.*;                   // the calls, the macros, every constant, errno()
import static io.github.panamasockets.bindings.sockets_h.C_INT;      // int, for arena.allocate(C_INT)
import static io.github.panamasockets.bindings.sockets_h.socklen_t;  // for arena.allocateFrom(socklen_t, ...)
import static java.lang.foreign.ValueLayout.JAVA_BYTE;               // buf.get(JAVA_BYTE, i) for buf[i]

// Every allocation of the session: sockaddr_in.allocate(arena), arena.allocate(1024), ...
// An automatic arena: usable from any snippet, freed when nothing refers to its memory.
Arena arena = Arena.ofAuto();
