package io.github.panamasockets.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * C's {@code <stdio.h>} as socket programs use it: printf, fprintf, puts, fputs, putchar,
 * snprintf, sprintf and sscanf, with C's format language and C's return values.
 *
 * <p><b>The format language</b> is C's, implemented in Java (no native printf is called, so no
 * argument can crash the JVM): flags {@code - + space # 0}, a width and a precision (either may be
 * {@code *}, taking an int argument), the length modifiers {@code hh h l ll j z t} (and {@code L}
 * for a double), and the conversions {@code d i u o x X c s p f F e E g G a A n %}, and glibc's
 * {@code %m} (strerror of this thread's {@code errno()}, taking no argument). The text is the
 * one glibc prints, byte for byte: floating point is expanded exactly and rounded to nearest,
 * ties to even, as glibc does. Java's own format syntax does not apply: {@code %n} is C's.
 *
 * <p><b>Arguments</b> are the Java values C's would become:
 * <ul>
 * <li>integer conversions take an Integer, Long, Short, Byte or Character, converted to the type
 *     the length modifier names as a C cast would ({@code %hhd} of 300 prints 44, {@code %u} of
 *     -1 prints 4294967295); a long that fits neither an int nor an unsigned int, given to a
 *     conversion without {@code l}, is refused (C would print a wrong number);</li>
 * <li>{@code %c} takes the same, as an unsigned char; {@code %s} a String (its UTF-8 bytes) or a
 *     NUL-terminated MemorySegment, read no further than the precision; null or NULL prints
 *     {@code (null)} as glibc does; {@code %p} a MemorySegment (its address; NULL is {@code (nil)});</li>
 * <li>{@code %f %e %g %a} take a Double or a Float ({@code %La} is refused: glibc prints a long
 *     double's own hexadecimal digits there);</li>
 * <li>{@code %n} stores the count of bytes so far into a MemorySegment, as an int (a char with
 *     {@code hh}, a short with {@code h}, a long with {@code l}), once the whole text is built.</li>
 * </ul>
 * An argument of the wrong type, a missing argument, or an unsupported conversion throws
 * IllegalArgumentException; a {@code %s} segment with no NUL within it, or a {@code %n} segment
 * too small, throws IndexOutOfBoundsException. Either is thrown before anything is written.
 * Arguments beyond those the format uses are ignored, as in C.
 *
 * <p><b>Output.</b> {@code stdout} is Java's {@code System.out} and {@code stderr} is
 * {@code System.err}, so the companion's text and Java's come out in program order, on a terminal,
 * into a pipe or into a file. stderr is flushed at every call, as C's unbuffered stderr; stdout at
 * the latest at every newline, as C's line-buffered stdout on a terminal (Java's own System.out
 * flushes at every write, so a partial line C would still hold is already out). C's stdout into a
 * pipe or a file is fully buffered, flushed only when its buffer fills or at exit, so there C's
 * stdout and stderr can come out of order; the companion's never do: a reader of the pipe sees
 * each line when it is printed, as a C program with {@code setvbuf(stdout, NULL, _IOLBF, 0)}
 * gives it.
 *
 * <p><b>Buffers.</b> sprintf and snprintf write into a segment. A text that does not fit the
 * segment (C's buffer overflow) throws IndexOutOfBoundsException before any byte is written.
 */
public abstract class PosixStdio extends PosixString {
    PosixStdio() {}

    /** C's {@code stdin}: Java's System.in (read by {@link #fgets} and {@link #getchar}). */
    public static final FILE stdin = FILE.STDIN;

    /** C's {@code stdout}: Java's System.out. */
    public static final FILE stdout = FILE.STDOUT;

    /** C's {@code stderr}: Java's System.err. */
    public static final FILE stderr = FILE.STDERR;

    /** C's {@code EOF}. */
    public static final int EOF = -1;

    /** {@code int printf(const char *format, ...)}, printf(3): the number of bytes written. */
    public static int printf(String format, Object... args) {
        return fprintf(stdout, format, args);
    }

    /** {@code int fprintf(FILE *stream, const char *format, ...)}, printf(3): the number of bytes written. */
    public static int fprintf(FILE stream, String format, Object... args) {
        byte[] text = CFormat.format(format, args);
        return put(stream, text, text.length);
    }

    /** Hands bytes to the stream: result, or EOF with errno EBADF for stdin, which is not open for writing. */
    private static int put(FILE stream, byte[] bytes, int result) {
        if (stream == null) throw new IllegalArgumentException("a NULL FILE *");
        if (!stream.write(bytes)) return ThreadErrno.current().refuse(EBADF);
        return result;
    }

    /**
     * {@code int dprintf(int fd, const char *format, ...)}, dprintf(3): the text written to a
     * descriptor (a connected socket: {@code dprintf(connfd, "%s\r\n", ctime(now))}) with write(2),
     * repeated until all of it is written: the number of bytes, or -1 with write's errno.
     */
    public static int dprintf(int fd, String format, Object... args) {
        byte[] text = CFormat.format(format, args);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, text.length));
            MemorySegment.copy(text, 0, buf, ValueLayout.JAVA_BYTE, 0, text.length);
            long done = 0;
            while (done < text.length) {
                long n = Posix.write(fd, buf.asSlice(done), text.length - done);
                if (n == -1) return -1;
                done += n;
            }
        }
        return text.length;
    }

    /**
     * {@code int snprintf(char *str, size_t size, const char *format, ...)}, printf(3): writes at most
     * size - 1 bytes and a NUL (nothing when size is 0), and returns the length the whole text has,
     * so that a result of size or more says it was truncated ({@code snprintf(NULL, 0, ...)} measures
     * the text). A size larger than str throws
     * IndexOutOfBoundsException (C would write past the buffer), before anything is written.
     */
    public static int snprintf(MemorySegment str, long size, String format, Object... args) {
        if (str == null) str = MemorySegment.NULL; // snprintf(NULL, 0, ...) measures
        if (Long.compareUnsigned(size, str.byteSize()) > 0) // a negative size is a size_t past any buffer
            throw new IndexOutOfBoundsException("snprintf: size " + Long.toUnsignedString(size) + " is larger than the buffer, a segment of " + str.byteSize() + " bytes");
        byte[] text = CFormat.format(format, args);
        if (size > 0) {
            int n = (int) Math.min(text.length, size - 1);
            MemorySegment.copy(text, 0, str, ValueLayout.JAVA_BYTE, 0, n);
            str.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
        }
        return text.length;
    }

    /**
     * {@code int sprintf(char *str, const char *format, ...)}, printf(3): the text and a NUL into str;
     * returns the text's length. A text that does not fit str (C's buffer overflow) throws
     * IndexOutOfBoundsException and writes nothing.
     */
    public static int sprintf(MemorySegment str, String format, Object... args) {
        byte[] text = CFormat.format(format, args);
        if (text.length + 1L > str.byteSize())
            throw new IndexOutOfBoundsException("sprintf: " + (text.length + 1) + " bytes (with the NUL) into a segment of " + str.byteSize());
        MemorySegment.copy(text, 0, str, ValueLayout.JAVA_BYTE, 0, text.length);
        str.set(ValueLayout.JAVA_BYTE, text.length, (byte) 0);
        return text.length;
    }

    /** {@code int puts(const char *s)}, puts(3): s and a newline on stdout; a non-negative number. */
    public static int puts(String s) {
        byte[] b = cbytes(s);
        byte[] line = java.util.Arrays.copyOf(b, b.length + 1);
        line[b.length] = '\n';
        return put(stdout, line, 1);
    }

    /** {@code int puts(const char *s)} of a NUL-terminated segment. */
    public static int puts(MemorySegment s) {
        byte[] b = cbytes(s, "puts");
        byte[] line = java.util.Arrays.copyOf(b, b.length + 1);
        line[b.length] = '\n';
        return put(stdout, line, 1);
    }

    /** {@code int fputs(const char *s, FILE *stream)}, puts(3): s without a newline; a non-negative number. */
    public static int fputs(String s, FILE stream) {
        return put(stream, cbytes(s), 1);
    }

    /** {@code int fputs(const char *s, FILE *stream)} of a NUL-terminated segment. */
    public static int fputs(MemorySegment s, FILE stream) {
        return put(stream, cbytes(s, "fputs"), 1);
    }

    /** {@code int putchar(int c)}, puts(3): c as an unsigned char on stdout; returns that char. */
    public static int putchar(int c) {
        return put(stdout, new byte[] {(byte) c}, c & 0xff);
    }

    /** {@code int fputc(int c, FILE *stream)}, puts(3). */
    public static int fputc(int c, FILE stream) {
        return put(stream, new byte[] {(byte) c}, c & 0xff);
    }

    /** {@code int fflush(FILE *stream)}, fflush(3): 0. */
    public static int fflush(FILE stream) {
        if (stream == null) { stdout.flush(); stderr.flush(); } else stream.flush();
        return 0;
    }

    /** {@code int fileno(FILE *stream)}, fileno(3): 0, 1 or 2 (to poll stdin: {@code pollfd.fd(pfd, fileno(stdin))}). */
    public static int fileno(FILE stream) {
        return stream.fileno();
    }

    /**
     * {@code char *fgets(char *s, int size, FILE *stream)}, fgets(3): a line from stdin (System.in),
     * with its newline, into s: at most size - 1 bytes and a NUL. Returns s, or NULL at end of file
     * with nothing read, on a read error (errno EIO), or for stdout/stderr (errno EBADF). A size
     * larger than s throws IndexOutOfBoundsException (C would write past it). Bytes System.in has
     * buffered are not seen by read(0, ...), as bytes C's stdio has buffered are not.
     */
    public static MemorySegment fgets(MemorySegment s, int size, FILE stream) {
        if (size > s.byteSize()) throw new IndexOutOfBoundsException("fgets: size " + size + " is larger than the buffer, a segment of " + s.byteSize() + " bytes");
        if (size <= 0) { ThreadErrno.current().refuse(EINVAL); return MemorySegment.NULL; }
        if (stream != stdin) { ThreadErrno.current().refuse(EBADF); return MemorySegment.NULL; }
        int n = 0;
        try {
            while (n < size - 1) {
                int c = stream.read();
                if (c == -1) break;
                s.set(ValueLayout.JAVA_BYTE, n++, (byte) c);
                if (c == '\n') break;
            }
        } catch (java.io.IOException e) {
            ThreadErrno.current().refuse(EIO);
            return MemorySegment.NULL;
        }
        if (n == 0 && size > 1) return MemorySegment.NULL;
        s.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
        return s;
    }

    /** {@code int getchar(void)}, getc(3): the next byte of stdin as an unsigned char, or EOF. */
    public static int getchar() {
        try {
            int c = stdin.read();
            return c == -1 ? EOF : c;
        } catch (java.io.IOException e) {
            ThreadErrno.current().refuse(EIO);
            return EOF;
        }
    }

    // ---- sscanf ----------------------------------------------------------------------------

    /**
     * {@code int sscanf(const char *str, const char *format, ...)}, scanf(3): the number of
     * conversions assigned, or EOF when the input ends before the first conversion.
     *
     * <p>Conversions: {@code d i u o x X f e g a c s [set] n %} (with widths, {@code *} to skip, and
     * the length modifiers {@code hh h l ll j z t}). Each pointer is a MemorySegment that receives
     * what C would store there: an int (a char with {@code hh}, a short with {@code h}, a long with
     * {@code l ll j z t}) for the integers and {@code %n}, a float (a double with {@code l}) for
     * {@code %f %e %g %a}, bytes and a NUL for {@code %s} and {@code %[}, bytes without a NUL for
     * {@code %c}. Java arrays serve as well ({@code int[]}, {@code long[]}, {@code short[]},
     * {@code byte[]}, {@code float[]}, {@code double[]} of the matching type; {@code byte[]} for
     * text). Numbers are taken and converted as glibc's are (integers through strtol/strtoul, then
     * to the stored type as a C cast would; floating point correctly rounded, "nan", "inf", and
     * 0x hexadecimal included). {@code %Lf} (long double) is refused.
     *
     * <p>All stores are checked before the first is made: a segment too small for what C would
     * store there (C's overflow) throws IndexOutOfBoundsException, a pointer of the wrong kind
     * IllegalArgumentException, and nothing is stored.
     */
    public static int sscanf(MemorySegment str, String format, Object... args) {
        return CScan.scan(cbytes(str, "sscanf"), format, args);
    }

    /** {@code sscanf} of a Java String (its UTF-8 bytes, up to a NUL if it holds one). */
    public static int sscanf(String str, String format, Object... args) {
        return CScan.scan(cbytes(str), format, args);
    }

    /** The bytes of a C string held by a segment, up to its NUL; none within the segment throws IndexOutOfBoundsException. */
    static byte[] cbytes(MemorySegment s, String call) {
        if (s == null || s.equals(MemorySegment.NULL)) throw new IllegalArgumentException(call + ": a NULL string");
        return s.asSlice(0, PosixString.terminated(s, call)).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The bytes C sees of a Java String literal: its UTF-8, up to a NUL if it holds one. */
    static byte[] cbytes(String s) {
        if (s == null) throw new IllegalArgumentException("a NULL string");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int nul = CFormat.indexOf(b, (byte) 0);
        return nul < 0 ? b : java.util.Arrays.copyOf(b, nul);
    }
}
