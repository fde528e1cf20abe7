package io.github.panamasockets.api;

import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.mmsghdr;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.ucred;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.bindings.SocketsConstants.*;

/**
 * A struct msghdr as strace decodes it for sendmsg(2) and recvmsg(2): the address msg_name
 * points to, each iovec with its data, each control message with SCM_RIGHTS' descriptors and
 * SCM_CREDENTIALS' {pid, uid, gid}:
 * {@code {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1,
 * msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[7]}], msg_controllen=24, msg_flags=0}}.
 *
 * <p>The msghdr itself is the caller's checked segment; what its pointers point to is read only
 * through {@link UserMemory} (the kernel), so a bogus pointer prints as its address, never
 * crashes. Every read is bounded as strace bounds it: at most 32 iovecs are shown (then "..."),
 * 32 bytes of each buffer (then "..."), 32 descriptors of a message, 128 KiB of control data, the
 * 128 bytes of a sockaddr_storage. Runs only when the trace is on, and never throws.
 */
final class TraceMsghdr {
    private TraceMsghdr() {}

    /** strace's default -s: bytes of a buffer, and elements of an array, shown before "...". */
    static final int MAX_SHOWN = 32;
    /** The most control data read, as strace reads at most 128 KiB of it. */
    static final long MAX_CONTROL = 128 * 1024;
    /** sizeof(struct sockaddr_storage): the most of msg_name read. */
    static final long MAX_NAME = 128;
    /** A data size without limit: sendmsg shows each buffer's own length. */
    static final long UNLIMITED = -1;

    /** sendmsg's msghdr, after the call (the kernel does not change it). */
    static String sent(MemorySegment msg) {
        return decode(msg, UNLIMITED, null);
    }

    /**
     * recvmsg's msghdr after the call, as strace prints it: on failure only the msg_namelen it was
     * given ({@code {msg_namelen=16}}); on success every field, msg_namelen as {@code 128 => 16}
     * when the kernel changed it, the iovecs' data up to the {@code received} bytes.
     */
    static String received(MemorySegment msg, int namelenBefore, long received) {
        if (!Trace.readable(msg, msghdr.sizeof())) return Trace.hex(msg);
        if (received < 0) return "{msg_namelen=" + namelenBefore + "}";
        return decode(msg, received, namelenBefore);
    }

    /** msg_namelen before recvmsg, for {@link #received}; 0 when the msghdr cannot be read. */
    static int namelen(MemorySegment msg) {
        try {
            return Trace.readable(msg, msghdr.sizeof()) ? msg.get(ValueLayout.JAVA_INT_UNALIGNED, msghdr.msg_namelen$offset()) : 0;
        } catch (RuntimeException closedMeanwhile) {
            return 0;
        }
    }

    /**
     * sendmmsg's struct mmsghdr array after the call, as strace prints it: each of the vlen
     * messages as {@code {msg_hdr={...}, msg_len=3}}, msg_len only for the {@code sent} the kernel
     * sent (none when the call failed); 32 of them at most, then "...".
     */
    static String sentVector(MemorySegment msgvec, int vlen, int sent) {
        return vector(msgvec, Integer.toUnsignedLong(vlen), Math.max(sent, 0), false, null);
    }

    /**
     * recvmmsg's array after the call: the {@code received} messages, each msghdr as
     * {@link #received} shows it (its data up to its msg_len) with its msg_len; on failure the
     * array's address, as strace prints it. {@code namelensBefore}: from {@link #namelens}, or null
     * when the trace was turned on during the call (each msg_namelen is then shown as it is).
     */
    static String receivedVector(MemorySegment msgvec, int received, int[] namelensBefore) {
        if (received < 0) return Trace.hex(msgvec);
        return vector(msgvec, received, received, true, namelensBefore);
    }

    /** Each shown mmsghdr's msg_namelen before recvmmsg, for {@link #receivedVector}; 0 for one that cannot be read. */
    static int[] namelens(MemorySegment msgvec, int vlen) {
        int[] namelens = new int[(int) Math.min(Integer.toUnsignedLong(vlen), MAX_SHOWN)];
        for (int i = 0; i < namelens.length; i++) namelens[i] = namelen(element(msgvec, i));
        return namelens;
    }

    private static String vector(MemorySegment msgvec, long count, int withLength, boolean received, int[] namelensBefore) {
        if (count == 0) return "[]";
        if (!Trace.readable(msgvec, mmsghdr.sizeof())) return Trace.hex(msgvec);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i == MAX_SHOWN) {
                items.add("...");
                break;
            }
            MemorySegment m = element(msgvec, i);
            if (!Trace.readable(m, mmsghdr.sizeof())) break; // the facade checked vlen elements: only a shorter segment of a lying caller ends here
            try {
                int length = m.get(ValueLayout.JAVA_INT_UNALIGNED, mmsghdr.msg_len$offset());
                MemorySegment hdr = m.asSlice(mmsghdr.msg_hdr$offset(), msghdr.sizeof());
                Integer namelenBefore = namelensBefore != null && i < namelensBefore.length ? namelensBefore[i] : null;
                String decoded = received ? decode(hdr, Integer.toUnsignedLong(length), namelenBefore) : decode(hdr, UNLIMITED, null);
                items.add("{msg_hdr=" + decoded + (i < withLength ? ", msg_len=" + Integer.toUnsignedString(length) : "") + "}");
            } catch (RuntimeException closedMeanwhile) { // another thread closed the array's arena: nothing may throw after the call
                return Trace.hex(msgvec);
            }
        }
        return "[" + String.join(", ", items) + "]";
    }

    /** The i-th struct mmsghdr of msgvec, or NULL when msgvec does not hold it. */
    private static MemorySegment element(MemorySegment msgvec, long i) {
        long size = mmsghdr.sizeof();
        return msgvec.byteSize() / size > i ? msgvec.asSlice(i * size, size) : MemorySegment.NULL;
    }

    private static String decode(MemorySegment msg, long dataSize, Integer namelenBefore) {
        if (!Trace.readable(msg, msghdr.sizeof())) return Trace.hex(msg);
        try (Arena arena = Arena.ofConfined()) {
            long name = msg.get(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_name$offset());
            int namelen = msg.get(ValueLayout.JAVA_INT_UNALIGNED, msghdr.msg_namelen$offset());
            long iov = msg.get(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_iov$offset());
            long iovlen = msg.get(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_iovlen$offset());
            long control = msg.get(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_control$offset());
            long controllen = msg.get(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_controllen$offset());
            int flags = msg.get(ValueLayout.JAVA_INT_UNALIGNED, msghdr.msg_flags$offset());
            // recvmsg: the kernel wrote at most the length it was given
            int shownNamelen = namelenBefore != null && namelen > namelenBefore ? namelenBefore : namelen;
            String namelens = namelenBefore != null && namelenBefore != namelen ? namelenBefore + " => " + namelen : String.valueOf(namelen);
            return "{msg_name=" + name(arena, name, shownNamelen) + ", msg_namelen=" + namelens
                    + ", msg_iov=" + iovecs(arena, iov, iovlen, dataSize) + ", msg_iovlen=" + Long.toUnsignedString(iovlen)
                    + (controllen != 0 ? ", msg_control=" + control(arena, control, controllen) : "")
                    + ", msg_controllen=" + Long.toUnsignedString(controllen) + ", msg_flags=" + Names.flags("MSG_", flags) + "}";
        } catch (RuntimeException closedMeanwhile) { // the msghdr's arena closed by another thread: nothing may throw after the call
            return Trace.hex(msg);
        }
    }

    static String hex(long address) {
        return address == 0 ? "NULL" : "0x" + Long.toHexString(address);
    }

    /** msg_name: NULL, its address when shorter than a family or unreadable, else the sockaddr decoded. */
    private static String name(Arena arena, long address, int namelen) {
        if (address == 0) return "NULL";
        if (namelen < 2) return hex(address);
        MemorySegment copy = UserMemory.read(arena, address, Math.min(namelen, MAX_NAME));
        return copy == null ? hex(address) : Trace.sockaddr(copy, namelen);
    }

    /**
     * An iovec array as strace prints it: "[{iov_base="hello", iov_len=5}, ...]". NULL as NULL, an
     * array that wraps past the end of memory or whose first element cannot be read as its address,
     * one that becomes unreadable later with "... /* address *\/" where it does. Each iov_base shows
     * at most dataSize bytes in all (what recvmsg received), 32 of each.
     */
    static String iovecs(Arena arena, long address, long count, long dataSize) {
        if (address == 0) return "NULL";
        if (count == 0) return "[]";
        long size = iovec.sizeof();
        if (Long.compareUnsigned(count, Long.divideUnsigned(-1L, size)) > 0 || Long.compareUnsigned(address + count * size, address) <= 0) return hex(address);
        long left = dataSize;
        List<String> items = new ArrayList<>();
        // One element past the 32 shown is read, as strace does: "..." when it can be read, "... /* its address */" when not.
        long fetched = Long.compareUnsigned(count, MAX_SHOWN + 1) > 0 ? MAX_SHOWN + 1 : count;
        for (long i = 0; i < fetched; i++) {
            long at = address + i * size;
            MemorySegment element = UserMemory.read(arena, at, size);
            if (element == null) {
                if (i == 0) return hex(address);
                items.add("... /* " + hex(at) + " */");
                break;
            }
            if (i == MAX_SHOWN) {
                items.add("...");
                break;
            }
            long base = element.get(ValueLayout.JAVA_LONG_UNALIGNED, iovec.iov_base$offset());
            long len = element.get(ValueLayout.JAVA_LONG_UNALIGNED, iovec.iov_len$offset());
            if (dataSize == ADDRESSES) {
                items.add("{iov_base=" + hex(base) + ", iov_len=" + Long.toUnsignedString(len) + "}");
                continue;
            }
            long shown = left == UNLIMITED || Long.compareUnsigned(len, left) <= 0 ? len : left;
            if (left != UNLIMITED) left -= shown;
            items.add("{iov_base=" + bytes(arena, base, shown) + ", iov_len=" + Long.toUnsignedString(len) + "}");
        }
        return "[" + String.join(", ", items) + "]";
    }

    /** For {@link #iovecs}: each iov_base as its address, not its bytes (a readv that failed: strace shows no data). */
    static final long ADDRESSES = -2;

    /**
     * readv's and writev's iovec array as strace prints it: the data up to {@code dataSize} bytes
     * ({@link #UNLIMITED} for writev; what readv returned), or each iov_base's address
     * ({@link #ADDRESSES}, a readv that failed). An iovcnt the kernel refuses before it reads the
     * array (negative, past UIO_MAXIOV) or an array that cannot be read prints as its address.
     */
    static String iovArray(MemorySegment iov, int iovcnt, long dataSize) {
        if (iov == null || iov.equals(MemorySegment.NULL)) return "NULL";
        if (!iov.isNative() || iovcnt < 0 || iovcnt > UIO_MAXIOV) return Trace.hex(iov); // a heap segment has no address to show or read
        try (Arena arena = Arena.ofConfined()) {
            return iovecs(arena, iov.address(), iovcnt, dataSize);
        }
    }

    /** len bytes at address as a C string literal, 32 of them at most then "...", or the address when they cannot be read. */
    private static String bytes(Arena arena, long address, long len) {
        if (address == 0) return "NULL";
        long read = Long.compareUnsigned(len, MAX_SHOWN) > 0 ? MAX_SHOWN : len;
        MemorySegment copy = UserMemory.read(arena, address, read);
        if (copy == null) return hex(address);
        return Trace.quote(copy, read, false) + (read != len ? "..." : "");
    }

    /**
     * The control messages as strace prints them, each "{cmsg_len=20, cmsg_level=SOL_SOCKET,
     * cmsg_type=SCM_RIGHTS, cmsg_data=[7]}". A cmsg_len shorter than its header ends the list with
     * "... /* address *\/" of what was not shown; one past the buffer shows the data the buffer
     * holds. Buffers shorter than a header, or unreadable, print as their address.
     */
    static String control(Arena arena, long address, long controllen) {
        long header = cmsghdr.sizeof();
        long length = Long.compareUnsigned(controllen, MAX_CONTROL) > 0 ? MAX_CONTROL : controllen;
        MemorySegment buf = length < header ? null : UserMemory.read(arena, address, length);
        if (buf == null) return hex(address);
        List<String> items = new ArrayList<>();
        long at = 0, left = length;
        while (left >= header) { // each turn ends the loop or moves on by at least a header: it ends
            long cmsgLen = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, at + cmsghdr.cmsg_len$offset());
            int level = buf.get(ValueLayout.JAVA_INT_UNALIGNED, at + cmsghdr.cmsg_level$offset());
            int type = buf.get(ValueLayout.JAVA_INT_UNALIGNED, at + cmsghdr.cmsg_type$offset());
            long len = Long.compareUnsigned(cmsgLen, left) > 0 ? left : cmsgLen;
            MemorySegment data = buf.asSlice(at + header, len > header ? len - header : 0);
            items.add("{cmsg_len=" + Long.toUnsignedString(cmsgLen) + ", cmsg_level=" + level(level) + ", cmsg_type=" + typeAndData(level, type, data) + "}");
            if (len < header) {
                left -= header;
                break;
            }
            long next = (cmsgLen + Long.BYTES - 1) & -Long.BYTES; // CMSG_ALIGN; a cmsg_len near 2^64 wraps to 0: the end
            if (next == 0 || Long.compareUnsigned(next, left) >= 0) {
                left = 0;
                break;
            }
            at += next;
            left -= next;
        }
        if (left != 0) items.add("... /* " + hex(address + (length - left)) + " */");
        return "[" + String.join(", ", items) + "]";
    }

    /** A level as strace prints it: SOL_SOCKET, SOL_IP, SOL_TCP..., "0x3039 /* SOL_??? *\/" when it has no name. */
    private static String level(int level) {
        String name = Names.value("SOL_", level);
        return name.startsWith("SOL_") ? name : "0x" + Integer.toHexString(level) + " /* SOL_??? */";
    }

    /** cmsg_type, and cmsg_data where strace decodes it (SCM_RIGHTS, SCM_CREDENTIALS). */
    private static String typeAndData(int level, int type, MemorySegment data) {
        if (level == SOL_SOCKET) {
            if (type == SCM_RIGHTS) return "SCM_RIGHTS" + (data.byteSize() >= Integer.BYTES ? ", cmsg_data=" + fds(data) : "");
            if (type == SCM_CREDENTIALS) return "SCM_CREDENTIALS" + (data.byteSize() >= ucred.sizeof() ? ", cmsg_data=" + ucred(data) : "");
            String name = switch (type) {
                case SO_TIMESTAMP_OLD -> "SO_TIMESTAMP_OLD";
                case SO_TIMESTAMPNS_OLD -> "SO_TIMESTAMPNS_OLD";
                case SO_TIMESTAMPING_OLD -> "SO_TIMESTAMPING_OLD";
                case SO_TIMESTAMP_NEW -> "SO_TIMESTAMP_NEW";
                case SO_TIMESTAMPNS_NEW -> "SO_TIMESTAMPNS_NEW";
                case SO_TIMESTAMPING_NEW -> "SO_TIMESTAMPING_NEW";
                default -> null;
            };
            return name != null ? name : "0x" + Integer.toHexString(type) + " /* SCM_??? */";
        }
        if (level == SOL_IP) {
            String name = Names.value("IP_", type);
            return name.startsWith("IP_") ? name : "0x" + Integer.toHexString(type) + " /* IP_??? */";
        }
        return "0x" + Integer.toHexString(type);
    }

    /** SCM_RIGHTS' descriptors, "[7, 8]", 32 at most then "...". */
    private static String fds(MemorySegment data) {
        long n = data.byteSize() / Integer.BYTES;
        List<String> fds = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            if (i == MAX_SHOWN) {
                fds.add("...");
                break;
            }
            fds.add(String.valueOf(data.get(ValueLayout.JAVA_INT_UNALIGNED, i * Integer.BYTES)));
        }
        return "[" + String.join(", ", fds) + "]";
    }

    /** SCM_CREDENTIALS' struct ucred, "{pid=123, uid=0, gid=0}"; an id of -1 (none) as -1. */
    private static String ucred(MemorySegment data) {
        return "{pid=" + data.get(ValueLayout.JAVA_INT_UNALIGNED, ucred.pid$offset()) + ", uid=" + id(data.get(ValueLayout.JAVA_INT_UNALIGNED, ucred.uid$offset()))
                + ", gid=" + id(data.get(ValueLayout.JAVA_INT_UNALIGNED, ucred.gid$offset())) + "}";
    }

    private static String id(int id) {
        return id == -1 ? "-1" : Integer.toUnsignedString(id);
    }
}
